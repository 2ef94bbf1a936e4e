"""The whole diary as one JSON document (`export --all`), its JSON Schema, and reading it back.

Every kind in `transfer.kinds.KINDS` is a top-level list of records in the shape `--json`
prints them. Written one record per line, streamed in one read transaction, so the document
is one moment of the diary whatever its size.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from migraine_diary import storage as db
from migraine_diary.domain.words import plural
from migraine_diary.errors import InputError
from migraine_diary.transfer.kinds import KINDS, Item, Kind
from migraine_diary.transfer.lines import import_lines
from migraine_diary.transfer.records import problems_error

FORMAT = "migraine-diary"
# Raised when a kind changes shape incompatibly; a kind added to KINDS keeps it (an older
# document simply has no list of that kind).
VERSION = 1
HEADER = ("format", "version", "exported_at")


def write_document(diary: db.Diary | None, out: IO[str], *, now: datetime) -> dict[str, int]:
    """The document, streamed; how many records of each kind it holds."""
    from migraine_diary.domain.dates import to_storage

    counts = {kind.name: 0 for kind in KINDS}
    out.write("{\n")
    out.write(f'  "format": "{FORMAT}",\n  "version": {VERSION},\n')
    out.write(f'  "exported_at": "{to_storage(now)}"')
    if diary is None:
        for kind in KINDS:
            out.write(f',\n  "{kind.name}": []')
    else:
        with diary.connect() as conn:  # one transaction: one moment of the diary
            for kind in KINDS:
                out.write(f',\n  "{kind.name}": [')
                for record in kind.export(conn):
                    out.write(",\n    " if counts[kind.name] else "\n    ")
                    out.write(json.dumps(record, ensure_ascii=False))
                    counts[kind.name] += 1
                out.write("\n  ]" if counts[kind.name] else "]")
    out.write("\n}\n")
    return counts


def schema() -> dict[str, Any]:
    """The document's JSON Schema (draft 2020-12), built from the registry of kinds."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "migraine-diary: the whole diary",
        "type": "object",
        "properties": {
            "format": {"const": FORMAT},
            "version": {"type": "integer", "minimum": 1, "maximum": VERSION},
            "exported_at": {"type": "string", "format": "date-time"},
            **{kind.name: {"type": "array", "items": kind.schema} for kind in KINDS},
        },
        "required": [*HEADER, *(kind.name for kind in KINDS)],
        "additionalProperties": False,
    }


def looks_like_document(path: Path) -> bool:
    """Whether a file to import is JSON (the document) rather than CSV: it begins with `{`."""
    with import_lines(path) as lines:
        for line in lines:
            if line.strip():
                return line.lstrip().startswith("{")
    return False


def read_document(path: Path) -> list[tuple[Kind, list[Item]]]:
    """Every record of the document, validated; every bad record reported, nothing kept."""
    with import_lines(path) as lines:
        text = "".join(lines)
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}: not valid JSON (line {error.lineno}: {error.msg}); nothing was imported"
        ) from None
    except ValueError as error:
        raise InputError(f"{path}: {error}; nothing was imported") from None
    _check_header(data, path)
    problems: list[str] = []
    batches = []
    for kind in KINDS:
        records = data.get(kind.name, [])
        if not isinstance(records, list):
            raise InputError(f"{path}: {kind.name} must be a list of records")
        items = []
        for number, record in enumerate(records):
            where = f"record {kind.name}[{number}]"
            try:
                items.append(_read_record(kind, record, where))
            except InputError as error:
                problems.append(f"{where}: {error.message}")
        batches.append((kind, items))
    if problems:
        raise problems_error(
            problems, f"{plural(len(problems), 'bad record')} in {path}; nothing was imported"
        )
    return batches


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON allows")


def _check_header(data: object, path: Path) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(
            f"{path} is not a migraine-diary document (its 'format' must be {FORMAT!r}); "
            "import takes the document `export --all` writes, or CSV"
        )
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InputError(f"{path}: version must be a whole number from 1 to {VERSION}")
    if version > VERSION:
        raise InputError(
            f"{path} was written by a newer migraine-diary (document version {version}; this "
            f"one reads up to {VERSION}): update migraine-diary to import it"
        )
    names = {kind.name for kind in KINDS}
    unknown = [name for name in data if name not in names and name not in HEADER]
    if unknown:
        raise InputError(
            f"{path}: unknown record kind {unknown[0][:40]!r}; the kinds are "
            f"{', '.join(sorted(names))}"
        )


def _read_record(kind: Kind, record: object, where: str) -> Item:
    if not isinstance(record, dict):
        raise InputError(f"a {kind.singular} must be a JSON object")
    known = kind.schema.get("properties", kind.fields)  # JSON-only fields too (detail, ...)
    unknown = [name for name in record if name not in known]
    if unknown:
        raise InputError(f"unknown field {unknown[0][:40]!r}")
    missing = [name for name in kind.required if name not in record]
    if missing:
        raise InputError(f"missing field {missing[0]!r}")
    return kind.read(record, where)
