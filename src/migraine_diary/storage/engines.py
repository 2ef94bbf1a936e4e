"""Which engine's part of the shared queries a connection needs: storage/sqlite/sql.py or
storage/postgres/sql.py (the same names in both)."""

from __future__ import annotations

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
