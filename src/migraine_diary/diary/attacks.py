"""The attack diary's use cases in the user's words: log, end, edit, delete and list attacks,
check in, keep a range, the calendar, medication days, medication classes, and the Migraine
Buddy import.

Stored rows become `days.AttackSpan`s here; which day is what stays in `days.py`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migraine_diary import storage as db
from migraine_diary.domain import dates, days, medications
from migraine_diary.domain.dates import (
    LOCAL,
    day_start,
    format_local,
    from_storage,
    parse_day,
    to_storage,
)
from migraine_diary.domain.models import (
    CLOCK_SLACK,
    RULES,
    AttackInput,
    parse_helpfulness,
    parse_hours,
    validate_attack,
)
from migraine_diary.errors import DiaryError, InputError, field_error
from migraine_diary.transfer.migraine_buddy import (
    BuddyImport,
    NotMigraineBuddyExport,
    RowError,
    dedupe_key,
    parse_migraine_buddy,
)

# Field names as the command line shows them.
LABELS = {"start": "when", "end": "until", "taken_at": "med time", "medications": "med"}
TYPED = "typed"
BUDDY_SOURCE = "migraine-buddy"
MAX_MONTHS = 120
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def local_today(now: dt.datetime) -> dt.date:
    return now.astimezone(LOCAL).date()


# ---------------------------------------------------------------------------- the view


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


class Classes:
    """Medication names to classes: the user's own classes first, then the built-in table.

    Cached per name: a diary repeats the same few names thousands of times.
    """

    def __init__(self, user: dict[str, str]) -> None:
        self.user = user
        self._cache: dict[str, str | None] = {}

    def of(self, name: str) -> str | None:
        if name not in self._cache:
            key = medications.normalise_key(name)
            found = self.user.get(key)
            self._cache[name] = found if found else medications.classify(name)
        return self._cache[name]


def _classes(conn: Any) -> Classes:
    return Classes(db.user_classes(conn))


def _attacks_from(conn: Any, rows: Sequence[tuple[Any, ...]]) -> list[Attack]:
    meds = db.medications_of(conn, [r[0] for r in rows])
    classes = _classes(conn)
    return [
        Attack(
            id=r[0],
            start=from_storage(r[1]),
            end=from_storage(r[2]) if r[2] else None,
            peak=r[3],
            aura=bool(r[4]),
            notes=r[5],
            source=r[6],
            medications=tuple(
                Dose(
                    name,
                    classes.of(name),
                    helpfulness,
                    from_storage(taken_at) if taken_at else None,
                )
                for name, helpfulness, taken_at in meds.get(r[0], ())
            ),
        )
        for r in rows
    ]


def _no_attack(attack_id: int) -> DiaryError:
    return DiaryError(f"no attack with id {attack_id}; see the ids with: migraine attack list")


def _attack_by_id(conn: Any, attack_id: int) -> Attack:
    row = db.attack_by_id(conn, attack_id)
    if row is None:
        raise _no_attack(attack_id)
    return _attacks_from(conn, [row])[0]


def get_attack(diary: db.Diary | None, attack_id: int) -> Attack:
    if diary is None:
        raise _no_attack(attack_id)
    with diary.connect() as conn:
        return _attack_by_id(conn, attack_id)


def list_attacks(
    diary: db.Diary | None, since: dt.date | None, until: dt.date | None, limit: int | None
) -> tuple[list[Attack], int]:
    """Attacks that started in the days given, newest first, and how many match in all."""
    if diary is None:
        return [], 0
    low = to_storage(day_start(since)) if since else None
    high = to_storage(day_start(until + dt.timedelta(days=1))) if until else None
    with diary.connect() as conn:
        rows = db.attack_rows(conn, low, high, limit)
        total = (
            len(rows) if limit is None or len(rows) < limit else db.count_attacks(conn, low, high)
        )
        return _attacks_from(conn, rows), total


# ---------------------------------------------------------------------- typed input


def length_given(hours: str | None, until: str | None, ongoing: bool) -> int:
    """How many of --hours, --until and --ongoing were given (more than one is an error)."""
    count = sum((hours is not None, until is not None, ongoing))
    if count > 1:
        raise InputError("give only one of --hours, --until and --ongoing")
    return count


def moment_after(
    text: str, start: dt.datetime, *, field: str, rule: str, nearest: bool = False
) -> dt.datetime:
    """A moment typed for an attack: a time alone (`18:30`) is the first such time after the
    start (an end), or with `nearest` the one closest to the start (a dose may come first).

    `rule` is the RULES key whose wording an error message uses.
    """
    clock = _CLOCK.match(text)
    if clock is None:
        try:
            return dates.parse_when(text, field=field)
        except InputError:
            raise field_error(field, RULES[rule], text) from None
    hour, minute = int(clock[1]), int(clock[2])
    if hour > 23 or minute > 59:
        raise field_error(field, RULES[rule], text)
    naive = dt.datetime.combine(local_day(start), dt.time(hour, minute))
    candidates = [
        (naive + dt.timedelta(days=shift)).astimezone().astimezone(dt.UTC) for shift in (-1, 0, 1)
    ]
    if nearest:
        return min(candidates, key=lambda moment: abs(moment - start))
    return next(moment for moment in candidates if moment > start)


def _end(
    start: dt.datetime, hours: str | None, until: str | None, now: dt.datetime
) -> dt.datetime | None:
    if hours is not None:
        end = start + parse_hours(hours)
        if end > now + CLOCK_SLACK:
            raise InputError(
                f"an attack from {format_local(start)} lasting {hours} h would end in the "
                f"future ({format_local(end)}); log it with --ongoing and end it later with: "
                "migraine attack end ID"
            )
        return end
    if until is not None:
        end = moment_after(until, start, field="until", rule="until")
        if not start < end <= now + CLOCK_SLACK:
            raise field_error("until", RULES["until"], until)
        return end
    return None


def parse_med(text: str, start: dt.datetime) -> dict[str, Any]:
    """`NAME[@TIME][=HELPFULNESS]`, e.g. `sumatriptan 50mg@14:30=helpful`."""
    name, helpfulness, taken_at = text, None, None
    if "=" in name:
        name, _, word = name.rpartition("=")
        helpfulness = parse_helpfulness(word)
    if "@" in name:
        name, _, when = name.rpartition("@")
        taken_at = moment_after(
            when.strip(), start, field="med time", rule="taken_at", nearest=True
        )
    return {"name": name, "helpfulness": helpfulness, "taken_at": taken_at}


def typed_attack(
    *,
    when: str | None,
    hours: str | None,
    until: str | None,
    ongoing: bool,
    peak: str,
    aura: bool,
    meds: Sequence[str],
    notes: str | None,
    now: dt.datetime,
) -> AttackInput:
    """An attack as typed on the command line, checked before the diary is touched.

    Without --when, --hours counts back from now (it just ended) and --ongoing starts now;
    --until needs --when.
    """
    length_given(hours, until, ongoing)
    if when:
        start = dates.parse_when(when)
        if start > now + CLOCK_SLACK:
            raise field_error("when", RULES["start"], when)
    elif until is not None:
        raise InputError("--until needs --when: when the attack began")
    else:
        start = now - parse_hours(hours) if hours is not None else now
    data: dict[str, Any] = {
        "start": start,
        "peak": peak,
        "aura": aura,
        "notes": notes,
        "source": TYPED,
    }
    typed = {"start": when or "now"}
    # Report the fields in the order they were typed: start, peak, then length and medication.
    validate_attack(data, label=LABELS, typed=typed, now=now)
    data["end"] = _end(start, hours, until, now)
    data["medications"] = [parse_med(m, start) for m in meds]
    return validate_attack(data, label=LABELS, typed=typed, now=now)


# ------------------------------------------------------------------------- changes


def _store(conn: Any, attack: AttackInput) -> int | None:
    """Insert one attack and its medications; None when its import key is already stored."""
    from migraine_diary.storage.tables import AttackRow, MedicationRow

    attack_id = db.insert_attack(conn, AttackRow.from_input(attack).model_dump(exclude={"id"}))
    if attack_id is not None:
        db.insert_medications(
            conn,
            [
                MedicationRow.from_input(m, attack_id).model_dump(exclude={"id"})
                for m in attack.medications
            ],
        )
    return attack_id


@dataclass(frozen=True)
class Logged:
    """A stored attack with what the person should hear about right away."""

    attack: Attack
    month: days.MonthOveruse | None
    other_ongoing: list[tuple[int, dt.datetime]]


def log_attack(diary: db.Diary, attack: AttackInput, now: dt.datetime) -> Logged:
    """Store one attack; report its month against the overuse thresholds."""
    with diary.transaction() as conn:
        attack_id = _store(conn, attack)
        assert attack_id is not None
        stored = _attack_by_id(conn, attack_id)
        ongoing = [(i, from_storage(s)) for i, s in db.ongoing_attacks(conn) if i != attack_id]
    return Logged(stored, month_overuse(diary, local_day(stored.start), now), ongoing)


def local_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LOCAL).date()


def month_overuse(diary: db.Diary, day: dt.date, now: dt.datetime) -> days.MonthOveruse | None:
    """The overuse record of `day`'s month, with the two months before it as history."""
    first, last = days.last_months(day, days.OVERUSE_RUN_MONTHS)
    with diary.connect() as conn:
        table = day_table(conn, first, last, now).statuses
    return days.current_month_overuse(table, day)


def end_attack(diary: db.Diary, attack_id: int, when: str | None, now: dt.datetime) -> Attack:
    """Give an ongoing attack its end (now, unless --when says otherwise)."""
    with diary.transaction() as conn:
        attack = _attack_by_id(conn, attack_id)
        if attack.end is not None:
            raise DiaryError(
                f"attack {attack_id} already ended at {format_local(attack.end)}; change it "
                f"with: migraine attack edit {attack_id} --until W"
            )
        end = moment_after(when, attack.start, field="when", rule="end") if when else now
        if not attack.start < end <= now + CLOCK_SLACK:
            raise field_error("when", RULES["end"], when or format_local(end))
        db.update_attack(conn, attack_id, {"end": to_storage(end)})
        return _attack_by_id(conn, attack_id)


def edit_attack(
    diary: db.Diary,
    attack_id: int,
    *,
    when: str | None = None,
    hours: str | None = None,
    until: str | None = None,
    ongoing: bool = False,
    peak: str | None = None,
    aura: bool | None = None,
    add_meds: Sequence[str] = (),
    clear_meds: bool = False,
    notes: str | None = None,
    now: dt.datetime,
) -> Attack:
    """Change some fields of an attack; the whole attack is checked again.

    A new start alone keeps the stored end; --hours counts from the (new) start.
    """
    given = length_given(hours, until, ongoing)
    if not (when or given or peak is not None or aura is not None or add_meds or clear_meds) and (
        notes is None
    ):
        raise InputError("nothing to change: give at least one option, e.g. --peak 6")
    with diary.transaction() as conn:
        current = _attack_by_id(conn, attack_id)
        start = dates.parse_when(when) if when else current.start
        if when and start > now + CLOCK_SLACK:
            raise field_error("when", RULES["start"], when)
        end = _end(start, hours, until, now) if given else current.end
        kept = [] if clear_meds else [d.as_input() for d in current.medications]
        data = {
            "start": start,
            "end": end,
            "peak": peak if peak is not None else current.peak,
            "aura": aura if aura is not None else current.aura,
            "notes": notes if notes is not None else current.notes,
            "source": current.source,
            "medications": [*kept, *(parse_med(m, start) for m in add_meds)],
        }
        typed = {"start": when or format_local(start)}
        if end is not None and not given:
            typed["end"] = format_local(end)
        attack = validate_attack(data, label=LABELS, typed=typed, now=now)
        from migraine_diary.storage.tables import AttackRow, MedicationRow

        row = AttackRow.from_input(attack).model_dump(exclude={"id", "source", "import_key"})
        db.update_attack(conn, attack_id, row)
        db.delete_medications(conn, attack_id)
        db.insert_medications(
            conn,
            [
                MedicationRow.from_input(m, attack_id).model_dump(exclude={"id"})
                for m in attack.medications
            ],
        )
        return _attack_by_id(conn, attack_id)


def delete_attack(diary: db.Diary, attack_id: int) -> None:
    with diary.transaction() as conn:
        if db.delete_attack(conn, attack_id) == 0:
            raise _no_attack(attack_id)


def add_history(
    diary: db.Diary,
    attacks: Sequence[AttackInput],
    checkins: Iterable[dt.date] = (),
    kept: Iterable[tuple[dt.date, dt.date]] = (),
) -> None:
    """Store many attacks, check-ins and kept ranges in one transaction (the demo diary)."""
    with diary.transaction() as conn:
        for attack in attacks:
            _store(conn, attack)
        for day in checkins:
            db.add_checkin(conn, day.isoformat())
        for first, last in kept:
            db.add_kept_range(conn, first.isoformat(), last.isoformat())


def check_day(text: str | None, *, field: str, today: dt.date) -> dt.date:
    """A local day typed for check-ins and kept ranges: never one that has not happened."""
    day = parse_day(text, field=field, today=today) if text else today
    if day > today:
        raise field_error(field, RULES["date"], text)
    return day


def checkin(diary: db.Diary, day: dt.date) -> bool:
    """Record 'no migraine that day'; False when it was already checked in."""
    with diary.transaction() as conn:
        return db.add_checkin(conn, day.isoformat())


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
    classes = _classes(conn)
    spans = _spans(db.attacks_touching(conn, since, until), classes)
    sessions = db.session_instants(
        conn, to_storage(day_start(first)), to_storage(day_start(last + dt.timedelta(days=1)))
    )
    statuses = days.day_statuses(
        first,
        last,
        attacks=spans,
        session_times=[from_storage(s) for s in sessions],
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


def date_range(
    months: str | None, since: str | None, until: str | None, today: dt.date
) -> tuple[dt.date, dt.date]:
    """The days a calendar or medication report covers: the N calendar months ending with
    the current one (3 by default), or --since/--until."""
    if months is not None and (since or until):
        raise InputError("give either --months or --since/--until, not both")
    if since or until:
        last = parse_day(until, field="until", today=today) if until else today
        first = (
            parse_day(since, field="since", today=today) if since else days.last_months(last, 3)[0]
        )
        if first > last:
            raise InputError(f"since must be on or before until (got {first} after {last})")
        return first, last
    count = 3
    if months is not None:
        text = months.strip()
        if not text.isdigit() or not 1 <= int(text) <= MAX_MONTHS:
            raise field_error("months", RULES["months"], months)
        count = int(text)
    return days.last_months(today, count)


def calendar_months(
    diary: db.Diary | None, first: dt.date, last: dt.date, now: dt.datetime
) -> list[days.MonthSummary]:
    if diary is None:
        return days.months(_empty_table(first, last, now).statuses)
    with diary.connect() as conn:
        return days.months(day_table(conn, first, last, now).statuses)


@dataclass(frozen=True)
class MedsReport:
    """Whole calendar months of acute medication, and the names without a class."""

    months: list[days.MonthOveruse]
    unclassified: list[tuple[str, int]]


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


@dataclass(frozen=True)
class NameClass:
    """A medication name in the diary, its class and where the class comes from."""

    name: str
    med_class: str | None
    origin: str  # "yours", "built-in" or "unclassified"
    doses: int = 0


def describe_name(diary: db.Diary | None, name: str) -> NameClass:
    user = {}
    if diary is not None:
        with diary.connect() as conn:
            user = db.user_classes(conn)
    key = medications.normalise_key(name)
    if key in user:
        return NameClass(name, user[key], "yours")
    builtin = medications.classify(name)
    return NameClass(name, builtin, "built-in" if builtin else "unclassified")


def check_class(name: str, med_class: str) -> tuple[str, str]:
    """A name and class as typed for `medclass`, checked before the diary is touched."""
    clean = " ".join(name.split())
    if not clean or len(clean) > 100:
        raise field_error("NAME", RULES["med"], name)
    try:
        return clean, medications.parse_class(med_class)
    except ValueError:
        raise field_error("CLASS", RULES["medication_class"], med_class) from None


def set_class(diary: db.Diary, name: str, med_class: str) -> NameClass:
    """Set the class of a name (and of the same name with another dose or case); returns it
    with the number of doses in the diary it now applies to."""
    key = medications.normalise_key(name)
    with diary.transaction() as conn:
        db.set_user_class(conn, key, name, med_class)
        doses = sum(
            n
            for stored, n, _ in db.medication_names(conn)
            if medications.normalise_key(stored) == key
        )
    return NameClass(name, med_class, "yours", doses)


def name_classes(diary: db.Diary | None) -> list[NameClass]:
    """Every medication name in the diary with its class, most used first."""
    if diary is None:
        return []
    with diary.connect() as conn:
        classes = _classes(conn)
        names = db.medication_names(conn)
    result = []
    for name, doses, _attacks in names:
        key = medications.normalise_key(name)
        med_class = classes.of(name)
        origin = "yours" if key in classes.user else "built-in" if med_class else "unclassified"
        result.append(NameClass(name, med_class, origin, doses))
    return result


# --------------------------------------------------------------- Migraine Buddy import


@dataclass
class BuddyResult:
    """What an import did (or, with --dry-run, would do)."""

    added: int
    already_there: int
    bad: list[RowError]
    ongoing_skipped: int
    unfinished_skipped: int
    unclassified: list[str]
    dry_run: bool

    @property
    def bad_rows(self) -> int:
        return len({e.line for e in self.bad})


def read_buddy(path: Path) -> BuddyImport:
    """Read and parse an export; a file that cannot be read or is not an export is refused."""
    from migraine_diary.transfer.sessions import read_text

    text = read_text(path)
    try:
        return parse_migraine_buddy(text)
    except NotMigraineBuddyExport as error:
        raise InputError(f"{path}: {error}") from None


def buddy_inputs(
    parsed: BuddyImport, source: str, now: dt.datetime
) -> tuple[list[AttackInput], list[RowError]]:
    """Check every read attack against the diary's own rules; a failure is a bad row."""
    good: list[AttackInput] = []
    bad = list(parsed.errors)
    for attack in parsed.attacks:
        data = {
            "start": attack.start,
            "end": attack.end,
            "peak": attack.peak,
            "aura": attack.aura,
            "notes": attack.notes,
            "source": source,
            "import_key": dedupe_key(attack),
            "medications": [
                {"name": m.name, "helpfulness": m.helpfulness} for m in attack.medications
            ],
        }
        try:
            good.append(validate_attack(data, now=now))
        except InputError as error:
            bad.append(RowError(attack.line, "", error.message))
    bad.sort(key=lambda e: e.line)
    return good, bad


@dataclass(frozen=True)
class BuddyPlan:
    """A checked export: the attacks to store and the rows that could not be read."""

    good: list[AttackInput]
    bad: list[RowError]
    ongoing_skipped: int
    unfinished_skipped: int


def check_buddy(path: Path, *, skip_bad: bool, now: dt.datetime, max_shown: int = 20) -> BuddyPlan:
    """Read and check a Migraine Buddy export before the diary is opened. With bad rows this
    refuses the whole file (listing them) unless `skip_bad`."""
    parsed = read_buddy(path)
    good, bad = buddy_inputs(parsed, f"{BUDDY_SOURCE}:{path.name}", now)
    if bad and not skip_bad:
        shown = [str(e) for e in bad[:max_shown]]
        more = len(bad) - len(shown)
        lines = len({e.line for e in bad})
        raise InputError(
            "\n".join(
                [
                    *shown,
                    *([f"... and {more} more problem(s)"] if more else []),
                    f"{lines} bad row(s) in {path}; nothing was imported "
                    "(--skip-bad imports the good rows)",
                ]
            )
        )
    return BuddyPlan(good, bad, parsed.ongoing_skipped, parsed.unfinished_skipped)


def import_buddy(diary: db.Diary | None, plan: BuddyPlan, *, dry_run: bool) -> BuddyResult:
    """Store the checked attacks in one transaction; an attack imported before (same start
    and peak, the UNIQUE import key) is not added again. `diary` None: a dry run with no
    diary yet, where everything would be new."""
    added = already = 0
    user: dict[str, str] = {}
    if diary is None:
        added = len(plan.good)
    else:
        with diary.transaction() as conn:
            user = db.user_classes(conn)
            for attack in plan.good:
                if _store(conn, attack) is None:
                    already += 1
                else:
                    added += 1
            if dry_run:
                conn.rollback()
    classes = Classes(user)
    unclassified = sorted(
        {m.name for a in plan.good for m in a.medications if classes.of(m.name) is None},
        key=str.casefold,
    )
    return BuddyResult(
        added,
        already,
        plan.bad,
        plan.ongoing_skipped,
        plan.unfinished_skipped,
        unclassified,
        dry_run,
    )


def month_name(month_key: str) -> str:
    year, month = month_key.split("-")
    return f"{calendar.month_name[int(month)]} {year}"
