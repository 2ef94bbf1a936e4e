"""Gather the doctor's report from the diary: one read, then the pure modules judge it.

`build_report` reads sessions, attacks and day statuses, lets `stats`, `preventive` and `days`
compute, and returns an `analysis.report.ReportData` for the renderers. It imports the
database and scipy, so the CLI imports it inside the report command only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from migraine_diary import storage as db
from migraine_diary.analysis.report import (
    AttackEntry,
    MonthFigures,
    PlanFigures,
    ReportData,
    TherapyFigures,
)
from migraine_diary.analysis.stats import acute_split, analyse_therapy
from migraine_diary.analysis.verdicts import no_attack_diary
from migraine_diary.diary.acute import acute_report, latest_scores, list_scores
from migraine_diary.diary.attacks import list_attacks
from migraine_diary.diary.courses import (
    Course,
    course_days,
    first_sentence,
    has_attack_diary,
    load_courses,
    preventive_results,
)
from migraine_diary.diary.days import day_table
from migraine_diary.domain import days
from migraine_diary.domain.acute import Score
from migraine_diary.domain.attack import Attack
from migraine_diary.domain.dates import local_day
from migraine_diary.domain.dates import now as current_time
from migraine_diary.domain.hints import command_line
from migraine_diary.domain.models import therapy_key

VERDICT_WORDS = {
    "responder": "Responder",
    "improved": "Improved",
    "worse": "Worse",
    "inconclusive": "Inconclusive",
}


def build_report(
    diary: db.Diary | None,
    since: dt.date,
    until: dt.date,
    questions: Sequence[str],
    today: dt.date,
    *,
    now: dt.datetime | None = None,
) -> ReportData:
    """Everything the report shows for the local days ``since`` to ``until`` (inclusive).

    Sessions count in the period by their local day; a therapy's preventive verdict looks at
    its whole course, which may reach outside the period. Months count only the period's days
    (the default period starts on the first of a month, so only the current month is partial;
    it is labelled so and never counted against a monthly limit).
    """
    moment = now or current_time()
    if diary is None:
        return ReportData(
            start=since,
            end=until,
            recorded_days=0,
            months=(),
            therapies=(),
            attacks=(),
            questions=tuple(questions),
            generated_at=moment,
            notes=("The diary is empty.",),
        )
    history_first = days.add_months(since, -(days.OVERUSE_RUN_MONTHS - 1))
    with diary.connect() as conn:
        courses = load_courses(conn)
        attack_diary = has_attack_diary(conn)
        table = day_table(conn, history_first, until, moment)
        statuses = course_days(conn, courses, today, moment) if attack_diary else {}
    found, _total = list_attacks(diary, since, until, None)
    acute = acute_report(diary, since, until)
    scores, pgic = latest_scores(list_scores(diary), until)
    pgic = [g for g in pgic if _in_period(g, since, until)]

    period = {d: s for d, s in table.statuses.items() if since <= d <= until}
    notes: list[str] = []
    months: tuple[MonthFigures, ...] = ()
    if attack_diary:
        months = _months(table.statuses, since, today)
        unknown = sorted(
            name for name, seen in table.unclassified.items() if any(since <= d for d in seen)
        )
        if unknown:
            notes.append(
                "Medication without a known class (counted in acute-medication days, never as "
                f"migraine-specific): {', '.join(unknown)}."
            )
    else:
        notes.append(
            "No attacks, check-ins or kept ranges in the diary yet, so no migraine days or "
            f"medication days: log them with `{command_line('attack log')}` and "
            f"`{command_line('checkin')}`."
        )
    therapies = tuple(
        sorted(
            (
                _therapy(course, since, until, statuses, today, attack_diary, courses, pgic)
                for course in courses
                if any(since <= local_day(s.when) <= until for s in course.sessions)
            ),
            key=lambda t: (-t.sessions, t.name.casefold()),
        )
    )
    shown = {therapy_key(t.name) for t in therapies}
    return ReportData(
        start=since,
        end=until,
        recorded_days=sum(1 for s in period.values() if s.recorded),
        months=months,
        therapies=therapies,
        attacks=tuple(_attack_entry(a) for a in reversed(found)),
        questions=tuple(questions),
        generated_at=moment,
        notes=tuple(notes),
        plans=_plans(diary, moment),
        acute=tuple(acute.rows),
        acute_doses=acute.doses,
        acute_unrated=acute.unrated_doses,
        scores=tuple(scores),
        pgic=tuple(g for g in pgic if therapy_key(g.therapy or "") not in shown),
    )


def _in_period(score: Score, since: dt.date, until: dt.date) -> bool:
    """A PGIC the report shows: recorded in the period, or judging a course that reaches it."""
    course = score.course
    return since <= score.day <= until or (
        course is not None and course[0] <= until and course[1] >= since
    )


def _plans(diary: db.Diary, moment: dt.datetime) -> tuple[PlanFigures, ...]:
    """Every randomised plan, whatever its dates: a section each."""
    from migraine_diary.diary.plans import judge, list_plans

    today = local_day(moment)
    return tuple(
        PlanFigures(plan, judge(plan, today, interim=False).outcome, plan.status(today))
        for plan in list_plans(diary, moment)
    )


def _attack_entry(attack: Attack) -> AttackEntry:
    return AttackEntry(
        start=attack.start,
        duration=attack.end - attack.start if attack.end is not None else None,
        peak=attack.peak,
        aura=attack.aura,
        medications=tuple(
            days.MedicationTaken(d.name, d.med_class, d.taken_at) for d in attack.medications
        ),
        notes=attack.notes or "",
    )


def _months(
    statuses: Mapping[dt.date, days.DayStatus], since: dt.date, today: dt.date
) -> tuple[MonthFigures, ...]:
    """The period's months with their overuse flags; the months before it only to see a run."""
    period = {d: s for d, s in statuses.items() if d >= since}
    before = {d: s for d, s in statuses.items() if d < since.replace(day=1)}
    shown = days.months(period)
    overuse = days.overuse(shown, history=days.months(before))
    return tuple(
        MonthFigures(
            month=m.month,
            days=len(m.days),
            migraine_days=m.migraine_days,
            recorded_days=m.recorded_days,
            medication_days_by_class=dict(o.days_by_class),
            medication_days=o.total_days,
            flags=o.flags,
            overuse_pattern=o.overuse_pattern,
            so_far=m.month == f"{today.year:04d}-{today.month:02d}",
        )
        for m, o in zip(shown, overuse, strict=True)
    )


def _therapy(
    course: Course,
    since: dt.date,
    until: dt.date,
    statuses: Mapping[dt.date, days.DayStatus],
    today: dt.date,
    attack_diary: bool,
    courses: Sequence[Course],
    pgic: Sequence[Score] = (),
) -> TherapyFigures:
    in_period = [s for s in course.sessions if since <= local_day(s.when) <= until]
    figures = analyse_therapy(course.name, in_period)
    relief = figures.relief
    return TherapyFigures(
        name=course.name,
        sessions=figures.sessions,
        minutes=sum(s.minutes for s in in_period),
        relief_n=relief.n,
        relief_mean=relief.mean,
        relief_ci=relief.ci,
        acute=acute_split(in_period),
        preventive=(
            preventive_sentence(course, statuses, today, courses)
            if attack_diary
            else no_attack_diary()
        ),
        cost=sum((s.cost for s in in_period), Decimal(0)),
        relief_all_same=relief.all_same,
        pgic=tuple(g for g in pgic if therapy_key(g.therapy or "") == therapy_key(course.name)),
    )


def preventive_sentence(
    course: Course,
    statuses: Mapping[dt.date, days.DayStatus],
    today: dt.date,
    courses: Sequence[Course] = (),
) -> str:
    """The preventive verdict's first sentence, led by its word where the sentence lacks it."""
    result = preventive_results(course, statuses, today, courses)[0]
    sentence = first_sentence(result.message)
    word = VERDICT_WORDS.get(result.verdict)
    return f"{word}: {sentence[0].lower()}{sentence[1:]}" if word else sentence
