"""A diary in a PostgreSQL database: connections through psycopg 3 (imported only here, on
first use), the one-read schema check on open, and streaming reads on a server-side cursor."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from migraine_diary.errors import DiaryError
from migraine_diary.storage import schema, scope
from migraine_diary.storage.postgres.errors import UPGRADE_HINT, server_errors
from migraine_diary.storage.where import Server

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy.engine import Connection, Engine


def connect_raw(server: Server, *, read_only: bool = False) -> psycopg.Connection[Any]:
    """A psycopg connection (not autocommit); one that only reads refuses every write."""
    try:
        import psycopg
    except ImportError:
        raise DiaryError(
            "a PostgreSQL diary needs psycopg: install migraine-diary[postgres]"
        ) from None
    conn = psycopg.connect(server.url, application_name="migraine-diary")
    if read_only:
        conn.read_only = True
    return conn


@dataclass
class PostgresDiary:
    """An open diary in a PostgreSQL database; `server` says where (str() masks a password)."""

    server: Server
    write: bool = False
    upgraded_from: int | None = None
    version: int = schema.LATEST
    client: int | None = None  # the client chosen with --client; None: every client

    @cached_property
    def engine(self) -> Engine:
        return _engine(self.server, read_only=not self.write)

    @cached_property
    def trial_engine(self) -> Engine:
        """For a dry run in a diary opened to read: changes tried and never committed."""
        return _engine(self.server, read_only=False)

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with server_errors(self.server), self.engine.connect() as conn:
            scope.choose(conn, self.client)
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction: all of it is stored, or none. In a diary opened to read, a
        dry run's transaction: never committed."""
        if not self.write:
            with server_errors(self.server), self.trial_engine.connect() as conn:
                scope.choose(conn, self.client)
                yield conn
            return
        with server_errors(self.server), self.engine.begin() as conn:
            scope.choose(conn, self.client)
            yield conn

    @contextmanager
    def stream(self, sql: str, batch: int = 2000) -> Iterator[Iterator[tuple[Any, ...]]]:
        """Rows of a query through a server-side cursor: constant memory at any size;
        `{scope}` in it is the chosen client's WHERE clause."""
        with server_errors(self.server):
            raw = connect_raw(self.server, read_only=True)
            try:
                cursor = raw.cursor(name="migraine_stream")
                cursor.itersize = batch
                # `{scope}` in the query marks where the chosen client narrows it (alias s).
                cursor.execute(sql.format(scope=scope.literal(self.client, "s")))
                yield iter(cursor)
            finally:
                raw.close()


def _engine(server: Server, *, read_only: bool) -> Engine:
    """SQLAlchemy on psycopg connections it never sees the URL of (so no message shows it)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    return create_engine(
        "postgresql+psycopg://",
        creator=lambda: connect_raw(server, read_only=read_only),
        poolclass=NullPool,
    )


def schema_version(server: Server) -> int:
    """The database's schema version in one read; refuse a database without a usable one."""
    with server_errors(server):
        raw = connect_raw(server, read_only=True)
        try:
            from psycopg import errors

            try:
                rows = raw.execute("SELECT version FROM schema_version LIMIT 2").fetchall()
            except errors.UndefinedTable:
                raise DiaryError(
                    f"the database at {server} has no diary schema yet: {UPGRADE_HINT} to create it"
                ) from None
        finally:
            raw.close()
    if len(rows) != 1 or not isinstance(rows[0][0], int):
        raise DiaryError(f"the database at {server} has no schema version, so it is not a diary")
    version: int = rows[0][0]
    if version > schema.LATEST:
        raise DiaryError(
            f"the database at {server} was written by a newer migraine-diary (schema {version}; "
            f"this version reads up to {schema.LATEST}); upgrade migraine-diary to use it"
        )
    return version


def open_server(server: Server, *, write: bool) -> PostgresDiary:
    """Open the diary in a database; an older schema is refused, never upgraded here."""
    version = schema_version(server)
    if version < schema.LATEST:
        raise DiaryError(
            f"the database at {server} has schema {version}; this version needs "
            f"{schema.LATEST}: {UPGRADE_HINT}; nothing was changed"
        )
    return PostgresDiary(server, write, None, version)
