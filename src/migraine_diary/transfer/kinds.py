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
from migraine_diary.domain.dates import LOCAL, RANGE_RULE, from_storage, parse_when, to_storage
from migraine_diary.errors import InputError, field_error

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

# What each field holds, for reading it from a CSV cell and writing it to one.
ID, WHOLE, BOOL, TEXT, INSTANT, MONEY, DAY, DOSES, WORD, LIST, RELIEF, RECORDED, NUMBER = (
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
    "number",
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
    counted: str  # in counts: "session(s)"
    fields: dict[str, str]  # every field of its JSON shape, in order, with what it holds
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
    """An instant as written (ISO 8601 with its offset, or a local date and time)."""
    if isinstance(value, str):
        return parse_when(value, field=field_name) if value.strip() else None
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
        cells["when"] = parse_when(when)
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
    """The file's values, detail and recorded local times included. The doses are replaced
    only when they changed: kept doses keep their rows, and so their ratings."""
    from migraine_diary.diary.attacks import detail_rows

    stored = _stored_attacks(conn, [item.key])[item.key]
    values = _attack_values(item)
    del values["id"]
    db.update_attack(conn, item.key, values)
    if _compared_attack(stored)["medications"] != _compared_attack(item.record)["medications"]:
        db.delete_medications(conn, item.key)
        db.insert_medications(conn, _dose_rows(item, item.key))
    attack = item.value
    origin = None if attack.start_offset is None else (attack.start_offset, attack.end_offset)
    db.replace_detail(conn, item.key, detail_rows(attack, item.key), origin)
    db.set_mbs(conn, item.key, attack.mbs)


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
    counted="session(s)",
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
    counted="attack(s)",
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
    label=lambda key: f"attack id {key}",
)

CHECKINS = Kind(
    name="checkins",
    singular="check-in",
    counted="check-in(s)",
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
    counted="kept range(s)",
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
    counted="medication class(es)",
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

# Stored in this order: check-ins come after the attacks they must not contradict. Kinds
# added later (plans, ratings, ...) append their entry here.
KINDS: tuple[Kind, ...] = (SESSIONS, ATTACKS, CHECKINS, KEPT_RANGES, MEDICATION_CLASSES)
BY_NAME = {kind.name: kind for kind in KINDS}
CSV_KINDS = tuple(kind for kind in KINDS if kind.csv)
