"""A file to import, read as a stream of bounded lines: never whole, never a device.

UTF-8 (with or without a byte-order mark) and UTF-16 with its byte-order mark are read, as
spreadsheet programs save them; any other encoding is refused with how to save as UTF-8.
"""

from __future__ import annotations

import codecs
import io
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
SAVE_AS_UTF8 = (
    "save it as UTF-8 (LibreOffice: Save As, Character set 'Unicode (UTF-8)'; "
    "Excel: Save As 'CSV UTF-8')"
)


@contextmanager
def import_lines(path: Path) -> Iterator[Iterator[str]]:
    """The file's lines with their line ends (a byte-order mark dropped), read one at a time;
    a named pipe, a device or a socket is refused before anything is read."""
    with import_file(path) as handle:
        start = handle.peek(2)[:2] if hasattr(handle, "peek") else b""
        if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            yield _utf16_lines(handle, path)
        else:
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


def _utf16_lines(handle: BinaryIO, path: Path) -> Iterator[str]:
    """A UTF-16 file (as Excel's 'Unicode text' saves it), its byte-order mark telling the
    byte order; lines bounded as in UTF-8."""
    text = io.TextIOWrapper(handle, encoding="utf-16", newline="")
    number = 0
    while True:
        try:
            line = text.readline(MAX_LINE_BYTES // 2 + 1)
        except UnicodeDecodeError:
            raise InputError(
                f"{path} is not UTF-16 text as its byte-order mark says; {SAVE_AS_UTF8}"
            ) from None
        except OSError as error:
            raise DiaryError(f"cannot read {path}: {error.strerror}") from None
        if not line:
            return
        if len(line) > MAX_LINE_BYTES // 2:
            raise InputError(
                f"{path}: line {number + 1} is longer than 1 MiB ({MAX_LINE_BYTES} bytes); "
                "nothing was imported"
            )
        for part in _LONE_CR.split(line):
            if part:
                number += 1
                yield part


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
                f"{path} is not UTF-8 text (bad byte at offset {start + error.start}); "
                + SAVE_AS_UTF8
            ) from None
        if number == 0 and "\x00" in text:  # a header of UTF-16 without its byte-order mark
            raise InputError(
                f"{path} is not UTF-8 text (bad byte at offset {start + raw.index(0)}); "
                + SAVE_AS_UTF8
            )
        for line in _LONE_CR.split(text):
            if line:
                number += 1
                yield line
