"""Where the diary lives, how it is opened and upgraded: files, pragmas, migrations.

The schema version is a one-row table (not `PRAGMA user_version`) so the same migrations can
run on PostgreSQL later; checking it on open is one indexed read, whatever the diary's size.
"""

from __future__ import annotations

import glob
import os
import secrets
import sqlite3
import stat
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migraine_diary.domain.helpfulness import HELPFULNESS
from migraine_diary.errors import DiaryError, InputError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

ENV_VAR = "MIGRAINE_DIARY_DB"
BUSY_TIMEOUT_S = 30.0
SQLITE_HEADER = b"SQLite format 3\x00"
HEADER_SIZE = 100

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
    [  # 2: the attack diary (attacks, acute medication, user classes, recorded days)
        "CREATE TABLE attack ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " start TEXT NOT NULL,"
        ' "end" TEXT,'
        " peak INTEGER NOT NULL CHECK (peak BETWEEN 0 AND 10),"
        " aura BOOLEAN NOT NULL DEFAULT 0,"
        " notes TEXT,"
        " source TEXT NOT NULL DEFAULT 'typed',"
        " import_key TEXT UNIQUE,"
        ' CHECK ("end" IS NULL OR "end" >= start))',
        "CREATE INDEX ix_attack_start ON attack (start)",
        "CREATE TABLE medication ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " attack_id INTEGER NOT NULL REFERENCES attack(id) ON DELETE CASCADE,"
        " name TEXT NOT NULL,"
        " helpfulness TEXT"
        f" CHECK (helpfulness IN ({', '.join(repr(word) for word in HELPFULNESS)})),"
        " taken_at TEXT)",
        "CREATE INDEX ix_medication_attack ON medication (attack_id)",
        "CREATE TABLE medication_class ("
        " key TEXT PRIMARY KEY,"
        " name TEXT NOT NULL,"
        ' "class" TEXT NOT NULL CHECK ("class" IN'
        " ('triptan', 'simple_analgesic', 'combination_analgesic', 'opioid', 'ergot',"
        " 'gepant', 'ditan', 'other')))",
        "CREATE TABLE checkin (day TEXT PRIMARY KEY)",
        "CREATE TABLE kept_range ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " first TEXT NOT NULL,"
        " last TEXT NOT NULL,"
        " CHECK (first <= last),"
        " UNIQUE (first, last))",
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

    path = user_data_path("migraine-diary", appauthor=False) / "diary.db"
    stay_in_data_folder(path)
    return path


def stay_in_data_folder(path: Path) -> None:
    """The default diary must not lead out of the data folder through a symbolic link: a link
    planted there would send every session to a file of someone else's choosing. A diary kept
    elsewhere on purpose is named with --db or MIGRAINE_DIARY_DB."""
    root = path.parent.parent
    try:
        resolved = path.resolve()
        inside = resolved.is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a loop of links (RuntimeError before Python 3.13)
        raise DiaryError(f"cannot use {path}: it is a loop of symbolic links") from None
    if not inside:
        raise DiaryError(
            f"{path} leads out of your data folder {root} through a symbolic link (to "
            f"{resolved}), so it is not used; to keep the diary there, name it with --db or "
            f"{ENV_VAR}"
        )


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
            header = handle.read(HEADER_SIZE)
    except OSError as error:
        raise DiaryError(f"cannot read the diary at {path}: {error.strerror}") from None
    if header[: len(SQLITE_HEADER)] != SQLITE_HEADER:
        raise DiaryError(f"{path} is not a migraine diary (not an SQLite database); left untouched")
    cut = _cut_short(header, info.st_size)
    if cut:
        raise DiaryError(f"{path} is damaged: {cut}; restore it from a backup; left untouched")
    # In write-ahead-log mode (header byte 18 is 2) a read-only connection would leave the
    # -wal and -shm files behind; a query-only one tidies them away, and has no rollback
    # journal to replay there. Anything else is opened read-only.
    wal_mode = header[18] == 2
    try:
        opened = (
            read_connection(path) if wal_mode else sqlite3.connect(read_only_uri(path), uri=True)
        )
        with closing(opened) as conn:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            row = conn.execute("SELECT version FROM schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        if "no such table" in str(error):
            raise DiaryError(
                f"{path} is an SQLite database of another program, not a migraine diary; "
                "left untouched"
            ) from None
        if getattr(error, "sqlite_errorname", "").startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            raise DiaryError(
                f"{path} is damaged ({error}); restore it from a backup; left untouched"
            ) from None
        raise sqlite_error(path, error) from None
    if row is None or not isinstance(row[0], int):
        raise DiaryError(f"{path} has no schema version, so it is not a usable diary")
    version: int = row[0]
    if version > LATEST:
        raise DiaryError(
            f"{path} was written by a newer migraine-diary (schema {version}; this version "
            f"reads up to {LATEST}); upgrade migraine-diary to open it"
        )
    return version


def _cut_short(header: bytes, size: int) -> str | None:
    """Why a file with SQLite's signature is too short to be a database, or None.

    A file cut off further on is SQLite's to find: it compares the page count in the header
    with the file and its write-ahead log under its own locks (a check made here, without
    them, could catch a checkpoint halfway through growing the file).
    """
    if len(header) < HEADER_SIZE:
        return f"it ends after {size} bytes, inside the database header"
    return None


def read_only_uri(path: Path) -> str:
    """A URI that opens the diary for reading only.

    SQLite reads a diary in write-ahead-log mode through a shared-memory file beside it; in a
    folder it cannot write to, it can make none. With no log file there, no change is in
    flight, so the diary is opened as immutable: that is how SQLite reads read-only media.
    """
    uri = f"{path.resolve().as_uri()}?mode=ro"
    if not _can_write(path.resolve().parent) and not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    return uri


def read_connection(path: Path) -> sqlite3.Connection:
    """A connection that only reads (the diary's commands, `check` and `backup`, use one).

    Where you may write, it is an ordinary connection set to query only, which tidies the
    log files away when it closes; elsewhere a read-only one, which leaves them.
    """
    if _can_write(path) and _can_write(path.resolve().parent):
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        conn.execute("PRAGMA query_only = ON")
        return conn
    return sqlite3.connect(
        read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None
    )


def _can_write(path: Path) -> bool:
    effective = os.access in os.supports_effective_ids
    return os.access(path, os.W_OK, effective_ids=effective)


def check_permissions(path: Path) -> None:
    """A diary others can write to, or one in a folder where others could swap the file or
    plant its write-ahead log, could be altered behind the user's back: refuse it."""
    problem = permission_problem(path)
    if problem:
        raise DiaryError(problem)


def permission_problem(path: Path) -> str | None:
    """What lets other users change the diary, with the fix; None when only you can."""
    if os.name != "posix":
        return None  # Windows keeps access rules in ACLs, which mode bits do not describe
    info = path.stat()
    if info.st_uid not in (os.geteuid(), 0):
        return (
            f"{path} belongs to another user (uid {info.st_uid}), who can change it; "
            "keep your diary in a file of your own"
        )
    if _writable_by_others(info):
        return f"{path} can be changed by other users; fix it with: chmod 600 '{path}'"
    folders = dict.fromkeys([path.resolve().parent, path.absolute().parent])
    return next(filter(None, map(folder_problem, folders)), None)


def folder_problem(folder: Path) -> str | None:
    """What lets other users replace a diary in this folder, with the fix; None if nothing."""
    if os.name != "posix":
        return None
    info = folder.stat()
    if not _writable_by_others(info):
        return None
    shared = info.st_mode & stat.S_ISVTX or info.st_uid not in (os.geteuid(), 0)
    fix = (
        "keep the diary in a folder of your own (e.g. made with: mkdir -m 700 FOLDER)"
        if shared
        else f"fix it with: chmod go-w '{folder}'"
    )
    return f"the folder {folder} can be changed by other users, who could replace the diary; {fix}"


def _writable_by_others(info: os.stat_result) -> bool:
    if info.st_uid not in (os.geteuid(), 0) or info.st_mode & stat.S_IWOTH:
        return True
    return bool(info.st_mode & stat.S_IWGRP) and not _private_group(info.st_gid)


def _private_group(gid: int) -> bool:
    """A user-private group (many Linux systems give each user one, with umask 002) has its
    user as its only member, so group-writable is still yours only."""
    import grp
    import pwd

    try:
        group, user = grp.getgrgid(gid), pwd.getpwuid(os.geteuid())
    except KeyError:
        return False
    if gid != user.pw_gid or group.gr_name != user.pw_name or set(group.gr_mem) - {user.pw_name}:
        return False
    return not any(u.pw_gid == gid and u.pw_uid != user.pw_uid for u in pwd.getpwall())


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
    problem = folder_problem(folder)
    if problem:
        raise DiaryError(problem)
    temporary = folder / f".{path.name}.new-{os.getpid()}-{secrets.token_hex(4)}"
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
        _steps(conn, current)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _steps(conn: sqlite3.Connection, current: int) -> None:
    for step in MIGRATIONS[current:]:
        for statement in step:
            conn.execute(statement)
    conn.execute("UPDATE schema_version SET version = ?", (LATEST,))


def migrate(path: Path, current: int) -> Path | None:
    """Upgrade an older diary in place, after a kept backup next to it; return the backup, or
    None when another process upgraded it meanwhile.

    The write lock is held from before the backup to the commit, so the backup is exactly the
    diary the upgrade started from, and two processes opening an old diary at once upgrade it
    once. A crash at any point leaves the old diary (the upgrade is one transaction).
    """
    target = None
    try:
        with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                (current,) = conn.execute("SELECT version FROM schema_version").fetchone()
                if current < LATEST:
                    # Copies left unfinished by an upgrade killed earlier: with the write lock
                    # held, no other process can be writing one now.
                    for stale in path.parent.glob(f".{glob.escape(path.stem)}-backup-*.part-*"):
                        stale.unlink(missing_ok=True)
                    target = backup_name(path, current)
                    # A second connection reads the last committed state while this one
                    # holds the lock (the backup API cannot copy from a writing connection).
                    with closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)) as reader:
                        backup(reader, target)
                    _steps(conn, current)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
    except sqlite3.Error as error:
        raise DiaryError(
            f"could not upgrade the diary at {path}: {_cause(error)}; it is unchanged"
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
    stem = f"{path.stem}-backup-{date.today().isoformat()}-v{current}-to-v{LATEST}"
    candidate, number = path.with_name(stem + path.suffix), 1
    while candidate.exists() or candidate.is_symlink():
        number += 1
        candidate = path.with_name(f"{stem}-{number}{path.suffix}")
    return candidate


def backup(conn: sqlite3.Connection, target: Path) -> None:
    """A consistent copy through SQLite's online backup API, readable by its owner only.

    The copy is written beside the target and linked into place when complete, so a crash or a
    full disk never leaves half a copy under the target's name, and an existing file (or
    symbolic link) is never replaced: that raises FileExistsError.
    """
    temporary = target.with_name(f".{target.name}.part-{os.getpid()}-{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
    os.close(fd)
    try:
        with closing(sqlite3.connect(temporary)) as copy:
            conn.backup(copy)
        _sync(temporary)
        os.link(temporary, target, follow_symlinks=False)
        _sync(target.parent)
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{temporary}{suffix}").unlink(missing_ok=True)


def _sync(path: Path) -> None:
    """Flush a file, or a folder's new entry, to the disk before reporting it written."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class Diary:
    """An open diary: its path, and a SQLAlchemy engine built on first use (streaming reads
    go through sqlite3 alone and never need one)."""

    path: Path
    write: bool = False
    upgraded_from: int | None = None

    @cached_property
    def engine(self) -> Engine:
        return _engine(self.path, write=self.write)

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
        if write and not (_can_write(path) and _can_write(path.resolve().parent)):
            raise DiaryError(
                f"the diary at {path} is read-only for you (the file or its folder cannot be "
                "written); nothing was written"
            )
        if version < LATEST and migrate(path, version) is not None:
            upgraded_from = version
    return Diary(path, write, upgraded_from)


def _engine(path: Path, *, write: bool) -> Engine:
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    def connect() -> sqlite3.Connection:
        if write or (_can_write(path) and _can_write(path.resolve().parent)):
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


@contextmanager
def database_errors(path: Path) -> Iterator[None]:
    """Turn any SQLite error (raw, or wrapped by SQLAlchemy) into one DiaryError line.

    SQLAlchemy's exceptions are looked up only if SQLAlchemy is loaded: a command that
    streams through sqlite3 alone (export) should not pay for importing it.
    """
    try:
        yield
    except sqlite3.Error as error:
        raise sqlite_error(path, error) from None
    except UnicodeEncodeError:  # a lone surrogate: a byte of another encoding in the input
        raise InputError(
            "some of the text given is not valid UTF-8 (a byte from another encoding? check "
            "the terminal's or the file's encoding); nothing was written"
        ) from None
    except Exception as error:
        wrapped = sys.modules.get("sqlalchemy.exc")
        if wrapped is not None and isinstance(error, wrapped.DBAPIError):
            raise sqlite_error(path, error) from None
        raise


def sqlite_error(path: Path, error: BaseException) -> DiaryError:
    """One line for a database error, saying what to do, without the SQL or its parameters
    (they may hold health data): SQLAlchemy's own message includes both."""
    original = getattr(error, "orig", None) or error
    name = getattr(original, "sqlite_errorname", "") or ""
    reason = _first_line(original)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in reason:
        return DiaryError(
            f"the diary at {path} is busy: another program kept it locked for over "
            f"{BUSY_TIMEOUT_S:.0f} seconds; nothing was written, try again"
        )
    if name.startswith("SQLITE_READONLY") or "readonly" in reason:
        return DiaryError(
            f"the diary at {path} is read-only for you (the file or its folder cannot be "
            "written); nothing was written"
        )
    if name.startswith("SQLITE_FULL") or "is full" in reason:
        return DiaryError(
            f"the diary at {path} could not be written: the disk is full (or a file size "
            "limit was reached); nothing was written"
        )
    if name.startswith("SQLITE_IOERR") or "I/O error" in reason:
        return DiaryError(
            f"the diary at {path} could not be read or written: disk I/O error (is the disk "
            "full or failing?); the change was not saved"
        )
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in reason:
        return DiaryError(
            f"the diary at {path} is damaged ({reason}); restore it from a backup "
            "(migraine check tells more)"
        )
    if name.startswith("SQLITE_CANTOPEN"):
        return DiaryError(
            f"cannot open the diary at {path}: check that you may read and write the file "
            "and its folder"
        )
    return DiaryError(f"the diary at {path} could not be used: {reason}")


def _cause(error: sqlite3.Error) -> str:
    """The reason for a failed write in a person's words, for messages that say the rest."""
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith("SQLITE_FULL"):
        return "the disk is full (or a file size limit was reached)"
    if name.startswith("SQLITE_IOERR"):
        return "disk I/O error (is the disk full or failing?)"
    if name.startswith("SQLITE_READONLY"):
        return "the file or its folder is read-only for you"
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return "another program kept it locked; try again"
    return _first_line(error)


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


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
