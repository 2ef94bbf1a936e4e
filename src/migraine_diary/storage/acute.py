"""Queries about acute outcomes: ratings of doses and sessions, the attack's most bothersome
symptom, and questionnaire scores."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from migraine_diary.storage import scope

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

RATING_COLUMNS = ("at_dose", "pain_2h", "pain_24h", "pain_48h", "mbs_gone")


def attack_doses(conn: Connection, attack_id: int) -> list[tuple[Any, ...]]:
    """(medication id, name, taken_at) of one attack's doses, in the order they were stored."""
    from sqlalchemy import text

    sql = "SELECT id, name, taken_at FROM medication WHERE attack_id = :a ORDER BY id"
    return [tuple(r) for r in conn.execute(text(sql), {"a": attack_id})]


def rating_of(conn: Connection, *, medication_id: int | None = None,
              session_id: int | None = None) -> dict[str, Any] | None:  # fmt: skip
    from sqlalchemy import text

    column, value = (
        ("medication_id", medication_id) if medication_id else ("session_id", session_id)
    )
    sql = f"SELECT {', '.join(RATING_COLUMNS)} FROM acute_rating WHERE {column} = :v"
    row = conn.execute(text(sql), {"v": value}).first()
    return dict(zip(RATING_COLUMNS, row, strict=True)) if row else None


def save_rating(conn: Connection, values: dict[str, Any], *, medication_id: int | None = None,
                session_id: int | None = None) -> None:  # fmt: skip
    """Insert or update the ratings of one dose or session (only the columns given change)."""
    from sqlalchemy import text

    column, key = ("medication_id", medication_id) if medication_id else ("session_id", session_id)
    names = list(values)
    conn.execute(
        text(
            f"INSERT INTO acute_rating ({column}, {', '.join(names)})"
            f" VALUES (:key, {', '.join(':' + n for n in names)})"
            f" ON CONFLICT ({column}) DO UPDATE SET "
            + ", ".join(f"{n} = excluded.{n}" for n in names)
        ),
        {"key": key, **values},
    )


def set_mbs(conn: Connection, attack_id: int, mbs: str | None) -> None:
    from sqlalchemy import text

    if mbs is None:
        conn.execute(text("DELETE FROM attack_mbs WHERE attack_id = :a"), {"a": attack_id})
        return
    conn.execute(
        text(
            "INSERT INTO attack_mbs (attack_id, mbs) VALUES (:a, :m)"
            " ON CONFLICT (attack_id) DO UPDATE SET mbs = excluded.mbs"
        ),
        {"a": attack_id, "m": mbs},
    )


def mbs_of(conn: Connection, attack_id: int) -> str | None:
    from sqlalchemy import text

    row = conn.execute(
        text("SELECT mbs FROM attack_mbs WHERE attack_id = :a"), {"a": attack_id}
    ).first()
    return str(row[0]) if row else None


def _window(
    conn: Connection, column: str, since: str | None, until: str | None
) -> tuple[str, dict[str, Any]]:
    """The instants in [since, until) of `column` (alias.column), of the chosen client."""
    condition, params = scope.only(conn, column.split(".")[0])
    clauses = [condition] if condition else []
    if since is not None:
        clauses.append(f"{column} >= :since")
        params["since"] = since
    if until is not None:
        clauses.append(f"{column} < :until")
        params["until"] = until
    return (" AND ".join(clauses) or "1 = 1"), params


def medication_treatments(
    conn: Connection, since: str | None, until: str | None
) -> list[tuple[Any, ...]]:
    """Every dose of the attacks that began in [since, until), with its attack and ratings:
    (medication id, attack id, name, taken_at, attack start, peak, at_dose, pain_2h,
    pain_24h, pain_48h, mbs_gone, mbs), by attack then as stored."""
    from sqlalchemy import text

    where, params = _window(conn, "a.start", since, until)
    sql = (
        "SELECT m.id, a.id, m.name, m.taken_at, a.start, a.peak, r.at_dose, r.pain_2h,"
        " r.pain_24h, r.pain_48h, r.mbs_gone, x.mbs"
        " FROM medication m JOIN attack a ON a.id = m.attack_id"
        " LEFT JOIN acute_rating r ON r.medication_id = m.id"
        " LEFT JOIN attack_mbs x ON x.attack_id = a.id"
        f" WHERE {where} ORDER BY a.start, a.id, m.id"
    )
    return [tuple(r) for r in conn.execute(text(sql), params)]


def attack_sessions(
    conn: Connection, since: str | None, until: str | None
) -> list[tuple[Any, ...]]:
    """Sessions marked as during an attack, with the attack whose time holds them: (session
    id, attack id, therapy, when, pain before, pain_2h, pain_24h, pain_48h, mbs_gone, mbs).
    An ongoing attack holds every later session."""
    from sqlalchemy import text

    where, params = _window(conn, "a.start", since, until)
    sql = (
        'SELECT s.id, a.id, t.name, s."when", s.pain_before, r.pain_2h, r.pain_24h,'
        " r.pain_48h, r.mbs_gone, x.mbs"
        " FROM session s JOIN therapy t ON t.id = s.therapy_id"
        ' JOIN attack a ON a.start <= s."when" AND (a."end" IS NULL OR s."when" <= a."end")'
        " AND a.client_id = s.client_id"
        " LEFT JOIN acute_rating r ON r.session_id = s.id"
        " LEFT JOIN attack_mbs x ON x.attack_id = a.id"
        f' WHERE s.during_attack AND {where} ORDER BY s."when", s.id, a.start'
    )
    return [tuple(r) for r in conn.execute(text(sql), params)]


def insert_score(conn: Connection, values: dict[str, Any]) -> int:
    from sqlalchemy import text

    row = conn.execute(
        text(
            "INSERT INTO score (kind, day, total, therapy_key, therapy, client_id)"
            " VALUES (:kind, :day, :total, :therapy_key, :therapy, :client) RETURNING id"
        ),
        {**values, "client": scope.writing(conn)},
    ).first()
    assert row is not None
    return int(row[0])


def score_rows(conn: Connection) -> list[tuple[Any, ...]]:
    """(id, kind, day, total, therapy_key, therapy) of every score, oldest first."""
    from sqlalchemy import text

    where, params = scope.within(conn, "", {})
    sql = "SELECT id, kind, day, total, therapy_key, therapy FROM score" + where
    return [tuple(r) for r in conn.execute(text(sql + " ORDER BY day, id"), params)]


def all_mbs(conn: Connection) -> dict[int, str]:
    """The most bothersome symptom of every attack that has one, by attack id."""
    from sqlalchemy import text

    where, params = scope.within(conn, "", {}, "a")
    sql = "SELECT x.attack_id, x.mbs FROM attack_mbs x JOIN attack a ON a.id = x.attack_id"
    rows = conn.execute(text(sql + where), params)
    return {int(r[0]): str(r[1]) for r in rows}


def rating_rows(conn: Connection) -> list[tuple[Any, ...]]:
    """Every stored rating: (medication id, its attack id, session id, at_dose, pain_2h,
    pain_24h, pain_48h, mbs_gone); a dose's rating has the first two, a session's the third."""
    from sqlalchemy import text

    # A rating is the chosen client's when its dose's attack or its session is.
    client = scope.chosen(conn)
    where = "" if client is None else " WHERE COALESCE(a.client_id, s.client_id) = :client"
    params = {} if client is None else {"client": client}
    sql = (
        "SELECT r.medication_id, m.attack_id, r.session_id, r.at_dose, r.pain_2h, r.pain_24h,"
        " r.pain_48h, r.mbs_gone FROM acute_rating r"
        " LEFT JOIN medication m ON m.id = r.medication_id"
        " LEFT JOIN attack a ON a.id = m.attack_id"
        " LEFT JOIN session s ON s.id = r.session_id"
    )
    return [tuple(r) for r in conn.execute(text(sql + where + " ORDER BY r.id"), params)]


def replace_rating(conn: Connection, values: dict[str, Any], *, medication_id: int | None = None,
                   session_id: int | None = None) -> None:  # fmt: skip
    """Every rating column of one dose or session set to `values` (a restore or --update)."""
    save_rating(conn, {name: values.get(name) for name in RATING_COLUMNS},
                medication_id=medication_id, session_id=session_id)  # fmt: skip


def insert_score_with_id(conn: Connection, values: dict[str, Any]) -> None:
    from sqlalchemy import text

    from migraine_diary.storage.engines import own_id

    with own_id(conn, "score", True):
        conn.execute(
            text(
                "INSERT INTO score (id, kind, day, total, therapy_key, therapy, client_id)"
                " VALUES (:id, :kind, :day, :total, :therapy_key, :therapy, :client)"
            ),
            {**values, "client": scope.writing(conn)},
        )


def update_score(conn: Connection, score_id: int, values: dict[str, Any]) -> None:
    from sqlalchemy import text

    mine, params = scope.mine(conn)
    conn.execute(
        text(
            "UPDATE score SET kind = :kind, day = :day, total = :total,"
            " therapy_key = :therapy_key, therapy = :therapy WHERE id = :id AND " + mine
        ),
        {**values, **params, "id": score_id},
    )
