"""Sharing a client with another practitioner's role (PostgreSQL only: SQLite has no roles)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from migraine_diary.errors import DiaryError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

PRACTITIONERS = "migraine_practitioner"


def member_sql(role: str) -> str:
    """SQL for whether the role (an SQL expression of its name) was granted membership of the
    practitioners' group, directly or through other roles: pg_has_role is true for a
    superuser too, who is no practitioner."""
    return (
        "WITH RECURSIVE granted(oid) AS ("
        " SELECT m.roleid FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member"
        f" WHERE r.rolname = {role}"
        " UNION SELECT m.roleid FROM pg_auth_members m JOIN granted g ON m.member = g.oid)"
        " SELECT EXISTS (SELECT 1 FROM granted g JOIN pg_roles p ON p.oid = g.oid"
        f" WHERE p.rolname = '{PRACTITIONERS}')"
    )


def share_client(conn: Connection, client_id: int, role: str) -> bool:
    """Share the client with a practitioner's role; False when it was shared already. Only
    the client's owner (or the database's owner) may: row-level security enforces it too."""
    from sqlalchemy import text

    owner = _may_share(conn, client_id)
    if role == owner:  # the owner sees the client anyway: no share to add
        mine = role == conn.execute(text("SELECT current_user")).scalar()
        whose = "yours" if mine else f"{role}'s"
        raise DiaryError(f"the client is {whose} already; nothing was changed")
    known = conn.execute(text(member_sql(":role")), {"role": role}).scalar()
    if not known:
        raise DiaryError(
            f"there is no practitioner {role!r} in the database (a login role made a member "
            f"of {PRACTITIONERS}); nothing was changed"
        )
    added = conn.execute(
        text(
            "INSERT INTO client_share (client_id, role, owner)"
            " SELECT id, :role, owner FROM client WHERE id = :client"
            " ON CONFLICT (client_id, role) DO NOTHING RETURNING client_id"
        ),
        {"client": client_id, "role": role},
    ).first()
    return added is not None


def unshare_client(conn: Connection, client_id: int, role: str) -> bool:
    """Stop sharing the client with the role; False when it was not shared with it."""
    from sqlalchemy import text

    _may_share(conn, client_id)
    removed = conn.execute(
        text("DELETE FROM client_share WHERE client_id = :client AND role = :role"),
        {"client": client_id, "role": role},
    )
    return bool(removed.rowcount)


def shared_with(conn: Connection, client_id: int) -> list[str]:
    from sqlalchemy import text

    rows = conn.execute(
        text("SELECT role FROM client_share WHERE client_id = :c ORDER BY role"), {"c": client_id}
    )
    return [str(r[0]) for r in rows]


def _may_share(conn: Connection, client_id: int) -> str:
    """The client's owner, when the connected role may share the client."""
    from sqlalchemy import text

    row = conn.execute(
        text(
            "SELECT c.owner = current_user OR migraine_is_admin(), c.owner"
            " FROM client c WHERE c.id = :c"
        ),
        {"c": client_id},
    ).first()
    if row is None or not row[0]:
        raise DiaryError(
            "only the client's owner (or the database's owner) may share or unshare them; "
            "nothing was changed"
        )
    return str(row[1])
