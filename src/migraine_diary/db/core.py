"""Where the diary lives, how it is opened and upgraded: files, pragmas, migrations.

The schema version is a one-row table (not `PRAGMA user_version`) so the same migrations can
run on PostgreSQL later; checking it on open is one indexed read, whatever the diary's size.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migraine_diary.errors import DiaryError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

ENV_VAR = "MIGRAINE_DIARY_DB"
BUSY_TIMEOUT_S = 30.0
SQLITE_HEADER = b"SQLite format 3\x00"

# Append-only: never edit a released step; add a new one and a test from the oldest schema.
MIGRATIONS: list[list[str]] = [
    [
        "CREATE TABLE schema_version (version INTEGER NOT NULL)",
        "CREATE TABLE therapy ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " name TEXT NOT NULL,"
        " key TEXT NOT NULL UNIQUE)",
        "CREATE TABLE session ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " therapy_id INTEGER NOT NULL REFERENCES therapy(id),"
        ' "when" TEXT NOT NULL,'
        " minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 600),"
        " pain_before INTEGER NOT NULL CHECK (pain_before BETWEEN 0 AND 10),"
        " pain_after INTEGER NOT NULL CHECK (pain_after BETWEEN 0 AND 10),"
        " pain_later INTEGER CHECK (pain_later BETWEEN 0 AND 10),"
        " cost_cents INTEGER NOT NULL DEFAULT 0 CHECK (cost_cents >= 0),"
        " provider TEXT,"
        " during_attack BOOLEAN NOT NULL DEFAULT 0,"
        " notes TEXT)",
        'CREATE INDEX ix_session_when ON session ("when")',
        'CREATE INDEX ix_session_therapy_when ON session (therapy_id, "when")',
        "INSERT INTO schema_version (version) VALUES (0)",
    ],
]
LATEST = len(MIGRATIONS)


def locate(option: Path | None) -> Path:
    """--db wins over MIGRAINE_DIARY_DB, which wins over the platform's user data folder."""
    if option is not None:
        return option.expanduser()
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("migraine-diary", appauthor=False) / "diary.db"


# ---------------------------------------------------------------------------- opening


def inspect_file(path: Path) -> int | None:
    """Schema version of an existing diary, None when there is no file; refuse anything else.

    Reads only the header and one row, and never writes: a refused file is left untouched.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise DiaryError(f"{path} is a broken symbolic link, not a diary") from None
        return None
    except OSError as error:
        raise DiaryError(f"cannot read the diary at {path}: {error.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise DiaryError(f"{path} is a folder, not a diary file; give a file path with --db")
    if not stat.S_ISREG(info.st_mode):
        raise DiaryError(f"{path} is not a regular file, so it cannot be a diary")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise DiaryError(f"cannot read the diary at {path}: {error.strerror}") from None
    if header != SQLITE_HEADER:
        raise DiaryError(f"{path} is not a migraine diary (not an SQLite database); left untouched")
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            row = conn.execute("SELECT version FROM schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        if "no such table" in str(error):
            raise DiaryError(
                f"{path} is an SQLite database of another program, not a migraine diary; "
                "left untouched"
            ) from None
        raise DiaryError(f"cannot read the diary at {path}: {error}") from None
    if row is None or not isinstance(row[0], int):
        raise DiaryError(f"{path} has no schema version, so it is not a usable diary")
    version: int = row[0]
    if version > LATEST:
        raise DiaryError(
            f"{path} was written by a newer migraine-diary (schema {version}; this version "
            f"reads up to {LATEST}); upgrade migraine-diary to open it"
        )
    return version


def check_permissions(path: Path) -> None:
    """A diary others can write to could be altered behind the user's back: refuse it."""
    mode = path.stat().st_mode
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise DiaryError(f"{path} can be changed by other users; fix it with: chmod 600 '{path}'")


def create_diary(path: Path) -> None:
    """Create a new diary (0600, folder 0700) without ever replacing an existing file.

    The schema is built in a temporary file and linked into place, so a crash leaves either
    no diary or a complete one, and two processes creating it at once both end up with one.
    """
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise DiaryError(f"cannot create the folder {folder}: {error.strerror}") from None
    temporary = folder / f".{path.name}.new-{os.getpid()}"
    try:
        fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
        os.close(fd)
        with closing(sqlite3.connect(temporary, isolation_level=None)) as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            _apply(conn, 0)
        try:
            os.link(temporary, path, follow_symlinks=False)
        except FileExistsError:
            inspect_file(path)  # someone else made it first: use theirs if it is a diary
    except sqlite3.Error as error:
        raise DiaryError(f"cannot create the diary at {path}: {error}") from None
    except OSError as error:
        raise DiaryError(f"cannot create the diary at {path}: {error.strerror}") from None
    finally:
        for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
            leftover.unlink(missing_ok=True)


def _apply(conn: sqlite3.Connection, current: int) -> None:
    """Run the missing migrations in one transaction: all of them or, on any error, none."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for step in MIGRATIONS[current:]:
            for statement in step:
                conn.execute(statement)
        conn.execute("UPDATE schema_version SET version = ?", (LATEST,))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def migrate(path: Path, current: int) -> Path:
    """Upgrade an older diary in place, after a kept backup next to it; return the backup."""
    backup_path = path.with_name(
        f"{path.stem}-backup-{date.today().isoformat()}-v{current}-to-v{LATEST}{path.suffix}"
    )
    try:
        with closing(sqlite3.connect(path, isolation_level=None)) as conn:
            backup(conn, backup_path)
            _apply(conn, current)
    except sqlite3.Error as error:
        raise DiaryError(
            f"could not upgrade the diary at {path}: {error}; it is unchanged"
        ) from None
    return backup_path


def backup(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent copy through SQLite's online backup API, readable by its owner only."""
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
    os.close(fd)
    with closing(sqlite3.connect(target)) as copy:
        conn.backup(copy)


@dataclass
class Diary:
    """An open diary: the SQLAlchemy engine for the ORM, and the path for messages."""

    path: Path
    engine: Engine
    upgraded_from: int | None = None

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One write transaction (BEGIN IMMEDIATE): all of it is stored, or none."""
        with self.engine.begin() as conn:
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
        if version < LATEST:
            migrate(path, version)
            upgraded_from = version
    return Diary(path, _engine(path, write=write), upgraded_from)


def _engine(path: Path, *, write: bool) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "begin")
    def begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front, so a busy diary waits instead of failing.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def sqlite_error(path: Path, error: Exception) -> DiaryError:
    """One line for a database error, without SQL parameters (they may hold health data)."""
    reason = (
        str(getattr(error, "orig", error)).splitlines()[0] if str(error) else type(error).__name__
    )
    return DiaryError(f"the diary at {path} could not be used: {reason}")


@contextmanager
def stream(diary: Diary, sql: str, batch: int = 2000) -> Iterator[Iterator[tuple[Any, ...]]]:
    """Rows of a query in batches, on the raw driver cursor: constant memory at any size."""
    raw = diary.engine.raw_connection()
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
