"""Parse the dates people type ("yesterday 17:00") and format stored instants; stdlib only."""

from __future__ import annotations

import os
import re
import time as clock
import warnings
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path

from migraine_diary.errors import InputError, Note, field_error

WHEN_RULE = (
    "a date and optional time such as 2026-11-20, '2026-11-20 14:30', today, "
    "yesterday or 'yesterday 17:00'"
)
DAY_RULE = "a date such as 2026-11-20, today or yesterday"
WRITTEN_RULE = "an ISO date or date and time such as 2026-11-20 or 2026-11-20T14:30:00+01:00"
PAST_DAY_RULE = DAY_RULE + ", not in the future"
# The rules above name the common forms; every form is listed in the --when help and README.
PAST_RULE = "a moment up to now"
# The days a diary holds: wide enough for any life, narrow enough that every moment has a
# four-digit year in every time zone (year 1 or 9999 overflowed in the conversions).
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
RANGE_RULE = f"a date from {FIRST_DAY} to {LAST_DAY}"
# No time zone moves a moment more than 14 hours from UTC: outside these, no local day is
# in range (and converting it could overflow).
_EARLIEST = datetime.combine(FIRST_DAY, time(0, 0), UTC) - timedelta(hours=14)
_LATEST = datetime.combine(LAST_DAY, time(23, 59, 59), UTC) + timedelta(hours=14)
NOON = time(12, 0)
_RELATIVE = {"today": 0, "now": 0, "yesterday": 1}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_AGO = re.compile(r"^([0-9]{1,6}) days? ago$")
_DAY_MONTH = re.compile(r"^([0-9]{1,2})[/.]([0-9]{1,2})(?:[/.][0-9]{2,4})?$")
# A moment typed a few seconds ahead of the clock (or rounded up to the minute) is not future.
_SLACK = timedelta(minutes=1)
_TIME = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
_EPOCH = datetime(1970, 1, 1)


class SystemLocalTime(tzinfo):
    """The system's local time with its daylight-saving rules, asked of the C library per
    instant (as `dates.format_local` shows times).

    A fixed offset (the one in force now) would be wrong half the year: read in winter, a
    summer attack at 00:30 would land on the day before.
    """

    def fromutc(self, moment: datetime) -> datetime:
        naive = moment.replace(tzinfo=None)
        offset = clock.localtime((naive - _EPOCH).total_seconds()).tm_gmtoff
        return (naive + timedelta(seconds=offset)).replace(tzinfo=self)

    def utcoffset(self, moment: datetime | None) -> timedelta:
        stamp = clock.time() if moment is None else clock.mktime((*moment.timetuple()[:8], -1))
        return timedelta(seconds=clock.localtime(stamp).tm_gmtoff)

    def dst(self, moment: datetime | None) -> timedelta | None:
        return None

    def tzname(self, moment: datetime | None) -> str:
        stamp = clock.time() if moment is None else clock.mktime((*moment.timetuple()[:8], -1))
        return clock.localtime(stamp).tm_zone

    def __repr__(self) -> str:
        return "SystemLocalTime()"


LOCAL = SystemLocalTime()


NOW_VAR = "MIGRAINE_DIARY_NOW"


def now() -> datetime:
    """The moment every command takes as now: the clock, unless $MIGRAINE_DIARY_NOW pins it.

    The one place the code reads the time, so that tests (and anyone re-checking a printed
    report) can pin "today": `MIGRAINE_DIARY_NOW=2026-12-01` (noon, local) or
    `MIGRAINE_DIARY_NOW='2026-12-01 08:30'`.
    """
    pinned = os.environ.get(NOW_VAR, "").strip()
    if pinned:
        try:
            moment = _iso_moment(pinned)
        except ValueError:
            raise field_error(NOW_VAR, "a date or a local date and time", pinned) from None
        check_range(moment, field=NOW_VAR, got=pinned)
        return _localise(moment) if moment.tzinfo is None else moment.astimezone(UTC)
    return datetime.now(UTC).replace(microsecond=0)


def current_day() -> date:
    """The local calendar day of `now()`."""
    return now().astimezone(LOCAL).date()


def parse_when(
    text: str, *, field: str = "when", today: date | None = None, rule: str = WHEN_RULE
) -> datetime:
    """A moment as the user types it; a date alone means 12:00 local time.

    Natural forms are read here and nowhere else: `now`, a time alone (today), `today`,
    `yesterday`, `3 days ago`, `monday` or `last monday` (the most recent one before today),
    each with an optional time. A time that makes it later than now is refused with what was
    understood, as is `tomorrow` or `next ...`: a diary holds what happened.

    Anything else is read as a file's moment (`parse_written`: ISO 8601, what `export`
    writes); a date written out is refused after now just the same. `rule` is what an
    unreadable moment is told to be; a moment out of range is told the range.
    """
    raw = text.strip()
    lowered = " ".join(raw.lower().split())
    if lowered == "now":
        return now()
    base = today or current_day()
    _refuse_ahead_or_ambiguous(lowered, text, field, base)
    named = (base, lowered) if _TIME.match(lowered) else _named_day(lowered, base)
    if named is not None:
        day, rest = named
        if not rest:
            check_range(day, field=field, got=text)
            return local_instant(datetime.combine(day, NOON))
        moment = local_instant(datetime.combine(day, _parse_clock(rest, text, field, rule)))
        check_range(moment, field=field, got=text)
        if moment > now() + _SLACK:
            raise refused_ahead(field, text, moment)
        return moment
    return parse_written(text, field=field, today=base, rule=rule)


def parse_written(
    text: str, *, field: str = "when", today: date | None = None, rule: str = WRITTEN_RULE
) -> datetime:
    """A moment as a file writes it: ISO 8601, with its offset or as a local date and time;
    a date alone means 12:00 local time. A file carries absolute moments: `yesterday` in it
    would mean another day on each import, so the natural forms are `parse_when`'s only."""
    raw = text.strip()
    base = today or current_day()
    try:
        parsed = _iso_moment(raw)
    except ValueError:
        raise field_error(field, rule, text) from None
    check_range(parsed, field=field, got=text)
    moment = local_instant(parsed) if parsed.tzinfo is None else parsed.astimezone(UTC)
    check_range(moment, field=field, got=text)  # its local day, in this time zone
    # A date alone stands for its noon: today's is taken in the morning too (as `today` is).
    latest = now() + _SLACK
    if _is_date(raw):
        latest = max(latest, local_instant(datetime.combine(base, NOON)))
    if moment > latest:
        raise refused_ahead(field, text, moment)
    return moment.replace(microsecond=0)


def _named_day(lowered: str, base: date) -> tuple[date, str] | None:
    """The day a phrase begins with (`yesterday`, `3 days ago`, `last monday`) and the rest
    of it (a time, or nothing); None when it names no day."""
    words = lowered.split(" ")
    if words[0] in _RELATIVE:
        return base - timedelta(days=_RELATIVE[words[0]]), " ".join(words[1:])
    if words[0] == "last" and len(words) > 1 and _weekday(words[1]) is not None:
        words = words[1:]
    weekday = _weekday(words[0])
    if weekday is not None:
        back = (base.weekday() - weekday) % 7 or 7  # the most recent one before today
        return base - timedelta(days=back), " ".join(words[1:])
    ago = _AGO.match(" ".join(words[:3]))
    if ago:
        back = int(ago[1])
        if back > (base - FIRST_DAY).days:
            return FIRST_DAY - timedelta(days=1), " ".join(words[3:])  # refused as out of range
        return base - timedelta(days=back), " ".join(words[3:])
    return None


def refused_ahead(
    field: str, text: str, read: date | str, *, rule: str | None = None
) -> InputError:
    """The one refusal of a moment or a day after now, saying how the text was read: a
    moment (rule: up to now) as local time, a day (rule: not in the future) unless it was
    typed as it reads, or words such as "a day ahead"."""
    typed = text.strip()
    if isinstance(read, datetime):
        return _read_as(field, rule or PAST_RULE, f"{typed!r}, read as {format_local(read)}")
    rule = rule or PAST_DAY_RULE
    shown = read if isinstance(read, str) else read.isoformat()
    if typed == shown:
        return field_error(field, rule, text)
    return _read_as(field, rule, f"{typed!r}, read as {shown}")


def _read_as(field: str, rule: str, understood: str) -> InputError:
    """field_error's shape, with what was understood shown whole (it may be long)."""
    return InputError(f"{field} must be {rule} (got {understood})")


def _weekday(word: str) -> int | None:
    """Monday 0 to Sunday 6, for a weekday's name or its first three letters."""
    for number, name in enumerate(_WEEKDAYS):
        if word == name or word == name[:3]:
            return number
    return None


def _refuse_ahead_or_ambiguous(lowered: str, text: str, field: str, base: date) -> None:
    """A day ahead, or a date that reads two ways, is refused saying how it was read."""
    _refuse_a_day_ahead(lowered, text, field, base, rule=PAST_RULE)
    first = lowered.split(" ")[0]
    both = _DAY_MONTH.match(first)
    if both and both[1] != both[2] and int(both[1]) <= 12 and int(both[2]) <= 12:
        raise _read_as(
            field,
            "a date written year first, such as 2026-11-20",
            f"{text.strip()!r}: day {both[1]} of month {both[2]}, "
            f"or month {both[1]} day {both[2]}?",
        )


def _refuse_a_day_ahead(lowered: str, text: str, field: str, base: date, *, rule: str) -> None:
    """`tomorrow` and `next ...` are read (to be refused saying so), never taken."""
    first = lowered.split(" ")[0]
    if first == "tomorrow":
        raise refused_ahead(field, text, base + timedelta(days=1), rule=rule)
    if first == "next":
        raise refused_ahead(field, text, "a day ahead", rule=rule)


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _iso_moment(text: str) -> datetime:
    """An ISO 8601 moment; a date alone in any of its forms (2026-10-01, 20261001,
    2026-W40-4) means 12:00, as `fromisoformat` would read the basic forms as midnight."""
    try:
        return datetime.combine(date.fromisoformat(text), NOON)
    except ValueError:
        return datetime.fromisoformat(text)


def in_range(value: date) -> bool:
    """Whether a day, or the local day of a moment (as written when it has no offset), is
    one a diary holds."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.date()
        elif not _EARLIEST <= value <= _LATEST:
            return False
        else:
            value = value.astimezone(LOCAL).date()
    return FIRST_DAY <= value <= LAST_DAY


def check_range(value: date, *, field: str, got: object) -> None:
    """The one date-range rule of every date and moment, typed or imported."""
    if not in_range(value):
        raise field_error(field, RANGE_RULE, got)


def parse_day(text: str, *, field: str, today: date | None = None, past: bool = False) -> date:
    """A calendar day for --since / --until: a date, or a day named as `parse_when` reads
    them (`yesterday`, `3 days ago`, `last monday`). A day that must have happened (`past`:
    a check-in) is refused after today saying how it was read, `tomorrow` included."""
    lowered = " ".join(text.strip().lower().split())
    base = today or current_day()
    if past:
        _refuse_a_day_ahead(lowered, text, field, base, rule=PAST_DAY_RULE)
    named = _named_day(lowered, base) if lowered else None
    if named is not None and not named[1]:
        day = named[0]
    else:
        try:
            day = date.fromisoformat(lowered)
        except ValueError:
            raise field_error(field, DAY_RULE, text) from None
    check_range(day, field=field, got=text)
    if past and day > base:
        raise refused_ahead(field, text, day)
    return day


def day_start(day: date) -> datetime:
    """The UTC instant at which a local calendar day begins."""
    return _localise(datetime.combine(day, time(0, 0)))


def _parse_clock(text: str, original: str, field: str, rule: str) -> time:
    match = _TIME.match(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise field_error(field, rule, original)
    return time(int(match[1]), int(match[2]))


def _localise(naive: datetime) -> datetime:
    """The instant of a local wall-clock time; in a gap or a repeated hour, the C library's
    pick (for midnights and pinned times, where a refusal would help nobody)."""
    return naive.astimezone().astimezone(UTC).replace(microsecond=0)


def zone_name() -> str:
    """The local zone as a person set it: $TZ, else the system's zone name."""
    tz = os.environ.get("TZ", "").strip().lstrip(":")
    if tz:
        return tz
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        return target.split("zoneinfo/", 1)[1]
    try:
        named = Path("/etc/timezone").read_text().strip()
    except OSError:
        named = ""
    return named or clock.tzname[0]


def _offset(instant: datetime) -> timedelta:
    return timedelta(seconds=clock.localtime(instant.timestamp()).tm_gmtoff)


def _transition(low: datetime, high: datetime) -> datetime:
    """The UTC instant between `low` and `high` at which the local offset changes."""
    before = _offset(low)
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        if _offset(middle) == before:
            low = middle
        else:
            high = middle
    return high.replace(second=0, microsecond=0)


def local_instant(naive: datetime) -> datetime:
    """The instant of a local wall-clock time a person typed.

    A time the clocks skipped (spring forward) is refused, naming the gap, rather than moved
    an hour; a time that happened twice (the repeated hour in autumn) is the first, with a note.
    """
    naive = naive.replace(microsecond=0)
    first = naive.replace(fold=0).astimezone()
    second = naive.replace(fold=1).astimezone()
    earlier, later = sorted((first.astimezone(UTC), second.astimezone(UTC)))
    if earlier == later:
        return earlier
    shown = naive.strftime("%Y-%m-%d %H:%M")
    change = _transition(earlier, later)
    old, new = _offset(earlier), _offset(later)
    start = (change + old).strftime("%H:%M")
    end = (change + new).strftime("%H:%M")
    if first.replace(tzinfo=None) != naive:  # neither reading gives the time back: a gap
        raise InputError(
            f"{shown} does not exist in {zone_name()}: clocks went from {start} to {end}"
        )
    warnings.warn(
        Note(
            f"{shown} happened twice in {zone_name()} (clocks went back from {start} to "
            f"{end}): taken as the first, {shown} UTC{_utc_offset(old)}"
        ),
        stacklevel=2,
    )
    return earlier


def _utc_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def to_storage(moment: datetime) -> str:
    """Fixed-width UTC text, so that text order is time order (SQLite and PostgreSQL alike)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def from_storage(text: str) -> datetime:
    return datetime.fromisoformat(text)


def format_local(moment: datetime) -> str:
    """How a person reads a stored instant: local wall-clock time to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def local_day(moment: datetime) -> date:
    """The local calendar day an instant falls on (the days of the calendar and the rules)."""
    return moment.astimezone(LOCAL).date()


def local_today(now: datetime) -> date:
    return now.astimezone(LOCAL).date()
