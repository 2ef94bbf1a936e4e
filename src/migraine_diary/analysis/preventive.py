"""Preventive verdict: did migraine days fall during a course, and could it be chance?

Pure computation only (no database, no printing): the stats and verdict commands feed it
day statuses and session costs, then render the result. The method follows preventive
trials scaled down to one person (issue 6): migraine days per 28 days (MMD) in a baseline
window before the first session against the course's second month, a Welch interval and an
exact permutation p-value from weekly counts, and the context a reader needs so a drop is not
mistaken for proof (placebo response, regression to the mean, other treatments).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt
from scipy import stats  # type: ignore[import-untyped]

__all__ = [
    "MIN_RECORDED_DAYS",
    "MIN_WEEK_RECORDED_DAYS",
    "PLACEBO_CONTEXT",
    "VERDICTS",
    "WEEKS_PER_SIDE",
    "WINDOW_DAYS",
    "DayLike",
    "OtherTreatment",
    "PreventiveResult",
    "Verdict",
    "WeeklyComparison",
    "WindowStats",
    "preventive_verdict",
    "weekly_comparison",
    "window_stats",
]

WINDOW_DAYS = 28
"""Length of the baseline, treatment and after windows (days)."""
MIN_RECORDED_DAYS = 21
"""Recorded days a 28-day window needs before its MMD means anything."""
WEEKS_PER_SIDE = 8
"""Weeks compared on each side of the first session for the interval."""
MIN_WEEK_RECORDED_DAYS = 5
"""Recorded days a week needs to count in the weekly comparison."""
RUN_IN_DAYS = 28
"""The course's first month is a run-in, as in trials; the treatment window follows it."""

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


@dataclass(frozen=True)
class WeeklyComparison:
    """Weekly migraine-day counts before against from the first session, scaled to 28 days.

    ``change`` is (mean after - mean before) x 4; ``ci`` its Welch 95% interval x 4 and ``p``
    the exact two-sided permutation p-value. When there is no interval, ``no_interval_reason``
    says why in words a user can read.
    """

    before: tuple[float, ...]
    after: tuple[float, ...]
    change: float | None
    ci: tuple[float, float] | None
    p: float | None
    no_interval_reason: str | None

    @property
    def weeks_before(self) -> int:
        """Number of counted weeks before the first session."""
        return len(self.before)

    @property
    def weeks_after(self) -> int:
        """Number of counted weeks from the first session."""
        return len(self.after)


@dataclass(frozen=True)
class PreventiveResult:
    """Everything the stats and verdict commands show about one course; numbers unrounded."""

    verdict: Verdict
    baseline: WindowStats
    treatment: WindowStats
    after: WindowStats | None
    change: float | None
    percent_change: float | None
    responder: bool | None
    weekly: WeeklyComparison
    cost_per_migraine_day_avoided: float | None
    message: str
    context: tuple[str, ...]


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
    """Counts and MMD for a 28-day window starting at ``start`` and ending at ``end``.

    Only recorded days enter the rate, so an unwritten day is never taken as migraine-free;
    with fewer than 21 recorded days the rate would rest on too little, so it is None.
    """
    recorded, migraine = _count(days, start, end)
    mmd = migraine / recorded * WINDOW_DAYS if recorded >= MIN_RECORDED_DAYS else None
    return WindowStats(start, end, recorded, migraine, mmd)


def _weekly_counts(days: Mapping[date, DayLike], starts: Sequence[date]) -> tuple[float, ...]:
    """Migraine days per 7 days for each week that counts; other weeks are dropped, not filled."""
    counts: list[float] = []
    for start in starts:
        recorded, migraine = _count(days, start, start + timedelta(days=6))
        if recorded >= MIN_WEEK_RECORDED_DAYS:
            counts.append(migraine / recorded * 7)
    return tuple(counts)


def _mean_difference(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], axis: int
) -> npt.NDArray[np.float64]:
    """Permutation statistic: mean of x minus mean of y (vectorised along ``axis``)."""
    result: npt.NDArray[np.float64] = np.mean(x, axis=axis) - np.mean(y, axis=axis)
    return result


def _finite(value: float) -> float | None:
    """Turn NaN or infinity into None so nothing undefined reaches a user or JSON."""
    return value if math.isfinite(value) else None


def weekly_comparison(days: Mapping[date, DayLike], first_session: date) -> WeeklyComparison:
    """Compare the 8 weeks before ``first_session`` with the 8 weeks from it.

    Weeks rather than the two 28-day windows give enough points to say how sure the change is:
    a Welch interval (unequal spread before and during a course is the norm) and an exact
    permutation p-value, which needs no normality and at 8 + 8 weeks enumerates all 12,870
    splits.
    """
    span = timedelta(days=7 * WEEKS_PER_SIDE)
    before_starts = [first_session - span + timedelta(days=7 * i) for i in range(WEEKS_PER_SIDE)]
    after_starts = [first_session + timedelta(days=7 * i) for i in range(WEEKS_PER_SIDE)]
    before = _weekly_counts(days, before_starts)
    after = _weekly_counts(days, after_starts)

    change: float | None = None
    if before and after:
        change = _finite((float(np.mean(after)) - float(np.mean(before))) * 4)

    if len(before) < 2 or len(after) < 2:
        reason = (
            f"fewer than two weeks counted on a side ({len(before)} before the first session, "
            f"{len(after)} from it; a week counts with at least {MIN_WEEK_RECORDED_DAYS} "
            "recorded days)"
        )
        return WeeklyComparison(before, after, change, None, None, reason)

    a = np.asarray(after, dtype=np.float64)
    b = np.asarray(before, dtype=np.float64)
    perm = stats.permutation_test(
        (a, b),
        _mean_difference,
        permutation_type="independent",
        vectorized=True,
        n_resamples=np.inf,
        alternative="two-sided",
    )
    p = _finite(float(perm.pvalue))

    if float(np.var(a)) == 0.0 and float(np.var(b)) == 0.0:
        if len(set(before) | set(after)) == 1:
            reason = "every counted week had the same number of migraine days"
        else:
            reason = "the weekly counts did not vary at all within either side"
        return WeeklyComparison(before, after, change, None, p, reason)

    interval = stats.ttest_ind(a, b, equal_var=False).confidence_interval(confidence_level=0.95)
    low = _finite(float(interval.low) * 4)
    high = _finite(float(interval.high) * 4)
    if low is None or high is None:
        reason = "the weekly counts did not allow an interval"
        return WeeklyComparison(before, after, change, None, p, reason)
    return WeeklyComparison(before, after, change, (low, high), p, None)


def _fmt(value: float) -> str:
    """One decimal, without a stray minus sign on zero."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _fmt_percent(value: float | None) -> str:
    """Whole-percent change with its sign, or nothing when undefined."""
    if value is None:
        return ""
    rounded = round(value)
    return f" ({'+' if rounded > 0 else ''}{rounded}%)"


def _fmt_interval(ci: tuple[float, float]) -> str:
    """A weekly interval in words, per 28 days."""
    return f"between {_fmt(ci[0])} and {_fmt(ci[1])} migraine days per 28 days"


def _movement(baseline: float, treatment: float, percent: float | None) -> str:
    """Describe the MMD movement without saying what caused it."""
    verb = "fell" if treatment < baseline else "rose" if treatment > baseline else "stayed"
    if verb == "stayed":
        return f"Migraine days stayed at {_fmt(baseline)} per 28 days"
    return (
        f"Migraine days {verb} from {_fmt(baseline)} to {_fmt(treatment)} per 28 days"
        f"{_fmt_percent(percent)}"
    )


def _overlaps(first: date, last: date, window: WindowStats) -> bool:
    """True when [first, last] shares at least one day with the window."""
    return first <= window.end and last >= window.start


def _regression_context(
    days: Mapping[date, DayLike], first_session: date, baseline: WindowStats
) -> str | None:
    """Warn when the baseline month was the worst of the three before the course.

    People tend to start something after a bad month, and a bad month is usually followed by
    a better one whatever is done; the drop would then be partly regression to the mean.
    """
    if baseline.mmd is None:
        return None
    earlier: list[float] = []
    for k in (1, 2):
        end = baseline.start - timedelta(days=1 + WINDOW_DAYS * (k - 1))
        window = window_stats(days, end - timedelta(days=WINDOW_DAYS - 1), end)
        if window.mmd is not None:
            earlier.append(window.mmd)
    if not earlier or not all(baseline.mmd > other for other in earlier):
        return None
    months = "two" if len(earlier) == 1 else "three"
    others = " and ".join(_fmt(other) for other in earlier)
    return (
        f"The 28 days before the first session were the worst of the last {months} 28-day "
        f"periods with enough diary ({_fmt(baseline.mmd)} migraine days per 28 days against "
        f"{others}): people often start a therapy after a bad month, and a bad month tends to "
        "be followed by a better one whatever is done (regression to the mean)."
    )


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
        plural = "window" if len(labels) == 1 else "windows"
        sentences.append(
            f"{name} was also in use during the {where} {plural}, so the comparison reflects "
            "it as well as this therapy."
        )
    return sentences


def _window_phrase(window: WindowStats, label: str) -> str:
    """Name a window with its dates, e.g. 'the treatment window (2024-04-01 to 2024-04-28)'."""
    return f"the {label} window ({window.start.isoformat()} to {window.end.isoformat()})"


def _after_sentence(after: WindowStats | None, last_session: date, *, worse: bool) -> str:
    """What the after window says, or when it will say it."""
    if after is None:
        ends = last_session + timedelta(days=WINDOW_DAYS)
        what = "it eases after the course" if worse else "it lasts after the course"
        return f"Keeping the diary through {ends.isoformat()} would show whether {what}."
    if after.mmd is None:
        return (
            f"The 28 days after the last session have only {after.recorded_days} recorded "
            "days, too few to say what happened after the course."
        )
    return f"In the 28 days after the last session it was {_fmt(after.mmd)} per 28 days."


_SETTLE = "A repeat course with a recorded month before it would settle it."


def _decide(
    baseline: float,
    treatment: float,
    weekly: WeeklyComparison,
    percent: float | None,
    responder: bool,
    after_sentence: str,
) -> tuple[Verdict, str]:
    """Pick the verdict word and its sentences once both windows have enough days.

    The sentences report what moved and how sure the weekly counts are; they never say the
    therapy caused it, because one person's diary cannot show that.
    """
    moved = _movement(baseline, treatment, percent)
    response = "the 50% drop trials count as a response"
    ci = weekly.ci
    if ci is None:
        why = (
            f"there is no weekly interval because {weekly.no_interval_reason}, so this rests "
            "on the 28-day counts alone"
        )
        if responder:
            return "responder", f"{moved}, {response}; {why}. {after_sentence}"
        if treatment > baseline:
            return "worse", f"{moved}; {why}. {after_sentence}"
        return "inconclusive", f"{moved}; {why} and could be chance. {_SETTLE}"
    interval = _fmt_interval(ci)
    if ci[1] < 0:
        if responder:
            return "responder", (
                f"{moved}, {response}, and the weekly counts put the change {interval}, "
                f"below zero. {after_sentence}"
            )
        return "improved", (
            f"{moved}, and the weekly counts put the change {interval}, below zero, but short "
            f"of {response}. {after_sentence}"
        )
    if ci[0] > 0:
        return "worse", (
            f"{moved}, and the weekly counts put the change {interval}, above zero. "
            f"{after_sentence}"
        )
    halved = ", a 50% drop on paper," if responder else ","
    return "inconclusive", (
        f"{moved}{halved} but the weekly counts put the change {interval}, which includes no "
        f"change, so it could be chance. {_SETTLE}"
    )


def preventive_verdict(
    days: Mapping[date, DayLike],
    *,
    first_session: date,
    last_session: date,
    today: date,
    session_costs: Sequence[tuple[date, Decimal]],
    other_treatments: Sequence[OtherTreatment] = (),
) -> PreventiveResult:
    """Judge one course as a preventive, the way trials do, scaled down to one person.

    Windows: baseline is the 28 days before ``first_session``; treatment is the course's second
    month (``first_session`` + 28 .. + 55; the first month is a run-in); after is the 28 days
    after ``last_session``, reported only once it is over. ``days`` may hold any dates; a
    missing date is unknown, not migraine-free.
    """
    if last_session < first_session:
        raise ValueError("last_session is before first_session")
    one = timedelta(days=1)
    baseline = window_stats(days, first_session - timedelta(days=WINDOW_DAYS), first_session - one)
    treatment_start = first_session + timedelta(days=RUN_IN_DAYS)
    treatment_end = treatment_start + timedelta(days=WINDOW_DAYS - 1)
    treatment = window_stats(days, treatment_start, treatment_end)
    after_end = last_session + timedelta(days=WINDOW_DAYS)
    after = window_stats(days, last_session + one, after_end) if today > after_end else None

    change: float | None = None
    percent: float | None = None
    responder: bool | None = None
    cost: float | None = None
    if baseline.mmd is not None and treatment.mmd is not None:
        change = treatment.mmd - baseline.mmd
        if baseline.mmd > 0:
            percent = change / baseline.mmd * 100
        # With no migraine days at baseline there is nothing to halve: not a responder.
        responder = baseline.mmd > 0 and treatment.mmd <= 0.5 * baseline.mmd
        avoided = baseline.mmd - treatment.mmd
        if avoided > 0:
            spent = sum(
                (c for d, c in session_costs if treatment_start <= d <= treatment_end),
                Decimal(0),
            )
            cost = _finite(float(spent) / avoided)

    weekly = weekly_comparison(days, first_session)

    context = [PLACEBO_CONTEXT]
    regression = _regression_context(days, first_session, baseline)
    if regression is not None:
        context.append(regression)
    context.extend(_overlap_context(other_treatments, baseline, treatment))

    verdict: Verdict
    if baseline.mmd is None:
        verdict = "not_enough_data"
        message = (
            f"Not enough diary before the course: {_window_phrase(baseline, 'baseline')} has "
            f"{baseline.recorded_days} recorded days of the {MIN_RECORDED_DAYS} needed. "
            "Filling in the days you can still account for (a paper diary counts) would "
            "settle it."
        )
    elif today <= treatment_end:
        verdict = "too_early"
        remaining = (treatment_end - today).days + 1
        message = (
            f"Too early to tell: {_window_phrase(treatment, 'treatment')}, the course's second "
            f"month, has not ended yet. Keep the diary through {treatment_end.isoformat()}, "
            f"{remaining} more day{'s' if remaining != 1 else ''} counting today."
        )
    elif treatment.mmd is None:
        verdict = "not_enough_data"
        message = (
            f"Not enough diary during the course: {_window_phrase(treatment, 'treatment')} has "
            f"only {treatment.recorded_days} recorded days of the {MIN_RECORDED_DAYS} needed. "
            "Filling in the days you can still account for would settle it."
        )
    else:
        worse = treatment.mmd > baseline.mmd
        verdict, message = _decide(
            baseline.mmd,
            treatment.mmd,
            weekly,
            percent,
            bool(responder),
            _after_sentence(after, last_session, worse=worse),
        )

    return PreventiveResult(
        verdict=verdict,
        baseline=baseline,
        treatment=treatment,
        after=after,
        change=change,
        percent_change=percent,
        responder=responder,
        weekly=weekly,
        cost_per_migraine_day_avoided=cost,
        message=message,
        context=tuple(context),
    )
