"""Which day is what: recorded, migraine, attack-only or unknown, and medication overuse.

Pure functions over plain data, so the rules (the clinical-trial migraine-day definition
and the ICHD-3 medication-overuse thresholds) can be tested without a database and the
CLI and storage layers only have to feed them attacks, sessions, check-ins and ranges.

Every datetime must be timezone-aware: durations are measured between instants (so a
DST change does not stretch or shrink an attack) and days are the user's local days.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from migraine_diary.domain.medications import (
    CLASSES,
    COMBINATION_ANALGESIC,
    ERGOT,
    MIGRAINE_SPECIFIC,
    OPIOID,
    OTHER,
    SIMPLE_ANALGESIC,
    TRIPTAN,
    UNCLASSIFIED,
    class_label,
)

#: An attack this long (or with aura) makes every day it touches a migraine day.
MIGRAINE_MIN_DURATION = dt.timedelta(minutes=30)
#: ICHD-3's longest untreated attack: an ongoing attack counts no further than this from its
#: start, so a forgotten one does not make every later day a migraine day.
ONGOING_LIMIT = dt.timedelta(hours=72)

STATUS_MIGRAINE = "migraine"
STATUS_ATTACK = "attack"
STATUS_FREE = "free"
STATUS_UNKNOWN = "unknown"
STATUSES: tuple[str, ...] = (STATUS_MIGRAINE, STATUS_ATTACK, STATUS_FREE, STATUS_UNKNOWN)

#: ICHD-3 8.2: a class taken on at least this many days of a month is flagged.
OVERUSE_THRESHOLDS: Mapping[str, int] = {
    TRIPTAN: 10,
    ERGOT: 10,
    OPIOID: 10,
    COMBINATION_ANALGESIC: 10,
    SIMPLE_ANALGESIC: 15,
}
#: ICHD-3 8.2.6: acute medication of several classes on at least this many days in total.
MULTIPLE_THRESHOLD = 10
MULTIPLE_FLAG = "multiple"
#: Classes left out of the ``multiple`` rule: oxygen, antiemetics and steroids do not
#: cause medication-overuse headache. Gepants, ditans and unclassified names count, to
#: err on the side of mentioning it.
MULTIPLE_EXCLUDED: frozenset[str] = frozenset({OTHER})
#: The run of consecutive flagged months that makes the overuse pattern.
OVERUSE_RUN_MONTHS = 3

#: The plain warning for the overuse pattern: no diagnosis, no advice to stop anything.
OVERUSE_WARNING = (
    "Taking acute medication this often, month after month, is the pattern doctors call "
    "medication-overuse headache. It is worth raising with a doctor."
)


def _require_aware(value: dt.datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware (got {value.isoformat()})")


@dataclass(frozen=True)
class MedicationTaken:
    """One acute medication taken for an attack; ``med_class`` None means unclassified."""

    name: str
    med_class: str | None
    taken_at: dt.datetime | None = None

    def __post_init__(self) -> None:
        if self.taken_at is not None:
            _require_aware(self.taken_at, "medication time")


@dataclass(frozen=True)
class AttackSpan:
    """An attack as the day rules need it; ``end`` None means still ongoing."""

    start: dt.datetime
    end: dt.datetime | None
    aura: bool = False
    medications: tuple[MedicationTaken, ...] = ()

    def __post_init__(self) -> None:
        _require_aware(self.start, "attack start")
        if self.end is not None:
            _require_aware(self.end, "attack end")
            if self.end < self.start:
                raise ValueError("an attack cannot end before it starts")

    def counted_until(self, now: dt.datetime) -> dt.datetime:
        """Its end, or while ongoing ``now`` but no later than 72 hours from the start."""
        if self.end is not None:
            return self.end
        return min(now, self.start + ONGOING_LIMIT)

    def overdue(self, now: dt.datetime) -> bool:
        """Still ongoing past the 72 hours an ongoing attack may count for."""
        return self.end is None and now > self.start + ONGOING_LIMIT

    def duration(self, now: dt.datetime) -> dt.timedelta:
        """How long it lasted, or has counted by ``now`` while ongoing (never negative)."""
        until = self.counted_until(now)
        # Subtract in UTC: equal tzinfo objects would otherwise compare wall-clock times.
        lasted = until.astimezone(dt.UTC) - self.start.astimezone(dt.UTC)
        return max(lasted, dt.timedelta(0))

    def is_migraine(self, now: dt.datetime) -> bool:
        """Whether the attack itself qualifies: aura, or at least 30 minutes by ``now``."""
        return self.aura or self.duration(now) >= MIGRAINE_MIN_DURATION

    def local_days(self, tz: dt.tzinfo, now: dt.datetime) -> tuple[dt.date, dt.date]:
        """First and last local day touched (an ongoing one: as far as it counts); an end
        exactly at midnight stays on the day before."""
        start = self.start.astimezone(tz)
        until = max(self.counted_until(now), self.start)
        end = until.astimezone(tz)
        last = end.date()
        if end.time() == dt.time(0) and until > self.start and last > start.date():
            last -= dt.timedelta(days=1)
        return start.date(), last


@dataclass(frozen=True)
class DayStatus:
    """What is known about one local calendar day."""

    date: dt.date
    recorded: bool
    migraine: bool
    attack: bool
    session: bool
    acute_classes: frozenset[str] = field(default_factory=frozenset)

    @property
    def status(self) -> str:
        """``migraine``, ``attack`` (an attack, not a migraine day), ``free`` or ``unknown``."""
        if self.migraine:
            return STATUS_MIGRAINE
        if self.attack:
            return STATUS_ATTACK
        if self.recorded:
            return STATUS_FREE
        return STATUS_UNKNOWN

    @property
    def acute_medication(self) -> bool:
        """Whether any acute medication was taken that day."""
        return bool(self.acute_classes)


def _days(first: dt.date, last: dt.date) -> Iterable[dt.date]:
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def day_statuses(
    first: dt.date,
    last: dt.date,
    *,
    attacks: Iterable[AttackSpan],
    session_times: Iterable[dt.datetime] = (),
    attack_sessions: Iterable[dt.datetime] = (),
    checkins: Iterable[dt.date] = (),
    kept_ranges: Iterable[tuple[dt.date, dt.date]] = (),
    tz: dt.tzinfo,
    now: dt.datetime,
) -> dict[dt.date, DayStatus]:
    """The status of every local day from ``first`` to ``last`` inclusive.

    A day is recorded when an attack, an acute medication, a check-in or a kept range
    covers it; anything else is unknown, not migraine-free. A session alone records nothing:
    it says nothing about the rest of the day. A migraine day is touched by an attack of at
    least 30 minutes or with aura, or has a migraine-specific medication; a medication
    without a time counts on the attack's first local day. An ongoing attack counts for at
    most 72 hours from its start; the days after it, up to ``now``, are unknown whatever
    else was recorded, until it is ended. A day of a session during an attack
    (``attack_sessions``, also in ``session_times``) that no attack record touches is an
    attack of unknown length: ``attack``, never free, and not recorded, so it can neither
    raise nor lower the migraine days counted.
    """
    if first > last:
        raise ValueError(f"first day {first} is after last day {last}")
    _require_aware(now, "now")
    recorded: set[dt.date] = set()
    migraine: set[dt.date] = set()
    attack_days: set[dt.date] = set()
    sessions: set[dt.date] = set()
    classes: dict[dt.date, set[str]] = {}

    overdue: set[dt.date] = set()
    for attack in attacks:
        start_day, end_day = attack.local_days(tz, now)
        if attack.overdue(now):
            after = max(end_day + dt.timedelta(days=1), first)
            overdue.update(_days(after, min(now.astimezone(tz).date(), last)))
        qualifies = attack.is_migraine(now)
        for day in _days(max(start_day, first), min(end_day, last)):
            attack_days.add(day)
            recorded.add(day)
            if qualifies:
                migraine.add(day)
        for med in attack.medications:
            day = med.taken_at.astimezone(tz).date() if med.taken_at else start_day
            if not first <= day <= last:
                continue
            recorded.add(day)
            classes.setdefault(day, set()).add(med.med_class or UNCLASSIFIED)
            if med.med_class in MIGRAINE_SPECIFIC:
                migraine.add(day)

    for when in session_times:
        _require_aware(when, "session time")
        sessions.add(when.astimezone(tz).date())
    recorded.update(checkins)
    for kept_from, kept_to in kept_ranges:
        if kept_from > kept_to:
            raise ValueError(f"kept range starts {kept_from}, after it ends {kept_to}")
        recorded.update(_days(max(kept_from, first), min(kept_to, last)))
    # What an attack record or a dose says about a day stands; the rest of these is unknown.
    known = attack_days | set(classes)
    during_attack: set[dt.date] = set()
    for when in attack_sessions:
        _require_aware(when, "session time")
        during_attack.add(when.astimezone(tz).date())
    during_attack = {d for d in during_attack if first <= d <= last} - known
    recorded -= (overdue - known) | during_attack
    attack_days |= during_attack

    return {
        day: DayStatus(
            date=day,
            recorded=day in recorded,
            migraine=day in migraine,
            attack=day in attack_days,
            session=day in sessions,
            acute_classes=frozenset(classes.get(day, ())),
        )
        for day in _days(first, last)
    }


def month_key(day: dt.date) -> str:
    """``YYYY-MM``, the month name used in JSON."""
    return f"{day.year:04d}-{day.month:02d}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after (or before, if negative) ``day``'s."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


COMPLETE_MONTHS = 3


def default_period(today: dt.date, complete: int = COMPLETE_MONTHS) -> tuple[dt.date, dt.date]:
    """The ``complete`` calendar months before ``today``'s month, plus that month so far.

    "The last three months" that included the current one would, on the 1st, count a one-day
    month as one of three and drop the month that matters most.
    """
    if complete < 1:
        raise ValueError(f"the number of months must be at least 1 (got {complete})")
    return add_months(today, -complete), today


def last_months(today: dt.date, count: int) -> tuple[dt.date, dt.date]:
    """First and last day of the ``count`` calendar months ending with ``today``'s month."""
    if count < 1:
        raise ValueError(f"the number of months must be at least 1 (got {count})")
    return add_months(today, -(count - 1)), month_end(today)


@dataclass(frozen=True)
class MonthSummary:
    """One calendar month of day statuses (only the days that were asked for)."""

    month: str
    days: tuple[DayStatus, ...]

    @property
    def year(self) -> int:
        return int(self.month[:4])

    @property
    def month_number(self) -> int:
        return int(self.month[5:])

    @property
    def migraine_days(self) -> int:
        return sum(d.migraine for d in self.days)

    @property
    def recorded_days(self) -> int:
        return sum(d.recorded for d in self.days)

    @property
    def acute_medication_days(self) -> int:
        return sum(d.acute_medication for d in self.days)

    @property
    def session_days(self) -> int:
        return sum(d.session for d in self.days)


def month_summary(statuses: Mapping[dt.date, DayStatus], year: int, month: int) -> MonthSummary:
    """The summary of one month from the days of ``statuses`` that fall in it."""
    days = tuple(statuses[d] for d in sorted(statuses) if (d.year, d.month) == (year, month))
    return MonthSummary(month=f"{year:04d}-{month:02d}", days=days)


def months(statuses: Mapping[dt.date, DayStatus]) -> list[MonthSummary]:
    """Every month present in ``statuses``, oldest first."""
    keys = sorted({(d.year, d.month) for d in statuses})
    return [month_summary(statuses, year, month) for year, month in keys]


def calendar_json(summaries: Iterable[MonthSummary]) -> list[dict[str, Any]]:
    """The ``calendar --json`` shape: a list of months with their days."""
    return [
        {
            "month": s.month,
            "migraine_days": s.migraine_days,
            "recorded_days": s.recorded_days,
            "acute_medication_days": s.acute_medication_days,
            "days": [
                {"date": d.date.isoformat(), "status": d.status, "session": d.session}
                for d in s.days
            ],
        }
        for s in summaries
    ]


@dataclass(frozen=True)
class MonthOveruse:
    """Acute-medication days of one month against the ICHD-3 overuse thresholds."""

    month: str
    days_by_class: Mapping[str, int]
    total_days: int
    flags: tuple[str, ...]
    overuse_pattern: bool

    @property
    def flagged(self) -> bool:
        return bool(self.flags)


def _class_order(med_class: str) -> int:
    return CLASSES.index(med_class) if med_class in CLASSES else len(CLASSES)


def _month_overuse(summary: MonthSummary) -> tuple[dict[str, int], int, tuple[str, ...]]:
    counts: dict[str, int] = {}
    for day in summary.days:
        for med_class in day.acute_classes:
            counts[med_class] = counts.get(med_class, 0) + 1
    days_by_class = {c: counts[c] for c in sorted(counts, key=lambda c: (_class_order(c), c))}
    total = sum(1 for d in summary.days if d.acute_classes)
    flags = [c for c, limit in OVERUSE_THRESHOLDS.items() if days_by_class.get(c, 0) >= limit]
    flags.sort(key=_class_order)
    counted = [d.acute_classes - MULTIPLE_EXCLUDED for d in summary.days]
    used: set[str] = set().union(*counted)
    if sum(1 for c in counted if c) >= MULTIPLE_THRESHOLD and len(used) >= 2:
        flags.append(MULTIPLE_FLAG)
    return days_by_class, total, tuple(flags)


def overuse(
    months_of_days: Iterable[MonthSummary], *, history: Iterable[MonthSummary] = ()
) -> list[MonthOveruse]:
    """Per month: days by class, days with any acute medication, flags and the pattern.

    ``overuse_pattern`` is true for a flagged month whose two previous calendar months
    were flagged too (the third of a run and every month continuing it). ``history`` are
    earlier months used only to see such a run; they are not returned. Pass the two
    months before the first one shown, or a run that began earlier is missed.
    """
    flagged: dict[str, bool] = {}
    for summary in history:
        flagged[summary.month] = bool(_month_overuse(summary)[2])
    result: list[MonthOveruse] = []
    for summary in sorted(months_of_days, key=lambda s: s.month):
        days_by_class, total, flags = _month_overuse(summary)
        flagged[summary.month] = bool(flags)
        first_day = dt.date(summary.year, summary.month_number, 1)
        run = all(
            flagged.get(month_key(add_months(first_day, -back)), False)
            for back in range(OVERUSE_RUN_MONTHS)
        )
        result.append(
            MonthOveruse(
                month=summary.month,
                days_by_class=days_by_class,
                total_days=total,
                flags=flags,
                overuse_pattern=run,
            )
        )
    return result


def meds_json(overuses: Iterable[MonthOveruse]) -> list[dict[str, Any]]:
    """The ``meds --json`` shape: a list of months."""
    return [
        {
            "month": o.month,
            "days_by_class": dict(o.days_by_class),
            "total_days": o.total_days,
            "flags": list(o.flags),
            "overuse_pattern": o.overuse_pattern,
        }
        for o in overuses
    ]


@dataclass(frozen=True)
class MedsReport:
    """Whole calendar months of acute medication, and the names without a class."""

    months: list[MonthOveruse]
    unclassified: list[tuple[str, int]]


def current_month_overuse(
    statuses: Mapping[dt.date, DayStatus], today: dt.date
) -> MonthOveruse | None:
    """The overuse record of ``today``'s month, using earlier months in ``statuses`` as history.

    None when ``statuses`` has no day of that month. For the pattern to be seen, pass
    statuses that cover the two previous months as well (``last_months(today, 3)``).
    """
    by_month = months(statuses)
    current = [s for s in by_month if s.month == month_key(today)]
    if not current:
        return None
    history = [s for s in by_month if s.month < month_key(today)]
    return overuse(current, history=history)[0]


def current_month_flags(statuses: Mapping[dt.date, DayStatus], today: dt.date) -> tuple[str, ...]:
    """The thresholds ``today``'s month crosses (empty when none), for a warning after logging."""
    found = current_month_overuse(statuses, today)
    return found.flags if found is not None else ()


def describe_flags(month: MonthOveruse) -> str:
    """One line naming what crossed which threshold, e.g. ``triptan on 11 days (limit 10)``."""
    parts = []
    for flag in month.flags:
        if flag == MULTIPLE_FLAG:
            parts.append(
                f"acute medication of several classes on {month.total_days} days "
                f"(limit {MULTIPLE_THRESHOLD})"
            )
        else:
            days = month.days_by_class.get(flag, 0)
            parts.append(f"{class_label(flag)} on {days} days (limit {OVERUSE_THRESHOLDS[flag]})")
    return "; ".join(parts)


def overuse_warning(month: MonthOveruse) -> str | None:
    """The plain warning for a flagged month, or None when nothing crossed a threshold."""
    if not month.flags:
        return None
    text = f"{month.month}: {describe_flags(month)}, over the ICHD-3 medication-overuse levels."
    if month.overuse_pattern:
        return f"{text} This is the third month in a row or more. {OVERUSE_WARNING}"
    return (
        f"{text} If it goes on for three months in a row, it is the pattern doctors call "
        "medication-overuse headache. It is worth raising with a doctor."
    )
