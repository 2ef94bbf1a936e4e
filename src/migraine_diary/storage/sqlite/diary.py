"""An open diary: `open_diary` creates, upgrades or refuses the file; `Diary` holds its engine."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migraine_diary.domain.hints import command_line
from migraine_diary.errors import DiaryError
from migraine_diary.storage import schema, scope
from migraine_diary.storage.sqlite import shape
from migraine_diary.storage.sqlite.connections import (
    engine_for,
    log_is_empty,
    read_connection,
    read_only_part,
)
from migraine_diary.storage.sqlite.errors import database_errors, read_only_error
from migraine_diary.storage.sqlite.files import check_permissions, inspect_file, unknown_objects
from migraine_diary.storage.sqlite.migrate import create_diary, migrate

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine


@dataclass
class SqliteDiary:
    """An open diary: its path, and a SQLAlchemy engine built on first use (streaming reads
    go through sqlite3 alone and never need one)."""

    path: Path
    write: bool = False
    upgraded_from: int | None = None
    version: int = schema.LATEST  # an older one is read as the latest, never upgraded by a read
    client: int | None = None  # the client chosen with --client; None: every client

    @cached_property
    def engine(self) -> Engine:
        return engine_for(self.path, write=self.write, version=self.version)

    @cached_property
    def trial_engine(self) -> Engine:
        """For a dry run in a diary opened to read: changes tried and never committed, on an
        ordinary connection where one changes nothing by closing (an empty log)."""
        trial = read_only_part(self.path) is None and log_is_empty(self.path)
        return engine_for(self.path, write=False, version=self.version, trial=trial)

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with database_errors(self.path), self.engine.connect() as conn:
            scope.choose(conn, self.client)
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction (BEGIN IMMEDIATE): all of it is stored, or none. In a diary
        opened to read, a dry run's transaction: never committed."""
        if not self.write:
            with database_errors(self.path), self.trial_engine.connect() as conn:
                scope.choose(conn, self.client)
                yield conn
            return
        with database_errors(self.path), self.engine.begin() as conn:
            scope.choose(conn, self.client)
            yield conn

    @contextmanager
    def stream(self, sql: str, batch: int = 2000) -> Iterator[Iterator[tuple[Any, ...]]]:
        """Rows of a query in batches, on the raw driver cursor: constant memory at any size;
        `{scope}` in it is the chosen client's WHERE clause."""
        with database_errors(self.path):
            raw = read_connection(self.path, self.version)
            try:
                cursor = raw.cursor()
                cursor.arraysize = batch
                # `{scope}` in the query marks where the chosen client narrows it (alias s).
                cursor.execute(sql.format(scope=scope.literal(self.client, "s")))

                def rows() -> Iterator[tuple[Any, ...]]:
                    while chunk := cursor.fetchmany():
                        yield from chunk

                yield rows()
            finally:
                raw.close()


def open_diary(path: Path, *, write: bool, create: bool = True) -> SqliteDiary | None:
    """Open (and on first write, create) the diary; None when it does not exist and may not
    be created (a read, or a change to a diary not yet made).

    Only a command that writes upgrades an older diary; a read shows it as it is (see
    `read_connection`), or, when a later step does more than add tables, is refused with a
    line saying that a command that writes upgrades it.
    """
    version = inspect_file(path)
    upgraded_from = None
    if version is None:
        if not (write and create):
            return None
        create_diary(path)
        version = schema.LATEST
    else:
        check_permissions(path)
        if write:
            unknown = unknown_objects(path, version)
            if unknown:
                raise DiaryError(
                    f"the diary at {path} holds {shape.named(unknown)}, which migraine-diary "
                    "does not make (another program put it there, and it could change or copy "
                    f"your records), so nothing was written; {command_line('check')} says how "
                    "to remove it"
                )
            part = read_only_part(path)
            if part is not None:
                raise read_only_error(path, part)
            if version < schema.LATEST and migrate(path, version) is not None:
                upgraded_from = version
            version = schema.LATEST
        elif version < schema.LATEST and shape.temporary_tables(version) is None:
            raise DiaryError(
                f"the diary at {path} has schema {version}, which this version reads only "
                f"after upgrading it to {schema.LATEST}; a command that writes (e.g. "
                f"{command_line('log')}) upgrades it, after a backup; nothing was changed"
            )
    return SqliteDiary(path, write, upgraded_from, version)
