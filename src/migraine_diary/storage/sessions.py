"""Queries about treatment sessions and therapies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from migraine_diary.storage import scope
from migraine_diary.storage.paging import keyset_page
from migraine_diary.storage.scope import kept_client

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sqlalchemy.engine import Connection


SESSION_COLUMNS = (
    'SELECT s.id, s."when", t.name, s.minutes, s.pain_before, s.pain_after, s.pain_later,'
    " s.cost_cents, s.provider, s.during_attack, s.notes"
    " FROM session s JOIN therapy t ON t.id = s.therapy_id"
)


@dataclass(frozen=True)
class Filters:
    """Which sessions a read covers; instants are stored UTC text, `until` is exclusive."""

    therapy_key: str | None = None
    since: str | None = None
    until: str | None = None
    search: str | None = None  # casefolded text to find in notes or provider

    def where(self, conn: Connection) -> tuple[str, dict[str, Any]]:
        """The WHERE clause (alias s, t for the therapy) and its parameters, narrowed to the
        client the connection reads."""
        from migraine_diary.storage import engines

        clauses, params = [], {}
        if self.search is not None:
            contains = engines.part(conn).contains_casefolded
            clauses.append(
                f"({contains('s.notes', 'search')} OR {contains('s.provider', 'search')})"
            )
            params["search"] = self.search
        if self.therapy_key is not None:
            clauses.append("t.key = :key")
            params["key"] = self.therapy_key
        if self.since is not None:
            clauses.append('s."when" >= :since')
            params["since"] = self.since
        if self.until is not None:
            clauses.append('s."when" < :until')
            params["until"] = self.until
        return scope.within(conn, " WHERE " + " AND ".join(clauses) if clauses else "", params, "s")


def therapies(conn: Connection) -> list[tuple[int, str, str, int]]:
    """(id, name, key, sessions) for every therapy, most used first."""
    from sqlalchemy import text

    condition, params = scope.only(conn, "s")
    rows = conn.execute(
        text(
            "SELECT t.id, t.name, t.key, COUNT(s.id) AS n FROM therapy t"
            " LEFT JOIN session s ON s.therapy_id = t.id"
            + (f" AND {condition}" if condition else "")
            + " GROUP BY t.id, t.name, t.key ORDER BY n DESC, t.key"
        ),
        params,
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def therapies_in_use(conn: Connection) -> list[tuple[str, str]]:
    """(key, name) of each therapy with a session (of the client in scope): what a typed name
    is looked up among on every log and edit, so one index probe per therapy, not a count of
    every session (ix_session_therapy_when, ix_session_client_therapy_when)."""
    from sqlalchemy import text

    condition, params = scope.only(conn, "s")
    rows = conn.execute(
        text(
            "SELECT t.key, t.name FROM therapy t WHERE EXISTS (SELECT 1 FROM session s"
            " WHERE s.therapy_id = t.id" + (f" AND {condition}" if condition else "") + ")"
        ),
        params,
    )
    return [(r[0], r[1]) for r in rows]


def therapy_by_key(conn: Connection, key: str) -> tuple[int, str] | None:
    from sqlalchemy import text

    row = conn.execute(text("SELECT id, name FROM therapy WHERE key = :k"), {"k": key}).first()
    return (row[0], row[1]) if row else None


def therapy_keys(conn: Connection) -> dict[str, str]:
    from sqlalchemy import text

    return {r[0]: r[1] for r in conn.execute(text("SELECT key, name FROM therapy"))}


def add_therapy(conn: Connection, name: str, key: str) -> int:
    """The id of the therapy with this key, added now unless a concurrent first session of
    it added it first (then that one's id: never a unique-key error)."""
    from sqlalchemy import text

    added = conn.execute(
        text(
            "INSERT INTO therapy (name, key) VALUES (:n, :k)"
            " ON CONFLICT (key) DO NOTHING RETURNING id"
        ),
        {"n": name, "k": key},
    ).scalar()
    if added is not None:
        return int(added)
    found = therapy_by_key(conn, key)
    assert found is not None
    return found[0]


def session_rows(
    conn: Connection, filters: Filters, *, newest_first: bool = True, limit: int | None = None
) -> list[tuple[Any, ...]]:
    from sqlalchemy import text

    where, params = filters.where(conn)
    order = ' ORDER BY s."when" DESC, s.id DESC' if newest_first else ' ORDER BY s."when", s.id'
    sql = SESSION_COLUMNS + where + order
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    return [tuple(r) for r in conn.execute(text(sql), params)]


def count_sessions(conn: Connection, filters: Filters) -> int:
    from sqlalchemy import text

    where, params = filters.where(conn)
    # The join is needed only to filter by therapy: without it the count uses an index alone.
    join = " JOIN therapy t ON t.id = s.therapy_id" if filters.therapy_key is not None else ""
    sql = "SELECT COUNT(*) FROM session s" + join + where
    return int(conn.execute(text(sql), params).scalar_one())


def session_by_id(
    conn: Connection, session_id: int, *, to_change: bool = False
) -> tuple[Any, ...] | None:
    """One session; `to_change` locks it until the transaction ends, so a change made from
    what was read never overwrites a concurrent change it did not see."""
    from sqlalchemy import text

    from migraine_diary.storage import engines

    lock = engines.part(conn).row_lock("s") if to_change else ""
    where, params = scope.within(conn, " WHERE s.id = :id", {"id": session_id}, "s")
    row = conn.execute(text(SESSION_COLUMNS + where + lock), params).first()
    return tuple(row) if row else None


def update_session(conn: Connection, session_id: int, values: dict[str, Any]) -> None:
    from sqlalchemy import text

    values = kept_client(values)
    assignments = ", ".join(f'"{column}" = :{column}' for column in values)
    mine, params = scope.mine(conn)
    conn.execute(
        text(f"UPDATE session SET {assignments} WHERE id = :id AND {mine}"),
        {**values, **params, "id": session_id},
    )


def delete_session(conn: Connection, session_id: int) -> int:
    from sqlalchemy import text

    mine, params = scope.mine(conn)
    result = conn.execute(
        text(f"DELETE FROM session WHERE id = :id AND {mine}"), {**params, "id": session_id}
    )
    return int(result.rowcount)


def merge_therapy(conn: Connection, old_id: int, new_id: int) -> int:
    """Move every session of one therapy to another and drop the first; returns sessions moved."""
    from sqlalchemy import text

    moved = conn.execute(
        text("UPDATE session SET therapy_id = :new WHERE therapy_id = :old"),
        {"new": new_id, "old": old_id},
    ).rowcount
    from migraine_diary.storage.plans import merge_plan_therapy

    merge_plan_therapy(conn, old_id, new_id)
    conn.execute(text("DELETE FROM therapy WHERE id = :old"), {"old": old_id})
    return int(moved)


def rename_therapy(conn: Connection, therapy_id: int, name: str, key: str) -> None:
    from sqlalchemy import text

    conn.execute(
        text("UPDATE therapy SET name = :n, key = :k WHERE id = :id"),
        {"n": name, "k": key, "id": therapy_id},
    )


# Sums, not averages, so the total row is the exact sum of the therapy rows.
SUMMARY_SQL = """
SELECT t.name,
       COUNT(*),
       SUM(s.minutes),
       SUM(s.cost_cents),
       SUM(CASE WHEN s.pain_before = 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN s.pain_before > 0 THEN s.pain_before ELSE 0 END),
       SUM(CASE WHEN s.pain_before > 0 THEN s.pain_after ELSE 0 END),
       SUM(CASE WHEN s.pain_before > 0 AND s.pain_before - s.pain_after >= 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN s.pain_before > 0 THEN s.cost_cents ELSE 0 END)
FROM session s JOIN therapy t ON t.id = s.therapy_id{where}
GROUP BY t.id, t.name
ORDER BY COUNT(*) DESC, t.name
"""


def summary_sums(conn: Connection, filters: Filters) -> list[tuple[Any, ...]]:
    """Per therapy: name, sessions, minutes, cost, excluded, sum before, sum after,
    sessions with relief, cost of the sessions that began with pain."""
    from sqlalchemy import text

    where, params = filters.where(conn)
    return [tuple(r) for r in conn.execute(text(SUMMARY_SQL.format(where=where)), params)]


# One pass for `stats`: grouped by therapy, time order within it (the (therapy_id, when) index).
STATS_SQL = (
    'SELECT t.id, t.name, s.id, s."when", s.minutes, s.pain_before, s.pain_after,'
    " s.pain_later, s.cost_cents, s.during_attack"
    " FROM session s JOIN therapy t ON t.id = s.therapy_id{where}"
    ' ORDER BY s.therapy_id, s."when", s.id'
)


def stats_rows(conn: Connection, filters: Filters) -> Iterator[tuple[Any, ...]]:
    """(therapy id, therapy name, id, when, minutes, pain before, pain after, pain later,
    cost cents, during attack) per session, streamed as SQLite steps through them: the query
    holds no copy of the diary, so memory is what the caller keeps."""
    from sqlalchemy import text

    where, params = filters.where(conn)
    result = conn.execute(
        text(STATS_SQL.format(where=where)), params, execution_options={"yield_per": 2000}
    )
    for row in result:
        yield tuple(row)


# Across clients (`stats --all-clients`): every session's client by name ('unnamed': a personal
# diary's one implicit client), therapy, time, length and pains, by client in time order.
# Row-level security keeps a practitioner's to their own and shared clients.
# `{client}`: the client's name as shown to the reader (storage.scope.shown_name_sql).
PRACTICE_SQL = (
    "SELECT COALESCE({client}, 'unnamed') AS client, t.name, s.\"when\", s.minutes, s.pain_before,"
    " s.pain_after FROM session s JOIN therapy t ON t.id = s.therapy_id"
    " JOIN client c ON c.id = s.client_id{where}"
    ' ORDER BY t.name, client, s."when", s.id'
)


def practice_rows(conn: Connection, filters: Filters) -> list[tuple[Any, ...]]:
    """(client key, therapy name, when, minutes, pain before, pain after) per session."""
    from sqlalchemy import text

    from migraine_diary.storage.scope import shown_name_sql

    where, params = filters.where(conn)
    sql = PRACTICE_SQL.format(where=where, client=shown_name_sql(conn))
    return [tuple(r) for r in conn.execute(text(sql), params)]


# The CSV written by `export`: neutralising formula-like text and formatting money in SQL keeps
# the per-row Python work to the csv module's C loop.
# (a tab and a carriage return as literal characters: portable, unlike char(9) or chr(9)).
_TRIGGERS = "('=', '+', '-', '@', '\t', '\r')"


def _neutralised(column: str) -> str:
    return (
        f"CASE WHEN substr({column}, 1, 1) IN {_TRIGGERS}"
        f" OR (substr({column}, 1, 1) = '''' AND (substr({column}, 2, 1) IN {_TRIGGERS}"
        f" OR substr({column}, 2, 1) = '''')) THEN '''' || {column} ELSE {column} END"
    )


EXPORT_SQL = (
    'SELECT s.id, s."when", '
    + _neutralised("t.name")
    + ", s.minutes, s.pain_before, s.pain_after, s.pain_later,"
    " (s.cost_cents / 100) || '.' || CASE WHEN s.cost_cents % 100 < 10 THEN '0' ELSE '' END"
    " || (s.cost_cents % 100), "
    + _neutralised("s.provider")
    + ", CASE WHEN s.during_attack THEN 'true' ELSE 'false' END, "
    + _neutralised("s.notes")
    + ' FROM session s JOIN therapy t ON t.id = s.therapy_id{scope} ORDER BY s."when", s.id'
)


def client_export_sql(conn: Connection) -> str:
    """EXPORT_SQL with each session's client first, named as the connected role is shown it
    (storage.scope.shown_name_sql; empty for a personal diary's unnamed client): `export
    --all-clients`, a practice's sessions in one spreadsheet."""
    client = _neutralised(f"({scope.shown_name_sql(conn)})")
    return EXPORT_SQL.replace("SELECT ", f"SELECT {client}, ", 1).replace(
        " ON t.id = s.therapy_id{scope}",
        " ON t.id = s.therapy_id JOIN client c ON c.id = s.client_id{scope}",
        1,
    )


# `{scope}`: the diary's stream puts the chosen client's WHERE clause there.
RAW_SQL = SESSION_COLUMNS + '{scope} ORDER BY s."when", s.id'


def sessions_by_ids(conn: Connection, ids: list[int]) -> list[tuple[Any, ...]]:
    """Stored sessions with these ids (SESSION_COLUMNS order), to tell a re-imported row from
    a conflicting one: the chosen client's."""
    from sqlalchemy import text

    found: list[tuple[Any, ...]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        where, params = scope.within(
            conn, f" WHERE s.id IN ({marks})", {f"i{n}": v for n, v in enumerate(chunk)}, "s"
        )
        found.extend(tuple(r) for r in conn.execute(text(SESSION_COLUMNS + where), params))
    return found


def insert_session(conn: Connection, values: dict[str, Any]) -> int:
    """One session; its new id."""
    from sqlalchemy import insert

    from migraine_diary.storage import engines
    from migraine_diary.storage.tables import SessionRow

    values = {**values, "client_id": scope.writing(conn)}
    free = engines.part(conn).next_free_id(conn, "session")
    if free is not None:
        values = {**values, "id": free}
    key = conn.execute(insert(SessionRow).values(**values)).inserted_primary_key
    assert key is not None
    return int(key[0])


def insert_sessions(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Many sessions in one statement (import): the caller's transaction keeps it all-or-none."""
    from sqlalchemy import insert

    from migraine_diary.storage import engines
    from migraine_diary.storage.tables import SessionRow

    client = scope.writing(conn)
    rows = [{**row, "client_id": client} for row in rows]
    engine = engines.part(conn)
    free = engine.next_free_id(conn, "session")
    if free is not None:
        given = [r["id"] for r in rows if r.get("id") is not None]
        free = max([free, *(i + 1 for i in given)])
        numbered = []
        for row in rows:
            if row.get("id") is None:
                row = {**row, "id": free}
                free += 1
            numbered.append(row)
        rows = numbered
    # Rows that bring their ids first, then the sequence moves past them, then the others
    # (one statement needs the same columns in every row).
    given = [row for row in rows if row.get("id") is not None]
    new = [{k: v for k, v in row.items() if k != "id"} for row in rows if row.get("id") is None]
    if given:
        with engines.explicit_ids(conn, "session"):
            conn.execute(insert(SessionRow), given)
    if new:
        conn.execute(insert(SessionRow), new)


def session_page(
    conn: Connection,
    filters: Filters,
    *,
    after: tuple[str, int] | None,
    newest_first: bool,
    size: int = 1000,
) -> list[tuple[Any, ...]]:
    """The next `size` sessions (SESSION_COLUMNS order) past `after` (the last page's
    (when, id)): pages on the index, so a caller reading every session holds one page."""
    from sqlalchemy import text

    where, params = filters.where(conn)
    page = keyset_page(where, params, 's."when"', "s.id", after, newest_first, size)
    return [tuple(r) for r in conn.execute(text(SESSION_COLUMNS + page), params)]
