"""Preventive verdict per course: did migraine days fall, by how much, and could it be chance?

Pure computation only (no database, no printing): the stats and verdict commands feed it
day statuses and session dates and costs, then render the result. The method follows preventive
trials scaled down to one person (issues 6 and 14): a therapy's sessions split into courses at
gaps of more than 28 days; each course is judged against its own baseline (the 28 days before
it, extended back to 84 days where the diary allows), over its treatment window (day 29 on;
days 1-28 are the run-in). One quasi-Poisson rate ratio on weekly counts gives the point figure,
the 95% interval and the p-value from the same days, so the headline can never contradict its
interval; the context a reader needs (placebo response, regression to the mean, other
treatments) comes with it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal, Protocol

from scipy import stats  # type: ignore[import-untyped]

from migraine_diary.analysis.intervals import interval_text
from migraine_diary.domain.words import noun, plural

__all__ = [
    "COURSE_GAP_DAYS",
    "MAX_BASELINE_DAYS",
    "MAX_TREATMENT_DAY",
    "MIN_RECORDED_DAYS",
    "PLACEBO_CONTEXT",
    "RUN_IN_DAYS",
    "VERDICTS",
    "WINDOW_DAYS",
    "CourseSpan",
    "DayLike",
    "OtherTreatment",
    "PreventiveResult",
    "RateRatio",
    "Verdict",
    "WindowStats",
    "course_spans",
    "course_verdicts",
    "preventive_verdict",
    "rate_ratio",
    "window_stats",
]

WINDOW_DAYS = 28
"""Length of one baseline block and of the shortest treatment window (days)."""
MIN_RECORDED_DAYS = 21
"""Recorded days a 28-day block needs before its MMD means anything."""
RUN_IN_DAYS = 28
"""The course's first month is a run-in, as in trials; the treatment window follows it."""
COURSE_GAP_DAYS = 28
"""A gap of more than this between two sessions of a therapy starts a new course."""
MAX_BASELINE_DAYS = 84
"""The baseline reaches back at most three 28-day blocks."""
MAX_TREATMENT_DAY = 112
"""The treatment window ends on the course's day 112 at the latest."""
CONFIDENCE = 0.95

Verdict = Literal["not_enough_data", "too_early", "responder", "improved", "worse", "inconclusive"]
VERDICTS: tuple[Verdict, ...] = (
    "not_enough_data",
    "too_early",
    "responder",
    "improved",
    "worse",
    "inconclusive",
)

PLACEBO_CONTEXT = (
    "In preventive trials, about 23.5% of patients on placebo reach a 50% reduction in "
    "migraine days and attacks fall about 17% on average, so a modest drop is what doing "
    "anything at all often gives."
)
MULTIPLICITY_CONTEXT = (
    "Several courses or therapies are judged here: with several comparisons, one can look "
    "better by chance."
)


class DayLike(Protocol):
    """What this module needs to know about one calendar day (computed elsewhere)."""

    @property
    def recorded(self) -> bool: ...

    @property
    def migraine(self) -> bool: ...


@dataclass(frozen=True)
class OtherTreatment:
    """Another therapy or preventive medication in use from ``first`` to ``last`` (inclusive)."""

    name: str
    first: date
    last: date


@dataclass(frozen=True)
class CourseSpan:
    """One course of a therapy: sessions with no gap of more than 28 days between them."""

    first: date
    last: date
    sessions: int


@dataclass(frozen=True)
class WindowStats:
    """Counts for one window; ``mmd`` is None when too few days were recorded to trust it."""

    start: date
    end: date
    recorded_days: int
    migraine_days: int
    mmd: float | None

    @property
    def enough(self) -> bool:
        """True when the window has enough recorded days for its MMD to be reported."""
        return self.mmd is not None

    @property
    def days(self) -> int:
        """Calendar days in the window."""
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class RateRatio:
    """Treatment rate over baseline rate from weekly counts, with its 95% interval and p.

    ``ci`` ends are None where unbounded (no migraine day at baseline); ``dispersion`` is the
    quasi-Poisson scale actually used (at least 1).
    """

    estimate: float | None
    ci: tuple[float, float | None] | None
    p: float | None
    dispersion: float
    weeks: int


@dataclass(frozen=True)
class PreventiveResult:
    """Everything the stats and verdict commands show about one course; numbers unrounded."""

    verdict: Verdict
    first_session: date
    last_session: date
    sessions: int
    baseline: WindowStats
    treatment: WindowStats
    planned_end: date
    change: float | None
    change_ci: tuple[float | None, float | None] | None
    percent_change: float | None
    responder: bool | None
    rate: RateRatio | None
    cost_per_migraine_day_avoided: float | None
    cost_range: tuple[float | None, float | None] | None
    cost_reason: str | None
    message: str
    context: tuple[str, ...]


# --- counting ---------------------------------------------------------------------------


def _count(days: Mapping[date, DayLike], start: date, end: date) -> tuple[int, int]:
    """Recorded and migraine days in ``start``..``end``; a missing date is unknown."""
    recorded = 0
    migraine = 0
    day = start
    while day <= end:
        status = days.get(day)
        if status is not None and status.recorded:
            recorded += 1
            migraine += bool(status.migraine)
        day += timedelta(days=1)
    return recorded, migraine


def window_stats(days: Mapping[date, DayLike], start: date, end: date) -> WindowStats:
    """Counts and MMD (migraine days per 28 recorded days) for ``start``..``end``.

    Only recorded days enter the rate, so an unwritten day is never taken as migraine-free;
    with fewer than 21 recorded days per 28 the rate would rest on too little, so it is None.
    """
    recorded, migraine = _count(days, start, end)
    length = (end - start).days + 1
    needed = math.ceil(MIN_RECORDED_DAYS * length / WINDOW_DAYS)
    mmd = migraine / recorded * WINDOW_DAYS if recorded and recorded >= needed else None
    return WindowStats(start, end, recorded, migraine, mmd)


def _weeks(days: Mapping[date, DayLike], start: date, end: date) -> list[tuple[int, int]]:
    """(migraine days, recorded days) per 7-day week from ``start``; a last short week counts
    with its own exposure; weeks with nothing recorded carry no information and are dropped."""
    out = []
    week = start
    while week <= end:
        recorded, migraine = _count(days, week, min(week + timedelta(days=6), end))
        if recorded:
            out.append((migraine, recorded))
        week += timedelta(days=7)
    return out


def course_spans(session_days: Sequence[date]) -> list[CourseSpan]:
    """Split a therapy's session days into courses at gaps of more than 28 days, oldest first."""
    spans: list[CourseSpan] = []
    for day in sorted(session_days):
        if spans and (day - spans[-1].last).days <= COURSE_GAP_DAYS:
            last = spans[-1]
            spans[-1] = CourseSpan(last.first, day, last.sessions + 1)
        else:
            spans.append(CourseSpan(day, day, 1))
    return spans


def planned_treatment_end(first: date, last: date) -> date:
    """Day 56 of the course; with a session on day 29 or later, 28 days after the last session,
    at most day 112."""
    end = first + timedelta(days=RUN_IN_DAYS + WINDOW_DAYS - 1)
    if last >= first + timedelta(days=RUN_IN_DAYS):
        end = max(end, last + timedelta(days=WINDOW_DAYS))
    return min(end, first + timedelta(days=MAX_TREATMENT_DAY - 1))


# --- the estimate -----------------------------------------------------------------------


def _finite(value: float) -> float | None:
    """Turn NaN or infinity into None so nothing undefined reaches a user or JSON."""
    return value if math.isfinite(value) else None


def rate_ratio(
    baseline: Sequence[tuple[int, int]], treatment: Sequence[tuple[int, int]]
) -> RateRatio | None:
    """Quasi-Poisson rate ratio of treatment over baseline from (migraine, recorded) weeks.

    A Poisson model with log(recorded days) as offset and one indicator for the treatment
    window, fitted in closed form (the rate of each side is its migraine days over its recorded
    days). Attacks spanning days and months that differ make weekly counts vary more than
    Poisson: the variance is scaled by max(1, Pearson chi2 / df), never below Poisson. The
    interval and the p-value are Wald on log scale with t(df) quantiles (as statsmodels'
    GLM(scale='X2', use_t=True)). With no migraine day on one side the log ratio is infinite;
    the interval then comes from the exact (Clopper-Pearson) interval of the treatment share of
    all migraine days, given the exposures, with the counts divided by the dispersion.
    None when there are too few weeks to estimate the spread (df < 1).
    """
    weeks = len(baseline) + len(treatment)
    df = weeks - 2
    if not baseline or not treatment or df < 1:
        return None
    yb = sum(y for y, _ in baseline)
    eb = sum(e for _, e in baseline)
    yt = sum(y for y, _ in treatment)
    et = sum(e for _, e in treatment)
    rb, rt = yb / eb, yt / et
    chi2 = sum((y - e * rb) ** 2 / (e * rb) for y, e in baseline if rb > 0)
    chi2 += sum((y - e * rt) ** 2 / (e * rt) for y, e in treatment if rt > 0)
    phi = max(1.0, chi2 / df)
    alpha = 1 - CONFIDENCE
    if yb == 0 and yt == 0:
        return RateRatio(None, None, None, phi, weeks)
    if yb > 0 and yt > 0:
        log_rr = math.log(rt / rb)
        se = math.sqrt(phi * (1 / yb + 1 / yt))
        q = float(stats.t.ppf(1 - alpha / 2, df))
        p = float(2 * stats.t.sf(abs(log_rr) / se, df))
        return RateRatio(
            rt / rb, (math.exp(log_rr - q * se), math.exp(log_rr + q * se)), p, phi, weeks
        )
    n = (yb + yt) / phi
    odds = eb / et  # rate ratio = share / (1 - share) x eb / et
    p_exact = None
    if phi == 1.0:
        p_exact = float(stats.binomtest(yt, yb + yt, et / (eb + et)).pvalue)
    if yt == 0:
        high = 1 - (alpha / 2) ** (1 / n)
        return RateRatio(0.0, (0.0, high / (1 - high) * odds), p_exact, phi, weeks)
    low = (alpha / 2) ** (1 / n)
    return RateRatio(None, (low / (1 - low) * odds, None), p_exact, phi, weeks)


# --- words ------------------------------------------------------------------------------


def _fmt(value: float) -> str:
    """One decimal, without a stray minus sign on zero."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _fmt_signed(value: float) -> str:
    text = f"{value:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def _fmt_percent(value: float | None) -> str:
    """Whole-percent change with its sign, or nothing when undefined."""
    if value is None:
        return ""
    rounded = round(value)
    return f" ({'+' if rounded > 0 else ''}{rounded}%)"


def _movement(baseline: float, treatment: float, percent: float | None) -> str:
    """Describe the MMD movement without saying what caused it."""
    verb = "fell" if treatment < baseline else "rose" if treatment > baseline else "stayed"
    if verb == "stayed":
        return f"Migraine days stayed at {_fmt(baseline)} per 28 days"
    return (
        f"Migraine days {verb} from {_fmt(baseline)} to {_fmt(treatment)} per 28 days"
        f"{_fmt_percent(percent)}"
    )


def _window_phrase(window: WindowStats, label: str) -> str:
    """Name a window with its dates, e.g. 'the treatment window (2024-04-01 to 2024-04-28)'."""
    return f"the {label} window ({window.start.isoformat()} to {window.end.isoformat()})"


def _overlaps(first: date, last: date, window: WindowStats) -> bool:
    """True when [first, last] shares at least one day with the window."""
    return first <= window.end and last >= window.start


def _overlap_context(
    others: Sequence[OtherTreatment], baseline: WindowStats, treatment: WindowStats
) -> list[str]:
    """Name every other treatment in use during the baseline or treatment window."""
    windows: dict[str, list[str]] = {}
    for other in others:
        names = windows.setdefault(other.name, [])
        for label, window in (("baseline", baseline), ("treatment", treatment)):
            if _overlaps(other.first, other.last, window) and label not in names:
                names.append(label)
    sentences = []
    for name, labels in windows.items():
        if not labels:
            continue
        where = " and ".join(sorted(labels))
        sentences.append(
            f"{name} was also in use during the {where} {noun(len(labels), 'window')}, so the "
            "comparison reflects "
            "it as well as this therapy."
        )
    return sentences


def _regression_context(
    days: Mapping[date, DayLike], first: date, baseline: WindowStats, treatment: WindowStats
) -> str | None:
    """When the last month before the course was the worst of those recorded, show the change
    against it beside the change against the whole baseline.

    People tend to start something after a bad month, and a bad month is usually followed by
    a better one whatever is done: the gap between the two figures is how much regression to
    the mean alone could account for.
    """
    if baseline.mmd is None or treatment.mmd is None:
        return None
    months: list[float] = []
    for k in range(1, MAX_BASELINE_DAYS // WINDOW_DAYS + 1):
        end = first - timedelta(days=1 + WINDOW_DAYS * (k - 1))
        window = window_stats(days, end - timedelta(days=WINDOW_DAYS - 1), end)
        if window.mmd is not None:
            months.append(window.mmd)
        elif k == 1:
            return None
    last, earlier = months[0], months[1:]
    if not earlier or not all(last > other for other in earlier):
        return None
    count = {2: "two", 3: "three"}[len(months)]
    return (
        f"The 28 days before the first session were the worst of the last {count} 28-day "
        f"periods with enough diary ({_fmt(last)} migraine days per 28 days against "
        f"{' and '.join(_fmt(o) for o in earlier)}): against the whole baseline the change is "
        f"{_fmt_signed(treatment.mmd - baseline.mmd)} per 28 days, against the last 28 days "
        f"alone {_fmt_signed(treatment.mmd - last)}. People often start a therapy after a bad "
        "month, and a bad month tends to be followed by a better one whatever is done "
        "(regression to the mean)."
    )


_SETTLE = "A repeat course with a recorded month before it would settle it."


# --- one course -------------------------------------------------------------------------


def _baseline(
    days: Mapping[date, DayLike], first: date, blocked: Sequence[tuple[date, date]]
) -> WindowStats:
    """The 28 days before ``first``, extended back by 28-day blocks (to 84 days) while each has
    at least 21 recorded days and lies outside every earlier course's run-in and treatment."""
    end = first - timedelta(days=1)
    start = first - timedelta(days=WINDOW_DAYS)
    if window_stats(days, start, end).mmd is None:
        return window_stats(days, start, end)
    while (end - start).days + 1 < MAX_BASELINE_DAYS:
        block_end = start - timedelta(days=1)
        block_start = start - timedelta(days=WINDOW_DAYS)
        if any(b0 <= block_end and b1 >= block_start for b0, b1 in blocked):
            break
        if window_stats(days, block_start, block_end).mmd is None:
            break
        start = block_start
    return window_stats(days, start, end)


def _cost(
    session_costs: Sequence[tuple[date, Decimal]],
    treatment: WindowStats,
    change: float,
    change_ci: tuple[float | None, float | None] | None,
) -> tuple[float | None, tuple[float | None, float | None] | None]:
    """Cost of the window's sessions over the migraine days avoided in it, with the range the
    change's interval gives (None for an unbounded end)."""
    spent = float(
        sum((c for d, c in session_costs if treatment.start <= d <= treatment.end), Decimal(0))
    )
    scale = treatment.days / WINDOW_DAYS
    cost = _finite(spent / (-change * scale))
    span: tuple[float | None, float | None] | None = None
    if change_ci is not None and change_ci[1] is not None and change_ci[1] < 0:
        fewest = -change_ci[1] * scale
        most = None if change_ci[0] is None else -change_ci[0] * scale
        span = (None if most is None or most <= 0 else spent / most, spent / fewest)
    return cost, span


def preventive_verdict(
    days: Mapping[date, DayLike],
    *,
    first_session: date,
    last_session: date,
    today: date,
    session_costs: Sequence[tuple[date, Decimal]],
    other_treatments: Sequence[OtherTreatment] = (),
    sessions: int = 1,
    blocked: Sequence[tuple[date, date]] = (),
) -> PreventiveResult:
    """Judge one course as a preventive, the way trials do, scaled down to one person.

    ``blocked`` holds earlier courses' run-in and treatment windows, which the baseline may not
    reach into. ``days`` may hold any dates; a missing date is unknown, not migraine-free.
    The change in migraine days per 28 is treatment MMD minus baseline MMD, which equals
    baseline MMD x (rate ratio - 1); its interval is the rate ratio's interval through the same
    formula (baseline MMD held at its estimate), so the point figure, the interval and the
    verdict come from the same days and the interval always contains the point.
    """
    if last_session < first_session:
        raise ValueError("last_session is before first_session")
    baseline = _baseline(days, first_session, blocked)
    treatment_start = first_session + timedelta(days=RUN_IN_DAYS)
    planned_end = planned_treatment_end(first_session, last_session)
    so_far = min(planned_end, today - timedelta(days=1))
    treatment = window_stats(days, treatment_start, max(so_far, treatment_start))
    if so_far < treatment_start:
        treatment = WindowStats(treatment_start, planned_end, 0, 0, None)

    change: float | None = None
    change_ci: tuple[float | None, float | None] | None = None
    percent: float | None = None
    responder: bool | None = None
    rate: RateRatio | None = None
    too_early = so_far < treatment_start + timedelta(days=WINDOW_DAYS - 1)
    if baseline.mmd is not None and treatment.mmd is not None and not too_early:
        change = treatment.mmd - baseline.mmd
        if baseline.mmd > 0:
            percent = change / baseline.mmd * 100
        # With no migraine days at baseline there is nothing to halve: not a responder.
        responder = baseline.mmd > 0 and treatment.mmd <= 0.5 * baseline.mmd
        rate = rate_ratio(
            _weeks(days, baseline.start, baseline.end),
            _weeks(days, treatment.start, treatment.end),
        )
        if rate is not None and rate.ci is not None and baseline.mmd > 0:
            low, high = rate.ci
            change_ci = (
                baseline.mmd * (low - 1),
                None if high is None else baseline.mmd * (high - 1),
            )

    context = [PLACEBO_CONTEXT]
    regression = _regression_context(days, first_session, baseline, treatment)
    if regression is not None:
        context.append(regression)
    context.extend(_overlap_context(other_treatments, baseline, treatment))

    verdict: Verdict
    if baseline.mmd is None:
        verdict = "not_enough_data"
        message = (
            f"Not enough diary before the course: {_window_phrase(baseline, 'baseline')} has "
            f"{plural(baseline.recorded_days, 'recorded day')} of the {MIN_RECORDED_DAYS} "
            "needed. "
            "Filling in the days you can still account for (a paper diary counts) would "
            "settle it."
        )
    elif too_early:
        verdict = "too_early"
        needed_end = treatment_start + timedelta(days=WINDOW_DAYS - 1)
        remaining = (needed_end - today).days + 1
        message = (
            f"Too early to tell: the treatment window, from day 29 of the course "
            f"({treatment_start.isoformat()}), needs 28 days and will have them on "
            f"{needed_end.isoformat()}. Keep the diary through {needed_end.isoformat()}, "
            f"{plural(remaining, 'more day', 'more days')} counting today."
        )
    elif treatment.mmd is None or change is None:
        verdict = "not_enough_data"
        message = (
            f"Not enough diary during the course: {_window_phrase(treatment, 'treatment')} has "
            f"only {plural(treatment.recorded_days, 'recorded day')} of the "
            f"{math.ceil(MIN_RECORDED_DAYS * treatment.days / WINDOW_DAYS)} needed. "
            "Filling in the days you can still account for would settle it."
        )
    else:
        assert treatment.mmd is not None
        verdict, message = _decide(
            baseline.mmd, treatment.mmd, change_ci, rate, percent, bool(responder)
        )
        if so_far < planned_end:
            message += (
                f" The treatment window runs on to {planned_end.isoformat()}; this is the "
                "verdict so far."
            )

    cost: float | None = None
    cost_range: tuple[float | None, float | None] | None = None
    cost_reason: str | None
    if verdict in ("improved", "responder") and change is not None:
        cost, cost_range = _cost(session_costs, treatment, change, change_ci)
        cost_reason = None
    else:
        cost_reason = (
            "given only when the verdict is improved or responder: otherwise the days avoided "
            "could be none"
        )

    return PreventiveResult(
        verdict=verdict,
        first_session=first_session,
        last_session=last_session,
        sessions=sessions,
        baseline=baseline,
        treatment=treatment,
        planned_end=planned_end,
        change=change,
        change_ci=change_ci,
        percent_change=percent,
        responder=responder,
        rate=rate,
        cost_per_migraine_day_avoided=cost,
        cost_range=cost_range,
        cost_reason=cost_reason,
        message=message,
        context=tuple(context),
    )


def _decide(
    baseline: float,
    treatment: float,
    change_ci: tuple[float | None, float | None] | None,
    rate: RateRatio | None,
    percent: float | None,
    responder: bool,
) -> tuple[Verdict, str]:
    """Pick the verdict word from the interval alone: below zero is improved (or responder at a
    50% drop), above zero worse, anything else inconclusive. The sentences never say the therapy
    caused it, because one person's diary cannot show that."""
    moved = _movement(baseline, treatment, percent)
    response = "the 50% drop trials count as a response"
    if change_ci is None:
        rr_ci = None if rate is None else rate.ci
        if rr_ci is not None and rr_ci[0] > 1:
            return "worse", (
                f"{moved}; with no migraine day before the course the rate is at least "
                f"{_fmt(rr_ci[0])} times what it was, above no change."
            )
        return "inconclusive", (
            f"{moved}; there is no interval for the change, so it could be chance. {_SETTLE}"
        )
    low, high = change_ci
    interval = f"at {interval_text(low, high)} migraine days per 28 days"
    if high is not None and high < 0:
        if responder:
            return "responder", (
                f"{moved}, {response}; the 95% interval puts the change {interval}, below zero."
            )
        return "improved", (
            f"{moved}; the 95% interval puts the change {interval}, below zero, but short of "
            f"{response}."
        )
    if low is not None and low > 0:
        return "worse", f"{moved}; the 95% interval puts the change {interval}, above zero."
    halved = ", a 50% drop on paper," if responder else ","
    return "inconclusive", (
        f"{moved}{halved} but the 95% interval puts the change {interval}, which includes no "
        f"change, so it could be chance. {_SETTLE}"
    )


def course_verdicts(
    days: Mapping[date, DayLike],
    *,
    session_costs: Sequence[tuple[date, Decimal]],
    today: date,
    other_treatments: Sequence[OtherTreatment] = (),
) -> tuple[PreventiveResult, ...]:
    """Every course of one therapy judged against its own baseline, newest first.

    ``session_costs`` holds every session's local day and cost; each course is judged on its
    own sessions, and its baseline stays clear of the earlier courses' run-in and treatment.
    """
    spans = course_spans([d for d, _ in session_costs])
    results: list[PreventiveResult] = []
    blocked: list[tuple[date, date]] = []
    for span in spans:
        own = [(d, c) for d, c in session_costs if span.first <= d <= span.last]
        results.append(
            preventive_verdict(
                days,
                first_session=span.first,
                last_session=span.last,
                today=today,
                session_costs=own,
                other_treatments=other_treatments,
                sessions=span.sessions,
                blocked=tuple(blocked),
            )
        )
        blocked.append((span.first, planned_treatment_end(span.first, span.last)))
    return tuple(reversed(results))
