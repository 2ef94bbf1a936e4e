"""A file to import, read as a stream of bounded UTF-8 lines: never whole, never a device."""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from migraine_diary.errors import DiaryError, InputError

# No record of either format comes near this; a longer line is not a diary's export, and
# reading it whole would let a file of one line (or /dev/zero) take all the memory.
MAX_LINE_BYTES = 1024 * 1024
# A lone CR ends a line too (as universal newlines read it); CR LF stays one line end.
_LONE_CR = re.compile(r"(?<=\r)(?!\n)")


@contextmanager
def import_lines(path: Path) -> Iterator[Iterator[str]]:
    """The file's lines with their line ends (a UTF-8 byte-order mark dropped), read one at a
    time; a named pipe, a device or a socket is refused before anything is read."""
    with import_file(path) as handle:
        yield _lines(handle, path)


@contextmanager
def import_file(path: Path) -> Iterator[BinaryIO]:
    """The file opened to read its bytes; a named pipe, a device or a socket is refused
    before anything is read."""
    try:
        # Non-blocking, so that opening a named pipe with no writer cannot hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | os.O_CLOEXEC)
    except FileNotFoundError:
        raise DiaryError(f"cannot read {path}: no such file") from None
    except IsADirectoryError:
        raise DiaryError(f"cannot read {path}: it is a folder") from None
    except OSError as error:
        raise DiaryError(f"cannot read {path}: {error.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise DiaryError(f"cannot read {path}: it is a folder")
        if not stat.S_ISREG(mode):
            raise DiaryError(
                f"cannot read {path}: it is not a regular file (a pipe, device or socket); "
                "import reads files only"
            )
        os.set_blocking(fd, True)
        handle = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with handle:
        yield handle


def _lines(handle: BinaryIO, path: Path) -> Iterator[str]:
    """Each line decoded on its own, so that a bad byte is reported at its offset."""
    number = 0
    offset = 0
    while True:
        try:
            raw = handle.readline(MAX_LINE_BYTES + 1)
        except OSError as error:
            raise DiaryError(f"cannot read {path}: {error.strerror}") from None
        if not raw:
            return
        if len(raw) > MAX_LINE_BYTES:
            raise InputError(
                f"{path}: line {number + 1} is longer than 1 MiB ({MAX_LINE_BYTES} bytes); "
                "nothing was imported"
            )
        start = offset  # of the line's first byte in the file
        if offset == 0 and raw.startswith(codecs.BOM_UTF8):
            raw, start = raw[len(codecs.BOM_UTF8) :], len(codecs.BOM_UTF8)
        offset = start + len(raw)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputError(
                f"{path} is not UTF-8 text (bad byte at offset {start + error.start})"
            ) from None
        for line in _LONE_CR.split(text):
            if line:
                number += 1
                yield line
