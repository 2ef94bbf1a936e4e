"""A therapy's course: its sessions, the days around it, and what they say.

One place loads every therapy's sessions and the day statuses around them, so that `stats`,
`verdict` and the doctor's report judge a course the same way: acute relief from the sessions
(`stats`), prevention from migraine days before and during the course (`preventive`). It
imports the database and scipy, so commands import it inside their bodies only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from migraine_diary import storage as db
from migraine_diary.analysis import preventive
from migraine_diary.analysis.stats import SessionPoint
from migraine_diary.diary.days import day_table
from migraine_diary.domain import days
from migraine_diary.domain.dates import from_storage, local_day
from migraine_diary.domain.models import amount

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


#: Days read before a course's first session: the longest baseline, which is also the span
#: the regression-to-the-mean check looks at.
DAYS_BEFORE_COURSE = preventive.MAX_BASELINE_DAYS
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


@dataclass(frozen=True)
class Course:
    """All of one therapy's sessions, in time order (the preventive verdict splits them into
    courses at gaps of more than 28 days)."""

    name: str
    sessions: tuple[SessionPoint, ...]

    def first_day(self) -> dt.date:
        return local_day(self.sessions[0].when)

    def last_day(self) -> dt.date:
        return local_day(self.sessions[-1].when)

    def within(self, since: dt.date | None, until: dt.date | None) -> list[SessionPoint]:
        """The sessions on the local days `since` to `until` (either end open)."""
        return [
            s
            for s in self.sessions
            if (since is None or since <= local_day(s.when))
            and (until is None or local_day(s.when) <= until)
        ]


def load_courses(conn: Connection, where: db.Filters | None = None) -> list[Course]:
    """Every therapy's sessions from one streaming read, most sessions first as in `summary`."""
    grouped: dict[int, tuple[str, list[SessionPoint]]] = {}
    for therapy_id, name, sid, when, minutes, before, after, later, cents, attack in db.stats_rows(
        conn, where or db.Filters()
    ):
        point = SessionPoint(
            sid, from_storage(when), minutes, before, after, later, amount(cents), bool(attack)
        )
        grouped.setdefault(therapy_id, (name, []))[1].append(point)
    courses = [Course(name, tuple(points)) for name, points in grouped.values()]
    return sorted(courses, key=lambda c: (-len(c.sessions), c.name.casefold()))


def has_attack_diary(conn: Connection) -> bool:
    """Whether the diary knows anything besides sessions: without it, a day with no session
    is unknown, and migraine days cannot be told."""
    return bool(
        db.count_attacks(conn, None, None)
        or db.checkin_days(conn, "0001-01-01", "9999-12-31")
        or db.kept_ranges(conn, "0001-01-01", "9999-12-31")
    )


def course_days(
    conn: Connection, courses: Sequence[Course], today: dt.date, moment: dt.datetime
) -> dict[dt.date, days.DayStatus]:
    """Day statuses covering every course's preventive windows, read once."""
    if not courses:
        return {}
    first = min(c.first_day() for c in courses) - dt.timedelta(days=DAYS_BEFORE_COURSE)
    last = max(
        preventive.planned_treatment_end(span.first, span.last)
        for c in courses
        for span in preventive.course_spans([local_day(s.when) for s in c.sessions])
    )
    last = min(last, today)
    if first > last:
        return {}
    return day_table(conn, first, last, moment).statuses


def preventive_results(
    course: Course,
    statuses: Mapping[dt.date, days.DayStatus],
    today: dt.date,
    courses: Sequence[Course] = (),
) -> tuple[preventive.PreventiveResult, ...]:
    """The preventive verdict of each of a therapy's courses, newest first; the other
    therapies' courses count as overlapping care."""
    return preventive.course_verdicts(
        statuses,
        session_costs=[(local_day(s.when), s.cost) for s in course.sessions],
        today=today,
        other_treatments=[
            preventive.OtherTreatment(other.name, span.first, span.last)
            for other in courses
            if other.name != course.name
            for span in preventive.course_spans([local_day(s.when) for s in other.sessions])
        ],
    )


@dataclass(frozen=True)
class Judged:
    """What the diary says of each course: prevention where an attack diary exists."""

    courses: list[Course]
    preventive: dict[str, tuple[preventive.PreventiveResult, ...]]  # newest course first
    attack_diary: bool


def judge(
    diary: db.Diary | None,
    where: db.Filters | None = None,
    *,
    today: dt.date,
    now: dt.datetime,
) -> Judged:
    """Load the courses (filtered by therapy only: prevention needs the whole course) and the
    preventive verdict of each, in one read of the diary."""
    if diary is None:
        return Judged([], {}, attack_diary=False)
    therapy_only = db.Filters(therapy_key=where.therapy_key) if where else None
    with diary.connect() as conn:
        courses = load_courses(conn, therapy_only)
        attack_diary = has_attack_diary(conn)
        everyone = load_courses(conn) if therapy_only and therapy_only.therapy_key else courses
        statuses = course_days(conn, everyone, today, now) if attack_diary and courses else {}
    verdicts = (
        {c.name: preventive_results(c, statuses, today, everyone) for c in courses}
        if attack_diary
        else {}
    )
    return Judged(courses, verdicts, attack_diary)


def first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]
