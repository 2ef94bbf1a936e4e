"""Where the diary lives, whether a file there is a diary, and who else could change it."""

from __future__ import annotations

import os
import sqlite3
import stat
from contextlib import closing
from pathlib import Path

from migraine_diary.errors import DiaryError
from migraine_diary.storage import schema
from migraine_diary.storage.sqlite import connections, shape
from migraine_diary.storage.sqlite.connections import read_connection
from migraine_diary.storage.sqlite.errors import database_errors, sqlite_error
from migraine_diary.storage.sqlite.wal import foreign_log

SQLITE_HEADER = b"SQLite format 3\x00"
HEADER_SIZE = 100


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
    foreign = foreign_log(path)
    if foreign:
        wal = f"{path}-wal"
        raise DiaryError(
            f"{wal} is a write-ahead log that does not belong to the diary ({foreign}), so it "
            f"is not applied and nothing was changed; if you did not put it there, move it "
            f"away (e.g. mv '{wal}' '{wal}.foreign')"
        )
    try:
        with closing(read_connection(path)) as conn:
            conn.execute(f"PRAGMA busy_timeout = {int(connections.BUSY_TIMEOUT_S * 1000)}")
            found = shape.objects(conn)
            rows = (
                conn.execute("SELECT version FROM schema_version LIMIT 2").fetchall()
                if ("table", "schema_version") in found
                else None
            )
    except sqlite3.DatabaseError as error:
        if getattr(error, "sqlite_errorname", "").startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
            raise DiaryError(
                f"{path} is damaged ({error}); restore it from a backup; left untouched"
            ) from None
        raise sqlite_error(path, error) from None
    if rows is None:
        raise DiaryError(
            f"{path} is an SQLite database of another program, not a migraine diary; left untouched"
        )
    if len(rows) != 1 or not isinstance(rows[0][0], int):
        raise DiaryError(f"{path} has no schema version, so it is not a usable diary")
    version: int = rows[0][0]
    if version > schema.LATEST:
        raise DiaryError(
            f"{path} was written by a newer migraine-diary (schema {version}; this version "
            f"reads up to {schema.LATEST}); upgrade migraine-diary to open it"
        )
    if version < 1:
        raise DiaryError(
            f"{path} has schema version {version}, which no migraine-diary writes (the first "
            "is 1), so it is not a usable diary; left untouched"
        )
    made = shape.compare(found, version)
    if made.foreign:
        raise DiaryError(
            f"{path} is an SQLite database of another program, not a migraine diary; left untouched"
        )
    if made.wrong:
        raise DiaryError(
            f"{path} does not have the tables migraine-diary makes for schema {version} "
            f"({', '.join(made.wrong[:3])}), so it is not a diary it can use; left untouched"
        )
    return version


def unknown_objects(path: Path, version: int) -> list[tuple[str, str]]:
    """Tables, views, indexes and triggers in the diary that this version does not make: a
    trigger runs with every write, so a diary holding one is not written (nor copied)."""
    with database_errors(path), closing(read_connection(path)) as conn:
        return shape.compare(shape.objects(conn), version).unknown


def _cut_short(header: bytes, size: int) -> str | None:
    """Why a file with SQLite's signature is too short to be a database, or None.

    A file cut off further on is SQLite's to find: it compares the page count in the header
    with the file and its write-ahead log under its own locks (a check made here, without
    them, could catch a checkpoint halfway through growing the file).
    """
    if len(header) < HEADER_SIZE:
        return f"it ends after {size} bytes, inside the database header"
    return None


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


def table_names(conn: sqlite3.Connection) -> list[str]:
    """The diary's own tables (SQLite's internal ones left out), by name."""
    sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    return [str(r[0]) for r in conn.execute(sql + " ORDER BY name")]


def remove_if_empty(path: Path) -> bool:
    """Remove a diary file that holds no record at all (one a command made and then failed,
    or only tried, in), with its write-ahead log; leave it, and say False, when anything is
    in it: another process may have begun writing to the new diary meanwhile."""
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            for table in table_names(conn):
                if table == "schema_version":
                    continue
                # The implicit client of a personal diary is there from the start.
                extra = f" WHERE id <> {schema.IMPLICIT_CLIENT}" if table == "client" else ""
                if conn.execute(f'SELECT 1 FROM "{table}"{extra} LIMIT 1').fetchone():
                    return False
    except sqlite3.Error:
        return False
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return True
