"""Whether a write-ahead log beside the diary was written for it, before SQLite applies it.

SQLite applies any log whose header and frames are consistent in themselves, so a log copied
from another database would silently replace pages of the diary. Nothing in the file format
names the database a log belongs to; what ties them is read here: the page size, the
shared-memory file every program using the diary keeps while the log holds changes, and the
change counter on page 1, which each write of page 1 raises by one.
"""

from __future__ import annotations

import struct
import time
from pathlib import Path
from typing import BinaryIO

MAGIC = (0x377F0682, 0x377F0683)  # checksums in little- or big-endian words
FORMAT = 3007000
HEADER = 32
FRAME_HEADER = 24
ATTEMPTS = 3  # a writer restarting its log is seen halfway for microseconds: look again


def foreign_log(path: Path) -> str | None:
    """Why the diary's write-ahead log would change it with pages of another database, or None
    when there is no log, nothing in it to apply, or what it holds is the diary's own."""
    wal = Path(f"{path}-wal")
    problem = None
    for attempt in range(ATTEMPTS):
        try:
            problem = _problem(path, wal)
        except FileNotFoundError:  # the last program closing the diary removed it
            return None
        if problem is None:
            return None
        time.sleep(0.02 * (attempt + 1))
    return problem


def _problem(path: Path, wal: Path) -> str | None:
    size = wal.stat().st_size
    if size == 0:
        return None
    with path.open("rb") as db, wal.open("rb") as log:
        head = db.read(100)
        page_size = int.from_bytes(head[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        counter = int.from_bytes(head[24:28], "big")
        header = log.read(HEADER)
        if len(header) < HEADER:
            return "it ends inside its header"
        magic, version, log_page, _, salt1, salt2, sum1, sum2 = struct.unpack(">8I", header)
        if magic not in MAGIC or version != FORMAT:
            return "it is not an SQLite write-ahead log"
        big_endian = magic & 1 == 1
        if checksum(header[:24], (0, 0), big_endian) != (sum1, sum2):
            return "its header checksum is wrong"
        if log_page != page_size:
            return f"its pages are {log_page} bytes, the diary's {page_size}"
        committed, counters = _frames(
            log, size, page_size, (salt1, salt2), (sum1, sum2), big_endian
        )
        if not committed:
            return None  # SQLite applies nothing from it
        if all(
            _page(db, number, page_size) == _at(log, offset, page_size)
            for number, offset in committed.items()
        ):
            return None  # all of it is in the diary already
    shm = Path(f"{path}-shm")
    if not shm.exists():
        return (
            "it holds changes, but no shared-memory file is beside the diary, as one is while "
            "a program using the diary has changes in its log: it was copied from elsewhere"
        )
    if _index_salts(shm) not in (None, header[16:24]):
        return "it is not the log the diary's shared-memory file describes"
    if counters and counter + 1 != counters[0] and counter not in counters:
        return "its changes continue another database's history (page 1's change counter)"
    return None


def _frames(
    log: BinaryIO,
    size: int,
    page_size: int,
    salts: tuple[int, int],
    start: tuple[int, int],
    big_endian: bool,
) -> tuple[dict[int, int], list[int]]:
    """{page: offset of its last version} up to the last commit, and page 1's change counters
    in order; frames end at the first one from an earlier use of the file (other salts)."""
    pages: dict[int, int] = {}
    committed: dict[int, int] = {}
    counters: list[int] = []
    counted: list[int] = []
    offset = HEADER
    while offset + FRAME_HEADER + page_size <= size:
        log.seek(offset)
        frame = log.read(FRAME_HEADER)
        number, commit, salt1, salt2, sum1, sum2 = struct.unpack(">6I", frame)
        if (salt1, salt2) != salts:
            break
        if offset == HEADER:
            page = log.read(page_size)
            if checksum(frame[:8] + page, start, big_endian) != (sum1, sum2):
                break  # SQLite finds no valid frame and applies nothing
        pages[number] = offset
        if number == 1:
            log.seek(offset + FRAME_HEADER + 24)
            counters.append(int.from_bytes(log.read(4), "big"))
        if commit:
            committed, counted = dict(pages), list(counters)
        offset += FRAME_HEADER + page_size
    return committed, counted


def _index_salts(shm: Path) -> bytes | None:
    """The salts of the log the shared-memory file indexes, or None if it says nothing sure
    (not set up, or its two copies of the header differ while a writer changes them).

    Read only while this process has no connection to the diary open: closing a file drops
    every POSIX lock the process holds on it, SQLite's included.
    """
    with shm.open("rb") as file:
        index = file.read(96)
    if len(index) < 96 or index[:48] != index[48:] or index[12] != 1:
        return None
    return index[32:40]


def _page(db: BinaryIO, number: int, page_size: int) -> bytes:
    db.seek((number - 1) * page_size)
    data: bytes = db.read(page_size)
    return data


def _at(log: BinaryIO, offset: int, page_size: int) -> bytes:
    log.seek(offset + FRAME_HEADER)
    data: bytes = log.read(page_size)
    return data


def checksum(data: bytes, start: tuple[int, int], big_endian: bool) -> tuple[int, int]:
    """SQLite's write-ahead-log checksum over `data` (a multiple of 8 bytes)."""
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    s1, s2 = start
    for i in range(0, len(words), 2):
        s1 = (s1 + words[i] + s2) & 0xFFFFFFFF
        s2 = (s2 + words[i + 1] + s1) & 0xFFFFFFFF
    return s1, s2
