"""Sharing a client with another practitioner's role (PostgreSQL only: SQLite has no roles)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from migraine_diary.errors import DiaryError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

PRACTITIONERS = "migraine_practitioner"


def share_client(conn: Connection, client_id: int, role: str) -> bool:
    """Share the client with a practitioner's role; False when it was shared already. Only
    the client's owner (or the database's owner) may: row-level security enforces it too."""
    from sqlalchemy import text

    _may_share(conn, client_id)
    known = conn.execute(
        text("SELECT pg_has_role(oid, :group, 'MEMBER') FROM pg_roles WHERE rolname = :role"),
        {"role": role, "group": PRACTITIONERS},
    ).first()
    if known is None or not known[0]:
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


def _may_share(conn: Connection, client_id: int) -> None:
    from sqlalchemy import text

    row = conn.execute(
        text("SELECT c.owner = current_user OR migraine_is_admin() FROM client c WHERE c.id = :c"),
        {"c": client_id},
    ).first()
    if row is None or not row[0]:
        raise DiaryError(
            "only the client's owner (or the database's owner) may share or unshare them; "
            "nothing was changed"
        )
