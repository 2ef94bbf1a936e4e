"""Which day is what, as the diary holds it: check-ins and kept ranges, the day table read
from storage, and the calendar and medication-days reports built on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from migraine_diary import storage as db
from migraine_diary.domain import days
from migraine_diary.domain.dates import (
    LOCAL,
    day_start,
    format_local,
    from_storage,
    local_day,
    parse_day,
    to_storage,
)
from migraine_diary.domain.days import MedsReport
from migraine_diary.domain.hints import command_line
from migraine_diary.domain.medications import Classes
from migraine_diary.domain.models import RULES
from migraine_diary.errors import DiaryError, InputError, field_error

#: The longest span `calendar`, `meds` and `report` cover: 10 years, counted back from the
#: first of the last day's month (so --months 120 and this month so far fit). Bounded work:
#: a thousand years of calendar took more than 10 minutes.
MAX_MONTHS = 120


def check_day(text: str | None, *, field: str, today: dt.date) -> dt.date:
    """A local day typed for check-ins and kept ranges: never one that has not happened."""
    return parse_day(text, field=field, today=today, past=True) if text else today


def checkin(diary: db.Diary, day: dt.date) -> bool:
    """Record 'no migraine that day'; False when it was already checked in. Refused on a
    day an attack touches: the two cannot both be true."""
    begins, ends = day_start(day), day_start(day + dt.timedelta(days=1))
    with diary.transaction() as conn:
        for attack_id, start, end, *_ in db.attacks_touching(
            conn, to_storage(begins), to_storage(ends)
        ):
            if end is None or from_storage(end) > begins:
                raise DiaryError(
                    f"{day} has attack {attack_id} (from {format_local(from_storage(start))}), "
                    f"so it cannot be checked in as a day without migraine: change the attack "
                    f"with '{command_line(f'attack edit {attack_id}')}' or delete it with "
                    f"'{command_line(f'attack delete {attack_id}')}'"
                )
        added = db.add_checkin(conn, day.isoformat())
        if added:
            db.note_addition(conn, checkin_day=day.isoformat())
        return added


def day_status(diary: db.Diary, day: dt.date, now: dt.datetime) -> days.DayStatus:
    """What the diary knows about one local day."""
    with diary.connect() as conn:
        return day_table(conn, day, day, now).statuses[day]


def keep(diary: db.Diary, first: dt.date, last: dt.date) -> bool:
    """Declare the days from `first` to `last` recorded; False when declared before."""
    with diary.transaction() as conn:
        return db.add_kept_range(conn, first.isoformat(), last.isoformat())


# -------------------------------------------------------------- calendar and medication


@dataclass
class DayTable:
    """Day statuses for a range, and the unclassified names met on its days."""

    statuses: dict[dt.date, days.DayStatus]
    unclassified: dict[str, set[dt.date]] = field(default_factory=dict)


def _spans(rows: Iterable[tuple[Any, ...]], classes: Classes) -> list[days.AttackSpan]:
    """Rows of db.attacks_touching (one per medication) grouped into attacks."""
    grouped: dict[int, tuple[tuple[Any, ...], list[days.MedicationTaken]]] = {}
    for attack_id, start, end, aura, name, _helpfulness, taken_at in rows:
        _, meds = grouped.setdefault(attack_id, ((start, end, aura), []))
        if name is not None:
            moment = from_storage(taken_at) if taken_at else None
            meds.append(days.MedicationTaken(name, classes.of(name), moment))
    return [
        days.AttackSpan(
            start=from_storage(start),
            end=from_storage(end) if end else None,
            aura=bool(aura),
            medications=tuple(meds),
        )
        for (start, end, aura), meds in grouped.values()
    ]


def day_table(conn: Any, first: dt.date, last: dt.date, now: dt.datetime) -> DayTable:
    """Everything the day rules need for the local days `first` to `last`, read in SQL."""
    # A dose may be taken a little before or after its attack: read a day either side.
    since = to_storage(day_start(first - dt.timedelta(days=1)))
    until = to_storage(day_start(last + dt.timedelta(days=2)))
    classes = Classes(db.user_classes(conn))
    spans = _spans(db.attacks_touching(conn, since, until), classes)
    sessions = db.session_instants(
        conn, to_storage(day_start(first)), to_storage(day_start(last + dt.timedelta(days=1)))
    )
    statuses = days.day_statuses(
        first,
        last,
        attacks=spans,
        session_times=[from_storage(when) for when, _ in sessions],
        attack_sessions=[from_storage(when) for when, during in sessions if during],
        checkins=[dt.date.fromisoformat(d) for d in db.checkin_days(conn, str(first), str(last))],
        kept_ranges=[
            (dt.date.fromisoformat(a), dt.date.fromisoformat(b))
            for a, b in db.kept_ranges(conn, str(first), str(last))
        ],
        tz=LOCAL,
        now=now,
    )
    unclassified: dict[str, set[dt.date]] = {}
    for span in spans:
        start_day = local_day(span.start)
        for med in span.medications:
            day = local_day(med.taken_at) if med.taken_at else start_day
            if med.med_class is None and first <= day <= last:
                unclassified.setdefault(med.name, set()).add(day)
    return DayTable(statuses, unclassified)


def _empty_table(first: dt.date, last: dt.date, now: dt.datetime) -> DayTable:
    return DayTable(days.day_statuses(first, last, attacks=(), tz=LOCAL, now=now))


def month_overuse(diary: db.Diary, day: dt.date, now: dt.datetime) -> days.MonthOveruse | None:
    """The overuse record of `day`'s month, with the two months before it as history."""
    first, last = days.last_months(day, days.OVERUSE_RUN_MONTHS)
    with diary.connect() as conn:
        table = day_table(conn, first, last, now).statuses
    return days.current_month_overuse(table, day)


def date_range(
    months: str | None, since: str | None, until: str | None, today: dt.date
) -> tuple[dt.date, dt.date]:
    """The days a report, calendar or medication table covers: by default the three complete
    calendar months before this one and this month so far; --months N complete months; or
    --since/--until (--since alone runs to today, --until alone starts three months before).
    At most MAX_MONTHS months before the last day's month, however it is given."""
    if months is not None and (since or until):
        raise InputError("give either --months or --since/--until, not both")
    if since or until:
        last = parse_day(until, field="until", today=today) if until else today
        first = (
            parse_day(since, field="since", today=today) if since else days.default_period(last)[0]
        )
        if first > last:
            raise InputError(f"since must be on or before until (got {first} after {last})")
    else:
        count = days.COMPLETE_MONTHS
        if months is not None:
            text = months.strip()
            if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= MAX_MONTHS:
                raise field_error("months", RULES["months"], months)
            count = int(text)
        first, last = days.default_period(today, count)
    _within_span(first, last, since)
    return first, last


def _within_span(first: dt.date, last: dt.date, since: str | None) -> None:
    """Refuse a span longer than MAX_MONTHS, counted in months so no date is computed out of
    range (a first day in year 1 fits no subtraction)."""
    if (last.year - first.year) * 12 + last.month - first.month <= MAX_MONTHS:
        return
    earliest = days.add_months(last, -MAX_MONTHS)
    rule = (
        f"a day from {earliest} to {last}: calendar, meds and report cover at most "
        f"{MAX_MONTHS // 12} years"
    )
    raise field_error("since", rule, since if since is not None else str(first))


def calendar_months(
    diary: db.Diary | None, first: dt.date, last: dt.date, now: dt.datetime
) -> list[days.MonthSummary]:
    if diary is None:
        return days.months(_empty_table(first, last, now).statuses)
    with diary.connect() as conn:
        return days.months(day_table(conn, first, last, now).statuses)


def meds_report(
    diary: db.Diary | None, first: dt.date, last: dt.date, now: dt.datetime
) -> MedsReport:
    """Acute-medication days per whole calendar month against the ICHD-3 thresholds; the two
    months before the first are read too, so a run of flagged months is seen."""
    first = first.replace(day=1)
    last = days.month_end(last)
    history_first = days.add_months(first, -(days.OVERUSE_RUN_MONTHS - 1))
    if diary is None:
        table = _empty_table(history_first, last, now)
    else:
        with diary.connect() as conn:
            table = day_table(conn, history_first, last, now)
    by_month = days.months(table.statuses)
    shown = [m for m in by_month if m.month >= days.month_key(first)]
    history = [m for m in by_month if m.month < days.month_key(first)]
    unclassified = sorted(
        (
            (name, len({d for d in found if d >= first}))
            for name, found in table.unclassified.items()
            if any(d >= first for d in found)
        ),
        key=lambda item: (-item[1], item[0].casefold()),
    )
    return MedsReport(days.overuse(shown, history=history), unclassified)
