"""A client of a practice, as `migraine clients` lists them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from migraine_diary.domain.dates import to_storage


@dataclass(frozen=True)
class Client:
    """A named client with how much the diary holds of them."""

    name: str
    sessions: int
    attacks: int
    last_visit: datetime | None  # the latest session

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sessions": self.sessions,
            "attacks": self.attacks,
            "last_visit": to_storage(self.last_visit) if self.last_visit else None,
        }
