"""A client of a practice, as `migraine clients` lists them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from migraine_diary.domain.dates import to_storage


def shown_name(name: str, owner: str | None, *, own: bool) -> str:
    """A client as the reader names them: by name, and another's (shared) client with its
    owner, as --client NAME@OWNER takes it (names are unique per owner only)."""
    return name if own or owner is None else f"{name}@{owner}"


@dataclass(frozen=True)
class Client:
    """A named client with how much the diary holds of them. `owner`: the PostgreSQL role
    whose client they are (None on SQLite); `own`: the reader's own, not shared with them."""

    name: str
    sessions: int
    attacks: int
    last_visit: datetime | None  # the latest session
    owner: str | None = None
    own: bool = True

    @property
    def shown(self) -> str:
        return shown_name(self.name, self.owner, own=self.own)

    def to_json(self) -> dict[str, Any]:
        found = {
            "name": self.name,
            "sessions": self.sessions,
            "attacks": self.attacks,
            "last_visit": to_storage(self.last_visit) if self.last_visit else None,
        }
        if self.owner is not None:  # PostgreSQL: whose client (a personal diary has no roles)
            found["owner"] = self.owner
        return found
