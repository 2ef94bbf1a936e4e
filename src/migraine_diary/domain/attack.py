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
class Relief:
    """A non-drug relief method tried for an attack, and how it helped (None: not said)."""

    method: str
    helpfulness: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "helpfulness": self.helpfulness}


@dataclass(frozen=True)
class AttackDetail:
    """What an attack came with, as values to count and filter by (Migraine Buddy's columns).

    The JSON keys are the `AttackInput` fields of the same name, so a document that carries
    an attack's detail can be read back into one.
    """

    triggers: tuple[str, ...] = ()
    symptoms: tuple[str, ...] = ()
    pain_positions: tuple[str, ...] = ()
    most_bothersome: str | None = None
    relief: tuple[Relief, ...] = ()

    def __bool__(self) -> bool:
        return bool(
            self.triggers
            or self.symptoms
            or self.pain_positions
            or self.most_bothersome
            or self.relief
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "triggers": list(self.triggers),
            "symptoms": list(self.symptoms),
            "pain_positions": list(self.pain_positions),
            "most_bothersome": self.most_bothersome,
            "relief": [r.to_json() for r in self.relief],
        }


@dataclass(frozen=True)
class Origin:
    """The UTC offsets (minutes east) an importing app recorded for an attack's start and
    end: its local times as they were where it happened."""

    start_offset: int
    end_offset: int | None

    def local(self, moment: dt.datetime, offset: int) -> dt.datetime:
        return moment.astimezone(dt.timezone(dt.timedelta(minutes=offset)))


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
    medications: tuple[Dose, ...] = ()  # in time order: the numbers `attack rate --dose` uses
    detail: AttackDetail = AttackDetail()
    origin: Origin | None = None

    def __post_init__(self) -> None:
        # Doses are shown in time order wherever they are numbered (a dose without a time
        # counts from the attack's start; equal times keep the order they were stored in).
        ordered = sorted(self.medications, key=lambda d: d.taken_at or self.start)
        object.__setattr__(self, "medications", tuple(ordered))

    @property
    def local_start(self) -> dt.datetime | None:
        """The start at the UTC offset the importing app recorded; None when typed."""
        return self.origin.local(self.start, self.origin.start_offset) if self.origin else None

    @property
    def local_end(self) -> dt.datetime | None:
        if self.origin is None or self.end is None:
            return None
        offset = self.origin.end_offset
        return self.origin.local(self.end, self.origin.start_offset if offset is None else offset)

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
            "detail": self.detail.to_json(),
            "local_time": None
            if self.origin is None
            else {
                "start": _iso(self.local_start),
                "end": _iso(self.local_end),
                "start_offset": self.origin.start_offset,
                "end_offset": self.origin.end_offset,
            },
        }


def _iso(moment: dt.datetime | None) -> str | None:
    """A recorded local time with its offset: 2024-11-16T13:12:00+01:00."""
    return moment.isoformat(timespec="seconds") if moment is not None else None


@dataclass(frozen=True)
class Logged:
    """A stored attack with what the person should hear about right away."""

    attack: Attack
    month: days.MonthOveruse | None
    other_ongoing: list[tuple[int, dt.datetime]]
    replaced_checkins: list[dt.date] = field(default_factory=list)


#: The kinds `migraine triggers --kind` counts, as stored.
DETAIL_KINDS = ("trigger", "symptom", "pain_position", "most_bothersome", "relief")


@dataclass(frozen=True)
class DetailCounts:
    """How many of the attacks in a period had each trigger (or symptom, ...): `attacks` is
    every attack recorded then, `with_any` those with at least one of this kind."""

    kind: str
    since: dt.date | None
    until: dt.date | None
    attacks: int
    with_any: int
    values: list[tuple[str, int]]

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "attacks": self.attacks,
            "with_any": self.with_any,
            "values": [
                {"value": value, "attacks": n, "share": n / self.attacks if self.attacks else None}
                for value, n in self.values
            ],
        }
