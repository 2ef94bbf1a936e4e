"""CSV for each kind of record: written for spreadsheets, read back from what they save.

Reading takes what spreadsheet programs write: `,`, `;` or tab as the delimiter (told by the
header), `3.0` for 3 in whole-number fields, rows left entirely empty, UTF-8 with or without a
byte-order mark and UTF-16 with one. The kind is told by the header, or by `--what`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import IO, Any

from migraine_diary import storage as db
from migraine_diary.domain.words import plural
from migraine_diary.errors import InputError, field_error
from migraine_diary.transfer import kinds as k
from migraine_diary.transfer.lines import import_lines
from migraine_diary.transfer.records import problems_error
from migraine_diary.transfer.sessions import CLIENT_COLUMN, neutralise, restore, write_csv

DELIMITERS = (",", ";", "\t")
BOM = "\ufeff"


# --------------------------------------------------------------------------- writing


def write_kind(
    diary: db.Diary | None,
    kind: k.Kind,
    out: IO[str],
    *,
    local: bool = False,
    excel: bool = False,
    clients: bool = False,
) -> int:
    """Every record of a kind, oldest first, header first; the number of rows.

    `excel`: a UTF-8 byte-order mark first, so that spreadsheet programs read every letter
    (the lines end in CR LF either way). `local`: instants with the local offset, not UTC.
    `clients`: sessions in UTC, each row led by its client (the cli allows nothing else).
    """
    if excel:
        out.write(BOM)
    if kind is k.SESSIONS and not local:
        return write_csv(
            diary, out, clients=clients
        )  # the fast path: formatted in SQL, no Python per cell
    writer = csv.writer(out)
    writer.writerow(kind.columns)
    if diary is None:
        return 0
    count = 0
    with diary.connect() as conn:
        for record in kind.export(conn):
            writer.writerow(cells(kind, record, local=local))
            count += 1
    return count


def cells(kind: k.Kind, record: dict[str, Any], *, local: bool = False) -> list[str]:
    """A record's JSON shape as CSV cells, in the kind's column order."""
    row = []
    flat = kind.row(record)
    for name, holds in kind.fields.items():
        value = flat.get(name)
        if value is None:
            row.append("")
        elif holds in (k.BOOL, k.MAYBE):
            row.append("true" if value else "false")
        elif holds == k.INSTANT:
            row.append(k.local_instant(value) if local else value)
        elif holds == k.DOSES:
            row.append(neutralise(k.doses_cell(value, local=local)))
        elif holds == k.LIST:
            row.append(neutralise(k.list_cell(value)))
        elif holds == k.RELIEF:
            row.append(neutralise(k.relief_cell(value)))
        elif holds in (k.TEXT, k.RECORDED):
            row.append(neutralise(value))
        else:
            row.append(str(value))
    return row


def write_json_list(diary: db.Diary | None, kind: k.Kind, out: IO[str]) -> int:
    """A JSON list of one kind's records, one per line, streamed."""
    import json

    out.write("[")
    count = 0
    if diary is not None:
        with diary.connect() as conn:
            for record in kind.export(conn):
                out.write(",\n  " if count else "\n  ")
                out.write(json.dumps(record, ensure_ascii=False))
                count += 1
    out.write("\n]\n" if count else "]\n")
    return count


# --------------------------------------------------------------------------- reading


def read_csv(path: Path, what: str | None = None) -> tuple[k.Kind, list[k.Item]]:
    """Read and validate every row before anything is written; report every bad row."""
    with import_lines(path) as lines:
        skipped, first = _first_line(lines)
        if first is None:
            columns = ", ".join(k.SESSIONS.columns)
            raise InputError(f"{path} is empty: expected a header row with {columns}")
        _not_another_format(first, path)
        delimiter = max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","
        reader = csv.reader(chain([first], lines), delimiter=delimiter, strict=True)
        items: list[k.Item] = []
        problems: list[str] = []
        kind: k.Kind | None = None
        header: list[str] = []
        previous_end = skipped
        try:
            for record in reader:
                start, previous_end = previous_end + 1, skipped + reader.line_num
                if not any(cell.strip() for cell in record):
                    continue  # a row a spreadsheet left empty
                if kind is None:
                    kind, header = _check_header(record, path, what)
                    continue
                try:
                    items.append(_parse_row(kind, record, header, f"line {start}", delimiter))
                except InputError as error:
                    problems.append(f"line {start}: {error.message}")
        except csv.Error as error:
            problems.append(f"line {previous_end + 1}: not valid CSV ({error})")
    assert kind is not None
    if problems:
        raise problems_error(
            problems, f"{plural(len(problems), 'bad row')} in {path}; nothing was imported"
        )
    return kind, items


# The first cells of a Migraine Buddy export: its table of ongoing events, or its attacks'.
BUDDY_HEADERS = (("Date", "Time Period"), ("#", "Started", "Lasted"))


def _not_another_format(first: str, path: Path) -> None:
    """A file `import` reads in another way, told by its first line, is named with the
    option that reads it, rather than refused for its "unknown column"."""
    start = first.lstrip(BOM).lstrip()
    if start.startswith("["):
        raise InputError(
            f"{path} is a JSON list of records (what `export --format json` writes): import "
            "reads CSV or the whole-diary document (`migraine export --all`)"
        )
    if start.startswith("<"):
        raise InputError(
            f"{path} is XML: an Apple Health export (export.xml or export.zip) is imported "
            "with --format apple-health"
        )
    cells = [cell.strip().strip('"').strip() for cell in re.split("[,;\t]", start)]
    if cells[:1] == [CLIENT_COLUMN] and "therapy" in cells:
        raise InputError(
            f"{path} holds a practice's sessions, each with its client (what `export "
            "--all-clients` writes): import takes one client's diary at a time (`migraine "
            "--client NAME export`, then `migraine --client NAME import FILE`)"
        )
    if any(tuple(cells[: len(first_cells)]) == first_cells for first_cells in BUDDY_HEADERS):
        raise InputError(
            f"{path} is a Migraine Buddy export: import it with --format migraine-buddy"
        )


def _first_line(lines: Iterator[str]) -> tuple[int, str | None]:
    """How many blank lines come before the header, and the header's line."""
    skipped = 0
    for line in lines:
        if line.strip():
            return skipped, line
        skipped += 1
    return skipped, None


def kind_of(header: list[str], what: str | None) -> k.Kind:
    """The kind `--what` names, or the one whose columns the header has most of (sessions
    when none: its messages then say which columns are missing)."""
    if what is not None:
        return k.BY_NAME[what]
    return max(k.CSV_KINDS, key=lambda kind: len(set(header) & set(kind.columns)))


def _check_header(record: list[str], path: Path, what: str | None) -> tuple[k.Kind, list[str]]:
    header = [name.strip() for name in record]
    kind = kind_of(header, what)
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise InputError(f"{path}: column {duplicated[0]!r} appears more than once")
    unknown = [name for name in header if name not in kind.columns]
    if unknown:
        raise InputError(
            f"{path}: unknown column {unknown[0][:40]!r}; the columns of a {kind.name} file "
            f"are {', '.join(kind.columns)}"
        )
    missing = [name for name in kind.required if name not in header]
    if missing:
        raise InputError(
            f"{path}: missing column {missing[0]!r}; a {kind.name} file needs "
            f"{', '.join(kind.required)}"
        )
    return kind, header


def _parse_row(
    kind: k.Kind, record: list[str], header: list[str], where: str, delimiter: str = ","
) -> k.Item:
    if len(record) != len(header):
        raise InputError(f"has {len(record)} cells where the header has {len(header)}")
    values: dict[str, Any] = {}
    for name, text in zip(header, record, strict=True):
        values[name] = cell_value(kind.fields[name], name, text, delimiter)
    return kind.read(values, where)


# An amount with a decimal comma and nothing else: `85,50` (never `1.234,50` or `1,234,50`).
_DECIMAL_COMMA = re.compile(r"\s*(\d+),(\d+)\s*")


def cell_value(holds: str, name: str, text: str, delimiter: str = ",") -> Any:
    """A CSV cell as the value the JSON document would hold there (None for empty).

    Money in a file separated by `;` or tabs may have a decimal comma, as the locales that
    write such files do; where a comma separates cells, `85,50` stays refused."""
    if holds == k.MONEY and delimiter != ",":
        found = _DECIMAL_COMMA.fullmatch(text)
        if found:
            return f"{found[1]}.{found[2]}"
    if holds in (k.TEXT, k.DOSES, k.LIST, k.RELIEF, k.RECORDED):
        text = restore(text)
        if holds == k.DOSES:
            return k.read_doses_cell(text)
        if holds == k.LIST:
            return k.read_list_cell(text)
        if holds == k.RELIEF:
            return k.read_relief_cell(text)
        return text if text.strip() else None
    if holds == k.BOOL:
        word = text.strip().lower()
        if word not in k.BOOLEANS:
            from migraine_diary.domain.models import RULES

            raise field_error(name, RULES[name], text)
        return k.BOOLEANS[word]
    if holds == k.MAYBE:
        word = text.strip().lower()
        if word and word not in k.BOOLEANS:
            raise field_error(name, "true, false or empty", text)
        return k.BOOLEANS[word] if word else None
    if holds in (k.WHOLE, k.ID):
        text = k.whole_cell(text)
    if holds == k.INSTANT and name == "when":
        return text  # a session's time is required: an empty one is reported as written
    return text if text.strip() else None
