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
    fields = kind.schema.get("properties", {})
    for name, value in record.items():
        _check_type(fields.get(name, {}), value, name)
    return kind.read(record, where)


# What each JSON type is called in a message (a value's own type, and what a field holds).
_TYPE_WORDS = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text in quotes",
    "boolean": "true or false",
    "null": "null",
    "array": "a list",
    "object": "an object",
}


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _types(schema: dict[str, Any]) -> list[str]:
    """The JSON types a schema allows (every one when it says none)."""
    if "anyOf" in schema:
        return [t for alternative in schema["anyOf"] for t in _types(alternative)]
    if "enum" in schema or "const" in schema:
        values = schema.get("enum", [schema.get("const")])
        return list(dict.fromkeys(_json_type(v) for v in values))
    declared = schema.get("type", list(_TYPE_WORDS))
    return [declared] if isinstance(declared, str) else list(declared)


def _has_type(value: object, allowed: list[str]) -> bool:
    found = _json_type(value)
    if found == "number" and "integer" in allowed:
        return not isinstance(value, float) or value.is_integer()  # as JSON Schema counts
    return found in allowed


def _check_type(schema: dict[str, Any], value: object, field: str) -> None:
    """A value of the JSON type the shipped schema gives its field, inside lists and
    objects too, so that what validates against `export --schema` is what imports: `"7"`
    for a peak, or `85` for a cost, is refused rather than read. The value is not shown."""
    allowed = _types(schema)
    if not _has_type(value, allowed):
        wanted = " or ".join(dict.fromkeys(_TYPE_WORDS[t] for t in allowed))
        raise InputError(f"{field} must be {wanted} (got {_TYPE_WORDS[_json_type(value)]})")
    for alternative in schema.get("anyOf", [schema]):
        if _has_type(value, _types(alternative)):
            schema = alternative
            break
    if isinstance(value, list) and "items" in schema:
        for number, item in enumerate(value):
            _check_type(schema["items"], item, f"{field}[{number}]")
    elif isinstance(value, dict) and "properties" in schema:
        for name, item in value.items():
            if name in schema["properties"]:
                _check_type(schema["properties"][name], item, f"{field}.{name}")
