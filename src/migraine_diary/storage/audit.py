"""Reading the audit trail (its rows are written by triggers only, on both engines), and the
check that an erasure happened whole."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from migraine_diary.errors import DiaryError
from migraine_diary.storage.schema import ERASE

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def audit_rows(
    conn: Connection, client_id: int | None = None, since: str | None = None
) -> Iterator[tuple[Any, ...]]:
    """(id, at, role, table, record id, client id, client's name, action, whether the client
    is still seen, whether it was erased) of each audit row the connection may see, oldest
    first: a client's alone, from an instant on (stored form). The name is read from the
    client table now (the audit holds ids only); NULL once erased or no longer shared, and
    for the unnamed client of a personal diary. Under row-level security an unseen client
    may still exist: erased only with an erase entry of it in the audit the role sees."""
    from sqlalchemy import text

    from migraine_diary.storage.scope import shown_name_sql

    conditions: list[str] = []
    params: dict[str, Any] = {}
    if client_id is not None:
        conditions.append("a.client_id = :client")
        params["client"] = client_id
    if since is not None:
        conditions.append('a."at" >= :since')
        params["since"] = since
    where = " WHERE " + " AND ".join(conditions) if conditions else ""
    erased = "c.id IS NULL"
    if conn.dialect.name == "postgresql":
        erased += (
            " AND EXISTS (SELECT 1 FROM audit e WHERE e.client_id = a.client_id"
            f" AND e.action = '{ERASE}')"
        )
    sql = (
        'SELECT a.id, a."at", a.role, a.table_name, a.record_id, a.client_id,'
        f" {shown_name_sql(conn)}, a.action, c.id IS NOT NULL, {erased}"
        f" FROM audit a LEFT JOIN client c ON c.id = a.client_id{where} ORDER BY a.id"
    )
    for row in conn.execute(text(sql), params):
        yield tuple(row)


def check_erased(conn: Connection, client_id: int) -> None:
    """After a client's erasure, in its transaction: the client row must be gone. A role the
    client is shared with may delete their records but not the client (row-level security
    keeps it), and then nothing of the erasure may stay."""
    from sqlalchemy import text

    left = conn.execute(text("SELECT 1 FROM client WHERE id = :c"), {"c": client_id}).first()
    if left is not None:
        raise DiaryError(
            "only the client's owner (or the database's owner) may erase a client shared "
            "with you; nothing was erased"
        )
