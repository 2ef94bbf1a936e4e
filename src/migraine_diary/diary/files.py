"""Where the diary is and opening it for a command: a file (SQLite, the default) or a
PostgreSQL database named by URL; keeping a copy, checking it, upgrading its schema."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from migraine_diary import storage
from migraine_diary.domain.hints import command_line
from migraine_diary.errors import DiaryError

Where = Path | storage.Server  # str() of a Server masks its password


@dataclass(frozen=True)
class Opened:
    """A diary opened for one command; `diary` is None when a read finds no file yet."""

    path: Where
    diary: storage.Diary | None
    upgraded_from: int | None
    latest: int


def diary_path(option: str | None) -> Where:
    """--db, else $MIGRAINE_DIARY_DB, else the user data folder's diary.db."""
    return storage.locate(option)


def open_for(
    option: str | None, *, write: bool, create: bool = True, client: str | None = None
) -> Opened:
    """The diary, scoped to the client named (--client), if any: an unknown name is refused."""
    from migraine_diary.diary import clients

    where = storage.locate(option)
    if client is not None and isinstance(where, Path) and not where.exists():
        # No diary is made for a client that cannot be in it.
        raise DiaryError(
            f"there is no diary at {where} yet, so no client {' '.join(client.split())!r} in"
            f" it; add one with '{command_line('client add NAME')}'"
        )
    diary: storage.Diary | None
    if isinstance(where, storage.Server):
        diary = storage.open_server(where, write=write)
    else:
        diary = storage.open_diary(where, write=write, create=create)
    clients.choose(diary, client)
    upgraded = diary.upgraded_from if diary is not None else None
    return Opened(where, diary, upgraded, storage.schema.LATEST)


def new_file(option: str | None) -> Path | None:
    """The diary file a write would create (None when it exists, or on a database server)."""
    where = storage.locate(option)
    return where if isinstance(where, Path) and not where.exists() else None


def remove_if_empty(path: Path) -> bool:
    """Remove a diary file a command made and then wrote nothing to (see storage)."""
    return storage.remove_if_empty(path)


def existing_path(option: str | None, what: str) -> Where:
    """Where the diary is, refusing to go on when there is none yet."""
    where = storage.locate(option)
    if isinstance(where, Path) and not where.exists():
        raise DiaryError(f"there is no diary at {where} yet; {what}")
    return where


def sqlite_only(where: Where, command: str) -> Path:
    """The diary's file, for a command about files; a database server is refused plainly."""
    if isinstance(where, storage.Server):
        raise DiaryError(
            f"migraine {command} works on SQLite diaries only; {where} is a PostgreSQL database "
            "(use the server's own tools, e.g. pg_dump, for it)"
        )
    return where


def backup(option: str | None, target: Path) -> storage.BackupCopy:
    return storage.backup_diary(sqlite_only(storage.locate(option), "backup"), target)


def check(option: str | None) -> storage.Health | storage.ServerHealth:
    where = storage.locate(option)
    if isinstance(where, storage.Server):
        return storage.check_server(where)
    return storage.check_diary(where)


def upgrade(option: str | None) -> tuple[Where, int, int]:
    """Create or upgrade the schema: (where, version before, version now). A database is only
    ever upgraded here; a diary file also by any command that writes, after a backup."""
    where = storage.locate(option)
    if isinstance(where, storage.Server):
        before, now = storage.upgrade_server(where)
        return where, before, now
    existing = storage.inspect_file(where)
    opened = storage.open_diary(where, write=True)
    assert opened is not None
    return where, existing or 0, storage.schema.LATEST


def latest_schema() -> int:
    return storage.schema.LATEST
