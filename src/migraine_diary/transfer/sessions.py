"""Sessions out as CSV and JSON, streamed; the spreadsheet-safety of text cells."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO, Any

from migraine_diary import storage as db
from migraine_diary.domain.session import FIELDS

# Export streams rows with sqlite3 alone: it should not pay for SQLModel or pydantic.

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# The first column of `export --all-clients`: a practice's file, which import refuses (it
# takes one client's diary at a time).
CLIENT_COLUMN = "client"


def neutralise(text: str) -> str:
    """Keep a spreadsheet from running a cell as a formula; `restore` undoes it exactly."""
    if text[:1] in FORMULA_TRIGGERS or (text[:1] == "'" and text[1:2] in (*FORMULA_TRIGGERS, "'")):
        return "'" + text
    return text


def restore(text: str) -> str:
    if text[:1] == "'" and text[1:2] in (*FORMULA_TRIGGERS, "'"):
        return text[1:]
    return text


def write_csv(diary: db.Diary | None, out: IO[str], *, clients: bool = False) -> int:
    """Every session, oldest first, header first; returns the number of rows. `clients`:
    each row begins with its client (`export --all-clients`)."""
    writer = csv.writer(out)  # RFC 4180 line ends: a lone \r in a note is quoted too
    writer.writerow((CLIENT_COLUMN, *FIELDS) if clients else FIELDS)
    if diary is None:
        return 0
    sql = db.EXPORT_SQL
    if clients:
        with diary.connect() as conn:
            sql = db.client_export_sql(conn)
    count = 0
    with diary.stream(sql) as rows:
        for chunk in _chunks(rows):
            writer.writerows(chunk)
            count += len(chunk)
    return count


def write_json(diary: db.Diary | None, out: IO[str]) -> int:
    """A JSON list of sessions, streamed one object at a time."""
    from migraine_diary.diary.sessions import session_from_row

    out.write("[")
    count = 0
    if diary is not None:
        with diary.stream(db.RAW_SQL) as rows:
            for row in rows:
                out.write(",\n  " if count else "\n  ")
                out.write(json.dumps(session_from_row(row).to_json(), ensure_ascii=False))
                count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def _chunks(rows: Iterator[tuple[Any, ...]], size: int = 5000) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
