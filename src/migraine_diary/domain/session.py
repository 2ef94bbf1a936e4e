"""The session as a person sees it: light enough to import without the database layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from migraine_diary.domain.dates import to_storage

FIELDS = (
    "id",
    "when",
    "therapy",
    "minutes",
    "pain_before",
    "pain_after",
    "pain_later",
    "cost",
    "provider",
    "during_attack",
    "notes",
)


@dataclass(frozen=True, slots=True)
class Session:
    id: int
    when: datetime
    therapy: str
    minutes: int
    pain_before: int
    pain_after: int
    pain_later: int | None
    cost: Decimal
    provider: str | None
    during_attack: bool
    notes: str | None

    @property
    def relief(self) -> int:
        """Points of pain relief; negative means worse afterwards, and is kept as such."""
        return self.pain_before - self.pain_after

    def input_fields(self) -> dict[str, Any]:
        """The fields a person can set, for editing."""
        return {name: getattr(self, name) for name in FIELDS if name != "id"}

    def to_json(self) -> dict[str, Any]:
        """Field names as in CSV; money as an exact string, the instant as ISO 8601 UTC."""
        data = {name: getattr(self, name) for name in FIELDS}
        data["when"] = to_storage(self.when)
        data["cost"] = f"{self.cost:.2f}"
        return data
