"""The attack as a person sees it: light enough to import without the database layer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from migraine_diary.domain import days
from migraine_diary.domain.dates import to_storage


def overlap(
    start: dt.datetime,
    end: dt.datetime | None,
    other_start: dt.datetime,
    other_end: dt.datetime | None,
) -> bool:
    """Whether two attacks overlap in time. An ongoing one's end is not known: it overlaps
    an ended one that contains its start, and any other ongoing one."""
    if end is None and other_end is None:
        return True
    if end is None:
        assert other_end is not None
        return other_start <= start < other_end
    if other_end is None:
        return start <= other_start < end
    return start < other_end and other_start < end


def overlapping_pairs(attacks: Sequence[Attack]) -> list[tuple[int, int]]:
    """(older id, newer id) of every two of `attacks` that overlap, oldest first."""
    ordered = sorted(attacks, key=lambda a: (a.start, a.id))
    pairs = []
    for n, first in enumerate(ordered):
        for second in ordered[n + 1 :]:
            if first.end is not None and second.start >= first.end:
                break
            if overlap(first.start, first.end, second.start, second.end):
                pairs.append((first.id, second.id))
    return pairs


@dataclass(frozen=True)
class Dose:
    """An acute medication as a person sees it; `med_class` None means unclassified."""

    name: str
    med_class: str | None
    helpfulness: str | None
    taken_at: dt.datetime | None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "class": self.med_class,
            "helpfulness": self.helpfulness,
            "taken_at": to_storage(self.taken_at) if self.taken_at else None,
        }

    def as_input(self) -> dict[str, Any]:
        return {"name": self.name, "helpfulness": self.helpfulness, "taken_at": self.taken_at}


@dataclass(frozen=True)
class Attack:
    """A stored attack; `end` None while it is still going on."""

    id: int
    start: dt.datetime
    end: dt.datetime | None
    peak: int
    aura: bool
    notes: str | None
    source: str
    medications: tuple[Dose, ...] = ()

    @property
    def ongoing(self) -> bool:
        return self.end is None

    def lasted(self, now: dt.datetime) -> dt.timedelta:
        """How long it lasted, or has lasted so far."""
        return max((self.end or now) - self.start, dt.timedelta(0))

    def span(self) -> days.AttackSpan:
        return days.AttackSpan(
            start=self.start,
            end=self.end,
            aura=self.aura,
            medications=tuple(
                days.MedicationTaken(d.name, d.med_class, d.taken_at) for d in self.medications
            ),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "start": to_storage(self.start),
            "end": to_storage(self.end) if self.end else None,
            "peak": self.peak,
            "aura": self.aura,
            "medications": [d.to_json() for d in self.medications],
            "notes": self.notes,
            "source": self.source,
        }


@dataclass(frozen=True)
class Logged:
    """A stored attack with what the person should hear about right away."""

    attack: Attack
    month: days.MonthOveruse | None
    other_ongoing: list[tuple[int, dt.datetime]]
    replaced_checkins: list[dt.date] = field(default_factory=list)
