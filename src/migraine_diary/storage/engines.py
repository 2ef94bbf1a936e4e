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
    from sqlalchemy.exc import IntegrityError

    from migraine_diary.domain.hints import command_line
    from migraine_diary.errors import DiaryError

    engine = part(conn)
    engine.before_explicit_ids(conn, table)
    try:
        yield
    except IntegrityError as error:
        if not engine.is_taken_id(error, table):
            raise
        # In a practice the id may be another client's record, which this role cannot see:
        # the database's own words would name a constraint (and, on a server, reveal it).
        raise DiaryError(
            f"the file's {table} ids are taken in this diary by other records (another "
            "client's); nothing was imported. Import the file into an empty diary, or bring a "
            f"personal diary in with '{command_line('client import-diary FILE --client NAME')}'"
            " (its records get new ids)"
        ) from None
    engine.after_explicit_ids(conn, table)
