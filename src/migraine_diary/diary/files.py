"""The diary as a file: where it is, opening it for a command, keeping a copy, checking it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from migraine_diary import storage
from migraine_diary.errors import DiaryError


@dataclass(frozen=True)
class Opened:
    """A diary opened for one command; `diary` is None when a read finds no file yet."""

    path: Path
    diary: storage.Diary | None
    upgraded_from: int | None
    latest: int


def diary_path(option: Path | None) -> Path:
    """--db, else $MIGRAINE_DIARY_DB, else the user data folder's diary.db."""
    return storage.locate(option)


def open_for(option: Path | None, *, write: bool, create: bool = True) -> Opened:
    path = storage.locate(option)
    diary = storage.open_diary(path, write=write, create=create)
    upgraded = diary.upgraded_from if diary is not None else None
    return Opened(path, diary, upgraded, storage.schema.LATEST)


def existing_path(option: Path | None, what: str) -> Path:
    """The diary's path, refusing to go on when there is none yet."""
    path = storage.locate(option)
    if not path.exists():
        raise DiaryError(f"there is no diary at {path} yet; {what}")
    return path


def backup(option: Path | None, target: Path) -> storage.BackupCopy:
    return storage.backup_diary(storage.locate(option), target)


def check(option: Path | None) -> storage.Health:
    return storage.check_diary(storage.locate(option))


def latest_schema() -> int:
    return storage.schema.LATEST
