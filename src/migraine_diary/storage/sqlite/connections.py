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
    """You may write the diary only if you may write both the file and its folder (SQLite
    writes its journal and log files beside it)."""
    return can_write(path) and can_write(path.resolve().parent)


def read_only_uri(path: Path) -> str:
    """A URI that opens the diary for reading only.

    SQLite reads a diary in write-ahead-log mode through a shared-memory file beside it; in a
    folder it cannot write to, it can make none. With no log file there, no change is in
    flight, so the diary is opened as immutable: that is how SQLite reads read-only media.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not can_write(path.resolve().parent) and not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    return uri


def read_connection(path: Path) -> sqlite3.Connection:
    """A connection that only reads (the diary's commands, `check` and `backup`, use one).

    Where you may write, it is an ordinary connection set to query only, which tidies the
    log files away when it closes; elsewhere a read-only one, which leaves them.
    """
    if can_write_diary(path):
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute("PRAGMA query_only = ON")
        return conn
    return sqlite3.connect(
        read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None
    )


def engine_for(path: Path, *, write: bool) -> Engine:
    """A SQLAlchemy engine on the diary: a fresh connection per use, foreign keys enforced."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    def connect() -> sqlite3.Connection:
        if write or can_write_diary(path):
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        else:  # a read-only file or folder: read it the way SQLite can
            conn = sqlite3.connect(
                read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None
            )
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front, so a busy diary waits instead of failing.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine
