"""SQLite's errors, raw or wrapped by SQLAlchemy, as one DiaryError line that says what to do."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from migraine_diary.domain.hints import command_line
from migraine_diary.errors import DiaryError, InputError
from migraine_diary.storage.sqlite import connections


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
            f"{connections.BUSY_TIMEOUT_S:.0f} seconds; nothing was written, try again"
        )
    if name.startswith("SQLITE_READONLY") or "readonly" in reason:
        return read_only_error(path, connections.read_only_part(path))
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
            f"({command_line('check')} tells more)"
        )
    if name.startswith("SQLITE_CANTOPEN"):
        return DiaryError(
            f"cannot open the diary at {path}: check that you may read and write the file "
            "and its folder"
        )
    return DiaryError(f"the diary at {path} could not be used: {reason}")


def read_only_error(path: Path, part: tuple[str, Path] | None) -> DiaryError:
    """A diary you may not write, naming the part that stops it: a shared-memory file or log
    left read-only (SQLite makes them with the diary's mode) is named with its fix."""
    if part is not None and part[0] not in ("file", "folder"):
        what, file = part
        return DiaryError(
            f"the diary at {path} cannot be written: its {what} {file} is read-only for you "
            f"(left from a time the diary was read-only?); fix it with: chmod 600 '{file}'; "
            "nothing was written"
        )
    return DiaryError(
        f"the diary at {path} is read-only for you (the file or its folder cannot be "
        "written); nothing was written"
    )


def cause(error: sqlite3.Error) -> str:
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
