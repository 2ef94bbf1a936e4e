"""CSV and JSON out, CSV back in: streaming writers, and an all-or-nothing importer."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from migraine_diary import storage as db
from migraine_diary.domain.dates import parse_when, to_storage
from migraine_diary.domain.session import FIELDS
from migraine_diary.errors import InputError, field_error
from migraine_diary.transfer.lines import import_lines

if TYPE_CHECKING:
    from migraine_diary.domain.models import SessionInput

# The table and input models (SQLModel, pydantic) load only for import: export streams rows
# with sqlite3 alone and should not pay for them.

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
MAX_BAD_ROWS_SHOWN = 20


def neutralise(text: str) -> str:
    """Keep a spreadsheet from running a cell as a formula; `restore` undoes it exactly."""
    if text[:1] in FORMULA_TRIGGERS or (text[:1] == "'" and text[1:2] in (*FORMULA_TRIGGERS, "'")):
        return "'" + text
    return text


def restore(text: str) -> str:
    if text[:1] == "'" and text[1:2] in (*FORMULA_TRIGGERS, "'"):
        return text[1:]
    return text


def write_csv(diary: db.Diary | None, out: IO[str]) -> int:
    """Every session, oldest first, header first; returns the number of rows."""
    writer = csv.writer(out)  # RFC 4180 line ends: a lone \r in a note is quoted too
    writer.writerow(FIELDS)
    if diary is None:
        return 0
    count = 0
    with diary.stream(db.EXPORT_SQL) as rows:
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


# ---------------------------------------------------------------------------- import


@dataclass(frozen=True)
class ImportRow:
    line: int
    id: int | None
    session: SessionInput


@dataclass(frozen=True)
class ImportResult:
    read: int
    added: int
    already_there: int
    dry_run: bool


REQUIRED = ("when", "therapy", "minutes", "pain_before", "pain_after")
TEXT_FIELDS = ("therapy", "provider", "notes")
BOOLEANS = {
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "yes": True,
    "no": False,
    "": False,
}


def read_csv(path: Path) -> list[ImportRow]:
    """Read and validate every row before anything is written; report every bad row."""
    with import_lines(path) as lines:
        reader = csv.reader(lines, strict=True)
        rows: list[ImportRow] = []
        problems: list[str] = []
        header: list[str] | None = None
        previous_end = 0
        try:
            for record in reader:
                start, previous_end = previous_end + 1, reader.line_num
                if not record or record == [""]:
                    continue
                if header is None:
                    header = _check_header(record, path)
                    continue
                try:
                    rows.append(_parse_row(record, header, start))
                except InputError as error:
                    problems.append(f"line {start}: {error.message}")
        except csv.Error as error:
            problems.append(f"line {previous_end + 1}: not valid CSV ({error})")
    if header is None:
        raise InputError(f"{path} is empty: expected a header row with {', '.join(FIELDS)}")
    if problems:
        shown = problems[:MAX_BAD_ROWS_SHOWN]
        more = len(problems) - len(shown)
        suffix = [f"... and {more} more bad row(s)"] if more else []
        summary = f"{len(problems)} bad row(s) in {path}; nothing was imported"
        raise InputError("\n".join([*shown, *suffix, summary]))
    return rows


def _check_header(record: list[str], path: Path) -> list[str]:
    header = [name.strip() for name in record]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise InputError(f"{path}: column {duplicated[0]!r} appears more than once")
    unknown = [name for name in header if name not in FIELDS]
    if unknown:
        raise InputError(
            f"{path}: unknown column {unknown[0][:40]!r}; the columns are {', '.join(FIELDS)}"
        )
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise InputError(f"{path}: missing column {missing[0]!r}; required: {', '.join(REQUIRED)}")
    return header


def _parse_row(record: list[str], header: list[str], line: int) -> ImportRow:
    from migraine_diary.domain.models import (
        MAX_IMPORTED_ID,
        RULES,
        parse_whole,
        validate_session,
    )

    if len(record) != len(header):
        raise InputError(f"has {len(record)} cells where the header has {len(header)}")
    cells: dict[str, Any] = dict(zip(header, record, strict=True))
    for name in TEXT_FIELDS:
        if name in cells:
            cells[name] = restore(cells[name])
    row_id = None
    raw_id = cells.pop("id", "").strip()
    if raw_id:
        row_id = parse_whole(raw_id, field="id", rule=RULES["imported_id"], high=MAX_IMPORTED_ID)
    cells["when"] = parse_when(cells["when"]) if cells["when"].strip() else cells["when"]
    attack = cells.get("during_attack", "").strip().lower()
    if attack not in BOOLEANS:
        raise field_error("during_attack", RULES["during_attack"], attack)
    cells["during_attack"] = BOOLEANS[attack]
    if not cells.get("cost", "").strip():
        cells["cost"] = "0"
    return ImportRow(line, row_id, validate_session(cells))


def import_rows(diary: db.Diary, rows: list[ImportRow], *, dry_run: bool) -> ImportResult:
    """Add the rows in one transaction. A row whose id is already stored with the same values
    is skipped (so importing a file twice adds nothing); with other values it is an error."""
    from migraine_diary.diary.sessions import resolve_therapy
    from migraine_diary.domain.models import session_values, therapy_key

    added = skipped = 0
    with diary.transaction() as conn:
        ids = [r.id for r in rows if r.id is not None]
        existing = db.sessions_by_ids(conn, ids)
        seen: set[int] = set()
        batch: list[dict[str, Any]] = []
        therapy_ids: dict[str, int] = {}
        conflicts = []
        for row in rows:
            key = therapy_key(row.session.therapy)
            if key not in therapy_ids:
                therapy_ids[key] = resolve_therapy(conn, row.session.therapy, allow_new=True)
            values = session_values(row.session, therapy_ids[key])
            if row.id is not None:
                if row.id in seen:
                    conflicts.append(f"line {row.line}: id {row.id} appears twice in the file")
                    continue
                seen.add(row.id)
                if row.id in existing:
                    if existing[row.id] == _comparable(row.session):
                        skipped += 1
                    else:
                        conflicts.append(
                            f"line {row.line}: id {row.id} is already in the diary with other "
                            "values (empty the id cell to add it as a new session)"
                        )
                    continue
                values["id"] = row.id
            batch.append(values)
        if conflicts:
            raise InputError(
                "\n".join(
                    [
                        *conflicts[:MAX_BAD_ROWS_SHOWN],
                        f"{len(conflicts)} conflicting row(s); nothing was imported",
                    ]
                )
            )
        if batch:
            db.insert_sessions(conn, batch)
        added = len(batch)
        if dry_run:
            conn.rollback()
    return ImportResult(len(rows), added, skipped, dry_run)


def _comparable(session: SessionInput) -> tuple[Any, ...]:
    from migraine_diary.domain.models import cents, therapy_key

    return (
        to_storage(session.when),
        therapy_key(session.therapy),
        session.minutes,
        session.pain_before,
        session.pain_after,
        session.pain_later,
        cents(session.cost),
        session.provider,
        session.during_attack,
        session.notes,
    )
