"""Which engine's part of the shared queries a connection needs: storage/sqlite/sql.py or
storage/postgres/sql.py (the same names in both)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def part(conn: Connection) -> ModuleType:
    if conn.dialect.name == "postgresql":
        from migraine_diary.storage.postgres import sql as postgres

        return postgres
    from migraine_diary.storage.sqlite import sql as sqlite

    return sqlite


@contextmanager
def explicit_ids(conn: Connection, table: str) -> Iterator[None]:
    """Around an insert of rows that bring their own ids (an import keeps a file's): after it,
    the table's next id is past them on either engine, and no other writer took one between
    (PostgreSQL's sequence does not see ids given to it)."""
    engine = part(conn)
    engine.before_explicit_ids(conn, table)
    yield
    engine.after_explicit_ids(conn, table)
