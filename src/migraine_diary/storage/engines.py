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
def own_id(conn: Connection, table: str, given: bool) -> Iterator[None]:
    """Around an insert of one row that brings its own id (`given`) or takes the next: the
    next id drawn stays after it, on both engines (SQLite's sequence follows by itself)."""
    engine = part(conn)
    if given:
        engine.before_explicit_ids(conn, table)
    yield
    if given:
        engine.after_explicit_ids(conn, table)
