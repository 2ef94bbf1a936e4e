"""Files the user names with --output: written whole or not at all, never over a diary."""

from __future__ import annotations

import os
import re
import signal
import stat
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType
from typing import IO

from migraine_diary.errors import DiaryError, cannot_write

SQLITE_HEADER = b"SQLite format 3\x00"
# The diary's own files: SQLite keeps changes in the -wal and -shm files beside it, and a
# rollback journal while it writes; replacing any of them loses or damages the diary.
DIARY_COMPANIONS = ("", "-wal", "-shm", "-journal")
# `.NAME.part-PID`: the copy being written, named after the process writing it, so a later
# write to the folder can tell a copy left by a killed process from one still being written.
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.part-(?P<pid>[0-9]+)")
# Signals that end a process by default: the copy is removed before the process ends.
_ENDING_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


@contextmanager
def private_output(
    path: Path | None, *, diary: Path | None, force: bool = False
) -> Iterator[IO[str]]:
    """Standard output, or a file readable by its owner only that appears complete or not at
    all: written under a temporary name beside it, flushed to the disk, renamed into place.

    The diary, its companion files and any other SQLite database are never replaced, even
    with `force`; another existing file only with `force`. The temporary copy is removed on
    every way out (an error, Ctrl-C, SIGTERM); one left by a SIGKILL is removed by the next
    write to the same folder.
    """
    if path is None:
        yield sys.stdout
        return
    refuse_target(path, diary=diary, force=force)
    remove_abandoned_copies(path.parent)
    temporary = path.with_name(f".{path.name}.part-{os.getpid()}")
    with _removed_on_signal(temporary):
        try:
            fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600)
        except OSError as error:
            raise cannot_write(str(path), error) from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except OSError as error:
            raise cannot_write(str(path), error) from None
        finally:
            temporary.unlink(missing_ok=True)


def free_name(path: Path) -> Path:
    """The path, or the first of PATH-2, PATH-3, ... that is free: a default name is never a
    reason to replace a file."""
    candidate, number = path, 1
    while os.path.lexists(candidate):
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return candidate


def refuse_target(path: Path, *, diary: Path | None, force: bool) -> None:
    """Refuse a target that must not be replaced, with one line saying why and what to do
    (`diary` None: the diary is in a database server, with no file of it here)."""
    protected = (
        {_where(Path(f"{diary}{suffix}")) for suffix in DIARY_COMPANIONS} if diary else set()
    )
    if _where(path) in protected:
        raise DiaryError(
            f"{path} is the diary or one of its files; --output never replaces it, "
            "even with --force; choose another file name"
        )
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    except OSError as error:
        raise cannot_write(str(path), error) from None
    try:
        target = path.stat()  # a symbolic link is judged by what it leads to
    except OSError:
        target = info  # a broken link: only the link itself would be replaced
    if stat.S_ISDIR(target.st_mode):
        raise DiaryError(f"cannot write {path}: it is a folder; give a file name")
    if not stat.S_ISREG(target.st_mode):
        raise DiaryError(
            f"cannot write {path}: it is not a regular file (a device or a pipe); "
            "leave out --output to write to standard output"
        )
    if stat.S_ISREG(target.st_mode) and (_is_database(path) or _same_file(path, diary)):
        raise DiaryError(
            f"{path} is an SQLite database (perhaps a diary); --output never replaces one, "
            "even with --force; choose another file name"
        )
    if not force:
        raise DiaryError(f"{path} already exists; add --force to replace it")


def remove_abandoned_copies(folder: Path) -> None:
    """Remove the temporary copies that processes which no longer run left in the folder
    (killed before they could tidy up): each one holds health data nobody will finish."""
    if os.name != "posix":
        return  # no cheap, safe way to ask whether a process id still runs
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return  # the write itself will say what is wrong with the folder
    for entry in entries:
        found = _TEMPORARY.fullmatch(entry.name)
        if found is None:
            continue
        pid = int(found["pid"])
        with suppress(OSError):
            info = entry.stat(follow_symlinks=False)
            if info.st_uid == os.geteuid() and (pid == os.getpid() or not _running(pid)):
                os.unlink(entry.path)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    except OverflowError:
        return False  # not a process id at all
    return True


@contextmanager
def _removed_on_signal(temporary: Path) -> Iterator[None]:
    """While the copy exists, a SIGTERM or SIGHUP removes it before ending the process as the
    signal would have."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can be set from the main thread only
        return

    def end(signum: int, _frame: FrameType | None) -> None:
        temporary.unlink(missing_ok=True)
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    previous = {signum: signal.signal(signum, end) for signum in _ENDING_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _where(path: Path) -> Path:
    """The path with links and `..` resolved, for comparing two names of one file."""
    try:
        return path.absolute().resolve()
    except (OSError, RuntimeError):  # a loop of links
        return path.absolute()


def _is_database(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False  # unreadable: the write will say what is wrong


def _same_file(path: Path, diary: Path | None) -> bool:
    """A hard link to the diary (or a file of it) under another name."""
    if diary is None:
        return False
    for suffix in DIARY_COMPANIONS:
        with suppress(OSError):
            if os.path.samefile(path, f"{diary}{suffix}"):
                return True
    return False
