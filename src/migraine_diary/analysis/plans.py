"""The numbers of a randomised plan: block differences, t interval, exact randomisation p,
the verdict and the blocks needed for 80% power. Pure: no I/O, no printing."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.stats  # type: ignore[import-untyped]

from migraine_diary.domain.plan import KIND_PERIODS, MAX_BLOCKS, flip_groups

CONFIDENCE = 0.95
ALPHA = 0.05
POWER = 0.80
#: Without 5 past sessions, the spread of relief assumed for power (points, per session).
DEFAULT_RELIEF_SD = 1.5
#: The spread of migraine days per 28 between periods assumed for power.
DEFAULT_PERIOD_SD = 3.0
MIN_SESSIONS_FOR_SD = 5
#: Two outcomes differ by less than this only through rounding.
TOLERANCE = 1e-9

VERDICTS = ("too_early", "favours", "equivalent", "no_clear_difference")


@dataclass(frozen=True)
class BlockRow:
    """One block: the outcome of each arm (in the plan's arm order), None when missing."""

    block: int
    outcomes: tuple[float | None, ...]
    complete: bool
    deviation: bool

    @property
    def difference(self) -> float | None:
        """First arm minus second; None unless the block is complete with both outcomes."""
        first, second = self.outcomes[0], self.outcomes[1]
        if not self.complete or first is None or second is None:
            return None
        return first - second


@dataclass(frozen=True)
class Difference:
    """Mean block difference (first arm minus second) over the blocks analysed."""

    mean: float | None
    ci: tuple[float, float] | None
    p_randomisation: float | None
    n_blocks: int
    blocks: tuple[int, ...]


@dataclass(frozen=True)
class Outcome:
    """The result of a plan, as allocated and as given."""

    rows: tuple[BlockRow, ...]
    difference: Difference
    as_given: Difference
    verdict: str
    favoured_arm: int | None  # index into the plan's arms
    reaches_mid: bool | None
    interim: bool
    complete: bool
    missing: tuple[int, ...]  # complete blocks without an outcome for every slot


def t_interval(diffs: Sequence[float]) -> tuple[float, float] | None:
    """95% t interval of the mean; None with fewer than 2 values or no spread at all."""
    n = len(diffs)
    if n < 2:
        return None
    values = np.asarray(diffs, dtype=np.float64)
    sd = float(values.std(ddof=1))
    if sd <= TOLERANCE:
        return None
    half = float(scipy.stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1)) * sd / math.sqrt(n)
    mean = float(values.mean())
    return mean - half, mean + half


def _signed_sums(values: np.ndarray) -> np.ndarray:
    """Every sum of +/- values (2^len of them)."""
    sums = np.zeros(1, dtype=np.float64)
    for value in values:
        sums = np.concatenate([sums + value, sums - value])
    return sums


def randomisation_p(diffs: Sequence[float], groups: Sequence[Sequence[int]]) -> float | None:
    """Exact two-sided randomisation p-value of the mean difference.

    Each group (indices into `diffs`) is one independent draw of the design: swapping the arms
    of a group changes the sign of every difference in it. Over all 2^groups allocations, the
    share whose |sum| is at least the observed |sum|. The two halves of the groups are
    enumerated apart and matched by sorting, so 40 groups (2^40 allocations) are exact too.
    """
    if not diffs:
        return None
    totals = np.array([sum(diffs[i] for i in group) for group in groups], dtype=np.float64)
    observed = abs(float(totals.sum()))
    scale = max(1.0, float(np.abs(totals).sum()))
    threshold = observed - TOLERANCE * scale
    if threshold <= 0:
        return 1.0
    half = len(totals) // 2
    left = np.sort(_signed_sums(totals[:half]))
    right = _signed_sums(totals[half:])
    # |l + r| >= threshold  <=>  l >= threshold - r  or  l <= -threshold - r (disjoint here)
    high = len(left) - np.searchsorted(left, threshold - right, side="left")
    low = np.searchsorted(left, -threshold - right, side="right")
    count = int(high.sum() + low.sum())
    return count / (len(left) * len(right))


def difference(rows: Sequence[BlockRow], design: str, *, skip_deviations: bool) -> Difference:
    """Mean, t interval and randomisation p over the blocks with a difference."""
    used = [r for r in rows if r.difference is not None and not (skip_deviations and r.deviation)]
    diffs = [r.difference for r in used if r.difference is not None]
    if not diffs:
        return Difference(None, None, None, 0, ())
    blocks = [r.block for r in used]
    index = {block: i for i, block in enumerate(blocks)}
    groups = [[index[b] for b in group] for group in flip_groups(blocks, design)]
    return Difference(
        float(np.mean(diffs)),
        t_interval(diffs),
        randomisation_p(diffs, groups),
        len(diffs),
        tuple(blocks),
    )


def decide(
    diff: Difference, mid: float, kind: str, *, complete: bool, interim: bool
) -> tuple[str, int | None]:
    """The verdict in the issue's order, and the favoured arm (more relief, fewer migraine
    days): too_early, favours, equivalent, no_clear_difference."""
    if not complete and not interim:
        return "too_early", None
    if diff.ci is None or diff.mean is None:
        return "no_clear_difference", None
    low, high = diff.ci
    if low > 0 or high < 0:
        first_higher = low > 0
        lower_is_better = kind == KIND_PERIODS
        return "favours", (1 if first_higher == lower_is_better else 0)
    if -mid <= low and high <= mid:
        return "equivalent", None
    return "no_clear_difference", None


def outcome(
    rows: Sequence[BlockRow], design: str, mid: float, kind: str, *, interim: bool
) -> Outcome:
    complete = all(r.complete for r in rows)
    allocated = difference(rows, design, skip_deviations=False)
    given = difference(rows, design, skip_deviations=True)
    verdict, favoured = decide(allocated, mid, kind, complete=complete, interim=interim)
    reaches = None if allocated.mean is None else abs(allocated.mean) >= mid - TOLERANCE
    missing = tuple(r.block for r in rows if r.complete and r.difference is None)
    return Outcome(
        tuple(rows),
        allocated,
        given,
        verdict,
        favoured,
        reaches if verdict != "too_early" else None,
        interim and not complete,
        complete,
        missing,
    )


def power(n_blocks: int, effect: float, sd: float) -> float:
    """Power of the two-sided paired t-test over `n_blocks` block differences of spread `sd`
    to detect a true mean difference `effect`, from the noncentral t distribution."""
    df = n_blocks - 1
    nc = effect / sd * math.sqrt(n_blocks)
    crit = float(scipy.stats.t.ppf(1 - ALPHA / 2, df))
    return float(scipy.stats.nct.sf(crit, df, nc) + scipy.stats.nct.cdf(-crit, df, nc))


def blocks_for_power(effect: float, sd: float, limit: int = MAX_BLOCKS) -> int | None:
    """The fewest blocks (2 or more) that give 80% power; None when even `limit` do not."""
    for n in range(2, limit + 1):
        if power(n, effect, sd) >= POWER:
            return n
    return None


def block_sd(kind: str, past_relief: Sequence[float]) -> tuple[float, str]:
    """The spread of one block difference assumed for power, and where it comes from.

    A block difference is one outcome minus another, so its spread is sqrt(2) times that of
    one outcome."""
    if kind == KIND_PERIODS:
        sd = DEFAULT_PERIOD_SD
        basis = f"an assumed spread of {sd:g} migraine days per 28 between periods"
    elif len(past_relief) >= MIN_SESSIONS_FOR_SD and float(np.std(past_relief, ddof=1)) > 0:
        sd = float(np.std(past_relief, ddof=1))
        basis = (
            f"the spread of relief in your {len(past_relief)} past sessions "
            f"(standard deviation {sd:.2f} points)"
        )
    else:
        sd = DEFAULT_RELIEF_SD
        basis = (
            f"an assumed spread of relief of {sd:g} points per session (fewer than "
            f"{MIN_SESSIONS_FOR_SD} past sessions with a spread to go on)"
        )
    return sd * math.sqrt(2), basis
