"""The doctor's report as plain figures: what `diary.report` gathers and `render.report` shows.

Pure data, no I/O and no wording: every figure is computed here or before, the renderers
only format it.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from migraine_diary.domain.days import MedicationTaken
from migraine_diary.domain.medications import CLASSES

if TYPE_CHECKING:
    from migraine_diary.analysis.acute import TreatmentRow
    from migraine_diary.analysis.plans import Outcome
    from migraine_diary.analysis.stats import ReliefEstimate
    from migraine_diary.domain.acute import Score
    from migraine_diary.domain.plan import Plan

__all__ = [
    "AttackEntry",
    "MonthFigures",
    "PlanFigures",
    "ReportData",
    "TherapyFigures",
    "ordered_classes",
]

#: A period needs this many recorded days before migraine days per 28 days are shown
#: (the rule the preventive verdict uses for a 28-day window).
MIN_RECORDED_FOR_RATE = 21
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class MonthFigures:
    """One calendar month of the period (only its days inside the period count)."""

    month: str  # YYYY-MM
    days: int  # days of this month inside the period
    migraine_days: int
    recorded_days: int
    medication_days_by_class: Mapping[str, int]  # class -> days with it (a day may have two)
    medication_days: int  # days with any acute medication
    flags: tuple[str, ...] = ()  # classes over their ICHD-3 threshold, plus "multiple"
    overuse_pattern: bool = False  # third flagged month in a row, or one continuing the run
    so_far: bool = False  # the current month, up to today

    @property
    def complete(self) -> bool:
        """All the month's days are in the period and over: only such a month counts against
        a monthly limit (a few days of a month say nothing about the month). The current
        month is never complete, even on its last day."""
        year, month = int(self.month[:4]), int(self.month[5:])
        return not self.so_far and self.days == calendar.monthrange(year, month)[1]

    @property
    def name(self) -> str:
        """``Sep 2026``: month names in English whatever the locale, like the rest."""
        return f"{MONTH_NAMES[int(self.month[5:]) - 1]} {self.month[:4]}"

    @property
    def label(self) -> str:
        """``Sep 2026``, ``Dec 2026 so far, 1 day`` or ``Aug 2026, 12 days``: a partial month
        says so wherever it is shown."""
        if self.complete:
            return self.name
        days = f"{self.days} day" + ("" if self.days == 1 else "s")
        return f"{self.name} so far, {days}" if self.so_far else f"{self.name}, {days}"


@dataclass(frozen=True)
class TherapyFigures:
    """What one therapy did in the period, with the n behind every figure."""

    name: str
    sessions: int
    minutes: int
    relief_n: int  # sessions in the relief figures (those that began with pain)
    relief_mean: float | None
    relief_ci: tuple[float, float] | None
    acute: tuple[ReliefEstimate, ReliefEstimate]  # relief during attacks, at other times
    preventive: str  # one sentence: migraine days before and during the course
    cost: Decimal
    relief_all_same: bool = False  # every session the same relief: no interval to show
    pgic: tuple[Score, ...] = ()  # the latest PGIC of each of its courses, shown beside it


@dataclass(frozen=True)
class AttackEntry:
    """One attack of the period; ``duration`` None while it is still going on."""

    start: datetime
    duration: timedelta | None
    peak: int
    aura: bool
    medications: tuple[MedicationTaken, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class PlanFigures:
    """One randomised plan for the report: as made, its result (withheld while it runs), and
    whether it is active, finished or abandoned."""

    plan: Plan
    outcome: Outcome
    status: str


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, computed beforehand: the renderers only format it."""

    start: date
    end: date
    recorded_days: int
    months: tuple[MonthFigures, ...]
    therapies: tuple[TherapyFigures, ...]
    attacks: tuple[AttackEntry, ...]
    questions: tuple[str, ...]
    generated_at: datetime
    notes: tuple[str, ...] = field(default=())  # caveats about the data, shown as they are
    plans: tuple[PlanFigures, ...] = field(default=())
    acute: tuple[TreatmentRow, ...] = ()  # trial endpoints per medicine, class and therapy
    acute_doses: int = 0  # medication doses in the period
    acute_unrated: int = 0  # of them, without a 2-hour rating (counted apart)
    scores: tuple[Score, ...] = ()  # the latest MIDAS and HIT-6, each with its change
    pgic: tuple[Score, ...] = ()  # the latest PGIC of each course of a therapy not shown

    @property
    def days(self) -> int:
        """Days in the period, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def migraine_days(self) -> int:
        return sum(m.migraine_days for m in self.months)

    @property
    def medication_days(self) -> int:
        return sum(m.medication_days for m in self.months)

    @property
    def migraine_rate(self) -> float | None:
        """Migraine days per 28 recorded days; None with too few recorded days to mean much."""
        recorded = sum(m.recorded_days for m in self.months)
        if recorded < MIN_RECORDED_FOR_RATE:
            return None
        return self.migraine_days / recorded * 28

    @property
    def complete_months(self) -> int:
        return sum(1 for m in self.months if m.complete)

    @property
    def flagged_months(self) -> int:
        """Complete months over an ICHD-3 limit (the limits are per calendar month)."""
        return sum(1 for m in self.months if m.flags and m.complete)


def ordered_classes(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """Medication classes in the order reports list them; unknown ones last, by name."""

    def order(item: tuple[str, int]) -> tuple[int, str]:
        name = item[0]
        return (CLASSES.index(name) if name in CLASSES else len(CLASSES), name)

    return sorted(counts.items(), key=order)
