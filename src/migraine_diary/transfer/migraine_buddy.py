"""Read the CSV that Migraine Buddy exports, so people can bring their history with them.

The export starts with a preamble table of ongoing events (``"Date","Time Period",
"Description","Notes"``, quoted cells may span lines), then a blank line, then the attack
table whose header starts ``"#","Started","Lasted"``. Parsing is pure and never raises on
a bad row: every unreadable field becomes a :class:`RowError` with its file line, so the
CLI can list them all at once and decide whether to write anything.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from migraine_diary.domain import dates
from migraine_diary.domain.buddy import RowError
from migraine_diary.domain.helpfulness import HELPFUL, SOMEWHAT, UNHELPFUL, UNSURE

COL_NUMBER = "#"
COL_STARTED = "Started"
COL_LASTED = "Lasted"
COL_START_OFFSET = "Start UTC Offset (min)"
COL_END_OFFSET = "End UTC Offset (min)"
COL_PAIN = "Pain Level"
COL_NOTES = "Notes"
COL_ATTACK_TYPES = "Attack Types"
COL_SYMPTOMS = "Symptoms"
COL_TRIGGERS = "Potential Triggers"
COL_POSITIONS = "Pain Positions"
COL_BOTHERSOME = "Most Bothersome Symptom"

#: Non-drug relief columns and the helpfulness each one means.
RELIEF_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Helpful Non Drug Relief Methods", HELPFUL),
    ("Somewhat Helpful Non Drug Relief Methods", SOMEWHAT),
    ("Unhelpful Non Drug Relief Methods", UNHELPFUL),
    ("Unsure Non Drug Relief Methods", UNSURE),
)

#: Medication columns and the helpfulness each one means.
MEDICATION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Helpful Medication", HELPFUL),
    ("Somewhat Helpful Medication", SOMEWHAT),
    ("Unhelpful Medication", UNHELPFUL),
    ("Unsure Medication", UNSURE),
)

#: Every column the export is known to have, to match header cells whatever their case.
KNOWN_COLUMNS: tuple[str, ...] = (
    COL_NUMBER,
    COL_STARTED,
    COL_LASTED,
    COL_START_OFFSET,
    COL_END_OFFSET,
    "Geohash",
    COL_ATTACK_TYPES,
    "Attack Location",
    COL_PAIN,
    "Affected Activities",
    COL_TRIGGERS,
    COL_SYMPTOMS,
    COL_BOTHERSOME,
    "Premonitory Symptoms",
    COL_POSITIONS,
    *(name for name, _ in MEDICATION_COLUMNS),
    *(name for name, _ in RELIEF_COLUMNS),
    COL_NOTES,
)
_CANONICAL = {name.casefold(): name for name in KNOWN_COLUMNS}
_HEADER_START = (COL_NUMBER, COL_STARTED, COL_LASTED)
_PREAMBLE_START = ("date", "time period", "description")
_REQUIRED = (COL_STARTED, COL_LASTED, COL_START_OFFSET, COL_PAIN)
# Columns mapped to fields, so not repeated in the notes.
_MAPPED = {
    COL_NUMBER,
    COL_STARTED,
    COL_LASTED,
    COL_START_OFFSET,
    COL_END_OFFSET,
    COL_PAIN,
    COL_NOTES,
    *(name for name, _ in MEDICATION_COLUMNS),
}
# Where someone was is more than a diary needs: never keep it.
_LOCATION_DATA = re.compile(r"geohash|latitude|longitude|\blat\b|\blon\b|\bgps\b|coordinat", re.I)
_MAX_OFFSET_MIN = 14 * 60
# The longest attack a row may hold: longer is a typo (or a hostile file), and a sum of
# huge days and hours would overflow the date.
MAX_LASTED_DAYS = 30

# ASCII digits only, as in every numeric field of the diary.
_STARTED = re.compile(
    r"^(?P<month>[0-9]{1,2})/(?P<day>[0-9]{1,2})/(?P<year>[0-9]{2}|[0-9]{4})\s+"
    r"(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2}))?\s*"
    r"(?P<ampm>[AaPp][Mm])?$"
)
_LASTED = re.compile(
    r"^(?:(?P<d>[0-9]+)\s*d)?\s*(?:(?P<h>[0-9]+)\s*h)?\s*(?:(?P<m>[0-9]+)\s*m(?:in)?)?$",
    re.I,
)
_OFFSET = re.compile(r"^[+-]?[0-9]{1,4}$")
_NONE_ITEM = re.compile(
    r"^(?:none|no\s+medications?|no\s+(?:non[\s-]?drug\s+)?relief(?:\s+methods?)?"
    r")$",
    re.I,
)
_MBS_WORDS = (
    ("nausea", re.compile(r"\b(?:nause\w*|vomit\w*)", re.I)),
    ("light", re.compile(r"\b(?:photophobi\w*|light)\b", re.I)),
    ("sound", re.compile(r"\b(?:phonophobi\w*|sound|noise)\b", re.I)),
)
_AURA = re.compile(r"\baura\b", re.I)
_NO_AURA = re.compile(r"\b(?:without|no|non)[\s-]+aura\b", re.I)


class NotMigraineBuddyExport(ValueError):
    """The text is not a Migraine Buddy CSV export (no attack table header found)."""


class BuddyMedication(NamedTuple):
    """A medication from one of the four helpfulness columns."""

    name: str
    helpfulness: str


@dataclass(frozen=True)
class BuddyAttack:
    """One attack read from the export; ``end`` None when ``Lasted`` was empty (still going on
    when exported: it counts as ongoing, for 72 hours at most).

    ``start`` and ``end`` carry the row's own UTC offsets. ``line`` is the 1-based file
    line where the record starts. ``notes`` keeps the columns without a field of their
    own, readable, never the geohash.
    """

    line: int
    number: str
    start: dt.datetime
    end: dt.datetime | None
    peak: int
    aura: bool
    medications: tuple[BuddyMedication, ...]
    notes: str
    triggers: tuple[str, ...] = ()
    symptoms: tuple[str, ...] = ()
    pain_positions: tuple[str, ...] = ()
    #: the cell as written (one symptom, or the app's own words), None when empty
    most_bothersome: str | None = None
    relief: tuple[BuddyMedication, ...] = ()
    mbs: str | None = None  # the most bothersome symptom: nausea, light, sound or other


@dataclass
class BuddyImport:
    """Everything read from one export.

    ``ongoing_skipped`` counts the preamble's ongoing events, which are not imported (a row
    saying there were none is no event); ``ongoing_rows`` the attacks among ``attacks``
    whose ``Lasted`` is empty or ongoing.
    """

    attacks: list[BuddyAttack] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    ongoing_skipped: int = 0
    ongoing_rows: int = 0

    @property
    def error_lines(self) -> list[int]:
        """The distinct lines with errors, in file order."""
        return sorted({e.line for e in self.errors})


def dedupe_key(attack: BuddyAttack) -> str:
    """A stable key (start and end instants in UTC, and peak) to spot an attack imported
    before: two rows with one start but another length or peak are two attacks. An attack
    still going when the file was exported has the end `ongoing`."""

    def utc(moment: dt.datetime) -> str:
        return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    end = utc(attack.end) if attack.end is not None else "ongoing"
    return f"migraine-buddy:{utc(attack.start)}:end={end}:peak={attack.peak}"


def _unix_lines(lines: Iterable[str]) -> Iterator[str]:
    """Lines ending in LF, whatever the file used (CR LF, or CR alone)."""
    for line in lines:
        if line.endswith("\r\n"):
            yield line[:-2] + "\n"
        elif line.endswith("\r"):
            yield line[:-1] + "\n"
        else:
            yield line


def _records(lines: Iterable[str]) -> Iterator[tuple[int, list[str] | None]]:
    """CSV records with the file line each starts on; None for a record csv cannot read."""
    reader = csv.reader(_unix_lines(lines))
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield line, None
            if reader.line_num < line:  # nothing consumed: stop rather than loop
                return
            continue
        yield line, row


def _split_list(value: str) -> list[str]:
    """Split a comma-separated cell, keeping commas inside parentheses, dropping 'none' items."""
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in value:
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        if ch == "," and depth == 0:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    cleaned = (" ".join(item.split()) for item in items)
    return [item for item in cleaned if item and not _NONE_ITEM.match(item)]


def _parse_started(value: str) -> dt.datetime | None:
    match = _STARTED.match(value.strip())
    if match is None:
        return None
    year = int(match["year"])
    if len(match["year"]) == 2:  # only a two-digit year is of this century; 0001 is year 1
        year += 2000
    hour = int(match["hour"])
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"].lower() == "pm" else 0)
    try:
        return dt.datetime(
            year,
            int(match["month"]),
            int(match["day"]),
            hour,
            int(match["minute"]),
            int(match["second"] or 0),
        )
    except ValueError:
        return None


def _parse_offset(value: str) -> int | None:
    if not _OFFSET.match(value.strip()):
        return None
    minutes = int(value.strip())
    return minutes if abs(minutes) <= _MAX_OFFSET_MIN else None


def _parse_lasted(value: str) -> dt.timedelta | None:
    match = _LASTED.match(value.strip())
    if match is None or not any(match.groupdict().values()):
        return None
    if any(len(part) > 9 for part in match.groupdict().values() if part):
        return None  # more than 30 days, however it is written
    minutes = (int(match["d"] or 0) * 24 + int(match["h"] or 0)) * 60 + int(match["m"] or 0)
    if minutes > MAX_LASTED_DAYS * 24 * 60:
        return None
    return dt.timedelta(minutes=minutes)


def _parse_pain(value: str) -> int | None:
    text = value.strip()
    if not text.isdigit() or not text.isascii():
        return None
    pain = int(text)
    return pain if 0 <= pain <= 10 else None


def _has_aura(*cells: str) -> bool:
    return any(
        _AURA.search(item) and not _NO_AURA.search(item)
        for cell in cells
        for item in _split_list(cell)
    )


def _bothersome(cell: str) -> str | None:
    """The most bothersome symptom as written (spaces collapsed); None when it says none."""
    text = " ".join(cell.split())
    return text if text and not _NONE_ITEM.match(text) else None


def most_bothersome(value: str) -> str | None:
    """The Most Bothersome Symptom column as the diary's field: nausea, light (photophobia)
    or sound (phonophobia) when the text names exactly one of them, else other; None when
    empty. The text itself stays in the notes."""
    if not _split_list(value):
        return None
    named = [mbs for mbs, words in _MBS_WORDS if words.search(value)]
    return named[0] if len(named) == 1 else "other"


def _notes(header: Sequence[str], cells: dict[str, str]) -> str:
    lines: list[str] = []
    for name in header:
        if name in _MAPPED or not name or _LOCATION_DATA.search(name):
            continue
        items = _split_list(cells.get(name, ""))
        if items:
            lines.append(f"{name}: {', '.join(items)}")
    original = cells.get(COL_NOTES, "").strip()
    if original:
        lines.append(f"Notes: {original}")
    return "\n".join(lines)


def _offset_message(column: str, value: str) -> str:
    return (
        f"{column} must be a whole number of minutes east of UTC, "
        f"from -{_MAX_OFFSET_MIN} to {_MAX_OFFSET_MIN} (got {value!r})"
    )


def _parse_row(
    line: int, header: Sequence[str], row: list[str], result: BuddyImport
) -> BuddyAttack | None:
    """One attack row, or None after recording its errors (or counting it unfinished)."""
    errors: list[RowError] = []
    if len(row) > len(header):
        extra = ", ".join(repr(c) for c in row[len(header) :] if c.strip())
        if extra:
            result.errors.append(
                RowError(line, COL_NUMBER, f"row has more cells than the header ({extra})")
            )
            return None
    cells = {name: (row[i] if i < len(row) else "") for i, name in enumerate(header)}

    started_text = cells[COL_STARTED]
    started = _parse_started(started_text)
    if started is None:
        errors.append(
            RowError(
                line,
                COL_STARTED,
                "Started must be a date and time like 11/16/24 13:12 "
                f"(month/day/two-digit year, 24-hour clock) (got {started_text!r})",
            )
        )
    elif not dates.in_range(started):
        errors.append(
            RowError(
                line, COL_STARTED, f"Started must be {dates.RANGE_RULE} (got {started_text!r})"
            )
        )
        started = None
    offset_text = cells[COL_START_OFFSET]
    start_offset = _parse_offset(offset_text)
    if start_offset is None:
        errors.append(
            RowError(line, COL_START_OFFSET, _offset_message(COL_START_OFFSET, offset_text))
        )
    end_offset_text = cells.get(COL_END_OFFSET, "")
    end_offset = start_offset
    if end_offset_text.strip():
        end_offset = _parse_offset(end_offset_text)
        if end_offset is None:
            errors.append(
                RowError(line, COL_END_OFFSET, _offset_message(COL_END_OFFSET, end_offset_text))
            )
    pain_text = cells[COL_PAIN]
    peak = _parse_pain(pain_text)
    if peak is None:
        errors.append(
            RowError(
                line,
                COL_PAIN,
                f"Pain Level must be a whole number from 0 to 10 (got {pain_text!r})",
            )
        )
    lasted_text = cells[COL_LASTED].strip()
    unfinished = lasted_text == "" or lasted_text.casefold() == "ongoing"
    lasted = None if unfinished else _parse_lasted(lasted_text)
    if not unfinished and lasted is None:
        errors.append(
            RowError(
                line,
                COL_LASTED,
                "Lasted must be a duration like 01h 00m or 1d 02h 15m of at most "
                f"{MAX_LASTED_DAYS} days, empty or ongoing (got {lasted_text!r})",
            )
        )
    result.errors.extend(errors)
    if errors or started is None or start_offset is None or end_offset is None or peak is None:
        return None
    start = started.replace(tzinfo=dt.timezone(dt.timedelta(minutes=start_offset)))
    end = None
    if lasted is None:  # empty or ongoing: no end yet
        result.ongoing_rows += 1
    else:
        end = (start + lasted).astimezone(dt.timezone(dt.timedelta(minutes=end_offset)))
    medications = tuple(
        BuddyMedication(name, helpfulness)
        for column, helpfulness in MEDICATION_COLUMNS
        for name in _split_list(cells.get(column, ""))
    )
    return BuddyAttack(
        line=line,
        number=cells[COL_NUMBER].strip(),
        start=start,
        end=end,
        peak=peak,
        aura=_has_aura(cells.get(COL_ATTACK_TYPES, ""), cells.get(COL_SYMPTOMS, "")),
        medications=medications,
        notes=_notes(header, cells),
        triggers=tuple(_split_list(cells.get(COL_TRIGGERS, ""))),
        symptoms=tuple(_split_list(cells.get(COL_SYMPTOMS, ""))),
        pain_positions=tuple(_split_list(cells.get(COL_POSITIONS, ""))),
        most_bothersome=_bothersome(cells.get(COL_BOTHERSOME, "")),
        relief=tuple(
            BuddyMedication(name, helpfulness)
            for column, helpfulness in RELIEF_COLUMNS
            for name in _split_list(cells.get(column, ""))
        ),
        mbs=most_bothersome(cells.get(COL_BOTHERSOME, "")),
    )


def _says_none(row: Sequence[str]) -> bool:
    """The preamble row of an export without ongoing events: "No ongoing events recorded
    during this period." """
    return any(c.strip().casefold().startswith("no ongoing events") for c in row)


def _is_header(row: Sequence[str]) -> bool:
    return tuple(_canonical(c) for c in row[:3]) == _HEADER_START


def _canonical(cell: str) -> str:
    name = " ".join(cell.split())
    return _CANONICAL.get(name.casefold(), name)


def parse_migraine_buddy(source: str | Iterable[str]) -> BuddyImport:
    """Parse a Migraine Buddy export, its text or its lines as they are read (with their line
    ends); raises :class:`NotMigraineBuddyExport` only for the file.

    Rows that cannot be read become ``errors``; the preamble's ongoing events are counted,
    not imported; rows without an end are attacks still ongoing.
    """
    if isinstance(source, str):
        source = io.StringIO(source.removeprefix("\ufeff"), newline="")
    result = BuddyImport()
    header: list[str] | None = None
    in_preamble = False
    for line, row in _records(source):
        if header is None:
            if row is None:
                continue
            if _is_header(row):
                header = [_canonical(c) for c in row]
                missing = [c for c in _REQUIRED if c not in header]
                if missing:
                    raise NotMigraineBuddyExport(
                        "not a Migraine Buddy export: the attack table has no "
                        + ", ".join(repr(c) for c in missing)
                        + " column"
                    )
            elif tuple(c.strip().casefold() for c in row[:3]) == _PREAMBLE_START:
                in_preamble = True
            elif in_preamble and any(c.strip() for c in row) and not _says_none(row):
                result.ongoing_skipped += 1
            continue
        if row is None:
            result.errors.append(RowError(line, COL_NUMBER, "row is not readable CSV"))
            continue
        if not any(c.strip() for c in row):
            continue
        attack = _parse_row(line, header, row, result)
        if attack is not None:
            result.attacks.append(attack)
    if header is None:
        raise NotMigraineBuddyExport(
            'not a Migraine Buddy export: no header row starting "#","Started","Lasted" found'
        )
    return result
