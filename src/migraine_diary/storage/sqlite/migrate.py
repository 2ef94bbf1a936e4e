"""Putting the schema into a diary file: a new diary built whole, an older one upgraded in place
after a backup."""

from __future__ import annotations

import glob
import os
import secrets
import sqlite3
from contextlib import closing
from pathlib import Path

from migraine_diary.domain.dates import current_day
from migraine_diary.errors import DiaryError
from migraine_diary.storage import schema
from migraine_diary.storage.sqlite import connections
from migraine_diary.storage.sqlite.care import backup
from migraine_diary.storage.sqlite.errors import cause
from migraine_diary.storage.sqlite.files import folder_problem, inspect_file


def create_diary(path: Path, *, only_new: bool = False) -> None:
    """Create a new diary (0600, folder 0700) without ever replacing an existing file.

    The schema is built in a temporary file and linked into place, so a crash leaves either
    no diary or a complete one, and two processes creating it at once both end up with one.
    `only_new`: a file that appears at `path` meanwhile is refused, even a diary.
    """
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise DiaryError(f"cannot create the folder {folder}: {error.strerror}") from None
    problem = folder_problem(folder)
    if problem:
        raise DiaryError(problem)
    temporary = folder / f".{path.name}.new-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
        os.close(fd)
        with closing(_connect(temporary)) as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            _apply(conn, 0)
        try:
            os.link(temporary, path, follow_symlinks=False)
        except FileExistsError:
            if only_new:
                raise DiaryError(f"{path} already exists; nothing was written") from None
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
        _steps(conn, current)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _steps(conn: sqlite3.Connection, current: int) -> None:
    """The missing steps, in the caller's transaction, on a connection with foreign keys off
    (`_connect`): a step may make a parent table again (SQLite's way to change its
    constraints), and every reference is checked once the steps are done."""
    for step in schema.MIGRATIONS[current:]:
        for statement in step:
            if not isinstance(statement, schema.PostgresOnly):
                conn.execute(statement)
    broken = conn.execute("PRAGMA foreign_key_check").fetchone()
    if broken is not None:
        raise sqlite3.IntegrityError(f"the upgrade would break a reference from table {broken[0]}")
    conn.execute("UPDATE schema_version SET version = ?", (schema.LATEST,))


def _connect(path: Path, timeout: float = 5.0) -> sqlite3.Connection:
    """A connection for the migrations: foreign keys off whatever SQLite was built with (a
    step that drops a parent table to make it again must not cascade to its children, and the
    setting cannot change inside the transaction)."""
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    return conn


def migrate(path: Path, current: int) -> Path | None:
    """Upgrade an older diary in place, after a kept backup next to it; return the backup, or
    None when another process upgraded it meanwhile.

    The write lock is held from before the backup to the commit, so the backup is exactly the
    diary the upgrade started from, and two processes opening an old diary at once upgrade it
    once. A crash at any point leaves the old diary (the upgrade is one transaction).
    """
    target = None
    try:
        with closing(_connect(path, connections.BUSY_TIMEOUT_S)) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                (current,) = conn.execute("SELECT version FROM schema_version").fetchone()
                if current < schema.LATEST:
                    # Copies left unfinished by an upgrade killed earlier: with the write lock
                    # held, no other process can be writing one now.
                    for stale in path.parent.glob(f".{glob.escape(path.stem)}-backup-*.part-*"):
                        stale.unlink(missing_ok=True)
                    target = backup_name(path, current)
                    # A second connection reads the last committed state while this one
                    # holds the lock (the backup API cannot copy from a writing connection).
                    with closing(
                        sqlite3.connect(path, timeout=connections.BUSY_TIMEOUT_S)
                    ) as reader:
                        backup(reader, target)
                    _steps(conn, current)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
    except sqlite3.Error as error:
        raise DiaryError(
            f"could not upgrade the diary at {path}: {cause(error)}; it is unchanged"
        ) from None
    except OSError as error:
        raise DiaryError(
            f"could not upgrade the diary at {path}: cannot write its backup {target} "
            f"({error.strerror}); it is unchanged"
        ) from None
    return target


def backup_name(path: Path, current: int) -> Path:
    """diary-backup-DATE-vOLD-to-vNEW.db beside the diary; -2, -3... when that name is taken
    (an earlier attempt the same day), since a backup never replaces a file."""
    stem = f"{path.stem}-backup-{current_day().isoformat()}-v{current}-to-v{schema.LATEST}"
    candidate, number = path.with_name(stem + path.suffix), 1
    while candidate.exists() or candidate.is_symlink():
        number += 1
        candidate = path.with_name(f"{stem}-{number}{path.suffix}")
    return candidate
