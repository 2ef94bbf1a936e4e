"""Statistics behind `migraine stats`: pure functions from sessions to figures and plain words.

Nothing here touches the database, the terminal or files, so every figure can be checked in a
test. numpy and scipy are imported at the top on purpose: the CLI imports this module only
inside the stats command, which keeps `--help` and `log` fast.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import scipy.stats  # type: ignore[import-untyped]

from migraine_diary.analysis.intervals import interval_text
from migraine_diary.domain.plan import plan_command
from migraine_diary.domain.words import plural

__all__ = [
    "ChartPoint",
    "CostFigures",
    "Durability",
    "Effect",
    "LengthGroup",
    "LengthVsNumber",
    "NumberGroup",
    "ReliefEstimate",
    "SessionPoint",
    "Share",
    "Shares",
    "TherapyStats",
    "Verdict",
    "acute_split",
    "analyse_therapy",
    "relief_estimate",
]

FloatArray = npt.NDArray[np.float64]
Verdict = Literal[
    "one_length", "cannot_separate", "too_few", "perfect_fit", "fragile", "weak", "estimated"
]

CONFIDENCE = 0.95
MIN_FOR_INTERVAL = 3  # below this a t interval is too wide to mean anything
MIN_FOR_MEDIAN_INTERVAL = 6  # the smallest n whose order-statistic interval reaches 95%
MIN_FOR_TREND = 5
MIN_FOR_REGRESSION = 8
MIN_FOR_AUTOCORRELATION = 8  # fewer consecutive pairs say next to nothing about correlation
# Below 8 sessions the correlation cannot be estimated, so the mean's interval allows for this
# lag-1 correlation: the smallest allowance that keeps the interval at its targets at 3-7
# sessions (93% on skewed 0-6 relief by exact enumeration, 90% with correlated sessions, lag-1
# 0.3); the plain t interval covered 87-91% there (benchmarks/calibration.py, README).
ASSUMED_AUTOCORRELATION = 0.15
MAX_AUTOCORRELATION = 0.9
SIGNIFICANCE = 0.05
HIGH_LEVERAGE = 0.8
STRONG_R = 0.7
BIN_MINUTES = 15
MAX_EXACT_LENGTHS = 5
PAIN_MAX = 10
NOTE = (
    "Keep in mind: pain after a longer session is measured longer after the session began, "
    "and migraine pain changes by itself over time, so part of any difference by length "
    "may be the migraine's own course."
)


@dataclass(frozen=True, slots=True)
class SessionPoint:
    """One session as the statistics need it; the CLI builds these from stored rows."""

    id: int | None
    when: datetime
    minutes: int
    pain_before: int
    pain_after: int
    pain_later: int | None
    cost: Decimal
    during_attack: bool

    def __post_init__(self) -> None:
        """Refuse impossible input here rather than print a plausible wrong figure later."""
        pains = [self.pain_before, self.pain_after]
        if self.pain_later is not None:
            pains.append(self.pain_later)
        if any(not 0 <= p <= PAIN_MAX for p in pains):
            raise ValueError("pain must be from 0 to 10")
        if not 1 <= self.minutes <= 600:
            raise ValueError("minutes must be from 1 to 600")
        if not self.cost.is_finite() or self.cost < 0:
            raise ValueError("cost must be 0 or more")
        if self.when.tzinfo is None:
            raise ValueError("when must be timezone-aware")

    @property
    def relief(self) -> int:
        return self.pain_before - self.pain_after

    @property
    def began_with_pain(self) -> bool:
        """A session that began at pain 0 cannot show relief (the rule `summary` uses)."""
        return self.pain_before > 0


@dataclass(frozen=True, slots=True)
class ReliefEstimate:
    """Mean and median relief with 95% intervals; None where the data cannot give one.

    ``autocorrelation`` is the lag-1 correlation of relief in consecutive sessions (from 8
    sessions on); when positive, ``effective_n`` is the number of independent sessions the
    mean's interval was widened to. Below 8 sessions it cannot be estimated:
    ``assumed_autocorrelation`` is the allowance the interval was widened by instead.
    ``sign_p`` is the exact two-sided sign test when every session brought the same nonzero
    relief (no spread, so no t interval).
    """

    n: int
    mean: float | None
    ci: tuple[float, float] | None
    median: float | None
    median_ci: tuple[float, float] | None
    all_same: bool  # every session the same relief: say so instead of a zero-width interval
    autocorrelation: float | None = None
    effective_n: float | None = None
    sign_p: float | None = None
    assumed_autocorrelation: float | None = None


@dataclass(frozen=True, slots=True)
class Share:
    """k of n sessions, with an exact (Clopper-Pearson) interval: it covers at least 95% at
    every n, where Wilson's covered only 83-85% at n = 3-8 in the worst case."""

    k: int
    n: int
    share: float | None
    ci: tuple[float, float] | None


@dataclass(frozen=True, slots=True)
class Shares:
    any_relief: Share  # >= 1 point
    important_relief: Share  # >= 2 points or >= 30% of pain before
    half_reduction: Share  # >= 50%
    pain_free: Share  # pain 0 afterwards
    worse: Share  # more pain afterwards


@dataclass(frozen=True, slots=True)
class LengthGroup:
    label: str
    minutes_low: int
    minutes_high: int
    n: int  # sessions in the relief figures
    mean_relief: float | None


@dataclass(frozen=True, slots=True)
class NumberGroup:
    number: int
    n: int  # 0 (began at pain 0) or 1 for one person's diary
    mean_relief: float | None


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One bar of the chart: relief by session number, marked by its length."""

    number: int
    id: int | None
    when: datetime
    minutes: int
    relief: int | None  # None: began at pain 0, left out of relief figures


@dataclass(frozen=True, slots=True)
class Effect:
    estimate: float
    ci: tuple[float, float] | None  # None on a perfect fit: no honest margin exists


@dataclass(frozen=True, slots=True)
class LengthVsNumber:
    """Whether the diary can tell session length from session number, and what it shows."""

    verdict: Verdict
    n: int
    r: float | None  # correlation of minutes with session number
    per_15_min: Effect | None
    per_session: Effect | None
    message: str  # complete text for the patient, including next_step and note
    next_step: str | None
    note: str | None
    fragile_session_id: int | None = None
    fragile_session_number: int | None = None


@dataclass(frozen=True, slots=True)
class Durability:
    """Did relief hold until later that day? Only sessions that had relief (a session without
    relief has nothing to hold) and a pain score later that day."""

    n: int  # sessions with relief and a later pain score
    held: int  # pain later <= pain right after
    share: float | None
    ci: tuple[float, float] | None
    mean_rebound: float | None  # mean of pain later - pain after
    relieved: int = 0  # sessions that had relief
    without_later: int = 0  # of those, how many lack a later pain score

    @property
    def few_scored(self) -> bool:
        """Fewer than half the relieved sessions have a later score: the share may mislead."""
        return self.relieved > 0 and 2 * self.n < self.relieved


@dataclass(frozen=True, slots=True)
class CostFigures:
    total: Decimal  # all the therapy's sessions
    per_relief_point: float | None
    per_relief_point_range: tuple[float, float | None] | None  # high None: no upper limit
    per_important_relief_session: float | None


@dataclass(frozen=True, slots=True)
class TherapyStats:
    therapy: str
    sessions: int
    excluded_no_pain: int
    relief: ReliefEstimate
    shares: Shares
    by_length: tuple[LengthGroup, ...]
    by_session_number: tuple[NumberGroup, ...]
    points: tuple[ChartPoint, ...]
    length_vs_number: LengthVsNumber
    durability: Durability
    cost: CostFigures


# --- primitives -------------------------------------------------------------------------------


def _pair(low: Any, high: Any) -> tuple[float, float] | None:
    """Interval as plain floats, or None if scipy could not give a finite one."""
    lo, hi = float(low), float(high)
    return (lo, hi) if math.isfinite(lo) and math.isfinite(hi) else None


def lag1_autocorrelation(values: Sequence[float]) -> float | None:
    """Lag-1 autocorrelation of a series in time order (the usual estimator, sum of lagged
    cross-products over the sum of squares); None with no spread."""
    x = np.asarray(values, dtype=np.float64) - float(np.mean(values))
    total = float(x @ x)
    if total == 0.0:
        return None
    return float(x[:-1] @ x[1:]) / total


def sign_test_p(k_up: int, k_down: int) -> float:
    """Exact two-sided sign test: k_up sessions relieved, k_down worse, ties left out."""
    n = k_up + k_down
    if n == 0:
        return 1.0
    return float(scipy.stats.binomtest(k_up, n, 0.5).pvalue)


def autocorrelation_note(rho: float, effective_n: float) -> str:
    """Say that the interval was widened for correlated sessions, and by how much."""
    return (
        f"Relief in consecutive sessions was correlated (lag-1 r = {rho:.2f}), so the interval "
        f"counts them as {effective_n:.1f} independent sessions."
    )


def assumed_autocorrelation_note(rho: float, n: int, effective_n: float) -> str:
    """Say that, with too few sessions to estimate it, the interval allows for correlation."""
    return (
        f"With fewer than {MIN_FOR_AUTOCORRELATION} sessions the correlation of relief in "
        f"consecutive sessions cannot be estimated, so the interval allows for a lag-1 "
        f"correlation of {rho:.2f}: it counts the {n} sessions as {effective_n:.1f} "
        "independent ones."
    )


def interval_note(relief: ReliefEstimate) -> str | None:
    """The sentence that says how the mean's interval allowed for correlated sessions."""
    if relief.effective_n is None:
        return None
    if relief.autocorrelation is not None:
        return autocorrelation_note(relief.autocorrelation, relief.effective_n)
    if relief.assumed_autocorrelation is not None:
        return assumed_autocorrelation_note(
            relief.assumed_autocorrelation, relief.n, relief.effective_n
        )
    return None


def _effective_n(n: int, rho: float) -> float:
    """Independent sessions worth as much as n with lag-1 correlation rho (AR(1) variance)."""
    return max(n * (1 - rho) / (1 + rho), 2.0)


def relief_estimate(reliefs: Sequence[int]) -> ReliefEstimate:
    """Mean (t interval) and median (order-statistic interval) of relief points, in time order.

    No bootstrap: on integer 0-10 scores at small n it covers far less than 95%. Relief in
    consecutive sessions may be correlated (a good spell, a bad spell): from 8 sessions the
    lag-1 autocorrelation r is estimated (plus (1 + 4r)/n, the estimator's small-sample bias
    for an AR(1) series, Kendall 1954) and, when
    positive, the mean's t interval uses the effective number of sessions n (1 - r) / (1 + r)
    (the variance of a mean of an AR(1) series), never more than n. Below 8 sessions the
    interval allows for an assumed lag-1 correlation of ASSUMED_AUTOCORRELATION the same way:
    the plain t interval undercovered there with skewed or correlated relief.
    """
    n = len(reliefs)
    if n == 0:
        return ReliefEstimate(0, None, None, None, None, all_same=False)
    values = np.asarray(reliefs, dtype=np.float64)
    all_same = n >= 2 and bool(np.all(values == values[0]))
    ci = median_ci = None
    rho = n_eff = sign_p = assumed = None
    if all_same and values[0] != 0:
        sign_p = sign_test_p(n if values[0] > 0 else 0, 0 if values[0] > 0 else n)
    if n >= MIN_FOR_INTERVAL and not all_same:
        mean = float(np.mean(values))
        sd = float(np.std(values, ddof=1))
        df = float(n - 1)
        n_used = float(n)
        if n >= MIN_FOR_AUTOCORRELATION:
            raw_rho = lag1_autocorrelation(values.tolist())
            if raw_rho is not None:
                rho = min(raw_rho + (1 + 4 * max(raw_rho, 0.0)) / n, MAX_AUTOCORRELATION)
                if rho > 0:
                    n_eff = _effective_n(n, rho)
                    n_used, df = n_eff, n_eff - 1
        else:
            assumed = ASSUMED_AUTOCORRELATION
            n_eff = _effective_n(n, assumed)
            n_used, df = n_eff, n_eff - 1
        half = float(scipy.stats.t.ppf(0.5 + CONFIDENCE / 2, df)) * sd / math.sqrt(n_used)
        raw = _pair(mean - half, mean + half)
        ci = None if raw is None else (max(raw[0], -PAIN_MAX), min(raw[1], PAIN_MAX))
    median = float(np.median(values))
    if n >= MIN_FOR_MEDIAN_INTERVAL and not all_same:
        q = scipy.stats.quantile_test(values, q=median, p=0.5)
        q_ci = q.confidence_interval(CONFIDENCE)
        median_ci = _pair(q_ci.low, q_ci.high)
    return ReliefEstimate(
        n, float(np.mean(values)), ci, median, median_ci, all_same, rho, n_eff, sign_p, assumed
    )


def _share(k: int, n: int) -> Share:
    if n == 0:
        return Share(0, 0, None, None)
    ci = scipy.stats.binomtest(k, n).proportion_ci(confidence_level=CONFIDENCE, method="exact")
    return Share(k, n, k / n, _pair(ci.low, ci.high))


def _count_share(points: Sequence[SessionPoint], test: Callable[[SessionPoint], bool]) -> Share:
    return _share(sum(1 for p in points if test(p)), len(points))


def _important(p: SessionPoint) -> bool:
    """>= 2 points or >= 30% of the starting pain, in whole numbers to avoid float edges."""
    return p.relief >= 2 or 10 * p.relief >= 3 * p.pain_before


def _mean(values: Sequence[int]) -> float | None:
    return float(np.mean(values)) if values else None


@dataclass(frozen=True, slots=True)
class _Fit:
    coef: FloatArray
    ci: list[tuple[float, float]] | None  # None when residuals are zero
    leverage: FloatArray


def _ols(x: FloatArray, y: FloatArray) -> _Fit:
    """Least squares with t intervals; the caller has checked the design has full rank."""
    coef = np.asarray(np.linalg.lstsq(x, y, rcond=None)[0], dtype=np.float64)
    residuals = y - x @ coef
    q = np.linalg.qr(x)[0]
    leverage = np.asarray(np.sum(q * q, axis=1), dtype=np.float64)  # diagonal of the hat matrix
    df = x.shape[0] - x.shape[1]
    if np.allclose(residuals, 0.0, atol=1e-9):
        return _Fit(coef, None, leverage)
    sigma2 = float(residuals @ residuals) / df
    se = np.sqrt(sigma2 * np.diag(np.linalg.inv(x.T @ x)))
    t = float(scipy.stats.t.ppf(0.5 + CONFIDENCE / 2, df))
    return _Fit(
        coef,
        [(float(c - t * s), float(c + t * s)) for c, s in zip(coef, se, strict=True)],
        leverage,
    )


def _effect(fit: _Fit, index: int, scale: float = 1.0) -> Effect:
    ci = None if fit.ci is None else (fit.ci[index][0] * scale, fit.ci[index][1] * scale)
    return Effect(float(fit.coef[index]) * scale, ci)


# --- wording ----------------------------------------------------------------------------------


def _pts(x: float) -> str:
    text = f"{x:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def _unsigned(x: float) -> str:
    """One decimal, a minus only below zero: never '-0.0'."""
    return _pts(x).removeprefix("+")


def _sessions(n: int) -> str:
    return "1 session" if n == 1 else f"{n} sessions"


def _effect_text(effect: Effect, unit: str) -> str:
    text = f"{_pts(effect.estimate)} points {unit}".rstrip()
    if effect.ci is None:
        return text
    return f"{text} (95% interval {interval_text(*effect.ci)})"


def _verdict(
    verdict: Verdict,
    n: int,
    message: str,
    *,
    r: float | None = None,
    per_15_min: Effect | None = None,
    per_session: Effect | None = None,
    next_step: str | None = None,
    note: str | None = NOTE,
    fragile: ChartPoint | None = None,
) -> LengthVsNumber:
    full = " ".join(part for part in (message, next_step, note) if part)
    return LengthVsNumber(
        verdict,
        n,
        r,
        per_15_min,
        per_session,
        full,
        next_step,
        note,
        fragile_session_id=None if fragile is None else fragile.id,
        fragile_session_number=None if fragile is None else fragile.number,
    )


# --- length versus session number ---------------------------------------------------------------


def _one_length(therapy: str, pts: Sequence[ChartPoint]) -> LengthVsNumber:
    """Length cannot be judged; the trend over sessions is all the data can speak to."""
    n, minutes = len(pts), pts[0].minutes
    head = (
        f"Your only {therapy} session that began with pain was {minutes} minutes long, "
        if n == 1
        else f"All {n} of your {therapy} sessions that began with pain were {minutes} minutes "
        "long, "
    )
    head += "so whether session length matters can't be judged."
    step = "To learn whether length matters, book a few sessions of a different length."
    if n < MIN_FOR_TREND:
        head += (
            f" Not enough data for a trend over the sessions either: that needs at least "
            f"{MIN_FOR_TREND} sessions that began with pain, you have {n}."
        )
        return _verdict("one_length", n, head, next_step=step, note=None)
    y = np.array([p.relief or 0 for p in pts], dtype=np.float64)
    x = np.column_stack([np.ones(n), [float(p.number) for p in pts]])
    trend = _effect(_ols(x, y), 1)
    head += f" Over these {_sessions(n)}, relief changed by {_effect_text(trend, 'per session')}"
    if trend.ci is None:
        head += "."
    elif trend.ci[0] > 0:
        head += ": relief went up as the sessions went on."
    elif trend.ci[1] < 0:
        head += ": relief went down as the sessions went on."
    else:
        head += ": no clear change either way."
    return _verdict("one_length", n, head, per_session=trend, next_step=step, note=None)


def randomised_plan(therapy: str, short: int, long: int) -> str:
    """The next step when length and session number moved together: let chance pick lengths,
    with the exact `migraine plan new` command that draws and keeps such a plan."""
    return (
        "To tell length from session number, follow a randomised plan: let a coin pick the "
        f"length of each of the next sessions ({short} or {long} minutes, at least four of "
        "each), so that the session number cannot stand in for the length. This command "
        f"draws and keeps such a plan: {plan_command(therapy, [long, short])}"
    )


MAX_EXACT_SPLITS = 200_000


def permutation_p(first: Sequence[float], other: Sequence[float]) -> float:
    """Exact two-sided permutation p-value for the difference in means, over every split of the
    sessions into groups of the two sizes (a random 200,000 splits, seeded, beyond that)."""
    values = np.asarray([*first, *other], dtype=np.float64)
    n, k = len(values), len(first)
    observed = abs(float(np.mean(first)) - float(np.mean(other)))
    total = float(values.sum())
    if math.comb(n, k) <= MAX_EXACT_SPLITS:
        sums = np.array([values[list(c)].sum() for c in itertools.combinations(range(n), k)])
    else:
        rng = np.random.default_rng(14)
        picks = np.argsort(rng.random((MAX_EXACT_SPLITS, n)), axis=1)[:, :k]
        sums = values[picks].sum(axis=1)
    diffs = np.abs(sums / k - (total - sums) / (n - k))
    return float(np.mean(diffs >= observed - 1e-9))


def _welch(first: Sequence[float], other: Sequence[float]) -> tuple[float, float] | None:
    """Welch 95% interval for mean(first) - mean(other) when both groups vary."""
    if len(first) < 2 or len(other) < 2 or np.var(first) == 0 or np.var(other) == 0:
        return None
    ci = scipy.stats.ttest_ind(first, other, equal_var=False).confidence_interval(CONFIDENCE)
    return _pair(ci.low, ci.high)


def _cannot_separate(therapy: str, pts: Sequence[ChartPoint], r: float) -> LengthVsNumber:
    """Length only moved one way: a length effect and a wear-off/build-up look the same, and
    the plain comparison of the lengths says whether chance alone could give the difference."""
    n, first = len(pts), pts[0].minutes
    went = "down" if pts[-1].minutes < first else "up"
    at_first = [p.relief or 0 for p in pts if p.minutes == first]
    later = [p.relief or 0 for p in pts if p.minutes != first]
    last_at_first = max(p.number for p in pts if p.minutes == first)
    lengths = len({p.minutes for p in pts})
    when = f"after session {last_at_first}" if lengths == 2 else "as the sessions went on"
    size = "Shorter" if went == "down" else "Longer"
    before, after = float(np.mean(at_first)), float(np.mean(later))
    difference = after - before
    p = permutation_p(later, at_first)
    welch = _welch(later, at_first)
    head = (
        f"Can't tell session length apart from session number: in your {therapy} sessions the "
        f"length only went {went} as the sessions went on (r = {r:.2f}, {_sessions(n)})."
    )
    other = "at the other lengths" if lengths > 2 else "after"
    figures = (
        f"mean relief {_unsigned(before)} at {first} minutes, {_unsigned(after)} {other}: "
        f"difference {_pts(difference)}"
        + ("" if welch is None else f", 95% interval {interval_text(*welch)}")
        + f"; exact permutation p = {p:.3f} over every split of the {_sessions(n)}"
    )
    if difference == 0:
        head += (
            f" The lengths gave the same mean relief ({figures}), so the diary shows no "
            "difference to explain."
        )
    else:
        if difference < 0:
            head += f" '{size} sessions help less', 'the effect wore off {when}'"
        else:
            head += f" '{size} sessions help more', 'the effect built up {when}'"
        head += f", or neither: the difference could be chance ({figures})."
        share = f"{p:.0%}" if p >= 0.01 else "under 1%"
        if p >= SIGNIFICANCE:
            head += (
                f" Chance alone gives a difference this large in {share} of the splits, so "
                "it may well be nothing."
            )
        else:
            head += (
                f" Chance alone gives a difference this large in only {share} of the splits; "
                "but even a difference beyond chance cannot say whether length or session "
                "number made it."
            )
    lows = sorted({p.minutes for p in pts})
    plan = randomised_plan(therapy, lows[0], lows[-1])
    return _verdict("cannot_separate", n, head, r=r, next_step=plan)


def _length_vs_number(therapy: str, pts: Sequence[ChartPoint]) -> LengthVsNumber:
    """Decide the verdict first, in the issue's order; only then report coefficients."""
    n = len(pts)
    if n == 0:
        return _verdict(
            "too_few",
            0,
            f"Not enough data: none of your {therapy} sessions began with pain, so there is "
            "no relief to compare by length or by session number.",
            note=None,
        )
    minutes = np.array([float(p.minutes) for p in pts])
    numbers = np.array([float(p.number) for p in pts])
    if len(set(minutes.tolist())) == 1:
        return _one_length(therapy, pts)
    r = float(np.corrcoef(minutes, numbers)[0, 1])
    steps = np.diff(minutes)
    x = np.column_stack([np.ones(n), minutes, numbers])
    if np.all(steps <= 0) or np.all(steps >= 0):
        return _cannot_separate(therapy, pts, r)
    if int(np.linalg.matrix_rank(x)) < x.shape[1]:
        return _verdict(
            "cannot_separate",
            n,
            f"Can't tell session length apart from session number in your {therapy} sessions "
            f"(r = {r:.2f}, {_sessions(n)}): the lengths follow the session numbers exactly.",
            r=r,
            next_step=randomised_plan(therapy, int(min(minutes)), int(max(minutes))),
        )
    if n < MIN_FOR_REGRESSION:
        return _verdict(
            "too_few",
            n,
            f"Not enough data to tell session length from session number: that needs at least "
            f"{MIN_FOR_REGRESSION} {therapy} sessions that began with pain, you have {n} "
            f"(length and session number so far: r = {r:.2f}).",
            r=r,
            next_step="Keep logging, with a mix of lengths rather than only longer or only "
            "shorter over time.",
        )
    y = np.array([float(p.relief or 0) for p in pts])
    fit = _ols(x, y)
    per_15, per_session = _effect(fit, 1, BIN_MINUTES), _effect(fit, 2)
    both = (
        f"each extra 15 minutes went with {_effect_text(per_15, 'of relief')}, and each further "
        f"session with {_effect_text(per_session, '')}"
    )

    def fitted(verdict: Verdict, message: str, **extra: Any) -> LengthVsNumber:
        return _verdict(
            verdict, n, message, r=r, per_15_min=per_15, per_session=per_session, **extra
        )

    if fit.ci is None:
        return fitted(
            "perfect_fit",
            f"Your {_sessions(n)} of {therapy} fit a straight line exactly: {both}. Data this "
            "tidy gives no margin of error, so take these as a description, not a measurement.",
            next_step="A few more sessions will show how steady this really is.",
        )
    top = int(np.argmax(fit.leverage))
    if fit.leverage[top] > HIGH_LEVERAGE:
        odd = pts[top]
        return fitted(
            "fragile",
            f"The comparison of length and session number in your {therapy} sessions rests "
            f"mostly on one of your {_sessions(n)}: session {odd.number} ({odd.minutes} "
            f"minutes, {odd.when.date().isoformat()}). Without it the figures could change "
            f"completely, so treat them as fragile: {both}.",
            next_step=f"Another session or two at {odd.minutes} minutes would make this sturdier.",
            fragile=odd,
        )
    if abs(r) >= STRONG_R:
        return fitted(
            "weak",
            f"Session length and session number mostly moved together in your {therapy} "
            f"sessions (r = {r:.2f}, {_sessions(n)}), so they can be told apart only roughly: "
            f"{both}. Treat these as rough.",
            next_step="Mixing lengths in the next sessions, some longer and some shorter, "
            "would sharpen this.",
        )
    return fitted(
        "estimated",
        f"Looking at length and session number together ({_sessions(n)} of {therapy}, "
        f"r = {r:.2f}): {both}. An interval that includes 0 means no clear effect. The "
        "lengths were not assigned at random, so something that chose them (a bad day, a "
        "busy week) may be behind the difference: these are patterns in your diary, not proof "
        "of what caused them.",
    )


# --- the other figures ------------------------------------------------------------------------


def _by_length(ordered: Sequence[SessionPoint]) -> tuple[LengthGroup, ...]:
    """Each distinct length, or 15-minute bins when there are too many lengths to read."""
    exact = len({s.minutes for s in ordered}) <= MAX_EXACT_LENGTHS
    groups: dict[tuple[int, int], list[int]] = {}
    for s in sorted(ordered, key=lambda s: s.minutes):
        if exact:
            key = (s.minutes, s.minutes)
        else:
            start = s.minutes // BIN_MINUTES * BIN_MINUTES
            key = (max(start, 1), start + BIN_MINUTES - 1)
        reliefs = groups.setdefault(key, [])
        if s.began_with_pain:
            reliefs.append(s.relief)
    return tuple(
        LengthGroup(f"{lo} min" if lo == hi else f"{lo}-{hi} min", lo, hi, len(rs), _mean(rs))
        for (lo, hi), rs in groups.items()
    )


def _durability(counted: Sequence[SessionPoint]) -> Durability:
    relieved = [s for s in counted if s.relief >= 1]
    later = [s for s in relieved if s.pain_later is not None]
    held = _count_share(later, lambda s: (s.pain_later or 0) <= s.pain_after)
    rebound = _mean([(s.pain_later or 0) - s.pain_after for s in later])
    return Durability(
        held.n, held.k, held.share, held.ci, rebound, len(relieved), len(relieved) - len(later)
    )


def _cost(
    ordered: Sequence[SessionPoint], counted: Sequence[SessionPoint], relief: ReliefEstimate
) -> CostFigures:
    """Ratio of sums for the point figure; undefined (None) rather than negative or infinite."""
    total = sum((s.cost for s in ordered), Decimal(0))
    paid = sum((s.cost for s in counted), Decimal(0))
    points = sum(s.relief for s in counted)
    if points <= 0:
        return CostFigures(total, None, None, None)
    per_point = float(paid / points)
    per_session = float(paid / len(counted))
    span: tuple[float, float | None] | None = None
    if relief.ci is not None and relief.ci[1] > 0:
        low, high = relief.ci
        span = (per_session / high, per_session / low if low > 0 else None)
    important = sum(1 for s in counted if _important(s))
    per_important = float(paid / important) if important else None
    return CostFigures(total, per_point, span, per_important)


def _in_order(sessions: Sequence[SessionPoint]) -> list[SessionPoint]:
    """Time order; the id breaks ties so the same diary always numbers sessions the same way."""
    return sorted(sessions, key=lambda s: (s.when, s.id is not None, s.id or 0))


def analyse_therapy(therapy: str, sessions: Sequence[SessionPoint]) -> TherapyStats:
    """Every figure for one therapy's sessions (any order); never raises on little data."""
    ordered = _in_order(sessions)
    counted = [s for s in ordered if s.began_with_pain]
    points = tuple(
        ChartPoint(i, s.id, s.when, s.minutes, s.relief if s.began_with_pain else None)
        for i, s in enumerate(ordered, start=1)
    )
    relief = relief_estimate([s.relief for s in counted])
    shares = Shares(
        any_relief=_count_share(counted, lambda s: s.relief >= 1),
        important_relief=_count_share(counted, _important),
        half_reduction=_count_share(counted, lambda s: 2 * s.relief >= s.pain_before),
        pain_free=_count_share(counted, lambda s: s.pain_after == 0),
        worse=_count_share(counted, lambda s: s.pain_after > s.pain_before),
    )
    # One session per number: its mean is its relief (no numpy call per session: 100,000
    # sessions would spend most of their time here).
    by_number = tuple(
        NumberGroup(p.number, 0, None)
        if p.relief is None
        else NumberGroup(p.number, 1, float(p.relief))
        for p in points
    )
    return TherapyStats(
        therapy=therapy,
        sessions=len(ordered),
        excluded_no_pain=len(ordered) - len(counted),
        relief=relief,
        shares=shares,
        by_length=_by_length(ordered),
        by_session_number=by_number,
        points=points,
        length_vs_number=_length_vs_number(therapy, [p for p in points if p.relief is not None]),
        durability=_durability(counted),
        cost=_cost(ordered, counted, relief),
    )


def acute_split(sessions: Sequence[SessionPoint]) -> tuple[ReliefEstimate, ReliefEstimate]:
    """Relief during an attack versus at other times; sessions that began at pain 0 left out."""
    counted = [s for s in sessions if s.began_with_pain]
    return (
        relief_estimate([s.relief for s in counted if s.during_attack]),
        relief_estimate([s.relief for s in counted if not s.during_attack]),
    )


MIN_ACUTE_SESSIONS = 3


@dataclass(frozen=True, slots=True)
class AcuteVerdict:
    """Does a session ease the pain it began with? Judged on sessions taken during attacks
    when there are enough of them (the abortive question), else on every session with pain."""

    verdict: str  # helps | no_clear_effect | worse | not_enough_data
    basis: str  # "during attacks" | "all sessions"
    relief: ReliefEstimate
    during_attack: ReliefEstimate
    other: ReliefEstimate
    message: str


def acute_verdict(sessions: Sequence[SessionPoint]) -> AcuteVerdict:
    """One word and one sentence about relief right after the session, with its n."""
    during, other = acute_split(sessions)
    if during.n >= MIN_ACUTE_SESSIONS:
        basis, relief = "during attacks", during
    else:
        basis = "all sessions"
        relief = relief_estimate([s.relief for s in sessions if s.began_with_pain])
    where = "in sessions during attacks" if basis == "during attacks" else "right after sessions"
    if relief.n < MIN_ACUTE_SESSIONS or relief.mean is None:
        verdict = "not_enough_data"
        message = (
            f"Not enough data: {plural(relief.n, 'session')} that began with pain; "
            f"{MIN_ACUTE_SESSIONS} are needed to judge relief."
        )
    elif relief.ci is None:  # every session the same relief: no spread, so the sign test
        scope = " during attacks" if basis == "during attacks" else ""
        message = (
            f"Every one of the {relief.n} sessions{scope} brought the same relief "
            f"({relief.mean:+.0f})"
        )
        p = relief.sign_p
        if p is None:
            verdict = "no_clear_effect"
            message += "."
        elif p < SIGNIFICANCE:
            verdict = "helps" if relief.mean > 0 else "worse"
            message += f"; the exact sign test gives p = {p:.3f}, below 0.05."
        else:
            verdict = "no_clear_effect"
            message += (
                f", but {relief.n} sessions alike could be chance (exact sign test p = "
                f"{p:.2f}; 6 alike are the fewest that could show it)."
            )
    else:
        low, high = relief.ci
        verdict = "helps" if low > 0 else "worse" if high < 0 else "no_clear_effect"
        reading = {
            "helps": "pain was lower afterwards",
            "worse": "pain was higher afterwards",
            "no_clear_effect": "no clear change, the interval includes zero",
        }[verdict]
        message = (
            f"Mean relief {_pts(relief.mean)} {where} (95% interval {interval_text(low, high)}, "
            f"n {relief.n}): {reading}."
        )
        note = interval_note(relief)
        if note is not None:
            message += " " + note
    return AcuteVerdict(verdict, basis, relief, during, other, message)
