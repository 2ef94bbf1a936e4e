"""An open diary: `open_diary` creates, upgrades or refuses the file; `Diary` holds its engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migraine_diary.errors import DiaryError
from migraine_diary.storage import schema
from migraine_diary.storage.sqlite.connections import can_write_diary, engine_for, read_connection
from migraine_diary.storage.sqlite.errors import database_errors
from migraine_diary.storage.sqlite.files import check_permissions, inspect_file
from migraine_diary.storage.sqlite.migrate import create_diary, migrate

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine


@dataclass
class Diary:
    """An open diary: its path, and a SQLAlchemy engine built on first use (streaming reads
    go through sqlite3 alone and never need one)."""

    path: Path
    write: bool = False
    upgraded_from: int | None = None

    @cached_property
    def engine(self) -> Engine:
        return engine_for(self.path, write=self.write)

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with database_errors(self.path), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction (BEGIN IMMEDIATE): all of it is stored, or none."""
        with database_errors(self.path), self.engine.begin() as conn:
            yield conn


def open_diary(path: Path, *, write: bool, create: bool = True) -> Diary | None:
    """Open (and on first write, create) the diary; None when it does not exist and may not
    be created (a read, or a change to a diary not yet made)."""
    version = inspect_file(path)
    upgraded_from = None
    if version is None:
        if not (write and create):
            return None
        create_diary(path)
    else:
        check_permissions(path)
        if write and not can_write_diary(path):
            raise DiaryError(
                f"the diary at {path} is read-only for you (the file or its folder cannot be "
                "written); nothing was written"
            )
        if version < schema.LATEST and migrate(path, version) is not None:
            upgraded_from = version
    return Diary(path, write, upgraded_from)


@contextmanager
def stream(diary: Diary, sql: str, batch: int = 2000) -> Iterator[Iterator[tuple[Any, ...]]]:
    """Rows of a query in batches, on the raw driver cursor: constant memory at any size."""
    with database_errors(diary.path):
        raw = read_connection(diary.path)
        try:
            cursor = raw.cursor()
            cursor.arraysize = batch
            cursor.execute(sql)

            def rows() -> Iterator[tuple[Any, ...]]:
                while chunk := cursor.fetchmany():
                    yield from chunk

            yield rows()
        finally:
            raw.close()
