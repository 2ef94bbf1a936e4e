"""Connections to a diary file: ones that only read, and the SQLAlchemy engine with its pragmas.

Modules that report the busy timeout read `connections.BUSY_TIMEOUT_S` when they need it, so
the one setting (and a test that shortens it) governs waiting and messages alike.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

BUSY_TIMEOUT_S = 30.0


def can_write(path: Path) -> bool:
    effective = os.access in os.supports_effective_ids
    return os.access(path, os.W_OK, effective_ids=effective)


def can_write_diary(path: Path) -> bool:
    """You may write the diary only if you may write the file, its folder (SQLite writes its
    log files beside it) and the log files already there."""
    return read_only_part(path) is None


def read_only_part(path: Path) -> tuple[str, Path] | None:
    """Which part of the diary you may not write ('folder', its path), or None."""
    folder = path.resolve().parent
    if not can_write(path):
        return "file", path
    if not can_write(folder):
        return "folder", folder
    for suffix, what in (("-shm", "shared-memory file"), ("-wal", "write-ahead log")):
        part = Path(f"{path}{suffix}")
        if part.exists() and not can_write(part):
            return what, part
    return None


def log_is_empty(path: Path) -> bool:
    """No change waits in the write-ahead log (none there, or an empty one)."""
    try:
        return Path(f"{path}-wal").stat().st_size == 0
    except FileNotFoundError:
        return True


def read_connection(path: Path, version: int | None = None) -> sqlite3.Connection:
    """A connection that only reads and never changes a byte of the diary or its log.

    A diary with changes in its write-ahead log is opened read-only (`mode=ro`): the log is
    read, never written back or removed. With nothing in the log, where you may write, it is an
    ordinary connection set to query only, which writes nothing back (there is nothing) and
    tidies the empty log files away when it closes; where you may not write, or where SQLite
    cannot make its shared-memory file (a full disk), the diary is opened as immutable, which
    needs no file beside it. A diary of an older schema (`version`) is read as the latest one:
    the tables later steps add are there, empty, as temporary tables.
    """
    conn = _reader(path)
    try:
        for statement in _temporary(version):
            conn.execute(statement)
        conn.execute("PRAGMA query_only = ON")
    except BaseException:
        conn.close()
        raise
    return conn


def _temporary(version: int | None) -> list[str]:
    if version is None:  # the latest schema, or not yet known: a Tab reads no schema module
        return []
    from migraine_diary.storage import schema
    from migraine_diary.storage.sqlite import shape

    if version >= schema.LATEST:
        return []
    return shape.temporary_tables(version) or []


def _reader(path: Path) -> sqlite3.Connection:
    with path.open("rb") as file:
        wal_mode = file.read(20)[18:19] == b"\x02"
    if not wal_mode or not log_is_empty(path):  # a rollback journal is never replayed here
        return _connect(f"{path.resolve().as_uri()}?mode=ro")
    if can_write_diary(path):
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.Error as error:
            conn.close()
            name = getattr(error, "sqlite_errorname", "") or ""
            if not name.startswith(("SQLITE_IOERR", "SQLITE_FULL", "SQLITE_CANTOPEN")):
                raise
            if not log_is_empty(path):
                raise
    return _connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1")


def _connect(uri: str) -> sqlite3.Connection:
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)


def _casefold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else None


def engine_for(
    path: Path, *, write: bool, version: int | None = None, trial: bool = False
) -> Engine:
    """A SQLAlchemy engine on the diary: a fresh connection per use, foreign keys enforced;
    one that only reads opens the diary as `read_connection` does, except for a `trial` (a dry
    run's changes, never committed), which needs an ordinary connection."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    def connect() -> sqlite3.Connection:
        if write or trial:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            for statement in _temporary(version) if trial else []:
                conn.execute(statement)
        else:
            conn = read_connection(path, version)
        conn.execute("PRAGMA foreign_keys = ON")
        # SQLite's lower() knows ASCII only: a search for "übelkeit" must find "Übelkeit".
        conn.create_function("casefold", 1, _casefold, deterministic=True)
        return conn

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front, so a busy diary waits instead of failing.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
