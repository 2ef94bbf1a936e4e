"""Bring the headaches of an Apple Health export into the diary (`migraine import --format
apple-health export.zip|export.xml`), reading the XML as a stream in constant memory.

Only `HKCategoryTypeIdentifierHeadache` records are read (startDate, endDate, value,
sourceName); every other record, workout or summary is skipped unread and never stored. A
document that declares entities is refused before it is parsed: an export never does, and
entities are how an XML file can expand to far more than its size.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from migraine_diary.domain.buddy import RowError
from migraine_diary.errors import InputError, field_error
from migraine_diary.transfer.attack_import import ImportPlan, check_attacks, offset_minutes
from migraine_diary.transfer.lines import import_file

SOURCE = "apple-health"
ZIP_MEMBER = "apple_health_export/export.xml"
ROOT = "HealthData"
HEADACHE = "HKCategoryTypeIdentifierHeadache"
UNIT = "headache record"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S %z"
DATE_RULE = "a date and time like 2024-01-05 08:30:00 +0100"
MAX_DAYS = 30
_PREFIX = "HKCategoryValueSeverity"
#: The Health app's severities and the peak pain (0-10) each stands for: the middle of the
#: band a numeric rating scale gives the word (mild 1-3, moderate 4-6, severe 7-10).
PEAKS = {"Mild": 2, "Moderate": 5, "Severe": 8}
#: A headache logged without a severity: the middle of the scale stands in, and says so.
UNSPECIFIED = "Unspecified"
UNSPECIFIED_PEAK = 5
#: "No headache": a record of a day without one, not an attack.
NOT_PRESENT = "NotPresent"
VALUES = (UNSPECIFIED, *PEAKS, NOT_PRESENT)
_CHUNK = 64 * 1024


class EntityRefused(ValueError):
    """The document declares an entity or names an outside DTD."""


@dataclass
class HealthRead:
    """What the headache records of one export held: the attacks' fields by record number,
    the records that could not be read, and the records saying there was no headache."""

    attacks: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    not_present: int = 0


def _refuse_entities(stream: IO[bytes]) -> None:
    """Read the prolog (up to the root element) with expat and refuse any entity declaration
    or outside DTD; the element and attribute declarations an export carries are fine."""

    class Prolog(Exception):
        """The root element began: the DTD, if any, is behind."""

    def refuse(*_: object) -> None:
        raise EntityRefused("it declares XML entities, which an export never does")

    def doctype(_name: str, system: str | None, public: str | None, _internal: int) -> None:
        if system or public:
            raise EntityRefused("it names an outside DTD, which an export never does")

    def root(*_: object) -> None:
        raise Prolog

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        while chunk := stream.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except Prolog:
        return
    except expat.ExpatError:
        return  # unreadable XML: the real parse says where


def _moment(record: dict[str, str], name: str, number: int, errors: list[RowError]) -> Any:
    text = record.get(name, "")
    try:
        moment = dt.datetime.strptime(text.strip(), DATE_FORMAT)
    except ValueError:
        errors.append(RowError(number, name, field_error(name, DATE_RULE, text).message, UNIT))
        return None
    return moment


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def headache(
    record: dict[str, str], number: int, source: str, result: HealthRead
) -> dict[str, Any] | None:
    """One headache record as an attack's fields, or None (a record of no headache, or one
    that cannot be read: its errors recorded)."""
    value = record.get("value", "")
    word = value.removeprefix(_PREFIX) if value.startswith(_PREFIX) else None
    if word == NOT_PRESENT:
        result.not_present += 1
        return None
    errors: list[RowError] = []
    if word not in VALUES:
        rule = "one of " + ", ".join(_PREFIX + v for v in VALUES)
        errors.append(RowError(number, "value", field_error("value", rule, value).message, UNIT))
    start = _moment(record, "startDate", number, errors)
    end = _moment(record, "endDate", number, errors)
    if start is not None and end is not None and end - start > dt.timedelta(days=MAX_DAYS):
        message = f"endDate must be at most {MAX_DAYS} days after startDate"
        errors.append(RowError(number, "endDate", message, UNIT))
    result.errors.extend(errors)
    if errors or word is None:
        return None
    peak = PEAKS.get(word, UNSPECIFIED_PEAK)
    notes = f"Apple Health severity: {word}"
    if word == UNSPECIFIED:
        notes += f" (no severity given: the peak {peak} stands in for one)"
    recorder = " ".join(record.get("sourceName", "").split())
    if recorder:
        notes += f"\nRecorded with: {recorder}"
    return {
        "start": start,
        "end": end,
        "peak": peak,
        "notes": notes,
        "source": source,
        "import_key": f"{SOURCE}:{_utc(start)}:end={_utc(end)}:peak={peak}",
        "start_offset": offset_minutes(start),
        "end_offset": offset_minutes(end),
    }


def parse_apple_health(stream: IO[bytes], name: str, source: str = SOURCE) -> HealthRead:
    """Read an export.xml stream (`name` for messages, `source` for the attacks): each
    element is dropped once read, so memory stays the same whatever the export's size.
    Raises InputError for a file that is not an export."""
    result = HealthRead()
    number = 0
    depth = 0
    root: ET.Element | None = None
    try:
        for event, element in ET.iterparse(stream, events=("start", "end")):
            if event == "start":
                if root is None:
                    if element.tag != ROOT:
                        raise InputError(
                            f"{name}: not an Apple Health export (its root element is not {ROOT})"
                        )
                    root = element
                depth += 1
                continue
            depth -= 1
            if depth != 1 or root is None:
                continue
            # a whole child of HealthData: read it if it is a headache, then let it go
            if element.tag == "Record" and element.get("type") == HEADACHE:
                number += 1
                attack = headache(dict(element.attrib), number, source, result)
                if attack is not None:
                    result.attacks.append((number, attack))
            root.clear()
    except ET.ParseError as error:
        line, column = error.position
        raise InputError(
            f"{name}: not readable XML at line {line}, column {column + 1}; nothing was imported"
        ) from None
    if root is None:
        raise InputError(f"{name}: not an Apple Health export (no {ROOT} element)")
    return result


@contextmanager
def export_xml(path: Path) -> Iterator[Callable[[], AbstractContextManager[IO[bytes]]]]:
    """A way to open the export.xml stream, as many times as needed: the file itself, or
    the member of the zip the Health app writes, read without extracting it."""
    with import_file(path) as handle:
        if not zipfile.is_zipfile(handle):

            def again() -> AbstractContextManager[IO[bytes]]:
                handle.seek(0)
                return nullcontext(handle)

            yield again
            return
        try:
            archive = zipfile.ZipFile(handle)
        except zipfile.BadZipFile:
            raise InputError(f"{path}: not a readable zip file") from None
        with archive:
            if ZIP_MEMBER not in archive.namelist():
                raise InputError(f"{path}: not an Apple Health export (no {ZIP_MEMBER} in the zip)")
            yield lambda: archive.open(ZIP_MEMBER)


def read_apple_health(path: Path) -> HealthRead:
    """Read an export.zip or export.xml; a file that is not one is refused."""
    try:
        with export_xml(path) as opened:
            with opened() as head:
                try:
                    _refuse_entities(head)
                except EntityRefused as error:
                    raise InputError(f"{path}: not read: {error}") from None
            with opened() as stream:
                return parse_apple_health(stream, str(path), f"{SOURCE}:{path.name}")
    except (zipfile.BadZipFile, NotImplementedError, EOFError) as error:
        raise InputError(f"{path}: not a readable zip file ({error})") from None


def check_apple_health(path: Path, *, skip_bad: bool, now: dt.datetime) -> ImportPlan:
    """Read and check an export before the diary is opened: with bad headache records this
    refuses the whole file unless `skip_bad`."""
    read = read_apple_health(path)
    return check_attacks(
        str(path),
        read.attacks,
        read.errors,
        skip_bad=skip_bad,
        now=now,
        unit=UNIT,
        not_attacks=read.not_present,
    )
