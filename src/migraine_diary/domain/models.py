"""Input models: every range and rule of a session or an attack lives here, once.

The SQLModel tables are in `storage.tables`, loaded only by the commands that write through
them: reading a diary should not pay for SQLModel.
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from migraine_diary.domain import dates
from migraine_diary.domain.dates import WHEN_RULE, to_storage
from migraine_diary.domain.helpfulness import HELPFULNESS, HELPFULNESS_WORDS, Helpfulness
from migraine_diary.errors import DiaryError, InputError, field_error

PAIN_RULE = "a whole number from 0 to 10"
NAME_RULE = "on one line, without control characters"
# SQLite's largest integer: any id above it cannot even be looked up.
MAX_ID = 2**63 - 1
# Ids a file may bring in: the largest whole number every JSON reader keeps exact. It leaves
# AUTOINCREMENT room for more sessions than could ever be logged; an import of 2^63-1 left it
# none, and every later `log` failed with "the disk is full".
MAX_IMPORTED_ID = 2**53 - 1
RULES: dict[str, str] = {
    "therapy": f"a name of 1 to 100 characters {NAME_RULE}",
    "when": WHEN_RULE + ", not in the future",
    "minutes": "a whole number from 1 to 600",
    "pain_before": PAIN_RULE,
    "pain_after": PAIN_RULE,
    "pain_later": PAIN_RULE + " or empty",
    "cost": "an amount from 0 to 1,000,000 with at most 2 decimals, such as 120 or 89.50",
    "provider": f"text of at most 200 characters {NAME_RULE}, or empty",
    "during_attack": "true or false",
    "notes": "text of at most 5000 characters without NUL characters, or empty",
    "id": "a whole number, 1 or more",
    "imported_id": f"a whole number from 1 to {MAX_IMPORTED_ID}, or empty",
    "limit": "a whole number, 1 or more",
    # attacks (issue 5)
    "start": WHEN_RULE + ", not in the future",
    "end": "a moment after the attack's start, not in the future",
    "peak": PAIN_RULE,
    "aura": "true or false",
    "hours": "a number of hours above 0 and at most 72, fractions allowed",
    "until": WHEN_RULE + " or a time such as 18:30, after the start and not in the future",
    "med": f"a medication name of 1 to 100 characters {NAME_RULE}",
    "helpfulness": HELPFULNESS_WORDS,
    "taken_at": WHEN_RULE + " or a time such as 14:30, not in the future",
    "source": f"text of 1 to 300 characters {NAME_RULE}",
    "date": dates.PAST_DAY_RULE,
    "months": "a whole number from 1 to 120",
    # attack detail (issue 16)
    "triggers": f"a trigger of 1 to 200 characters {NAME_RULE}",
    "symptoms": f"a symptom of 1 to 200 characters {NAME_RULE}",
    "pain_positions": f"a pain position of 1 to 200 characters {NAME_RULE}",
    "most_bothersome": f"text of 1 to 200 characters {NAME_RULE}, or empty",
    "relief": f"a relief method of 1 to 200 characters {NAME_RULE}",
    "start_offset": "a whole number of minutes east of UTC, from -1080 to 1080",
    "end_offset": "a whole number of minutes east of UTC, from -1080 to 1080, or empty",
    "medication_class": (
        "one of triptan, simple_analgesic, combination_analgesic, opioid, ergot, gepant, "
        "ditan, other"
    ),
}
# The detail lists of an attack, and the kind each is stored as.
DETAIL_FIELDS: dict[str, str] = {
    "triggers": "trigger",
    "symptoms": "symptom",
    "pain_positions": "pain_position",
    "most_bothersome": "most_bothersome",
    "relief": "relief",
}
MAX_COST = Decimal("1000000")
# Numbers are ASCII digits, in every field: Python's parsers also take `1_000` and the digits
# of other scripts (fullwidth, Arabic-Indic), which nobody reads back as the number stored.
_WHOLE = re.compile(r"^\s*[+-]?[0-9]+\s*$")
_DECIMAL = re.compile(r"^\s*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*$")
# More digits than any id or count has: refused before int() is asked to read them.
_MAX_DIGITS = 19
# Characters that reorder or hide text (bidirectional controls) or drive the terminal (C0,
# C1, line separators): a name shown with them is not the name stored.
_NOT_IN_NAMES = frozenset(
    [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))]
    + ["\u061c", "\u200e", "\u200f", "\u2028", "\u2029"]
    + [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
)


def is_number(text: str, *, whole: bool = False) -> bool:
    """Whether text is a number written in ASCII digits (a whole one, with `whole`)."""
    return bool((_WHOLE if whole else _DECIMAL).match(text))


def is_name(text: str) -> bool:
    """Whether text can be a name (therapy, provider, medication): no control characters."""
    return _NOT_IN_NAMES.isdisjoint(text)


def parse_whole(text: str, *, field: str, rule: str, low: int = 1, high: int = MAX_ID) -> int:
    """A whole number typed for an id or a count, in ASCII digits, within its range."""
    digits = text.strip().lstrip("+-").lstrip("0")
    if not is_number(text, whole=True) or len(digits) > _MAX_DIGITS:
        raise field_error(field, rule, text)
    number = int(text)
    if not low <= number <= high:
        raise field_error(field, rule, text)
    return number


def parse_id(text: str, *, field: str, at_most: bool = False) -> int:
    """An id or a dose's number as typed (`session ID`, `dose`): ASCII digits, 1 or more. The
    64-bit bound of the storage is no rule a person needs: a number above it is said to be
    in no record of the diary (which is true), not refused with a 19-digit range; for a
    count of records (`at_most`, a --limit) it is every record."""
    if not is_number(text, whole=True) or text.strip().startswith(("-", "+")):
        raise InputError(f"{field} must be {RULES['id']} (got {_quoted(text)})")
    digits = text.strip().lstrip("0")
    if len(digits) > _MAX_DIGITS or int(digits or "0") > MAX_ID:
        if at_most:
            return MAX_ID
        raise DiaryError(f"there is no {field} {_quoted(text, quote=False)} in the diary")
    number = int(digits or "0")
    if number < 1:
        raise InputError(f"{field} must be {RULES['id']} (got {_quoted(text)})")
    return number


def _quoted(text: str, *, quote: bool = True) -> str:
    """A typed value in a message: at most 40 characters, quoted as Python shows a string."""
    short = text if len(text) <= 40 else text[:37] + "..."
    return repr(short) if quote else short


def _whole_number(value: object) -> object:
    """Refuse '5.0' and '5.5' as well as 'five': pain and minutes are whole numbers."""
    if isinstance(value, str) and not is_number(value, whole=True):
        raise ValueError("not a whole number")
    if isinstance(value, float | bool):
        raise ValueError("not a whole number")
    return value


def _ascii_number(value: object) -> object:
    if isinstance(value, str) and not is_number(value):
        raise ValueError("not a number in ASCII digits")
    return value


def _one_line(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        if not is_name(value):
            raise ValueError("a control character")
    return value


def _no_nul(value: object) -> object:
    """Notes may hold any other character (shown escaped); a NUL no database but SQLite can
    store, so a diary that holds one could not move to PostgreSQL."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("a NUL character")
    return value


def _blank_is_none(value: object) -> object:
    if isinstance(value, str) and not value.strip():
        return None
    return value


Whole = Annotated[int, BeforeValidator(_whole_number)]
Pain = Annotated[Whole, Field(ge=0, le=10)]
OptionalPain = Annotated[Pain | None, BeforeValidator(_blank_is_none)]
OneLine = Annotated[str, BeforeValidator(_one_line)]
Money = Annotated[
    Decimal,
    BeforeValidator(_ascii_number),
    Field(ge=0, le=MAX_COST, decimal_places=2, allow_inf_nan=False),
]


class SessionInput(BaseModel):
    """A session as typed or imported, before it is stored."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    therapy: Annotated[OneLine, Field(min_length=1, max_length=100)]
    when: datetime
    minutes: Annotated[Whole, Field(ge=1, le=600)]
    pain_before: Pain
    pain_after: Pain
    pain_later: OptionalPain = None
    cost: Money = Decimal("0")
    provider: Annotated[
        Annotated[OneLine, Field(max_length=200)] | None, BeforeValidator(_blank_is_none)
    ] = None
    during_attack: bool = False
    notes: Annotated[
        Annotated[str, Field(max_length=5000)] | None,
        BeforeValidator(_blank_is_none),
        BeforeValidator(_no_nul),
    ] = None

    @property
    def relief(self) -> int:
        return self.pain_before - self.pain_after


def validate_session(data: dict[str, Any], *, label: dict[str, str] | None = None) -> SessionInput:
    """Validate one session; the first bad field becomes one InputError naming field and rule.

    `label` renames fields for the context (`pain-before` on the command line).
    """
    try:
        session = SessionInput.model_validate(data)
    except ValidationError as error:
        raise _first_error(error, data, label or {}) from None
    field = (label or {}).get("when", "when")
    dates.check_range(session.when, field=field, got=str(data.get("when")))
    if session.when.tzinfo is None or session.when > dates.now() + timedelta(days=1):
        raise field_error(field, RULES["when"], str(data.get("when")))
    return session


# A session every rule accepts: one field is checked alone by putting it in its place.
_CHECKED_ALONE = {"therapy": "x", "minutes": 1, "pain_before": 0, "pain_after": 0}


def validate_session_field(name: str, value: object, *, label: dict[str, str] | None = None) -> Any:
    """One field of a session as typed (a prompt's answer), by the rules of the whole
    session: the same message as when the session is logged at once."""
    data: dict[str, Any] = {**_CHECKED_ALONE, "when": dates.now(), name: value}
    return getattr(validate_session(data, label=label), name)


def _first_error(error: ValidationError, data: dict[str, Any], label: dict[str, str]) -> InputError:
    first = error.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else "session"
    if name not in RULES:
        return InputError(f"unknown field {name!r}")
    return field_error(label.get(name, name), RULES[name], data.get(name))


def cents(amount: Decimal) -> int:
    """Money is stored as whole cents: exact in SQLite and PostgreSQL, and summed exactly."""
    return int(amount * 100)


def amount(cents_value: int) -> Decimal:
    return (Decimal(cents_value) / 100).quantize(Decimal("0.01"))


def money_text(cents_value: int) -> str:
    return f"{amount(cents_value):.2f}"


def session_values(session: SessionInput, therapy_id: int) -> dict[str, Any]:
    """The stored columns of a validated session, without building a table model: an import
    of 100,000 sessions spent most of its time constructing them."""
    return {
        "therapy_id": therapy_id,
        "when": to_storage(session.when),
        "minutes": session.minutes,
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "pain_later": session.pain_later,
        "cost_cents": cents(session.cost),
        "provider": session.provider,
        "during_attack": session.during_attack,
        "notes": session.notes,
    }


def therapy_key(name: str) -> str:
    """Case- and space-insensitive identity of a therapy name."""
    return " ".join(name.casefold().split())


# ------------------------------------------------------------------------- attacks (issue 5)

MAX_TYPED_HOURS = 72
# A moment typed a few seconds ahead of the clock (or rounded up to the minute) is not future.
CLOCK_SLACK = timedelta(minutes=1)


def _lower_or_none(value: object) -> object:
    if isinstance(value, str):
        return value.strip().casefold() or None
    return value


AttackNotes = Annotated[
    Annotated[str, Field(max_length=5000)] | None,
    BeforeValidator(_blank_is_none),
    BeforeValidator(_no_nul),
]


class MedicationInput(BaseModel):
    """An acute medication taken for an attack, as typed or imported."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[OneLine, Field(min_length=1, max_length=100)]
    helpfulness: Annotated[Helpfulness | None, BeforeValidator(_lower_or_none)] = None
    taken_at: datetime | None = None


def detail_key(text: str) -> str:
    """Case- and space-insensitive identity of a trigger, symptom or other detail value."""
    return " ".join(text.casefold().split())


def _distinct(values: object) -> object:
    """A detail list without repeats ('Stress' and 'stress' are one trigger), first kept."""
    if not isinstance(values, list | tuple):
        return values
    seen: set[str] = set()
    kept = []
    for value in values:
        text = value.get("method") if isinstance(value, dict) else value
        key = detail_key(text) if isinstance(text, str) else None
        if key is not None and key in seen:
            continue
        if key is not None:
            seen.add(key)
        kept.append(value)
    return kept


MAX_DETAIL = 200
DetailText = Annotated[OneLine, Field(min_length=1, max_length=MAX_DETAIL)]
DetailList = Annotated[tuple[DetailText, ...], BeforeValidator(_distinct)]
# Minutes east of UTC an importing app recorded: UTC-12 to UTC+14, with room to spare.
Offset = Annotated[int, Field(ge=-18 * 60, le=18 * 60)]


class ReliefInput(BaseModel):
    """A non-drug relief method tried for an attack (sleep, a dark room), and how it helped."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    method: DetailText
    helpfulness: Annotated[Helpfulness | None, BeforeValidator(_lower_or_none)] = None


class AttackInput(BaseModel):
    """An attack as typed or imported, before it is stored; `end` None means ongoing.

    The detail lists (triggers ... relief) are values to count and filter by; `start_offset`
    and `end_offset` are the UTC offsets an importing app recorded, None for a typed attack.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: datetime
    end: datetime | None = None
    peak: Pain
    aura: bool = False
    notes: AttackNotes = None
    source: Annotated[OneLine, Field(min_length=1, max_length=300)] = "typed"
    import_key: str | None = None
    medications: tuple[MedicationInput, ...] = ()
    triggers: DetailList = ()
    symptoms: DetailList = ()
    pain_positions: DetailList = ()
    most_bothersome: Annotated[DetailText | None, BeforeValidator(_blank_is_none)] = None
    relief: Annotated[tuple[ReliefInput, ...], BeforeValidator(_distinct)] = ()
    start_offset: Offset | None = None
    end_offset: Offset | None = None
    mbs: Literal["nausea", "light", "sound", "other"] | None = None  # most bothersome symptom


def validate_attack(
    data: dict[str, Any],
    *,
    label: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    now: datetime | None = None,
) -> AttackInput:
    """Validate one attack; the first bad field becomes one InputError naming field and rule.

    `label` renames fields for the context (`until` for the end on the command line);
    `typed` holds what the person typed, to show instead of a parsed value.
    """
    names = label or {}
    shown = typed or {}

    def error(name: str, got: object) -> InputError:
        return field_error(names.get(name, name), RULES[name], shown.get(name, _shown(got)))

    try:
        attack = AttackInput.model_validate(data)
    except ValidationError as problem:
        first = problem.errors()[0]
        loc = first["loc"]
        name = str(loc[0]) if loc else "attack"
        if name == "medications" and len(loc) >= 3 and isinstance(loc[1], int):
            field = str(loc[2])
            med = data["medications"][loc[1]]
            got = med.get(field) if isinstance(med, dict) else med
            raise error("med" if field == "name" else field, got) from None
        if name in DETAIL_FIELDS and len(loc) >= 2 and isinstance(loc[1], int):
            item = list(data[name])[loc[1]]
            if isinstance(item, dict):  # a relief method: its name or its helpfulness
                field = str(loc[2]) if len(loc) >= 3 else "method"
                got = item.get(field)
                raise error("relief" if field == "method" else field, got) from None
            raise error(name, item) from None
        if name not in RULES:
            raise InputError(f"unknown field {name!r}") from None
        raise error(name, data.get(name)) from None
    for name, moment in (
        ("start", attack.start),
        ("end", attack.end),
        *(("taken_at", med.taken_at) for med in attack.medications),
    ):
        if moment is not None and not dates.in_range(moment):
            written = moment.isoformat(sep=" ", timespec="minutes")  # no local time to show
            raise field_error(names.get(name, name), dates.RANGE_RULE, shown.get(name, written))
    latest = (now or dates.now()) + CLOCK_SLACK
    if attack.start.tzinfo is None or attack.start > latest:
        raise error("start", attack.start)
    if attack.end is not None and (
        attack.end.tzinfo is None or attack.end < attack.start or attack.end > latest
    ):
        raise error("end", attack.end)
    for med in attack.medications:
        if med.taken_at is not None and (med.taken_at.tzinfo is None or med.taken_at > latest):
            raise error("taken_at", med.taken_at)
    return attack


def _shown(value: object) -> object:
    """A parsed moment as a person reads it, for an error message."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        from migraine_diary.domain.dates import format_local

        return format_local(value)
    return value


def parse_hours(text: str, *, field: str = "hours") -> timedelta:
    """How long an attack lasted, typed as hours (`4`, `1.5`), to the second."""
    if not is_number(text):
        raise field_error(field, RULES["hours"], text)
    hours = float(text.strip())
    seconds = round(hours * 3600) if math.isfinite(hours) else 0
    if not 0 < hours <= MAX_TYPED_HOURS or seconds == 0:
        raise field_error(field, RULES["hours"], text)
    return timedelta(seconds=seconds)


def parse_helpfulness(text: str, *, field: str = "helpfulness") -> str:
    value = text.strip().casefold()
    if value not in HELPFULNESS:
        raise field_error(field, RULES["helpfulness"], text)
    return value
