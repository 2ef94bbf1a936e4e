"""Queries about attacks, their acute medication, user-set medication classes and the days a
person declared recorded (check-ins and kept ranges).

Instants are fixed-width UTC text (text order is time order); days are local 'YYYY-MM-DD'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from migraine_diary.storage import scope
from migraine_diary.storage.paging import keyset_page
from migraine_diary.storage.scope import kept_client

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

ATTACK_COLUMNS = 'SELECT a.id, a.start, a."end", a.peak, a.aura, a.notes, a.source FROM attack a'
MEDICATION_COLUMNS = "SELECT m.attack_id, m.name, m.helpfulness, m.taken_at FROM medication m"


# An attack's detail filter: (kind, key), e.g. ('trigger', 'stress').
DetailFilter = tuple[str, str]


def _window(
    conn: Connection,
    since: str | None,
    until: str | None,
    search: str | None = None,
    detail: DetailFilter | None = None,
) -> tuple[str, dict[str, Any]]:
    """Attacks that started in [since, until): the same convention as session filters;
    `search` (casefolded) is text to find in the notes; with `detail`, only those that have it;
    only the chosen client's."""
    from migraine_diary.storage import engines

    clauses, params = [], {}
    if search is not None:
        clauses.append(engines.part(conn).contains_casefolded("a.notes", "search"))
        params["search"] = search
    if detail is not None:
        clauses.append(
            "EXISTS (SELECT 1 FROM attack_detail d WHERE d.attack_id = a.id"
            " AND d.kind = :detail_kind AND d.key = :detail_key)"
        )
        params["detail_kind"], params["detail_key"] = detail
    if since is not None:
        clauses.append("a.start >= :since")
        params["since"] = since
    if until is not None:
        clauses.append("a.start < :until")
        params["until"] = until
    return scope.within(conn, " WHERE " + " AND ".join(clauses) if clauses else "", params, "a")


def insert_attack(conn: Connection, values: dict[str, Any]) -> int | None:
    """Store one attack; None when it was imported before (nothing added).

    The parameters are cast to their types: PostgreSQL cannot tell them in a SELECT list.

    An imported attack is recognised by its start, end and peak: by its import_key, and by
    those columns for a key an earlier version wrote (start and peak alone). A typed attack
    (no import_key) is always added.
    """
    from sqlalchemy import text

    row = conn.execute(
        text(
            'INSERT INTO attack (start, "end", peak, aura, notes, source, import_key, client_id)'
            " SELECT CAST(:start AS TEXT), CAST(:end AS TEXT), CAST(:peak AS INTEGER),"
            " CAST(:aura AS BOOLEAN), CAST(:notes AS TEXT), CAST(:source AS TEXT),"
            " CAST(:import_key AS TEXT), CAST(:client_id AS INTEGER)"
            " WHERE CAST(:import_key AS TEXT) IS NULL OR NOT EXISTS ("
            "  SELECT 1 FROM attack a WHERE a.import_key IS NOT NULL AND a.start = :start"
            '  AND a."end" = :end AND a.peak = :peak AND a.client_id = :client_id)'
            # No conflict target: the key's one unique constraint is (client_id, import_key),
            # but a dry run works on an older diary as it is, where it was import_key alone.
            " ON CONFLICT DO NOTHING RETURNING id"
        ),
        {**values, "client_id": scope.writing(conn)},
    ).first()
    return int(row[0]) if row is not None else None


def insert_medications(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    from sqlalchemy import text

    conn.execute(
        text(
            "INSERT INTO medication (attack_id, name, helpfulness, taken_at)"
            " VALUES (:attack_id, :name, :helpfulness, :taken_at)"
        ),
        rows,
    )


def attack_by_id(
    conn: Connection, attack_id: int, *, to_change: bool = False
) -> tuple[Any, ...] | None:
    """One attack; `to_change` locks it until the transaction ends (see session_by_id)."""
    from sqlalchemy import text

    from migraine_diary.storage import engines

    lock = engines.part(conn).row_lock("a") if to_change else ""
    where, params = scope.within(conn, " WHERE a.id = :id", {"id": attack_id}, "a")
    row = conn.execute(text(ATTACK_COLUMNS + where + lock), params).first()
    return tuple(row) if row else None


def attack_rows(
    conn: Connection,
    since: str | None,
    until: str | None,
    limit: int | None = None,
    search: str | None = None,
    detail: DetailFilter | None = None,
) -> list[tuple[Any, ...]]:
    """Attacks that started in the window, newest first."""
    from sqlalchemy import text

    where, params = _window(conn, since, until, search, detail)
    sql = ATTACK_COLUMNS + where + " ORDER BY a.start DESC, a.id DESC"
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return [tuple(r) for r in conn.execute(text(sql), params)]


def count_attacks(
    conn: Connection,
    since: str | None,
    until: str | None,
    search: str | None = None,
    detail: DetailFilter | None = None,
) -> int:
    from sqlalchemy import text

    where, params = _window(conn, since, until, search, detail)
    return int(conn.execute(text("SELECT COUNT(*) FROM attack a" + where), params).scalar_one())


def insert_details(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """An attack's triggers, symptoms, ... (attack_id, kind, value, key, helpfulness)."""
    if not rows:
        return
    from sqlalchemy import text

    conn.execute(
        text(
            "INSERT INTO attack_detail (attack_id, kind, value, key, helpfulness)"
            " VALUES (:attack_id, :kind, :value, :key, :helpfulness)"
            " ON CONFLICT (attack_id, kind, key) DO NOTHING"
        ),
        rows,
    )


def insert_origin(conn: Connection, attack_id: int, start: int, end: int | None) -> None:
    """The UTC offsets an importing app recorded for the attack's start and end."""
    from sqlalchemy import text

    conn.execute(
        text(
            "INSERT INTO attack_origin (attack_id, start_offset, end_offset)"
            " VALUES (:id, :start, :end)"
        ),
        {"id": attack_id, "start": start, "end": end},
    )


def _by_attack(
    conn: Connection, sql: str, attack_ids: list[int]
) -> dict[int, list[tuple[Any, ...]]]:
    """Rows of `sql` (attack_id first, then the rest; `{ids}` marks the id list) per attack."""
    from sqlalchemy import text

    found: dict[int, list[tuple[Any, ...]]] = {}
    for offset in range(0, len(attack_ids), 500):
        chunk = attack_ids[offset : offset + 500]
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        params = {f"i{n}": v for n, v in enumerate(chunk)}
        for r in conn.execute(text(sql.format(ids=marks)), params):
            found.setdefault(r[0], []).append(tuple(r[1:]))
    return found


def details_of(conn: Connection, attack_ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
    """(kind, value, helpfulness) per attack id, in the order they were stored."""
    sql = (
        "SELECT attack_id, kind, value, helpfulness FROM attack_detail"
        " WHERE attack_id IN ({ids}) ORDER BY attack_id, id"
    )
    return _by_attack(conn, sql, attack_ids)


def origins_of(conn: Connection, attack_ids: list[int]) -> dict[int, tuple[int, int | None]]:
    """(start_offset, end_offset) per imported attack id that has them."""
    sql = "SELECT attack_id, start_offset, end_offset FROM attack_origin WHERE attack_id IN ({ids})"
    found = _by_attack(conn, sql, attack_ids)
    return {i: (int(rows[0][0]), rows[0][1]) for i, rows in found.items()}


def _details(kind: str) -> str:
    """The (attack_id, value, key) rows of one kind of detail, to count. An attack's most
    bothersome symptom is its typed one (`attack log --mbs`), else the one an import
    recorded: one symptom an attack, whichever way it came."""
    if kind != "most_bothersome":
        return "(SELECT attack_id, value, key FROM attack_detail WHERE kind = :kind)"
    return (
        "(SELECT attack_id, mbs AS value, mbs AS key FROM attack_mbs"
        " UNION ALL SELECT attack_id, value, key FROM attack_detail WHERE kind = :kind"
        " AND attack_id NOT IN (SELECT attack_id FROM attack_mbs))"
    )


def detail_counts(
    conn: Connection, kind: str, since: str | None, until: str | None
) -> list[tuple[str, int]]:
    """(the value in one of its spellings, attacks with it) for one kind of detail over the
    attacks that started in the window, most frequent first."""
    from sqlalchemy import text

    where, params = _window(conn, since, until)
    sql = (
        "SELECT MIN(d.value), COUNT(DISTINCT d.attack_id) AS n, d.key"
        f" FROM {_details(kind)} d JOIN attack a ON a.id = d.attack_id"
        + where
        + " GROUP BY d.key ORDER BY n DESC, d.key"
    )
    return [(r[0], int(r[1])) for r in conn.execute(text(sql), {**params, "kind": kind})]


def count_with_detail(conn: Connection, kind: str, since: str | None, until: str | None) -> int:
    """How many attacks that started in the window have any detail of this kind."""
    from sqlalchemy import text

    where, params = _window(conn, since, until)
    sql = (
        "SELECT COUNT(*) FROM attack a"
        + (where + " AND" if where else " WHERE")
        + f" EXISTS (SELECT 1 FROM {_details(kind)} d WHERE d.attack_id = a.id)"
    )
    return int(conn.execute(text(sql), {**params, "kind": kind}).scalar_one())


def medications_of(conn: Connection, attack_ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
    """(name, helpfulness, taken_at) per attack id, in the order they were stored."""
    sql = MEDICATION_COLUMNS + " WHERE m.attack_id IN ({ids}) ORDER BY m.attack_id, m.id"
    return _by_attack(conn, sql, attack_ids)


def attacks_touching(conn: Connection, since: str, until: str) -> list[tuple[Any, ...]]:
    """Attacks that overlap [since, until) (an ongoing one runs on), with their medications:
    one row per medication (name, helpfulness, taken_at NULL for an attack without any)."""
    from sqlalchemy import text

    sql = (
        'SELECT a.id, a.start, a."end", a.aura, m.name, m.helpfulness, m.taken_at'
        " FROM attack a LEFT JOIN medication m ON m.attack_id = a.id"
        ' WHERE a.start < :until AND (a."end" IS NULL OR a."end" >= :since){client}'
        " ORDER BY a.start, a.id, m.id"
    )
    condition, params = scope.only(conn, "a")
    sql = sql.format(client=f" AND {condition}" if condition else "")
    return [tuple(r) for r in conn.execute(text(sql), {**params, "since": since, "until": until})]


def ongoing_attacks(conn: Connection) -> list[tuple[int, str]]:
    """(id, start) of every attack without an end yet."""
    from sqlalchemy import text

    where, params = scope.within(conn, ' WHERE "end" IS NULL', {})
    sql = "SELECT id, start FROM attack" + where + " ORDER BY start, id"
    return [(r[0], r[1]) for r in conn.execute(text(sql), params)]


def update_attack(conn: Connection, attack_id: int, values: dict[str, Any]) -> None:
    from sqlalchemy import text

    values = kept_client(values)
    assignments = ", ".join(f'"{column}" = :{column}' for column in values)
    mine, params = scope.mine(conn)
    conn.execute(
        text(f"UPDATE attack SET {assignments} WHERE id = :id AND {mine}"),
        {**values, **params, "id": attack_id},
    )


def end_imported(conn: Connection, values: dict[str, Any]) -> bool:
    """Give an imported attack that was ongoing, with this start and peak, the end and key
    a later export gives it; False when there is none."""
    from sqlalchemy import text

    mine, params = scope.mine(conn)
    result = conn.execute(
        text(
            'UPDATE attack SET "end" = :end, import_key = :import_key'
            ' WHERE import_key IS NOT NULL AND "end" IS NULL AND start = :start AND peak = :peak'
            f" AND {mine}"
        ),
        {**values, **params},
    )
    return bool(result.rowcount)


def replace_detail(
    conn: Connection,
    attack_id: int,
    rows: list[dict[str, Any]],
    origin: tuple[int, int | None] | None,
) -> None:
    """An attack's detail lists and recorded offsets, all set anew (an --update)."""
    from sqlalchemy import text

    conn.execute(text("DELETE FROM attack_detail WHERE attack_id = :id"), {"id": attack_id})
    conn.execute(text("DELETE FROM attack_origin WHERE attack_id = :id"), {"id": attack_id})
    insert_details(conn, rows)
    if origin is not None:
        insert_origin(conn, attack_id, *origin)


def replace_detail_lists(
    conn: Connection, attack_id: int, kinds: list[str], rows: list[dict[str, Any]]
) -> None:
    """Some of an attack's detail lists (these kinds of detail) set anew: `attack edit`."""
    from sqlalchemy import bindparam, text

    if not kinds:
        return
    conn.execute(
        text("DELETE FROM attack_detail WHERE attack_id = :id AND kind IN :kinds").bindparams(
            bindparam("kinds", expanding=True)
        ),
        {"id": attack_id, "kinds": kinds},
    )
    insert_details(conn, rows)


def replace_medications(conn: Connection, attack_id: int, rows: list[dict[str, Any]]) -> None:
    """The attack's doses made `rows` (name, helpfulness, taken_at): a stored dose of the same
    name and time keeps its row, and so its ratings, its helpfulness changed in place; stored
    doses matched by none go (their ratings with them), and the rest come in new."""
    from sqlalchemy import text

    sql = "SELECT id, name, taken_at, helpfulness FROM medication WHERE attack_id = :a ORDER BY id"
    stored = conn.execute(text(sql), {"a": attack_id}).all()
    unmatched = {int(r[0]): (r[1], r[2], r[3]) for r in stored}
    added: list[dict[str, Any]] = []
    for row in rows:
        key = (row["name"], row["taken_at"])
        same = next((i for i, (n, t, _) in unmatched.items() if (n, t) == key), None)
        if same is None:
            added.append({**row, "attack_id": attack_id})
            continue
        if unmatched.pop(same)[2] != row["helpfulness"]:
            conn.execute(
                text("UPDATE medication SET helpfulness = :h WHERE id = :id"),
                {"h": row["helpfulness"], "id": same},
            )
    for gone in unmatched:
        conn.execute(text("DELETE FROM medication WHERE id = :id"), {"id": gone})
    insert_medications(conn, added)


def delete_medications(conn: Connection, attack_id: int) -> None:
    from sqlalchemy import text

    conn.execute(text("DELETE FROM medication WHERE attack_id = :id"), {"id": attack_id})


def delete_attack(conn: Connection, attack_id: int) -> int:
    """Delete an attack (its medications go with it: ON DELETE CASCADE); rows deleted."""
    from sqlalchemy import text

    mine, params = scope.mine(conn)
    result = conn.execute(
        text(f"DELETE FROM attack WHERE id = :id AND {mine}"), {**params, "id": attack_id}
    )
    return int(result.rowcount)


def session_instants(conn: Connection, since: str, until: str) -> list[tuple[str, bool]]:
    """When each treatment session in [since, until) took place (the calendar's marker), and
    whether it was during an attack."""
    from sqlalchemy import text

    where, params = scope.within(
        conn, ' WHERE "when" >= :since AND "when" < :until', {"since": since, "until": until}
    )
    sql = 'SELECT "when", during_attack FROM session' + where
    return [(r[0], bool(r[1])) for r in conn.execute(text(sql), params)]


def checkin_days(conn: Connection, first: str, last: str) -> list[str]:
    from sqlalchemy import text

    where, params = scope.within(
        conn, " WHERE day BETWEEN :first AND :last", {"first": first, "last": last}
    )
    sql = "SELECT DISTINCT day FROM checkin" + where + " ORDER BY day"
    return [r[0] for r in conn.execute(text(sql), params)]


def add_checkin(conn: Connection, day: str) -> bool:
    """Record a check-in; False when that day was already checked in."""
    from sqlalchemy import text

    result = conn.execute(
        text(
            "INSERT INTO checkin (day, client_id) VALUES (:day, :client)"
            " ON CONFLICT (client_id, day) DO NOTHING"
        ),
        {"day": day, "client": scope.writing(conn)},
    )
    return bool(result.rowcount)


def delete_checkins(conn: Connection, first: str, last: str) -> list[str]:
    """Remove the check-ins from `first` to `last` (inclusive): the days they were on."""
    from sqlalchemy import text

    mine, params = scope.mine(conn)
    rows = conn.execute(
        text(f"DELETE FROM checkin WHERE day BETWEEN :first AND :last AND {mine} RETURNING day"),
        {**params, "first": first, "last": last},
    )
    return sorted(r[0] for r in rows)


def kept_ranges(conn: Connection, first: str, last: str) -> list[tuple[str, str]]:
    """Kept ranges that overlap the days from `first` to `last` (inclusive)."""
    from sqlalchemy import text

    where, params = scope.within(
        conn, " WHERE first <= :last AND last >= :first", {"first": first, "last": last}
    )
    sql = "SELECT first, last FROM kept_range" + where
    return [(r[0], r[1]) for r in conn.execute(text(sql), params)]


def add_kept_range(conn: Connection, first: str, last: str) -> bool:
    """Declare days recorded; False when exactly that range was declared before."""
    from sqlalchemy import text

    result = conn.execute(
        text(
            "INSERT INTO kept_range (first, last, client_id) VALUES (:first, :last, :client)"
            " ON CONFLICT (client_id, first, last) DO NOTHING"
        ),
        {"first": first, "last": last, "client": scope.writing(conn)},
    )
    return bool(result.rowcount)


def user_classes(conn: Connection) -> dict[str, str]:
    """Normalised medication name -> the class the user set for it."""
    from sqlalchemy import text

    return {r[0]: r[1] for r in conn.execute(text('SELECT key, "class" FROM medication_class'))}


def set_user_class(conn: Connection, key: str, name: str, med_class: str) -> None:
    from sqlalchemy import text

    conn.execute(
        text(
            'INSERT INTO medication_class (key, name, "class") VALUES (:key, :name, :class)'
            ' ON CONFLICT (key) DO UPDATE SET name = excluded.name, "class" = excluded."class"'
        ),
        {"key": key, "name": name, "class": med_class},
    )


def medication_names(conn: Connection) -> list[tuple[str, int, int]]:
    """Every medication name in the diary as typed: (name, doses, attacks), most used first."""
    from sqlalchemy import text

    where, params = scope.within(conn, "", {}, "a")
    sql = (
        "SELECT m.name, COUNT(*) AS doses, COUNT(DISTINCT m.attack_id) FROM medication m"
        " JOIN attack a ON a.id = m.attack_id"
        + where
        + " GROUP BY m.name ORDER BY doses DESC, m.name"
    )
    return [(r[0], r[1], r[2]) for r in conn.execute(text(sql), params)]


def note_addition(
    conn: Connection,
    *,
    session_id: int | None = None,
    attack_id: int | None = None,
    checkin_day: str | None = None,
) -> None:
    """Remember a record typed by the user, for `migraine undo`."""
    from sqlalchemy import text

    conn.execute(
        text(
            "INSERT INTO addition (session_id, attack_id, checkin_day, client_id)"
            " VALUES (:session_id, :attack_id, :checkin_day, :client)"
        ),
        {
            "session_id": session_id,
            "attack_id": attack_id,
            "checkin_day": checkin_day,
            "client": scope.writing(conn),
        },
    )


def last_addition(conn: Connection) -> tuple[int | None, int | None, str | None] | None:
    """(session id, attack id, check-in day) of the record typed last that is still there."""
    from sqlalchemy import text

    mine, params = scope.mine(conn)
    row = conn.execute(
        text(
            "SELECT session_id, attack_id, checkin_day FROM addition"
            f" WHERE {mine} ORDER BY id DESC LIMIT 1"
        ),
        params,
    ).first()
    return (row[0], row[1], row[2]) if row else None


def delete_checkin(conn: Connection, day: str) -> int:
    from sqlalchemy import text

    mine, params = scope.mine(conn)
    sql = f"DELETE FROM checkin WHERE day = :day AND {mine}"
    return int(conn.execute(text(sql), {**params, "day": day}).rowcount)


def attack_page(
    conn: Connection,
    since: str | None,
    until: str | None,
    *,
    after: tuple[str, int] | None,
    newest_first: bool,
    size: int = 1000,
    search: str | None = None,
    detail: DetailFilter | None = None,
) -> list[tuple[Any, ...]]:
    """The next `size` attacks (ATTACK_COLUMNS order, then import_key) past `after` (the last
    page's (start, id)): a caller reading every attack holds one page."""
    from sqlalchemy import text

    where, params = _window(conn, since, until, search, detail)
    page = keyset_page(where, params, "a.start", "a.id", after, newest_first, size)
    sql = ATTACK_COLUMNS.replace(" FROM attack a", ", a.import_key FROM attack a")
    return [tuple(r) for r in conn.execute(text(sql + page), params)]


def attacks_by_ids(conn: Connection, ids: list[int]) -> list[tuple[Any, ...]]:
    """Stored attacks with these ids (ATTACK_COLUMNS order, then import_key): the chosen
    client's."""
    from sqlalchemy import text

    sql = ATTACK_COLUMNS.replace(" FROM attack a", ", a.import_key FROM attack a")
    found: list[tuple[Any, ...]] = []
    for offset in range(0, len(ids), 500):
        chunk = ids[offset : offset + 500]
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        where, params = scope.within(
            conn, f" WHERE a.id IN ({marks})", {f"i{n}": v for n, v in enumerate(chunk)}, "a"
        )
        found.extend(tuple(r) for r in conn.execute(text(sql + where), params))
    return found


def attack_ids_by_import_key(
    conn: Connection, keys: list[str], client_id: int | None = None
) -> dict[str, int]:
    """Which stored attack of the client (by default the one written to) holds each of these
    import keys: a key is unique per client, so another client's attack is no match."""
    from sqlalchemy import text

    if not keys:
        return {}  # and no client to name: a file without imported attacks needs none
    client = scope.writing(conn) if client_id is None else client_id
    found: dict[str, int] = {}
    for offset in range(0, len(keys), 500):
        chunk = keys[offset : offset + 500]
        marks = ", ".join(f":k{n}" for n in range(len(chunk)))
        sql = (
            "SELECT import_key, id FROM attack"
            f" WHERE client_id = :client AND import_key IN ({marks})"
        )
        params = {"client": client, **{f"k{n}": v for n, v in enumerate(chunk)}}
        for r in conn.execute(text(sql), params):
            found[r[0]] = r[1]
    return found


def insert_attack_with_id(conn: Connection, values: dict[str, Any]) -> int:
    """An attack restored from a file with the id it had (or a new one for id None): the
    caller's transaction keeps it all-or-none; its new id."""
    from contextlib import nullcontext

    from sqlalchemy import text

    from migraine_diary.storage import engines

    given = values.get("id") is not None
    with engines.explicit_ids(conn, "attack") if given else nullcontext():
        row = conn.execute(
            text(
                'INSERT INTO attack (id, start, "end", peak, aura, notes, source, import_key,'
                " client_id)"
                " VALUES (:id, :start, :end, :peak, :aura, :notes, :source, :import_key, :client)"
                " RETURNING id"
            ),
            {**values, "client": scope.writing(conn)},
        ).one()
    return int(row[0])


def all_checkins(conn: Connection) -> list[str]:
    from sqlalchemy import text

    where, params = scope.within(conn, "", {})
    sql = "SELECT DISTINCT day FROM checkin" + where + " ORDER BY day"
    return [r[0] for r in conn.execute(text(sql), params)]


def all_kept_ranges(conn: Connection) -> list[tuple[str, str]]:
    from sqlalchemy import text

    where, params = scope.within(conn, "", {})
    sql = "SELECT DISTINCT first, last FROM kept_range" + where + " ORDER BY first, last"
    return [(r[0], r[1]) for r in conn.execute(text(sql), params)]


def all_user_classes(conn: Connection) -> list[tuple[str, str, str]]:
    """(key, name as set, class) of every class the user set, by key."""
    from sqlalchemy import text

    sql = 'SELECT key, name, "class" FROM medication_class ORDER BY key'
    return [(r[0], r[1], r[2]) for r in conn.execute(text(sql))]
