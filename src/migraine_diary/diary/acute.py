"""Acute outcomes' use cases: rate a dose or a session, list the ratings due, the `acute`
table, the most bothersome symptom, and questionnaire scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from migraine_diary import storage as db
from migraine_diary.analysis.acute import (
    Comparison,
    DoseRatings,
    Later,
    TreatmentRow,
    compare,
    dose_ratings,
    later_events,
    treatment_rows,
)
from migraine_diary.domain import dates
from migraine_diary.domain.acute import (
    AFTER,
    AFTER_WORDS,
    MBS,
    MBS_WORDS,
    SCORE_NAMES,
    SCORE_RANGES,
    Prefill,
    Score,
    Treatment,
)
from migraine_diary.domain.attack import Attack
from migraine_diary.domain.dates import day_start, format_local, from_storage, to_storage
from migraine_diary.domain.hints import command_line
from migraine_diary.domain.medications import Classes
from migraine_diary.domain.models import (
    CLOCK_SLACK,
    PAIN_RULE,
    parse_id,
    parse_whole,
    therapy_key,
)
from migraine_diary.domain.words import plural
from migraine_diary.errors import DiaryError, InputError, field_error

DUE_DAYS = 7  # `attack due` lists the doses of the last week unless --since says otherwise


def parse_pain(text: str, field: str) -> int:
    return parse_whole(text, field=field, rule=PAIN_RULE, low=0, high=10)


def parse_mbs(text: str) -> str:
    value = text.strip().casefold()
    if value not in MBS:
        raise field_error("mbs", MBS_WORDS, text)
    return value


def _no_attack(attack_id: int) -> DiaryError:
    return DiaryError(
        f"no attack with id {attack_id}; see the ids with: {command_line('attack list')}"
    )


def _numbered(rows: Sequence[tuple[Any, ...]], start: dt.datetime) -> list[tuple[int, Any]]:
    """(number, row) in time order: a dose without a time counts from the attack's start."""
    timed = [(from_storage(r[2]) if r[2] else start, n, r) for n, r in enumerate(rows)]
    return [(k + 1, r) for k, (_, _, r) in enumerate(sorted(timed, key=lambda t: t[:2]))]


def numbered_doses(conn: Any, attack_id: int) -> dict[int, tuple[int, dt.datetime]] | None:
    """Each stored dose of an attack by medication id: its number as `attack rate --dose`
    counts, and its time (the attack's start for a dose without one); None: no such attack."""
    row = db.attack_by_id(conn, attack_id)
    if row is None:
        return None
    start = from_storage(row[1])
    return {
        r[0]: (number, from_storage(r[2]) if r[2] else start)
        for number, r in _numbered(db.attack_doses(conn, attack_id), start)
    }


def dose_numbers(attack: Attack) -> list[tuple[int, str, dt.datetime | None]]:
    """(number, name, time) of an attack's doses in time order, as `attack rate --dose` counts
    (the attack's doses are kept in that order); time None for a dose logged without one."""
    return [(n, d.name, d.taken_at) for n, d in enumerate(attack.medications, start=1)]


def due_command(attack_id: int, number: int) -> str:
    return command_line(f"attack rate {attack_id} --dose {number} --after 2h --pain P")


@dataclass(frozen=True)
class Rated:
    """What `attack rate` stored, for the line it prints."""

    attack_id: int
    what: str  # "dose 1 (sumatriptan)" or "session 4 (acupuncture)"
    values: dict[str, Any]


def rate(
    diary: db.Diary,
    attack_id: int,
    *,
    dose: str | None,
    session: str | None,
    at_dose: str | None,
    after: str | None,
    pain: str | None,
    mbs_gone: bool,
    now: dt.datetime,
) -> Rated:
    """Store a rating of one dose (the attack's N-th in time order) or one session during the
    attack. A rating for a time still to come is refused: a 2-hour rating from 2 hours after
    the dose on."""
    values: dict[str, Any] = {}
    if at_dose is not None:
        if session is not None:
            raise InputError("--at-dose is for a dose: a session's pain before is its pain then")
        values["at_dose"] = parse_pain(at_dose, "at-dose")
    hours = None
    if after is not None:
        which = after.strip().casefold()
        if which not in AFTER:
            raise field_error("after", AFTER_WORDS, after)
        if pain is None:
            raise InputError(f"--after {which} needs --pain: the pain then ({PAIN_RULE})")
        hours = AFTER[which]
        values[f"pain_{which}"] = parse_pain(pain, "pain")
    elif pain is not None:
        raise InputError(f"--pain needs --after: {AFTER_WORDS}")
    if mbs_gone and hours != 2:
        raise InputError("--mbs-gone goes with --after 2h: the symptom's state at 2 hours")
    if not values:
        raise InputError("nothing to rate: give --at-dose P, or --after 2h --pain P")
    if dose is not None and session is not None:
        raise InputError("give --dose or --session, not both")
    number = parse_id(dose, field="dose") if dose is not None else 1
    session_id = parse_id(session, field="session ID") if session is not None else None
    with diary.transaction() as conn:
        row = db.attack_by_id(conn, attack_id)
        if row is None:
            raise _no_attack(attack_id)
        start = from_storage(row[1])
        end = from_storage(row[2]) if row[2] else None
        if session_id is not None:
            found = db.session_by_id(conn, session_id)
            when = from_storage(found[1]) if found else None
            if (
                found is None
                or not found[9]
                or when is None
                or not (start <= when and (end is None or when <= end))
            ):
                raise DiaryError(
                    f"session {session_id} is not a session during attack {attack_id} (logged "
                    f"with --attack, at a time within the attack); see: {command_line('list')}"
                )
            taken, what = when, f"session {session_id} ({found[2]})"
            target: dict[str, Any] = {"session_id": session_id}
        else:
            doses = _numbered(db.attack_doses(conn, attack_id), start)
            if not 1 <= number <= len(doses):
                count = len(doses)
                raise DiaryError(
                    f"attack {attack_id} has no dose {number}: it has {plural(count, 'dose')}; "
                    "add one with: "
                    f"{command_line(f'attack edit {attack_id} --med NAME@TIME')}"
                    if count
                    else f"attack {attack_id} has no dose to rate; add one with: "
                    f"{command_line(f'attack edit {attack_id} --med NAME@TIME')}"
                )
            med = doses[number - 1][1]
            taken = from_storage(med[2]) if med[2] else start
            what, target = f"dose {number}", {"medication_id": med[0]}
        if hours is not None:
            due = taken + dt.timedelta(hours=hours)
            if now + CLOCK_SLACK < due:
                raise InputError(
                    f"after must be a time that has come: the {which} rating of "
                    f"{what.split(' (')[0]} is due from {format_local(due)}"
                )
            if hours == 2:
                mbs = db.mbs_of(conn, attack_id)
                if mbs_gone and mbs is None:
                    raise DiaryError(
                        f"attack {attack_id} has no most bothersome symptom; set it with: "
                        + command_line(f"attack edit {attack_id} --mbs {'|'.join(MBS)}")
                    )
                if mbs is not None:
                    values["mbs_gone"] = mbs_gone
        db.save_rating(conn, values, **target)
    return Rated(attack_id, what, values)


def set_mbs(conn: Any, attack_id: int, mbs: str | None) -> None:
    """The attack's most bothersome symptom (None removes it), in the attack's transaction."""
    db.set_mbs(conn, attack_id, mbs)


def mbs_of(diary: db.Diary | None, attack_id: int) -> str | None:
    if diary is None:
        return None
    with diary.connect() as conn:
        return db.mbs_of(conn, attack_id)


# ------------------------------------------------------------------------------ reading


def _window(since: dt.date | None, until: dt.date | None) -> tuple[str | None, str | None]:
    low = to_storage(day_start(since)) if since else None
    high = to_storage(day_start(until + dt.timedelta(days=1))) if until else None
    return low, high


def treatments(
    diary: db.Diary | None, since: dt.date | None = None, until: dt.date | None = None
) -> list[Treatment]:
    """Every dose and every session during an attack that began in the days given."""
    if diary is None:
        return []
    low, high = _window(since, until)
    found: list[Treatment] = []
    with diary.connect() as conn:
        classes = Classes(db.user_classes(conn))
        by_attack: dict[int, list[tuple[Any, ...]]] = {}
        for r in db.medication_treatments(conn, low, high):
            by_attack.setdefault(r[1], []).append(r)
        for attack_id, rows in by_attack.items():
            start = from_storage(rows[0][4])
            shaped = [(r[0], r[2], r[3], r) for r in rows]
            for number, (_, name, taken, r) in _numbered(shaped, start):
                found.append(
                    Treatment(
                        attack_id=attack_id,
                        number=number,
                        kind="medication",
                        name=name,
                        med_class=classes.of(name),
                        taken_at=from_storage(taken) if taken else start,
                        at_dose=r[6] if r[6] is not None else r[5],
                        pain_2h=r[7],
                        pain_24h=r[8],
                        pain_48h=r[9],
                        mbs=r[11],
                        mbs_gone=None if r[10] is None else bool(r[10]),
                        timed=taken is not None,
                    )
                )
        seen: set[int] = set()
        for s in db.attack_sessions(conn, low, high):
            if s[0] in seen:  # held by two overlapping attacks: the earlier one
                continue
            seen.add(s[0])
            found.append(
                Treatment(
                    attack_id=s[1],
                    number=0,
                    kind="session",
                    name=s[2],
                    med_class=None,
                    taken_at=from_storage(s[3]),
                    at_dose=s[4],
                    pain_2h=s[5],
                    pain_24h=s[6],
                    pain_48h=s[7],
                    mbs=s[9],
                    mbs_gone=None if s[8] is None else bool(s[8]),
                    session_id=s[0],
                )
            )
    return found


RELAPSE_DAYS = 2  # a relapse is looked for up to 48 hours after a dose


def following(diary: db.Diary | None, since: dt.date | None, until: dt.date | None) -> list[Later]:
    """What may follow a dose of the days given besides their own doses: every attack start
    from `since` to 2 days after `until`, and the doses of the attacks of those 2 days."""
    if diary is None:
        return []
    reach = None if until is None else until + dt.timedelta(days=RELAPSE_DAYS)
    low, high = _window(since, reach)
    with diary.connect() as conn:
        starts = [Later(r[0], from_storage(r[1]), dose=False)
                  for r in db.attack_rows(conn, low, high)]  # fmt: skip
    if until is None:
        return starts
    return later_events(treatments(diary, until + dt.timedelta(days=1), reach), starts)


def therapy_endpoints(
    diary: db.Diary | None, since: dt.date | None = None, until: dt.date | None = None
) -> dict[str, TreatmentRow]:
    """The trial endpoints of each therapy's sessions during attacks, by therapy key (what
    `stats` and `verdict` show beside the relief right after a session)."""
    found = treatments(diary, since, until)
    rows = treatment_rows(
        [t for t in found if t.kind == "session"],
        later_events(found, following(diary, since, until)),
    )
    return {therapy_key(r.name): r for r in rows}


def attack_ratings(diary: db.Diary | None, attack: Attack) -> tuple[str | None, list[DoseRatings]]:
    """The attack's most bothersome symptom and each dose's ratings, in time order (what
    `attack show` adds to the attack)."""
    day = dates.local_day(attack.start)
    found = treatments(diary, day, day)
    mine = [t for t in found if t.attack_id == attack.id]
    later = later_events(found, following(diary, day, day))
    return mbs_of(diary, attack.id), dose_ratings(mine, later)


@dataclass(frozen=True)
class AcuteReport:
    rows: list[TreatmentRow]
    comparison: Comparison | None
    doses: int  # medication doses in the period
    unrated_doses: int  # of them, without a 2-hour rating
    treatments: list[Treatment]
    untimed_doses: int = 0  # of them, without a time: left out of rescue and relapse


def _row(rows: Sequence[TreatmentRow], name: str) -> TreatmentRow:
    """The row --compare names; a name not used in the period is refused with the one it looks
    like, a medicine compared with and without its dose (`ibuprofen`, `ibuprofen 400mg`)."""
    key = therapy_key(name)
    for row in rows:
        if therapy_key(row.name) == key:
            return row
    from migraine_diary.domain.words import near_miss

    known: dict[str, TreatmentRow] = {}
    for row in rows:
        for form in _forms(row.name):
            known.setdefault(form, row)
    close = near_miss(_forms(name), {form: form for form in known})
    if close is None:
        raise DiaryError(
            f"no medicine or therapy {name!r} used in the period; see the names with: "
            + command_line("acute")
        )
    meant = known[close]
    kind = "therapy" if meant.kind == "therapy" else "medicine"
    raise DiaryError(f"no {kind} {name!r} used in the period; did you mean {meant.name!r}?")


def _forms(name: str) -> list[str]:
    """A treatment's name folded for a near miss: as written, and without its dose."""
    from migraine_diary.domain.medications import normalise_key

    return list(dict.fromkeys([therapy_key(name), normalise_key(name)]))


def acute_report(
    diary: db.Diary | None,
    since: dt.date | None,
    until: dt.date | None,
    pair: Sequence[str] = (),
) -> AcuteReport:
    """The `migraine acute` figures. Two treatments are compared when named with --compare,
    or, without it, when exactly two medicines were used."""
    if pair and len(pair) != 2:
        raise InputError("--compare takes two treatments: --compare A --compare B")
    found = treatments(diary, since, until)
    rows = treatment_rows(found, following(diary, since, until))
    medicines = [r for r in rows if r.kind == "medicine"]
    comparison = None
    if pair:
        comparison = compare(_row(rows, pair[0]), _row(rows, pair[1]))
    elif len(medicines) == 2:
        comparison = compare(medicines[0], medicines[1])
    doses = [t for t in found if t.kind == "medication"]
    unrated = sum(t.pain_2h is None for t in doses)
    untimed = sum(not t.timed for t in doses)
    return AcuteReport(rows, comparison, len(doses), unrated, found, untimed)


@dataclass(frozen=True)
class Due:
    treatment: Treatment
    due_at: dt.datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "attack": self.treatment.attack_id,
            "dose": self.treatment.number,
            "name": self.treatment.name,
            "taken_at": to_storage(self.treatment.taken_at),
            "due_at": to_storage(self.due_at),
            "command": due_command(self.treatment.attack_id, self.treatment.number),
        }


@dataclass(frozen=True)
class DueRatings:
    """`attack due`: the doses due for their 2-hour rating, oldest first; how many older ones
    lack one too (counted apart in `acute`); and the recent doses without a time, never due by
    the clock (an import's dose stands at the attack's start), each with its command."""

    due: list[Due]
    older: int
    untimed: list[Treatment]


def due_ratings(
    diary: db.Diary | None, now: dt.datetime, since: dt.date | None = None
) -> DueRatings:
    """Doses still without a 2-hour rating, from `since` (default the last DUE_DAYS days)."""
    first = since or (dates.local_day(now) - dt.timedelta(days=DUE_DAYS))
    every = [t for t in treatments(diary) if t.kind == "medication" and t.pain_2h is None]
    recent = [t for t in every if dates.local_day(t.taken_at) >= first]
    due = [Due(t, t.taken_at + dt.timedelta(hours=2)) for t in recent if t.timed]
    return DueRatings(
        sorted(due, key=lambda d: (d.due_at, d.treatment.attack_id)),
        len(every) - len(recent),
        [t for t in recent if not t.timed],
    )


# ------------------------------------------------------------------------------ scores


def parse_total(kind: str, text: str) -> int:
    low, high = SCORE_RANGES[kind]
    field = "value" if kind == "pgic" else "total"
    rule = f"a whole number from {low} to {high} ({SCORE_NAMES[kind]})"
    return parse_whole(text, field=field, rule=rule, low=low, high=high)


def _courses(conn: Any) -> dict[str, list[tuple[dt.date, dt.date]]]:
    """Each therapy's courses (first and last session day, oldest first) by therapy key."""
    from migraine_diary.analysis.preventive import course_spans
    from migraine_diary.diary.courses import load_courses

    return {
        therapy_key(c.name): [
            (span.first, span.last)
            for span in course_spans([dates.local_day(s.when) for s in c.sessions])
        ]
        for c in load_courses(conn)
    }


def _course_of(
    day: dt.date, spans: Sequence[tuple[dt.date, dt.date]]
) -> tuple[dt.date, dt.date] | None:
    """The course a PGIC of `day` judges: the one it falls in, or the last one before it
    (after its last session and before the next course starts)."""
    found = None
    for span in spans:
        if span[0] <= day:
            found = span
    return found


def _scores(rows: Sequence[tuple[Any, ...]], conn: Any) -> list[Score]:
    """Scores with the change since the previous one of the same kind (PGIC: same therapy),
    each PGIC with the course it judges."""
    last: dict[tuple[str, str | None], int] = {}
    courses = _courses(conn) if any(r[1] == "pgic" for r in rows) else {}
    found = []
    for r in rows:
        group = (r[1], r[4])
        previous = last.get(group)
        day = dt.date.fromisoformat(r[2])
        found.append(
            Score(
                id=r[0],
                kind=r[1],
                day=day,
                total=r[3],
                therapy=r[5],
                change=None if previous is None else r[3] - previous,
                course=_course_of(day, courses.get(r[4], [])) if r[1] == "pgic" else None,
            )
        )
        last[group] = r[3]
    return found


def add_score(
    diary: db.Diary, kind: str, total: str, day: str | None, therapy: str | None = None
) -> Score:
    value = parse_total(kind, total)
    when = dates.parse_day(day, field="date", past=True) if day else dates.current_day()
    with diary.transaction() as conn:
        key = name = None
        if therapy is not None:
            key = therapy_key(therapy)
            from migraine_diary.diary.therapies import in_use_keys, unknown_therapy

            known = in_use_keys(conn)
            if key not in known:
                raise unknown_therapy(therapy, known)
            name = known[key]
        score_id = db.insert_score(
            conn,
            {"kind": kind, "day": when.isoformat(), "total": value,
             "therapy_key": key, "therapy": name},
        )  # fmt: skip
        stored = _scores(db.score_rows(conn), conn)
    return next(s for s in stored if s.id == score_id)


def list_scores(diary: db.Diary | None) -> list[Score]:
    if diary is None:
        return []
    with diary.connect() as conn:
        return _scores(db.score_rows(conn), conn)


def latest_scores(
    scores: Sequence[Score], until: dt.date | None = None
) -> tuple[list[Score], list[Score]]:
    """The newest MIDAS and HIT-6 up to `until` (each with its change from the one before),
    and the newest PGIC of each course up to it, by therapy then course."""
    latest: dict[str, Score] = {}
    pgic: dict[tuple[str, dt.date | None], Score] = {}
    for s in scores:
        if until is not None and s.day > until:
            continue
        if s.kind == "pgic":
            pgic[(s.therapy or "", s.course[0] if s.course else None)] = s
        else:
            latest[s.kind] = s
    ordered = sorted(pgic.values(), key=lambda s: ((s.therapy or "").casefold(), s.day))
    return [latest[k] for k in ("midas", "hit6") if k in latest], ordered


def midas_prefill(diary: db.Diary | None, now: dt.datetime) -> Prefill:
    from migraine_diary.diary.attacks import list_attacks
    from migraine_diary.diary.days import day_table

    last = dates.local_day(now)
    first = last - dt.timedelta(days=90)
    if diary is None:
        return Prefill(first, last, 0, 0, None, 0)
    found, _ = list_attacks(diary, first, last, None)
    with diary.connect() as conn:
        recorded = sum(s.recorded for s in day_table(conn, first, last, now).statuses.values())
    days: set[dt.date] = set()
    for attack in found:
        begin, end = attack.span().local_days(dates.LOCAL, now)
        day = max(begin, first)
        while day <= min(end, last):
            days.add(day)
            day += dt.timedelta(days=1)
    peaks = [a.peak for a in found]
    average = sum(peaks) / len(peaks) if peaks else None
    return Prefill(first, last, len(days), len(found), average, recorded)
