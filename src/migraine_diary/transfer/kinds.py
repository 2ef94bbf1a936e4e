"""The kinds of record a diary holds, for files: one registry entry per kind says its JSON
shape and schema, its CSV columns, how to read one back, and when two are the same record.

A feature that adds a kind of record adds one `Kind` to `KINDS`: the whole-diary document,
its schema, CSV export and import, and `--update` then carry it with nothing else changed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from migraine_diary import storage as db
from migraine_diary.domain.dates import (
    LOCAL,
    RANGE_RULE,
    from_storage,
    parse_written,
    to_storage,
)
from migraine_diary.errors import InputError, field_error

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

# What each field holds, for reading it from a CSV cell and writing it to one.
ID, WHOLE, BOOL, TEXT, INSTANT, MONEY, DAY, DOSES, WORD, LIST, RELIEF, RECORDED, MAYBE = (
    "id",
    "whole",
    "bool",
    "text",
    "instant",
    "money",
    "day",
    "doses",
    "word",
    "list",  # a list of text, one `a; b` cell
    "relief",  # relief methods, one `method = helpfulness; ...` cell
    "recorded",  # a recorded local time with its offset: 2024-11-16T13:12:00+01:00
    "maybe",  # true, false or empty (not known)
)
BOOLEANS = {
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "yes": True,
    "no": False,
    "": False,
}
# A spreadsheet writes a whole number it has touched as 3.0 or 45.00: the same number.
_ZERO_FRACTION = re.compile(r"^\s*([+-]?[0-9]+)\.0+\s*$")


@dataclass(frozen=True)
class Item:
    """One record read from a file and validated: where it was, its identity in the diary
    (None: a new record), its JSON shape as `export` writes it, and what is stored."""

    where: str
    key: Any  # hashable; None for a new record
    record: dict[str, Any]
    value: Any


@dataclass(frozen=True)
class Kind:
    """One kind of record, as files carry it."""

    name: str  # the document's key and `--what`: "sessions"
    singular: str  # in messages: "session"
    # Its CSV columns in order, with what each holds: the JSON shape's fields, or for a kind
    # whose JSON nests some (attacks' detail), what `row` flattens them to.
    fields: dict[str, str]
    schema: dict[str, Any]  # JSON Schema of one record
    required: tuple[str, ...]  # fields a CSV file must have (and a document record)
    export: Callable[[Connection], Iterator[dict[str, Any]]]  # every record, oldest first
    read: Callable[[Mapping[str, Any], str], Item]  # one record from a file, or InputError
    stored: Callable[[Connection, list[Any]], dict[Any, dict[str, Any]]]  # by key, JSON shape
    compared: Callable[[dict[str, Any]], dict[str, Any]]  # what decides "the same record"
    add: Callable[[Connection, list[Item]], None]
    change: Callable[[Connection, Item], None]
    label: Callable[[Any], str]  # the record in a message, without any text it holds
    csv: bool = True  # whether `export --what` and CSV import take it
    # The record's JSON shape as CSV columns (for a kind whose JSON nests what CSV flattens).
    row: Callable[[dict[str, Any]], dict[str, Any]] = lambda record: record
    # Fields `import --update` refuses to change, and the one line that says why.
    fixed: tuple[str, ...] = ()
    fixed_why: str = ""
    # What a change takes with it besides its fields (a dose's ratings), one line each.
    losses: Callable[[Connection, Item], list[str]] = lambda conn, item: []

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.fields)


# ---------------------------------------------------------------------- shared readers


def read_id(value: object, *, field_name: str = "id") -> int | None:
    """An id from a file: a whole number a JSON reader keeps exact, or empty."""
    from migraine_diary.domain.models import MAX_IMPORTED_ID, RULES, parse_whole

    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise field_error(field_name, RULES["imported_id"], value)
    return parse_whole(
        str(value), field=field_name, rule=RULES["imported_id"], high=MAX_IMPORTED_ID
    )


def read_moment(value: object, field_name: str) -> object:
    """An instant as written (ISO 8601 with its offset, or a local date and time; never
    `yesterday`, which would be another day on each import)."""
    if isinstance(value, str):
        return parse_written(value, field=field_name) if value.strip() else None
    return value


def read_day(value: object, field_name: str, *, today: dt.date | None = None) -> str:
    """A local day 'YYYY-MM-DD' that has happened, in the diary's range."""
    from migraine_diary.domain import dates
    from migraine_diary.domain.models import RULES

    if not isinstance(value, str):
        raise field_error(field_name, RULES["date"], value)
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise field_error(field_name, RULES["date"], value) from None
    if not dates.in_range(day):
        raise field_error(field_name, RANGE_RULE, value)
    if day > (today or dates.current_day()):
        raise field_error(field_name, RULES["date"], value)
    return day.isoformat()


def whole_cell(text: str) -> str:
    """`3.0` and `45.00` as `3` and `45`; anything else as written (so `3.5` is refused)."""
    found = _ZERO_FRACTION.match(text)
    return found.group(1) if found else text


def local_instant(text: str) -> str:
    """A stored UTC instant with the local offset instead: `2026-10-01T18:30:00+02:00`."""
    return from_storage(text).astimezone(LOCAL).isoformat(timespec="seconds")


# ------------------------------------------------------------------------- sessions


def _export_sessions(conn: Connection) -> Iterator[dict[str, Any]]:
    from migraine_diary.diary.sessions import each_session

    for session in each_session(conn, db.Filters(), newest_first=False):
        yield session.to_json()


def _read_session(values: Mapping[str, Any], where: str) -> Item:
    from migraine_diary.domain.models import validate_session

    cells = dict(values)
    row_id = read_id(cells.pop("id", None))
    when = cells.get("when")
    if isinstance(when, str) and when.strip():
        cells["when"] = parse_written(when)
    if cells.get("cost") is None:
        cells["cost"] = "0"
    if cells.get("during_attack") is None:
        cells["during_attack"] = False
    if isinstance(cells.get("during_attack"), str):
        cells["during_attack"] = _boolean(cells["during_attack"], "during_attack")
    session = validate_session(cells)
    record = {
        "id": row_id,
        "when": to_storage(session.when),
        "therapy": session.therapy,
        "minutes": session.minutes,
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "pain_later": session.pain_later,
        "cost": f"{session.cost:.2f}",
        "provider": session.provider,
        "during_attack": session.during_attack,
        "notes": session.notes,
    }
    return Item(where, row_id, record, session)


def _stored_sessions(conn: Connection, ids: list[Any]) -> dict[Any, dict[str, Any]]:
    from migraine_diary.diary.sessions import session_from_row

    return {r[0]: session_from_row(r).to_json() for r in db.sessions_by_ids(conn, ids)}


def _compared_session(record: dict[str, Any]) -> dict[str, Any]:
    from migraine_diary.domain.models import therapy_key

    same = {name: value for name, value in record.items() if name != "id"}
    same["therapy"] = therapy_key(record["therapy"])  # 'CST' and 'cst' are one therapy
    return same


class _Therapies:
    """Therapy ids by key for one import, each looked up (or added) once."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.ids: dict[str, int] = {}

    def __call__(self, name: str) -> int:
        from migraine_diary.diary.sessions import resolve_therapy
        from migraine_diary.domain.models import therapy_key

        key = therapy_key(name)
        if key not in self.ids:
            self.ids[key] = resolve_therapy(self.conn, name, allow_new=True)
        return self.ids[key]


def _add_sessions(conn: Connection, items: list[Item]) -> None:
    from migraine_diary.domain.models import session_values

    therapy = _Therapies(conn)
    batch = []
    for item in items:
        values = session_values(item.value, therapy(item.value.therapy))
        if item.key is not None:
            values["id"] = item.key
        batch.append(values)
    if batch:
        db.insert_sessions(conn, batch)


def _change_session(conn: Connection, item: Item) -> None:
    from migraine_diary.domain.models import session_values

    db.update_session(
        conn, item.key, session_values(item.value, _Therapies(conn)(item.value.therapy))
    )


# -------------------------------------------------------------------------- attacks

HELPFULNESS_VALUES = ["helpful", "somewhat", "unhelpful", "unsure", None]


def _attack_json(attack: Any, import_key: str | None, mbs: str | None) -> dict[str, Any]:
    """`attack list --json`'s shape, with the import key and the most bothersome symptom
    (`mbs`, named as `attack show --json` names it)."""
    return {**attack.to_json(), "import_key": import_key, "mbs": mbs}


def _export_attacks(conn: Connection) -> Iterator[dict[str, Any]]:
    from migraine_diary.diary.attacks import each_attack

    chosen = db.all_mbs(conn)
    for attack, import_key in each_attack(conn, newest_first=False):
        yield _attack_json(attack, import_key, chosen.get(attack.id))


def _read_attack(values: Mapping[str, Any], where: str) -> Item:
    from migraine_diary.domain.models import validate_attack

    cells = dict(values)
    row_id = read_id(cells.pop("id", None))
    for name in ("start", "end"):
        cells[name] = read_moment(cells.get(name), name)
    for name in ("aura",):
        if isinstance(cells.get(name), str):
            cells[name] = _boolean(cells[name], name)
        elif cells.get(name) is None:
            cells[name] = False
    if not cells.get("source"):
        cells.pop("source", None)
    if cells.get("import_key") in ("", None):
        cells["import_key"] = None
    doses = cells.get("medications")
    if doses is None:
        doses = []
    if not isinstance(doses, list) or not all(isinstance(d, dict) for d in doses):
        raise InputError("medications must be a list of {name, helpfulness, taken_at}")
    cells["medications"] = [_read_dose(dose) for dose in doses]
    cells.update(_read_detail(cells.pop("detail", None), cells.pop("local_time", None)))
    cells.update(_read_flat_detail(cells))
    if cells.get("mbs") is not None:
        cells["mbs"] = _read_mbs(cells["mbs"])
    attack = validate_attack(cells)
    record = {
        "id": row_id,
        "start": to_storage(attack.start),
        "end": to_storage(attack.end) if attack.end else None,
        "peak": attack.peak,
        "aura": attack.aura,
        "medications": [
            {
                "name": med.name,
                "helpfulness": med.helpfulness,
                "taken_at": to_storage(med.taken_at) if med.taken_at else None,
            }
            for med in attack.medications
        ],
        "notes": attack.notes,
        "source": attack.source,
        "detail": {
            "triggers": list(attack.triggers),
            "symptoms": list(attack.symptoms),
            "pain_positions": list(attack.pain_positions),
            "most_bothersome": attack.most_bothersome,
            "relief": [{"method": r.method, "helpfulness": r.helpfulness} for r in attack.relief],
        },
        "local_time": _local_time(attack),
        "import_key": attack.import_key,
        "mbs": attack.mbs,
    }
    return Item(where, row_id, record, attack)


DETAIL_LISTS = ("triggers", "symptoms", "pain_positions")
# The attack's detail and recorded local times as CSV columns (the document nests them).
FLAT_DETAIL = (*DETAIL_LISTS, "most_bothersome", "relief", "local_start", "local_end")


def _local_time(attack: Any) -> dict[str, Any] | None:
    """The `local_time` object `attack show --json` writes, from the recorded offsets."""
    if attack.start_offset is None:
        return None

    def at(moment: dt.datetime | None, offset: int | None) -> str | None:
        if moment is None or offset is None:
            return None
        zone = dt.timezone(dt.timedelta(minutes=offset))
        return moment.astimezone(zone).isoformat(timespec="seconds")

    end_offset = attack.end_offset if attack.end_offset is not None else attack.start_offset
    return {
        "start": at(attack.start, attack.start_offset),
        "end": at(attack.end, end_offset),
        "start_offset": attack.start_offset,
        "end_offset": attack.end_offset,
    }


def _read_mbs(value: object) -> str:
    from migraine_diary.domain.acute import MBS, MBS_WORDS

    if not isinstance(value, str) or value.strip().casefold() not in MBS:
        raise field_error("mbs", MBS_WORDS, value)
    return value.strip().casefold()


def _read_flat_detail(cells: dict[str, Any]) -> dict[str, Any]:
    """A CSV row's detail columns (lists already split) and its recorded local times as the
    attack's input fields; `local_start` must be the attack's start, at the offset recorded."""
    out: dict[str, Any] = {}
    for name in (*DETAIL_LISTS, "most_bothersome", "relief"):
        if name in cells:
            value = cells.pop(name)
            if value is not None:
                out[name] = value
    for name, instant in (("local_start", "start"), ("local_end", "end")):
        if name not in cells:
            continue
        text = cells.pop(name)
        if text is None:
            continue
        rule = f"the attack's {instant} at the UTC offset recorded: 2024-11-16T13:12:00+01:00"
        try:
            moment = dt.datetime.fromisoformat(str(text).strip())
        except ValueError:
            raise field_error(name, rule, text) from None
        offset = moment.utcoffset()
        if offset is None or cells.get(instant) is None or moment != cells[instant]:
            raise field_error(name, rule, text)
        out[f"{instant}_offset"] = int(offset.total_seconds() // 60)
    if "end_offset" in out and "start_offset" not in out:
        raise field_error("local_start", "given whenever local_end is", "")
    return out


def _read_detail(detail: Any, local_time: Any) -> dict[str, Any]:
    """The document's `detail` and `local_time` objects (as `attack show --json` writes them)
    as the attack's input fields; a CSV has neither."""
    out: dict[str, Any] = {}
    if detail is not None:
        if not isinstance(detail, dict):
            raise InputError("detail must be an object of triggers, symptoms, ...")
        for name in (*DETAIL_LISTS, "most_bothersome", "relief"):
            if detail.get(name) is not None:
                out[name] = detail[name]
    if local_time is not None:
        if not isinstance(local_time, dict):
            raise InputError("local_time must be an object of start, end and their offsets")
        out["start_offset"] = local_time.get("start_offset")
        out["end_offset"] = local_time.get("end_offset")
    return out


def _read_dose(dose: dict[str, Any]) -> dict[str, Any]:
    unknown = [name for name in dose if name not in ("name", "class", "helpfulness", "taken_at")]
    if unknown:
        raise InputError(f"medications: unknown field {unknown[0][:40]!r}")
    return {
        "name": dose.get("name"),
        "helpfulness": dose.get("helpfulness"),
        "taken_at": read_moment(dose.get("taken_at"), "taken_at"),
    }


def _stored_attacks(conn: Connection, ids: list[Any]) -> dict[Any, dict[str, Any]]:
    from migraine_diary.diary.attacks import attacks_from

    rows = db.attacks_by_ids(conn, ids)
    chosen = db.all_mbs(conn) if rows else {}
    return {
        attack.id: _attack_json(attack, row[7], chosen.get(attack.id))
        for attack, row in zip(attacks_from(conn, rows), rows, strict=True)
    }


def _attack_row(record: dict[str, Any]) -> dict[str, Any]:
    """An attack's JSON shape with its detail and recorded local times as CSV columns."""
    flat = {name: value for name, value in record.items() if name not in ("detail", "local_time")}
    detail = record.get("detail") or {}
    for name in (*DETAIL_LISTS, "relief"):
        flat[name] = detail.get(name) or []
    flat["most_bothersome"] = detail.get("most_bothersome")
    local = record.get("local_time") or {}
    flat["local_start"] = local.get("start")
    # An end at the start's offset (none recorded for it) stays empty, so it reads back so.
    flat["local_end"] = local.get("end") if local.get("end_offset") is not None else None
    flat["mbs"] = flat.pop("mbs", None)  # in the order of the CSV columns
    return flat


def _compared_attack(record: dict[str, Any]) -> dict[str, Any]:
    """Every field but the id, detail lists as the `a; b` text a CSV cell holds (so a change
    reads `triggers 'stress' -> 'stress; sleep'`)."""
    flat = _attack_row(record)
    same = {name: value for name, value in flat.items() if name != "id"}
    # A dose's class is looked up from its name when read, never stored with it.
    same["medications"] = [
        {name: value for name, value in dose.items() if name != "class"}
        for dose in record["medications"]
    ]
    for name in DETAIL_LISTS:
        same[name] = list_cell(flat[name]) or None
    same["relief"] = relief_cell(flat["relief"]) or None

    return same


def _attack_values(item: Item) -> dict[str, Any]:
    record = item.record
    return {
        "id": item.key,
        "start": record["start"],
        "end": record["end"],
        "peak": record["peak"],
        "aura": record["aura"],
        "notes": record["notes"],
        "source": record["source"],
        "import_key": record["import_key"],
    }


def _dose_rows(item: Item, attack_id: int) -> list[dict[str, Any]]:
    return [{"attack_id": attack_id, **dose} for dose in item.record["medications"]]


def _add_attacks(conn: Connection, items: list[Item]) -> None:
    from migraine_diary.diary.attacks import detail_rows

    keys = [i.record["import_key"] for i in items if i.record["import_key"] is not None]
    _refuse_repeated_keys(conn, items, keys)
    for item in items:
        attack_id = db.insert_attack_with_id(conn, _attack_values(item))
        db.insert_medications(conn, _dose_rows(item, attack_id))
        attack = item.value
        db.insert_details(conn, detail_rows(attack, attack_id))
        if attack.start_offset is not None:
            db.insert_origin(conn, attack_id, attack.start_offset, attack.end_offset)
        if attack.mbs is not None:
            db.set_mbs(conn, attack_id, attack.mbs)


def _refuse_repeated_keys(conn: Connection, items: list[Item], keys: list[str]) -> None:
    """An attack imported from another app is in a diary once: the same import key twice
    (in the file, or under another id in the diary) is a conflict, not a second attack."""
    held = db.attack_ids_by_import_key(conn, keys)
    seen: set[str] = set()
    for item in items:
        key = item.record["import_key"]
        if key is None:
            continue
        if key in seen:
            raise InputError(f"{item.where}: the same imported attack appears twice in the file")
        seen.add(key)
        if key in held and held[key] != item.key:
            raise InputError(
                f"{item.where}: this imported attack is already in the diary as attack "
                f"{held[key]}; nothing was imported"
            )


def _change_attack(conn: Connection, item: Item) -> None:
    """The file's values, detail and recorded local times included. When the doses changed,
    a dose of the same name and time keeps its row, and so its ratings."""
    from migraine_diary.diary.attacks import detail_rows

    stored = _stored_attacks(conn, [item.key])[item.key]
    values = _attack_values(item)
    del values["id"]
    db.update_attack(conn, item.key, values)
    if _compared_attack(stored)["medications"] != _compared_attack(item.record)["medications"]:
        db.replace_medications(conn, item.key, _dose_rows(item, item.key))
    attack = item.value
    origin = None if attack.start_offset is None else (attack.start_offset, attack.end_offset)
    db.replace_detail(conn, item.key, detail_rows(attack, item.key), origin)
    db.set_mbs(conn, item.key, attack.mbs)


def _attack_losses(conn: Connection, item: Item) -> list[str]:
    """The rated doses a change of the attack's medications removes, with their ratings."""
    from migraine_diary.diary.doses import lost_ratings

    kept = [(row["name"], row["taken_at"]) for row in _dose_rows(item, item.key)]
    return lost_ratings(conn, item.key, kept)


def doses_cell(doses: list[dict[str, Any]], *, local: bool = False) -> str:
    """An attack's medications in one readable cell: `name @ taken_at = helpfulness; ...`
    (`;`, `@`, `=` and `\\` in a name are escaped with `\\`)."""
    parts = []
    for dose in doses:
        text = re.sub(r"([\\;@=])", r"\\\1", dose["name"])
        if dose["taken_at"]:
            text += " @ " + (local_instant(dose["taken_at"]) if local else dose["taken_at"])
        if dose["helpfulness"]:
            text += " = " + dose["helpfulness"]
        parts.append(text)
    return "; ".join(parts)


def _escaped(text: str) -> str:
    return re.sub(r"([\\;@=])", r"\\\1", text)


def _unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text.strip())


def list_cell(values: list[str]) -> str:
    r"""A detail list in one readable cell: `stress; sleep` (`;` in a value escaped with `\`)."""
    return "; ".join(_escaped(value) for value in values)


def read_list_cell(cell: str) -> list[str]:
    return [_unescaped(part) for part in _split(cell, ";") if part.strip()]


def relief_cell(methods: list[dict[str, Any]]) -> str:
    """Relief methods in one cell: `dark room = helpful; sleep`."""
    return "; ".join(
        _escaped(m["method"]) + (f" = {m['helpfulness']}" if m.get("helpfulness") else "")
        for m in methods
    )


def read_relief_cell(cell: str) -> list[dict[str, Any]]:
    methods = []
    for part in _split(cell, ";"):
        if not part.strip():
            continue
        method, word = _partition(part, "=")
        methods.append({"method": _unescaped(method), "helpfulness": (word or "").strip() or None})
    return methods


def read_doses_cell(cell: str) -> list[dict[str, Any]]:
    """The medications cell `doses_cell` writes, back as a list of doses."""
    doses = []
    for part in _split(cell, ";"):
        if not part.strip():
            continue
        name, rest = _partition(part, "@")
        if rest is not None:
            when, word = _partition(rest, "=")
        else:
            (name, word), when = _partition(name, "="), ""
        doses.append(
            {
                "name": re.sub(r"\\(.)", r"\1", name.strip()),
                "helpfulness": (word or "").strip() or None,
                "taken_at": when.strip() or None,
            }
        )
    return doses


def _split(text: str, sep: str) -> list[str]:
    """Split at each `sep` not escaped with a backslash (escapes kept for the next step)."""
    parts: list[str] = []
    while True:
        before, after = _partition(text, sep)
        parts.append(before)
        if after is None:
            return parts
        text = after


def _partition(text: str, sep: str) -> tuple[str, str | None]:
    """Text before the first unescaped `sep`, and after it (None: there is none)."""
    escaped = False
    for n, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == sep:
            return text[:n], text[n + 1 :]
    return text, None


# ------------------------------------------------------------ check-ins and kept ranges


def _export_checkins(conn: Connection) -> Iterator[dict[str, Any]]:
    for day in db.all_checkins(conn):
        yield {"day": day}


def _read_checkin(values: Mapping[str, Any], where: str) -> Item:
    day = read_day(values.get("day"), "day")
    return Item(where, day, {"day": day}, day)


def _stored_checkins(conn: Connection, days: list[Any]) -> dict[Any, dict[str, Any]]:
    if not days:
        return {}
    stored = set(db.checkin_days(conn, min(days), max(days)))
    return {day: {"day": day} for day in days if day in stored}


def _add_checkins(conn: Connection, items: list[Item]) -> None:
    """Restored as they were: `checkin` refuses a day an attack touches, but which local day
    an instant falls on moves with the time zone, so a diary kept while travelling may hold
    both, and a restore must not lose either."""
    for item in items:
        db.add_checkin(conn, item.key)


def _export_kept(conn: Connection) -> Iterator[dict[str, Any]]:
    for first, last in db.all_kept_ranges(conn):
        yield {"first": first, "last": last}


def _read_kept(values: Mapping[str, Any], where: str) -> Item:
    first = read_day(values.get("first"), "first")
    last = read_day(values.get("last"), "last")
    if last < first:
        raise field_error("last", "a day on or after first", last)
    return Item(where, (first, last), {"first": first, "last": last}, None)


def _stored_kept(conn: Connection, keys: list[Any]) -> dict[Any, dict[str, Any]]:
    wanted = set(keys)
    return {
        (first, last): {"first": first, "last": last}
        for first, last in db.all_kept_ranges(conn)
        if (first, last) in wanted
    }


def _add_kept(conn: Connection, items: list[Item]) -> None:
    for item in items:
        db.add_kept_range(conn, *item.key)


# --------------------------------------------------------------- medication classes


def _export_classes(conn: Connection) -> Iterator[dict[str, Any]]:
    for _, name, med_class in db.all_user_classes(conn):
        yield {"name": name, "class": med_class}


def _read_class(values: Mapping[str, Any], where: str) -> Item:
    from migraine_diary.diary.medclass import check_class
    from migraine_diary.domain.medications import normalise_key
    from migraine_diary.domain.models import RULES

    name, med_class = values.get("name"), values.get("class")
    if not isinstance(name, str):
        raise field_error("name", RULES["med"], name, private=True)
    if not isinstance(med_class, str):
        raise field_error("class", RULES["medication_class"], med_class)
    try:
        clean, checked = check_class(name, med_class)
    except InputError as error:  # check_class names the command line's arguments
        raise InputError(
            error.message.replace("NAME must", "name must").replace("CLASS must", "class must")
        ) from None
    return Item(where, normalise_key(clean), {"name": clean, "class": checked}, None)


def _stored_classes(conn: Connection, keys: list[Any]) -> dict[Any, dict[str, Any]]:
    wanted = set(keys)
    return {
        key: {"name": name, "class": med_class}
        for key, name, med_class in db.all_user_classes(conn)
        if key in wanted
    }


def _add_class(conn: Connection, item: Item) -> None:
    db.set_user_class(conn, item.key, item.record["name"], item.record["class"])


def _add_classes(conn: Connection, items: list[Item]) -> None:
    for item in items:
        _add_class(conn, item)


def _boolean(text: str, name: str) -> bool:
    from migraine_diary.domain.models import RULES

    word = text.strip().lower()
    if word not in BOOLEANS:
        raise field_error(name, RULES[name], text)
    return BOOLEANS[word]


def _whole(value: object, name: str, low: int, high: int, rule: str | None = None) -> int:
    """A whole number from a file (a JSON number or a cell's text) within [low, high]."""
    from migraine_diary.domain.models import parse_whole

    text = rule or f"a whole number from {low} to {high}"
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise field_error(name, text, value)
    return parse_whole(str(value), field=name, rule=text, low=low, high=high)


def _maybe_whole(
    value: object, name: str, low: int, high: int, rule: str | None = None
) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _whole(value, name, low, high, rule)


def _maybe_bool(value: object, name: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in BOOLEANS:
        return None if not value.strip() else BOOLEANS[value.strip().lower()]
    raise field_error(name, "true, false or empty", value)


def _text(value: object, name: str, rule: str, *, high: int, optional: bool = True) -> str | None:
    """One line of text from a file, as a name is typed (stripped, no control character);
    never echoed in an error."""
    from migraine_diary.domain.models import is_name

    if value is None or (isinstance(value, str) and not value.strip()):
        if optional:
            return None
        raise field_error(name, rule, value, private=True)
    if not isinstance(value, str):
        raise field_error(name, rule, value, private=True)
    text = value.strip()
    if len(text) > high or not is_name(text):
        raise field_error(name, rule, value, private=True)
    return text


def _instant_text(value: object, name: str, *, optional: bool = False) -> str | None:
    from migraine_diary.domain.models import RULES

    if value is None and optional:
        return None
    moment = read_moment(value, name)
    if not isinstance(moment, dt.datetime):
        raise field_error(name, RULES["start"].replace(", not in the future", ""), value)
    return to_storage(moment)


# ------------------------------------------------------------------------ acute ratings

_PAIN_RULE = "a whole number from 0 to 10, or empty"
RATED = ("at_dose", "pain_2h", "pain_24h", "pain_48h")


def _rating_key(record: Mapping[str, Any]) -> str:
    """A rating's identity, as messages name it: `of attack 3 dose 1`, `of session 4`."""
    if record["session"] is not None:
        return f"of session {record['session']}"
    return f"of attack {record['attack']} dose {record['dose']}"


def _export_ratings(conn: Connection) -> Iterator[dict[str, Any]]:
    """Every stored rating: doses by attack and number (as `attack rate --dose N` counts), then
    sessions by id. Only what was typed: `at_dose` empty when it was left to the peak."""
    from migraine_diary.diary.acute import numbered_doses

    numbers: dict[int, dict[int, tuple[int, dt.datetime]]] = {}
    doses: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    for medication_id, attack_id, session_id, *values in db.rating_rows(conn):
        record: dict[str, Any] = {"attack": None, "dose": None, "session": session_id}
        if medication_id is not None:
            if attack_id not in numbers:
                numbers[attack_id] = numbered_doses(conn, attack_id) or {}
            record["attack"], record["dose"] = attack_id, numbers[attack_id][medication_id][0]
        record.update(zip(RATED, values[:4], strict=True))
        record["mbs_gone_2h"] = None if values[4] is None else bool(values[4])
        (sessions if session_id is not None else doses).append(record)
    doses.sort(key=lambda r: (r["attack"], r["dose"]))
    sessions.sort(key=lambda r: r["session"])
    yield from doses
    yield from sessions


def _read_rating(values: Mapping[str, Any], where: str) -> Item:
    attack = read_id(values.get("attack"), field_name="attack")
    dose = read_id(values.get("dose"), field_name="dose")
    session = read_id(values.get("session"), field_name="session")
    if session is not None and (attack is not None or dose is not None):
        raise InputError("a rating is of a dose (attack and dose) or of a session, not both")
    if session is None and (attack is None or dose is None):
        raise InputError("a rating needs attack and dose (its number in time order), or session")
    record: dict[str, Any] = {"attack": attack, "dose": dose, "session": session}
    for name in RATED:
        record[name] = _maybe_whole(values.get(name), name, 0, 10, _PAIN_RULE)
    if session is not None and record["at_dose"] is not None:
        raise InputError("at_dose is for a dose: a session's pain before is its pain then")
    record["mbs_gone_2h"] = _maybe_bool(values.get("mbs_gone_2h"), "mbs_gone_2h")
    return Item(where, _rating_key(record), record, None)


def _stored_ratings(conn: Connection, keys: list[Any]) -> dict[Any, dict[str, Any]]:
    if not keys:
        return {}
    wanted = set(keys)
    every = (record for record in _export_ratings(conn))
    return {key: r for r in every if (key := _rating_key(r)) in wanted}


def _store_rating(conn: Connection, item: Item) -> None:
    """The rating on its dose (found by attack and number) or session, which the diary or
    the same file holds; a rating for a time still to come is refused, as `attack rate` does."""
    from migraine_diary.diary.acute import numbered_doses
    from migraine_diary.domain import dates
    from migraine_diary.domain.acute import AFTER
    from migraine_diary.domain.models import CLOCK_SLACK

    record = item.record
    if record["session"] is not None:
        found = db.sessions_by_ids(conn, [record["session"]])
        if not found:
            raise InputError(
                f"{item.where}: no session {record['session']} in the diary or the file"
            )
        taken = from_storage(found[0][1])
        target: dict[str, Any] = {"session_id": record["session"]}
    else:
        doses = numbered_doses(conn, record["attack"])
        if doses is None:
            raise InputError(f"{item.where}: no attack {record['attack']} in the diary or the file")
        match = [(mid, when) for mid, (n, when) in doses.items() if n == record["dose"]]
        if not match:
            raise InputError(
                f"{item.where}: attack {record['attack']} has no dose {record['dose']} (it has "
                f"{len(doses)})"
            )
        ((medication_id, taken),) = match
        target = {"medication_id": medication_id}
    for which, hours in AFTER.items():
        due = taken + dt.timedelta(hours=hours)
        if record[f"pain_{which}"] is not None and dates.now() + CLOCK_SLACK < due:
            raise InputError(
                f"{item.where}: pain_{which} must be a time that has come: the rating is due "
                f"from {dates.format_local(due)}"
            )
    values = {name: record[name] for name in RATED}
    values["mbs_gone"] = record["mbs_gone_2h"]
    db.replace_rating(conn, values, **target)


def _add_ratings(conn: Connection, items: list[Item]) -> None:
    for item in items:
        _store_rating(conn, item)


# ------------------------------------------------------------------- questionnaire scores


def _export_scores(conn: Connection) -> Iterator[dict[str, Any]]:
    for score_id, kind, day, total, _, therapy in db.score_rows(conn):
        yield {"id": score_id, "kind": kind, "date": day, "total": total, "therapy": therapy}


def _read_score(values: Mapping[str, Any], where: str) -> Item:
    from migraine_diary.domain.acute import SCORE_NAMES, SCORE_RANGES
    from migraine_diary.domain.models import therapy_key

    row_id = read_id(values.get("id"))
    kind = values.get("kind")
    if not isinstance(kind, str) or kind.strip().casefold() not in SCORE_RANGES:
        raise field_error("kind", "one of midas, hit6, pgic", kind)
    kind = kind.strip().casefold()
    day = read_day(values.get("date"), "date")
    low, high = SCORE_RANGES[kind]
    total = _whole(values.get("total"), "total", low, high,
                   f"a whole number from {low} to {high} ({SCORE_NAMES[kind]})")  # fmt: skip
    rule = "the therapy a PGIC judges, 1 to 100 characters (MIDAS and HIT-6 name none)"
    therapy = _text(values.get("therapy"), "therapy", rule, high=100, optional=kind != "pgic")
    if therapy is not None and kind != "pgic":
        raise field_error("therapy", rule, therapy, private=True)
    record = {"id": row_id, "kind": kind, "date": day, "total": total, "therapy": therapy}
    value = {
        "kind": kind,
        "day": day,
        "total": total,
        "therapy_key": therapy_key(therapy) if therapy else None,
        "therapy": therapy,
    }
    return Item(where, row_id, record, value)


def _stored_scores(conn: Connection, ids: list[Any]) -> dict[Any, dict[str, Any]]:
    wanted = set(ids)
    return {r["id"]: r for r in _export_scores(conn) if r["id"] in wanted} if wanted else {}


def _add_scores(conn: Connection, items: list[Item]) -> None:
    for item in items:
        if item.key is None:
            db.insert_score(conn, item.value)
        else:
            db.insert_score_with_id(conn, {**item.value, "id": item.key})


# ------------------------------------------------------------------------------ plans

# What `plan show --json` names them, and what a restore needs besides: the first period's
# day (`start`) and the other therapy by its name now (`versus`). `blocks` are the slots that
# may be shown (Plan.shown_slots); the rest of the sequence is drawn again from the seed, by
# the algorithm the plan names. `deviations` are those recorded (a reveal); the ones a session
# makes are found again from the sessions.
PLAN_FIELDS = (
    "id", "therapy", "versus", "kind", "arms", "design", "seed", "algorithm", "n_blocks", "mid",
    "created", "start", "period_days", "washout_days", "blocks_for_80_power", "power_basis",
    "revealed", "abandoned", "reason", "blocks", "deviations",
)  # fmt: skip
PLAN_CHANGES = ("revealed", "abandoned", "reason", "deviations")


def _export_plans(conn: Connection) -> Iterator[dict[str, Any]]:
    from migraine_diary.diary.plans import load_plan
    from migraine_diary.domain import dates

    now = dates.now()
    today = dates.local_day(now)
    for row in db.plan_records(conn):
        plan = load_plan(conn, row[0], now)
        blocks: dict[int, list[dict[str, Any]]] = {}
        for slot in plan.shown_slots(today):
            blocks.setdefault(slot.block, []).append(
                {"slot": slot.slot, "arm": plan.arms[slot.arm], "session_id": slot.session_id}
            )
        yield {
            "id": plan.id,
            "therapy": plan.therapy,
            "versus": row[20],
            "kind": plan.kind,
            "arms": list(plan.arms),
            "design": plan.design,
            "seed": plan.seed,
            "algorithm": plan.algorithm,
            "n_blocks": plan.n_blocks,
            "mid": plan.mid,
            "created": to_storage(plan.created),
            "start": plan.start.isoformat() if plan.start else None,
            "period_days": plan.period_days,
            "washout_days": plan.washout_days,
            "blocks_for_80_power": plan.blocks_for_80_power,
            "power_basis": plan.power_basis,
            "revealed": plan.revealed,
            "abandoned": to_storage(plan.abandoned) if plan.abandoned else None,
            "reason": plan.reason,
            "blocks": [{"block": b, "slots": shown} for b, shown in sorted(blocks.items())],
            "deviations": [
                {
                    "at": to_storage(from_storage(at)),
                    "what": what,
                    "block": block,
                    "slot": slot,
                    "session_id": session_id,
                }
                for at, what, block, slot, session_id in db.deviation_rows(conn, plan.id)
            ],
        }


def _read_plan(values: Mapping[str, Any], where: str) -> Item:
    from migraine_diary.domain import plan as rules
    from migraine_diary.domain.models import RULES

    plan_id = read_id(values.get("id"))
    if plan_id is None:
        raise field_error("id", RULES["id"], None)
    kind = values.get("kind")
    if kind not in rules.KINDS:
        raise field_error("kind", "one of " + ", ".join(rules.KINDS), kind)
    design = values.get("design")
    if design not in rules.DESIGNS:
        raise field_error("design", rules.RULES["design"], design)
    if values.get("algorithm") != rules.ALGORITHM:
        raise field_error("algorithm", f"{rules.ALGORITHM} (the only allocation rule)",
                          values.get("algorithm"))  # fmt: skip
    seed = _whole(values.get("seed"), "seed", 0, rules.MAX_SEED)
    n_blocks = _whole(values.get("n_blocks"), "n_blocks", rules.MIN_BLOCKS, rules.MAX_BLOCKS)
    if design == "abba" and n_blocks % 2:
        raise field_error("n_blocks", rules.RULES["blocks_abba"], n_blocks)
    arms = values.get("arms")
    therapy = _text(values.get("therapy"), "therapy", "a therapy name", high=100, optional=False)
    versus = _text(values.get("versus"), "versus", "the other therapy's name", high=100)
    arm_rule = {
        rules.KIND_LENGTH: rules.RULES["compare"],
        rules.KIND_THERAPIES: "two different therapy names",
        rules.KIND_PERIODS: '["on", "off"]',
    }[kind]
    if not isinstance(arms, list) or len(arms) != 2 or arms[0] == arms[1]:
        raise field_error("arms", arm_rule, "a list", private=True)
    if kind == rules.KIND_LENGTH and not all(
        isinstance(a, int) and not isinstance(a, bool) and 1 <= a <= 600 for a in arms
    ):
        raise field_error("arms", arm_rule, arms)
    therapies = kind == rules.KIND_THERAPIES
    if therapies and (not all(isinstance(a, str) and a.strip() for a in arms) or versus is None):
        raise field_error("versus" if versus is None else "arms", arm_rule, "", private=True)
    if kind == rules.KIND_PERIODS and arms != [rules.ON, rules.OFF]:
        raise field_error("arms", arm_rule, arms)
    mid = values.get("mid")
    if isinstance(mid, bool) or not isinstance(mid, int | float) or not 0 < mid <= 100:
        raise field_error("mid", "a number above 0 and at most 100", mid)
    created = _instant_text(values.get("created"), "created")
    periods = kind == rules.KIND_PERIODS
    start = read_day(values.get("start"), "start", today=dt.date.max) if periods else None
    if not periods and values.get("start") is not None:
        raise field_error("start", "empty: only a periods plan has a first day", values["start"])
    period_days = washout_days = None
    if periods:
        period_days = _whole(values.get("period_days"), "period_days", rules.MIN_PERIOD_DAYS,
                             rules.MAX_PERIOD_DAYS)  # fmt: skip
        washout_days = _whole(values.get("washout_days"), "washout_days", 0, period_days - 1)
    power_blocks = _maybe_whole(values.get("blocks_for_80_power"), "blocks_for_80_power", 1,
                                10**6)  # fmt: skip
    power_basis = _text(values.get("power_basis"), "power_basis", "text of 1 to 500 characters",
                        high=500, optional=False)  # fmt: skip
    revealed = values.get("revealed", False)
    if not isinstance(revealed, bool):
        raise field_error("revealed", "true or false", revealed)
    abandoned = _instant_text(values.get("abandoned"), "abandoned", optional=True)
    reason = _text(values.get("reason"), "reason", rules.RULES["reason"], high=rules.MAX_REASON)
    if (abandoned is None) != (reason is None):
        raise InputError("abandoned and reason go together: an abandoned plan keeps its reason")
    drawn = rules.allocate(2, n_blocks, design, seed)
    slots: list[dict[str, Any]] = [
        {"block": b, "slot": n, "arm": arm, "session_id": None}
        for b, order in enumerate(drawn, 1)
        for n, arm in enumerate(order, 1)
    ]
    by_place = {(s["block"], s["slot"]): s for s in slots}
    shown = _read_blocks(values.get("blocks"), arms, by_place, seed)
    deviations = _read_deviations(values.get("deviations"))
    record = {
        "id": plan_id, "therapy": therapy, "versus": versus, "kind": kind, "arms": list(arms),
        "design": design, "seed": seed, "algorithm": rules.ALGORITHM, "n_blocks": n_blocks,
        "mid": float(mid), "created": created, "start": start, "period_days": period_days,
        "washout_days": washout_days, "blocks_for_80_power": power_blocks,
        "power_basis": power_basis, "revealed": revealed, "abandoned": abandoned,
        "reason": reason, "blocks": shown, "deviations": deviations,
    }  # fmt: skip
    return Item(where, plan_id, record, slots)


def _read_blocks(
    blocks: object, arms: list[Any], by_place: dict[tuple[int, int], dict[str, Any]], seed: int
) -> list[dict[str, Any]]:
    """The shown slots, each checked against the sequence the seed draws; their sessions go
    into `by_place`."""
    if blocks is None:
        return []
    if not isinstance(blocks, list):
        raise InputError("blocks must be a list of {block, slots}")
    shown, sessions = [], set()
    for block in blocks:
        if not isinstance(block, dict) or not isinstance(block.get("slots"), list):
            raise InputError("blocks must be a list of {block, slots}")
        number = _whole(block.get("block"), "block", 1, 10**6)
        slots = []
        for slot in block["slots"]:
            if not isinstance(slot, dict):
                raise InputError("slots must be a list of {slot, arm, session_id}")
            place = (number, _whole(slot.get("slot"), "slot", 1, 10**6))
            if place not in by_place:
                raise InputError(f"blocks: block {place[0]}, slot {place[1]} is not in the plan")
            drawn = by_place[place]
            if slot.get("arm") not in arms or arms.index(slot.get("arm")) != drawn["arm"]:
                raise InputError(
                    f"blocks: block {place[0]}, slot {place[1]} is not the arm seed {seed} draws "
                    "there; a plan's sequence is fixed by its seed"
                )
            session = read_id(slot.get("session_id"), field_name="session_id")
            if session is not None and session in sessions:
                raise InputError(f"blocks: session {session} fills two slots")
            if session is not None:
                sessions.add(session)
            drawn["session_id"] = session
            slots.append({"slot": place[1], "arm": arms[drawn["arm"]], "session_id": session})
        shown.append({"block": number, "slots": slots})
    return shown


def _read_deviations(deviations: object) -> list[dict[str, Any]]:
    if deviations is None:
        return []
    if not isinstance(deviations, list) or not all(isinstance(d, dict) for d in deviations):
        raise InputError("deviations must be a list of {at, what, block, slot, session_id}")
    return [
        {
            "at": _instant_text(d.get("at"), "at"),
            "what": _text(
                d.get("what"), "what", "text of 1 to 500 characters", high=500, optional=False
            ),
            "block": _maybe_whole(d.get("block"), "block", 1, 10**6),
            "slot": _maybe_whole(d.get("slot"), "slot", 1, 10**6),
            "session_id": read_id(d.get("session_id"), field_name="session_id"),
        }
        for d in deviations
    ]


def _stored_plans(conn: Connection, ids: list[Any]) -> dict[Any, dict[str, Any]]:
    wanted = set(ids)
    return {r["id"]: r for r in _export_plans(conn) if r["id"] in wanted} if wanted else {}


def _add_plans(conn: Connection, items: list[Item]) -> None:
    import json

    therapy = _Therapies(conn)
    for item in items:
        record = item.record
        filled = [s for s in item.value if s["session_id"] is not None]
        held = {r[0] for r in db.sessions_by_ids(conn, [s["session_id"] for s in filled])}
        for slot in filled:
            if slot["session_id"] not in held:
                raise InputError(
                    f"{item.where}: block {slot['block']}, slot {slot['slot']}: no session "
                    f"{slot['session_id']} in the diary or the file"
                )
        values = {
            name: record[name]
            for name in PLAN_FIELDS
            if name not in ("therapy", "versus", "blocks", "deviations", "blocks_for_80_power")
        }
        values.update(
            therapy_id=therapy(record["therapy"]),
            other_therapy_id=therapy(record["versus"]) if record["versus"] else None,
            arms=json.dumps(record["arms"]),
            power_blocks=record["blocks_for_80_power"],
        )
        db.restore_plan(conn, values, item.value, record["deviations"])


def _change_plan(conn: Connection, item: Item) -> None:
    record = item.record
    db.change_plan_ending(
        conn, item.key, {name: record[name] for name in PLAN_CHANGES[:3]}, record["deviations"]
    )


# ------------------------------------------------------------------- the registry

_INSTANT = {"type": "string", "format": "date-time"}
_DAY = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
_PAIN = {"type": "integer", "minimum": 0, "maximum": 10}
_TEXT = {"type": ["string", "null"]}
_RECORD_ID = {"type": "integer", "minimum": 1, "maximum": 2**53 - 1}


def _object(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": required if required is not None else list(properties),
        "additionalProperties": False,
    }


SESSIONS = Kind(
    name="sessions",
    singular="session",
    fields={
        "id": ID,
        "when": INSTANT,
        "therapy": TEXT,
        "minutes": WHOLE,
        "pain_before": WHOLE,
        "pain_after": WHOLE,
        "pain_later": WHOLE,
        "cost": MONEY,
        "provider": TEXT,
        "during_attack": BOOL,
        "notes": TEXT,
    },
    schema=_object(
        {
            "id": _RECORD_ID,
            "when": _INSTANT,
            "therapy": {"type": "string", "minLength": 1, "maxLength": 100},
            "minutes": {"type": "integer", "minimum": 1, "maximum": 600},
            "pain_before": _PAIN,
            "pain_after": _PAIN,
            "pain_later": {"type": ["integer", "null"], "minimum": 0, "maximum": 10},
            "cost": {"type": "string", "pattern": r"^[0-9]+\.[0-9]{2}$"},
            "provider": {"type": ["string", "null"], "maxLength": 200},
            "during_attack": {"type": "boolean"},
            "notes": {"type": ["string", "null"], "maxLength": 5000},
        }
    ),
    required=("when", "therapy", "minutes", "pain_before", "pain_after"),
    export=_export_sessions,
    read=_read_session,
    stored=_stored_sessions,
    compared=_compared_session,
    add=_add_sessions,
    change=_change_session,
    label=lambda key: f"id {key}",
)

_DOSE_SCHEMA = _object(
    {
        "name": {"type": "string", "minLength": 1, "maxLength": 100},
        "class": {"type": ["string", "null"]},
        "helpfulness": {"enum": HELPFULNESS_VALUES},
        "taken_at": {"anyOf": [_INSTANT, {"type": "null"}]},
    },
    ["name", "helpfulness", "taken_at"],
)

_DETAIL_TEXT = {"type": "string", "minLength": 1, "maxLength": 200}
_DETAIL_SCHEMA = _object(
    {
        "triggers": {"type": "array", "items": _DETAIL_TEXT},
        "symptoms": {"type": "array", "items": _DETAIL_TEXT},
        "pain_positions": {"type": "array", "items": _DETAIL_TEXT},
        "most_bothersome": {"anyOf": [_DETAIL_TEXT, {"type": "null"}]},
        "relief": {
            "type": "array",
            "items": _object({"method": _DETAIL_TEXT, "helpfulness": {"enum": HELPFULNESS_VALUES}}),
        },
    },
    [],
)
_OFFSET = {"type": "integer", "minimum": -1080, "maximum": 1080}
_LOCAL_TIME_SCHEMA = _object(
    {
        "start": _INSTANT,
        "end": {"anyOf": [_INSTANT, {"type": "null"}]},
        "start_offset": _OFFSET,
        "end_offset": {"anyOf": [_OFFSET, {"type": "null"}]},
    },
    ["start_offset"],
)

ATTACKS = Kind(
    name="attacks",
    singular="attack",
    fields={
        "id": ID,
        "start": INSTANT,
        "end": INSTANT,
        "peak": WHOLE,
        "aura": BOOL,
        "medications": DOSES,
        "notes": TEXT,
        "source": TEXT,
        "import_key": TEXT,
        "triggers": LIST,
        "symptoms": LIST,
        "pain_positions": LIST,
        "most_bothersome": TEXT,
        "relief": RELIEF,
        "local_start": RECORDED,
        "local_end": RECORDED,
        "mbs": WORD,
    },
    schema=_object(
        {
            "id": _RECORD_ID,
            "start": _INSTANT,
            "end": {"anyOf": [_INSTANT, {"type": "null"}]},
            "peak": _PAIN,
            "aura": {"type": "boolean"},
            "medications": {"type": "array", "items": _DOSE_SCHEMA},
            "notes": {"type": ["string", "null"], "maxLength": 5000},
            "source": {"type": "string", "minLength": 1, "maxLength": 300},
            "import_key": _TEXT,
            "detail": {"anyOf": [_DETAIL_SCHEMA, {"type": "null"}]},
            "local_time": {"anyOf": [_LOCAL_TIME_SCHEMA, {"type": "null"}]},
            "mbs": {"enum": ["nausea", "light", "sound", "other", None]},
        },
        [
            "id",
            "start",
            "end",
            "peak",
            "aura",
            "medications",
            "notes",
            "source",
            "import_key",
            "detail",
            "local_time",
        ],
    ),
    required=("start", "peak"),
    row=_attack_row,
    export=_export_attacks,
    read=_read_attack,
    stored=_stored_attacks,
    compared=_compared_attack,
    add=_add_attacks,
    change=_change_attack,
    losses=_attack_losses,
    label=lambda key: f"attack id {key}",
)

CHECKINS = Kind(
    name="checkins",
    singular="check-in",
    fields={"day": DAY},
    schema=_object({"day": _DAY}),
    required=("day",),
    export=_export_checkins,
    read=_read_checkin,
    stored=_stored_checkins,
    compared=lambda record: record,
    add=_add_checkins,
    change=lambda conn, item: None,  # a check-in is its day: never "other values"
    label=lambda key: f"check-in {key}",
)

KEPT_RANGES = Kind(
    name="kept_ranges",
    singular="kept range",
    fields={"first": DAY, "last": DAY},
    schema=_object({"first": _DAY, "last": _DAY}),
    required=("first", "last"),
    export=_export_kept,
    read=_read_kept,
    stored=_stored_kept,
    compared=lambda record: record,
    add=_add_kept,
    change=lambda conn, item: None,  # a kept range is its two days
    label=lambda key: f"kept range {key[0]} to {key[1]}",
    csv=False,
)

MEDICATION_CLASSES = Kind(
    name="medication_classes",
    singular="medication class",
    fields={"name": TEXT, "class": WORD},
    schema=_object(
        {
            "name": {"type": "string", "minLength": 1, "maxLength": 100},
            "class": {
                "enum": [
                    "triptan",
                    "simple_analgesic",
                    "combination_analgesic",
                    "opioid",
                    "ergot",
                    "gepant",
                    "ditan",
                    "other",
                ]
            },
        }
    ),
    required=("name", "class"),
    export=_export_classes,
    read=_read_class,
    stored=_stored_classes,
    compared=lambda record: {"class": record["class"]},  # the name's case is not a change
    add=_add_classes,
    change=_add_class,
    label=lambda key: "the class of a medication name",
    csv=False,
)

_MAYBE_PAIN = {"type": ["integer", "null"], "minimum": 0, "maximum": 10}
_MAYBE_ID = {"anyOf": [_RECORD_ID, {"type": "null"}]}
_MAYBE_WHOLE = {"type": ["integer", "null"], "minimum": 1}

PLANS = Kind(
    name="plans",
    singular="plan",
    fields=dict.fromkeys(PLAN_FIELDS, TEXT),
    schema=_object(
        {
            "id": _RECORD_ID,
            "therapy": {"type": "string", "minLength": 1, "maxLength": 100},
            "versus": {"type": ["string", "null"], "maxLength": 100},
            "kind": {"enum": ["length", "therapies", "periods"]},
            "arms": {
                "type": "array",
                "minItems": 2,
                "maxItems": 2,
                "items": {"type": ["integer", "string"]},
            },
            "design": {"enum": ["pairs", "abba"]},
            "seed": {"type": "integer", "minimum": 0},
            "algorithm": {"const": "python-random-shuffle-v1"},
            "n_blocks": {"type": "integer", "minimum": 2, "maximum": 40},
            "mid": {"type": "number", "exclusiveMinimum": 0},
            "created": _INSTANT,
            "start": {"anyOf": [_DAY, {"type": "null"}]},
            "period_days": _MAYBE_WHOLE,
            "washout_days": {"type": ["integer", "null"], "minimum": 0},
            "blocks_for_80_power": _MAYBE_WHOLE,
            "power_basis": {"type": "string"},
            "revealed": {"type": "boolean"},
            "abandoned": {"anyOf": [_INSTANT, {"type": "null"}]},
            "reason": _TEXT,
            "blocks": {
                "type": "array",
                "items": _object(
                    {
                        "block": {"type": "integer", "minimum": 1},
                        "slots": {
                            "type": "array",
                            "items": _object(
                                {
                                    "slot": {"type": "integer", "minimum": 1},
                                    "arm": {"type": ["integer", "string"]},
                                    "session_id": _MAYBE_ID,
                                }
                            ),
                        },
                    }
                ),
            },
            "deviations": {
                "type": "array",
                "items": _object(
                    {
                        "at": _INSTANT,
                        "what": {"type": "string", "minLength": 1},
                        "block": _MAYBE_WHOLE,
                        "slot": _MAYBE_WHOLE,
                        "session_id": _MAYBE_ID,
                    }
                ),
            },
        }
    ),
    required=(
        "id",
        "therapy",
        "kind",
        "arms",
        "design",
        "seed",
        "algorithm",
        "n_blocks",
        "mid",
        "created",
        "power_basis",
    ),
    export=_export_plans,
    read=_read_plan,
    stored=_stored_plans,
    compared=lambda record: {name: v for name, v in record.items() if name != "id"},
    add=_add_plans,
    change=_change_plan,
    label=lambda key: f"plan {key}",
    csv=False,
    fixed=tuple(name for name in PLAN_FIELDS if name not in ("id", *PLAN_CHANGES)),
    fixed_why="a plan's question and sequence are fixed when it is made (abandon it and make "
    "a new one)",
)

RATINGS = Kind(
    name="ratings",
    singular="rating",
    fields={
        "attack": ID,
        "dose": ID,
        "session": ID,
        "at_dose": WHOLE,
        "pain_2h": WHOLE,
        "pain_24h": WHOLE,
        "pain_48h": WHOLE,
        "mbs_gone_2h": MAYBE,
    },
    schema=_object(
        {
            "attack": _MAYBE_ID,
            "dose": _MAYBE_WHOLE,
            "session": _MAYBE_ID,
            "at_dose": _MAYBE_PAIN,
            "pain_2h": _MAYBE_PAIN,
            "pain_24h": _MAYBE_PAIN,
            "pain_48h": _MAYBE_PAIN,
            "mbs_gone_2h": {"type": ["boolean", "null"]},
        }
    ),
    required=(),
    export=_export_ratings,
    read=_read_rating,
    stored=_stored_ratings,
    compared=lambda record: record,
    add=_add_ratings,
    change=_store_rating,
    label=lambda key: f"the rating {key}",
)

SCORES = Kind(
    name="scores",
    singular="score",
    fields={"id": ID, "kind": WORD, "date": DAY, "total": WHOLE, "therapy": TEXT},
    schema=_object(
        {
            "id": _RECORD_ID,
            "kind": {"enum": ["midas", "hit6", "pgic"]},
            "date": _DAY,
            "total": {"type": "integer", "minimum": 0, "maximum": 270},
            "therapy": {"type": ["string", "null"], "maxLength": 100},
        }
    ),
    required=("kind", "date", "total"),
    export=_export_scores,
    read=_read_score,
    stored=_stored_scores,
    compared=lambda record: {name: v for name, v in record.items() if name != "id"},
    add=_add_scores,
    change=lambda conn, item: db.update_score(conn, item.key, item.value),
    label=lambda key: f"score id {key}",
)

# Stored in this order: check-ins come after the attacks they must not contradict; plans and
# ratings after the sessions and doses they point to.
KINDS: tuple[Kind, ...] = (
    SESSIONS,
    ATTACKS,
    CHECKINS,
    KEPT_RANGES,
    MEDICATION_CLASSES,
    PLANS,
    RATINGS,
    SCORES,
)
BY_NAME = {kind.name: kind for kind in KINDS}
CSV_KINDS = tuple(kind for kind in KINDS if kind.csv)
