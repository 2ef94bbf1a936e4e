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
