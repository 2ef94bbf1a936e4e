"""Looking after the diary file: a health check that changes nothing, and a consistent copy."""

from __future__ import annotations

import os
import secrets
import sqlite3
import stat
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from migraine_diary.domain.hints import command_line
from migraine_diary.errors import DiaryError
from migraine_diary.storage import schema
from migraine_diary.storage.sqlite import shape
from migraine_diary.storage.sqlite.connections import read_connection, read_only_part
from migraine_diary.storage.sqlite.errors import sqlite_error
from migraine_diary.storage.sqlite.files import (
    check_permissions,
    folder_problem,
    inspect_file,
    permission_problem,
    table_names,
    unknown_objects,
)

MAX_INTEGRITY_LINES = 5


@dataclass(frozen=True)
class Health:
    """What `migraine check` found; every problem is one line that says how to fix it."""

    path: Path
    schema_version: int
    integrity: list[str]  # ["ok"] for a sound file, else SQLite's first findings
    tables: dict[str, int]  # rows per table
    file_mode: int
    folder: Path
    folder_mode: int
    journal_mode: str
    wal_bytes: int  # changes waiting in the write-ahead log (0: none, or no log)
    size_bytes: int
    problems: list[str]
    engine: Literal["sqlite"] = "sqlite"

    @property
    def healthy(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "healthy": self.healthy,
            "integrity": self.integrity,
            "schema_version": self.schema_version,
            "latest_schema_version": schema.LATEST,
            "tables": self.tables,
            "file_mode": f"{self.file_mode:04o}",
            "folder": str(self.folder),
            "folder_mode": f"{self.folder_mode:04o}",
            "journal_mode": self.journal_mode,
            "wal_bytes": self.wal_bytes,
            "size_bytes": self.size_bytes,
            "problems": self.problems,
        }


def check_diary(path: Path) -> Health:
    """Integrity, schema version, rows per table, permissions and log state of the diary.

    Reads only (a read-only connection, no upgrade): checking a diary never changes it. A file
    that is not a diary at all is refused with one line, as every command refuses it.
    """
    version = inspect_file(path)
    if version is None:
        raise DiaryError(f"there is no diary at {path} yet; logging a session creates it")
    problems = []
    trouble = permission_problem(path)
    if trouble:
        problems.append(trouble)
    part = read_only_part(path)
    if part is not None and part[0] not in ("file", "folder"):
        problems.append(
            f"its {part[0]} {part[1]} is read-only for you, so nothing can be written; fix it "
            f"with: chmod 600 '{part[1]}'"
        )
    problems += [
        f"the diary holds {shape.named([(kind, name)])}, which migraine-diary does not make "
        f"(another program put it there, and it could change or copy your records); remove "
        f"it with: {shape.removal(path, kind, name)}"
        for kind, name in unknown_objects(path, version)
    ]
    info = path.stat()
    if os.name == "posix" and info.st_mode & (stat.S_IRGRP | stat.S_IROTH):
        problems.append(f"{path} can be read by other users; fix it with: chmod 600 '{path}'")
    folder = path.resolve().parent
    integrity, tables, journal = _look_inside(path)
    if integrity != ["ok"]:
        problems.append(
            "the integrity check found damage; restore the diary from a backup (a backup "
            f"taken now, with {command_line('backup')}, keeps what is still readable)"
        )
    wal = Path(f"{path}-wal")
    return Health(
        path=path,
        schema_version=version,
        integrity=integrity,
        tables=tables,
        file_mode=stat.S_IMODE(info.st_mode),
        folder=folder,
        folder_mode=stat.S_IMODE(folder.stat().st_mode),
        journal_mode=journal,
        wal_bytes=wal.stat().st_size if wal.exists() else 0,
        size_bytes=info.st_size,
        problems=problems,
    )


def _look_inside(path: Path) -> tuple[list[str], dict[str, int], str]:
    """(integrity findings, rows per table, journal mode); a diary too damaged to answer is
    reported as damaged rather than raised, since saying so is the check's job."""
    tables: dict[str, int] = {}
    journal = "unknown"
    try:
        with closing(read_connection(path)) as conn:
            journal = str(conn.execute("PRAGMA journal_mode").fetchone()[0])
            integrity = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
            for name in table_names(conn):
                quoted = '"' + name.replace('"', '""') + '"'
                tables[name] = int(conn.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()[0])
            integrity += [
                f"foreign key: a row of {r[0]} refers to a missing row of {r[2]}"
                for r in conn.execute("PRAGMA foreign_key_check")
            ]
    except sqlite3.DatabaseError as error:
        name = getattr(error, "sqlite_errorname", "")
        if not name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            raise sqlite_error(path, error) from None
        integrity = [str(error)]
    return integrity[:MAX_INTEGRITY_LINES], tables, journal


@dataclass(frozen=True)
class BackupCopy:
    """A backup just written and checked: where, how big, what it holds."""

    path: Path
    size_bytes: int
    tables: dict[str, int]


def _usable_folder(folder: Path) -> str | None:
    """Why a diary in this folder would be refused (the rule every diary is opened by)."""
    try:
        return folder_problem(folder)
    except OSError:
        return None  # a missing folder: the copy's own error names it


def backup_diary(path: Path, target: Path) -> BackupCopy:
    """Copy the diary to a new file through SQLite's online backup API.

    The copy is one consistent state even while another process writes (the backup reads one
    snapshot), readable by you only, never replaces an existing file, and is checked to open
    as a diary before it is reported.
    """
    version = inspect_file(path)
    if version is None:
        raise DiaryError(f"there is no diary at {path} yet; nothing to back up")
    check_permissions(path)
    unknown = unknown_objects(path, version)
    if unknown:
        raise DiaryError(
            f"the diary at {path} holds {shape.named(unknown)}, which migraine-diary does not "
            f"make (another program put it there), so it is not copied; {command_line('check')} "
            "says how to remove it"
        )
    if target.exists() or target.is_symlink():
        raise DiaryError(
            f"{target} already exists; a backup never replaces a file, so give a new name"
        )
    folders = dict.fromkeys([target.absolute().parent.resolve(), target.absolute().parent])
    unsafe = next(filter(None, map(_usable_folder, folders)), None)
    if unsafe:  # the copy would be refused as a diary there: say so before writing it
        raise DiaryError(f"not backed up: {unsafe}")
    try:
        with closing(read_connection(path)) as conn:
            backup(conn, target)
    except FileExistsError:
        raise DiaryError(
            f"{target} already exists; a backup never replaces a file, so give a new name"
        ) from None
    except OSError as error:
        raise DiaryError(
            f"cannot write the backup {target}: {error.strerror}; the diary is unchanged"
        ) from None
    except sqlite3.Error as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DiaryError(
            f"cannot write the backup {target}: {reason}; the diary is unchanged"
        ) from None
    inspect_file(target)
    integrity, tables, _ = _look_inside(target)
    if integrity != ["ok"]:
        raise DiaryError(
            f"the backup {target} was written, but its integrity check failed "
            f"({integrity[0]}); run: {command_line('check')}"
        )
    return BackupCopy(target, target.stat().st_size, tables)


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
