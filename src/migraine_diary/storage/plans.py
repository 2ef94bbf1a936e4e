"""Queries about randomised plans: the plan, its drawn slots and its deviations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from migraine_diary.storage import scope

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

PLAN_COLUMNS = (
    "SELECT p.id, t.name, p.kind, p.arms, p.design, p.seed, p.algorithm, p.n_blocks, p.mid,"
    " p.created, p.start, p.period_days, p.washout_days, p.power_blocks, p.power_basis,"
    " p.revealed, p.abandoned, p.reason, p.therapy_id, p.other_therapy_id"
    " FROM plan p JOIN therapy t ON t.id = p.therapy_id"
)


def insert_plan(conn: Connection, values: dict[str, Any], slots: list[dict[str, Any]]) -> int:
    """Store a plan and its whole sequence; returns the plan's id."""
    from sqlalchemy import text

    row = conn.execute(
        text(
            "INSERT INTO plan (therapy_id, other_therapy_id, kind, arms, design, seed,"
            " algorithm, n_blocks, mid, created, start, period_days, washout_days,"
            " power_blocks, power_basis, client_id)"
            " VALUES (:therapy_id, :other_therapy_id, :kind, :arms, :design, :seed,"
            " :algorithm, :n_blocks, :mid, :created, :start, :period_days, :washout_days,"
            " :power_blocks, :power_basis, :client_id) RETURNING id"
        ),
        {**values, "client_id": scope.writing(conn)},
    ).one()
    plan_id = int(row[0])
    conn.execute(
        text(
            "INSERT INTO plan_slot (plan_id, block, slot, arm)"
            " VALUES (:plan_id, :block, :slot, :arm)"
        ),
        [{**s, "plan_id": plan_id} for s in slots],
    )
    return plan_id


def plan_rows(conn: Connection, plan_id: int | None = None) -> list[tuple[Any, ...]]:
    """Plans (one or all), oldest first."""
    from sqlalchemy import text

    where, params = scope.within(
        conn, "" if plan_id is None else " WHERE p.id = :id", {"id": plan_id}, "p"
    )
    rows = conn.execute(text(PLAN_COLUMNS + where + " ORDER BY p.id"), params)
    return [tuple(r) for r in rows]


def active_plan_ids(conn: Connection, therapy_ids: list[int]) -> list[int]:
    """Plans not abandoned that involve any of these therapies (finished ones included: the
    caller decides, since finishing is a matter of slots and dates)."""
    from sqlalchemy import bindparam, text

    where, params = scope.within(
        conn,
        " WHERE abandoned IS NULL AND (therapy_id IN :ids OR other_therapy_id IN :ids)",
        {"ids": therapy_ids},
    )
    query = text("SELECT id FROM plan" + where + " ORDER BY id").bindparams(
        bindparam("ids", expanding=True)
    )
    return [int(r[0]) for r in conn.execute(query, params)]


def slot_rows(conn: Connection, plan_id: int) -> list[tuple[Any, ...]]:
    """(block, slot, arm, session id, when, therapy id, therapy name, minutes, pain before,
    pain after) per slot in order; the session's columns are None while the slot is empty."""
    from sqlalchemy import text

    rows = conn.execute(
        text(
            'SELECT ps.block, ps.slot, ps.arm, s.id, s."when", s.therapy_id, t.name,'
            " s.minutes, s.pain_before, s.pain_after"
            " FROM plan_slot ps LEFT JOIN session s ON s.id = ps.session_id"
            " LEFT JOIN therapy t ON t.id = s.therapy_id"
            " WHERE ps.plan_id = :id ORDER BY ps.block, ps.slot"
        ),
        {"id": plan_id},
    )
    return [tuple(r) for r in rows]


def therapy_sessions(
    conn: Connection, therapy_id: int, since: str | None = None, until: str | None = None
) -> list[tuple[Any, ...]]:
    """(id, when, minutes, pain before, pain after) of one therapy's sessions in
    [since, until), in time order."""
    from sqlalchemy import text

    clauses, params = ["therapy_id = :t"], {"t": therapy_id, "since": since, "until": until}
    if since is not None:
        clauses.append('"when" >= :since')
    if until is not None:
        clauses.append('"when" < :until')
    where, params = scope.within(conn, " WHERE " + " AND ".join(clauses), params)
    rows = conn.execute(
        text(
            'SELECT id, "when", minutes, pain_before, pain_after FROM session'
            + where
            + ' ORDER BY "when", id'
        ),
        params,
    )
    return [tuple(r) for r in rows]


def deviation_rows(conn: Connection, plan_id: int) -> list[tuple[Any, ...]]:
    from sqlalchemy import text

    rows = conn.execute(
        text(
            'SELECT "at", what, block, slot, session_id FROM plan_deviation'
            " WHERE plan_id = :id ORDER BY id"
        ),
        {"id": plan_id},
    )
    return [tuple(r) for r in rows]


def fill_slot(conn: Connection, plan_id: int, block: int, slot: int, session_id: int) -> None:
    from sqlalchemy import text

    conn.execute(
        text(
            "UPDATE plan_slot SET session_id = :s WHERE plan_id = :p AND block = :b AND slot = :n"
        ),
        {"s": session_id, "p": plan_id, "b": block, "n": slot},
    )


def add_deviation(conn: Connection, plan_id: int, values: dict[str, Any]) -> None:
    from sqlalchemy import text

    conn.execute(
        text(
            'INSERT INTO plan_deviation (plan_id, "at", what, block, slot, session_id)'
            " VALUES (:plan_id, :at, :what, :block, :slot, :session_id)"
        ),
        {"block": None, "slot": None, "session_id": None, **values, "plan_id": plan_id},
    )


def set_revealed(conn: Connection, plan_id: int) -> None:
    from sqlalchemy import text

    mine, params = scope.mine(conn)
    sql = f"UPDATE plan SET revealed = TRUE WHERE id = :id AND {mine}"
    conn.execute(text(sql), {**params, "id": plan_id})


def abandon_plan(conn: Connection, plan_id: int, at: str, reason: str) -> None:
    from sqlalchemy import text

    mine, params = scope.mine(conn)
    conn.execute(
        text(f"UPDATE plan SET abandoned = :at, reason = :r WHERE id = :id AND {mine}"),
        {**params, "at": at, "r": reason, "id": plan_id},
    )


def merge_plan_therapy(conn: Connection, old_id: int, new_id: int) -> None:
    """Plans follow their therapy when it is merged into another spelling."""
    from sqlalchemy import text

    for column in ("therapy_id", "other_therapy_id"):
        conn.execute(
            text(f"UPDATE plan SET {column} = :new WHERE {column} = :old"),
            {"new": new_id, "old": old_id},
        )


def plan_records(conn: Connection) -> list[tuple[Any, ...]]:
    """Every plan as stored, oldest first: the PLAN_COLUMNS, then the other therapy's name."""
    from sqlalchemy import text

    where, params = scope.within(conn, "", {}, "p")
    sql = (
        PLAN_COLUMNS.replace(" FROM plan p", ", o.name FROM plan p")
        + " LEFT JOIN therapy o ON o.id = p.other_therapy_id"
        + where
        + " ORDER BY p.id"
    )
    return [tuple(r) for r in conn.execute(text(sql), params)]


def restore_plan(
    conn: Connection,
    values: dict[str, Any],
    slots: list[dict[str, Any]],
    deviations: list[dict[str, Any]],
) -> None:
    """A plan from a whole-diary document, under its own id, with its whole sequence (slots
    with their sessions) and its recorded deviations."""
    from sqlalchemy import text

    from migraine_diary.storage.engines import own_id

    with own_id(conn, "plan", True):
        conn.execute(
            text(
                "INSERT INTO plan (id, therapy_id, other_therapy_id, kind, arms, design, seed,"
                " algorithm, n_blocks, mid, created, start, period_days, washout_days,"
                " power_blocks, power_basis, revealed, abandoned, reason, client_id)"
                " VALUES (:id, :therapy_id, :other_therapy_id, :kind, :arms, :design, :seed,"
                " :algorithm, :n_blocks, :mid, :created, :start, :period_days, :washout_days,"
                " :power_blocks, :power_basis, :revealed, :abandoned, :reason, :client_id)"
            ),
            {**values, "client_id": scope.writing(conn)},
        )
    conn.execute(
        text(
            "INSERT INTO plan_slot (plan_id, block, slot, arm, session_id)"
            " VALUES (:plan_id, :block, :slot, :arm, :session_id)"
        ),
        [{**s, "plan_id": values["id"]} for s in slots],
    )
    for deviation in deviations:
        add_deviation(conn, values["id"], deviation)


def change_plan_ending(
    conn: Connection, plan_id: int, values: dict[str, Any], deviations: list[dict[str, Any]]
) -> None:
    """What may change in a plan after it is made: revealed, abandoned (with its reason), and
    the recorded deviations."""
    from sqlalchemy import text

    mine, params = scope.mine(conn)
    conn.execute(
        text(
            "UPDATE plan SET revealed = :revealed, abandoned = :abandoned, reason = :reason"
            " WHERE id = :id AND " + mine
        ),
        {**values, **params, "id": plan_id},
    )
    conn.execute(text("DELETE FROM plan_deviation WHERE plan_id = :id"), {"id": plan_id})
    for deviation in deviations:
        add_deviation(conn, plan_id, deviation)
