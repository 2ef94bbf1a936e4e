"""The numbers of a randomised plan against scipy and against brute force written here."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest
import scipy.stats

from migraine_diary.analysis import plans
from migraine_diary.analysis.plans import BlockRow
from migraine_diary.domain.plan import allocate, flip_groups


def brute_p(diffs: list[float], design: str) -> float:
    """Every allocation the design could have produced, listed one by one: pairs flips each
    block alone, abba flips the two blocks of a pair together (blocks 1-2, 3-4, ...)."""
    k = len(diffs)
    units = (
        [[i] for i in range(k)]
        if design == "pairs"
        else [[i for i in (j, j + 1) if i < k] for j in range(0, k, 2)]
    )
    observed = abs(sum(diffs) / k)
    extreme = total = 0
    for signs in itertools.product((1, -1), repeat=len(units)):
        flipped = [0.0] * k
        for sign, unit in zip(signs, units, strict=True):
            for i in unit:
                flipped[i] = sign * diffs[i]
        total += 1
        extreme += abs(sum(flipped) / k) >= observed - 1e-9
    return extreme / total


def p_of(diffs: list[float], design: str) -> float | None:
    blocks = list(range(1, len(diffs) + 1))
    groups = [[b - 1 for b in group] for group in flip_groups(blocks, design)]
    return plans.randomisation_p(diffs, groups)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("design", ["pairs", "abba"])
def test_randomisation_p_is_the_brute_force_enumeration(seed: int, design: str) -> None:
    rng = random.Random(seed)
    k = rng.choice([2, 4, 6, 8, 10, 12])
    diffs = [float(rng.randint(-4, 4)) for _ in range(k)]
    assert p_of(diffs, design) == pytest.approx(brute_p(diffs, design), abs=1e-12)


def test_randomisation_p_on_real_valued_differences_and_many_blocks() -> None:
    rng = np.random.default_rng(3)
    diffs = [float(x) for x in rng.normal(0.8, 2.0, 16)]
    assert p_of(diffs, "pairs") == pytest.approx(brute_p(diffs, "pairs"), abs=1e-12)
    assert p_of(diffs, "abba") == pytest.approx(brute_p(diffs, "abba"), abs=1e-12)


def test_randomisation_p_extremes() -> None:
    assert p_of([2.0, 2.0, 2.0, 2.0], "pairs") == 2 / 16  # only all-plus and all-minus
    assert p_of([0.0, 0.0], "pairs") == 1.0
    assert p_of([2.0, 2.0, 2.0, 2.0], "abba") == 2 / 4
    assert plans.randomisation_p([], []) is None


def test_forty_blocks_are_exact_and_quick() -> None:
    diffs = [1.0] * 40
    assert p_of(diffs, "pairs") == pytest.approx(2 / 2**40)


def test_t_interval_is_scipys() -> None:
    diffs = [1.0, -2.0, 3.0, 0.5, 2.0]
    ci = scipy.stats.ttest_1samp(diffs, 0).confidence_interval(0.95)
    assert plans.t_interval(diffs) == pytest.approx((ci.low, ci.high))
    assert plans.t_interval([1.0]) is None
    assert plans.t_interval([1.0, 1.0, 1.0]) is None  # no spread: no interval to give


def test_power_matches_a_simulation_and_the_blocks_needed_reach_80_percent() -> None:
    rng = np.random.default_rng(15)
    n, effect, sd = 8, 1.0, 1.5
    samples = rng.normal(effect, sd, (20000, n))
    p = scipy.stats.ttest_1samp(samples, 0, axis=1).pvalue
    assert plans.power(n, effect, sd) == pytest.approx(float(np.mean(p < 0.05)), abs=0.015)
    needed = plans.blocks_for_power(effect, sd)
    assert needed is not None
    assert plans.power(needed, effect, sd) >= 0.8 > plans.power(needed - 1, effect, sd)
    assert plans.blocks_for_power(0.1, 5.0) is None  # beyond 40 blocks


def test_power_spread_comes_from_five_past_sessions_or_a_stated_default() -> None:
    sd, basis = plans.block_sd("length", [1.0, 2.0, 0.0, 1.0, 3.0])
    assert sd == pytest.approx(float(np.std([1, 2, 0, 1, 3], ddof=1)) * 2**0.5)
    assert "your 5 past sessions" in basis
    sd, basis = plans.block_sd("length", [1.0, 2.0])
    assert sd == pytest.approx(plans.DEFAULT_RELIEF_SD * 2**0.5)
    assert "assumed spread of relief of 1.5 points" in basis
    assert "assumed spread of 3 migraine days" in plans.block_sd("periods", [])[1]


def test_allocation_is_the_documented_rule() -> None:
    """Rebuilt here from the README's words: one Random(seed), per block a fresh list of the
    arms in the given order, shuffled."""
    for seed in (0, 7, 123456789):
        rng = random.Random(seed)
        expected = []
        for _ in range(6):
            arms = [45, 30]
            rng.shuffle(arms)
            expected.append(arms)
        got = [[[45, 30][i] for i in block] for block in allocate(2, 6, "pairs", seed)]
        assert got == expected
        rng = random.Random(seed)
        expected = []
        for _ in range(3):
            arms = [45, 30]
            rng.shuffle(arms)
            expected += [arms, arms[::-1]]
        got = [[[45, 30][i] for i in block] for block in allocate(2, 6, "abba", seed)]
        assert got == expected


def rows(diffs: list[float | None], *, complete: bool = True) -> list[BlockRow]:
    return [
        BlockRow(i, (d, 0.0) if d is not None else (None, 0.0), complete, False)
        for i, d in enumerate(diffs, 1)
    ]


def test_verdicts_in_the_issues_order() -> None:
    early = plans.outcome(rows([2.0, 3.0], complete=False), "pairs", 1.0, "length", interim=False)
    assert early.verdict == "too_early"
    assert early.reaches_mid is None
    favours = plans.outcome(rows([2.0, 3.0, 2.5, 3.5]), "pairs", 1.0, "length", interim=False)
    assert (favours.verdict, favours.favoured_arm, favours.reaches_mid) == ("favours", 0, True)
    fewer_days = plans.outcome(rows([2.0, 3.0, 2.5, 3.5]), "pairs", 2.0, "periods", interim=False)
    assert (fewer_days.verdict, fewer_days.favoured_arm) == ("favours", 1)  # more days on arm 0
    same = plans.outcome(
        rows([0.1, -0.1, 0.05, -0.05, 0.0, 0.1]), "pairs", 1.0, "length", interim=False
    )
    assert (same.verdict, same.reaches_mid) == ("equivalent", False)
    unclear = plans.outcome(rows([3.0, -2.0, 1.0, -1.0]), "pairs", 1.0, "length", interim=False)
    assert unclear.verdict == "no_clear_difference"
    partly = [*rows([2.0, 3.0]), BlockRow(3, (None, 1.0), False, False)]
    interim = plans.outcome(partly, "pairs", 1.0, "length", interim=True)
    assert interim.interim
    assert interim.difference.n_blocks == 2


def test_as_given_leaves_out_the_blocks_with_a_deviation() -> None:
    blocks = [
        BlockRow(1, (3.0, 1.0), True, False),
        BlockRow(2, (2.0, 1.0), True, True),
        BlockRow(3, (1.0, 1.0), True, False),
        BlockRow(4, (None, 1.0), True, False),
    ]
    result = plans.outcome(blocks, "pairs", 1.0, "length", interim=False)
    assert result.difference.blocks == (1, 2, 3)
    assert result.difference.mean == pytest.approx(1.0)
    assert result.as_given.blocks == (1, 3)
    assert result.missing == (4,)


def test_the_smallest_randomisation_p_a_design_can_give() -> None:
    from migraine_diary.domain.plan import smallest_p

    assert smallest_p(4, "pairs") == 0.125
    assert smallest_p(6, "pairs") == 2 / 64
    assert smallest_p(8, "abba") == 0.125  # 4 pairs of blocks flip together
    assert smallest_p(12, "abba") == 2 / 64
