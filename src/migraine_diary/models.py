"""Tables and input models: every range and rule of a session lives here, once."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from sqlmodel import Field as Column
from sqlmodel import SQLModel

from migraine_diary.dates import WHEN_RULE, to_storage
from migraine_diary.errors import InputError, field_error

PAIN_RULE = "a whole number from 0 to 10"
RULES: dict[str, str] = {
    "therapy": "a name of 1 to 100 characters on one line",
    "when": WHEN_RULE + ", not in the future",
    "minutes": "a whole number from 1 to 600",
    "pain_before": PAIN_RULE,
    "pain_after": PAIN_RULE,
    "pain_later": PAIN_RULE + " or empty",
    "cost": "an amount of 0 or more with at most 2 decimals, such as 120 or 89.50",
    "provider": "text of at most 200 characters on one line, or empty",
    "during_attack": "true or false",
    "notes": "text of at most 5000 characters, or empty",
    "id": "a whole number from 1 up",
}
MAX_COST = Decimal("1000000")
_WHOLE = re.compile(r"^\s*[+-]?\d+\s*$")
_ONE_LINE = re.compile(r"^[^\x00-\x1f\x7f]*$")


def _whole_number(value: object) -> object:
    """Refuse '5.0' and '5.5' as well as 'five': pain and minutes are whole numbers."""
    if isinstance(value, str) and not _WHOLE.match(value):
        raise ValueError("not a whole number")
    if isinstance(value, float | bool):
        raise ValueError("not a whole number")
    return value


def _blank_is_none(value: object) -> object:
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


Whole = Annotated[int, BeforeValidator(_whole_number)]
Pain = Annotated[Whole, Field(ge=0, le=10)]
OptionalPain = Annotated[Pain | None, BeforeValidator(_blank_is_none)]
OneLine = Annotated[str, BeforeValidator(_strip), Field(pattern=_ONE_LINE.pattern)]
Money = Annotated[Decimal, Field(ge=0, le=MAX_COST, decimal_places=2, allow_inf_nan=False)]


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
        Annotated[str, Field(max_length=5000)] | None, BeforeValidator(_blank_is_none)
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
    if session.when.tzinfo is None or session.when > datetime.now(UTC) + timedelta(days=1):
        field = (label or {}).get("when", "when")
        raise field_error(field, RULES["when"], str(data.get("when")))
    return session


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


class Therapy(SQLModel, table=True):
    """A therapy's name as first spelled; `key` makes 'CST' and 'cst' one therapy."""

    __tablename__ = "therapy"

    id: int | None = Column(default=None, primary_key=True)
    name: str
    key: str = Column(unique=True)


class SessionRow(SQLModel, table=True):
    """A stored treatment session: UTC instant as fixed-width text, cost in whole cents."""

    __tablename__ = "session"

    id: int | None = Column(default=None, primary_key=True)
    therapy_id: int = Column(foreign_key="therapy.id")
    when: str
    minutes: int
    pain_before: int
    pain_after: int
    pain_later: int | None = None
    cost_cents: int = 0
    provider: str | None = None
    during_attack: bool = False
    notes: str | None = None

    @classmethod
    def from_input(cls, session: SessionInput, therapy_id: int) -> SessionRow:
        return cls.model_validate(
            {
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
        )


def therapy_key(name: str) -> str:
    """Case- and space-insensitive identity of a therapy name."""
    return " ".join(name.casefold().split())
