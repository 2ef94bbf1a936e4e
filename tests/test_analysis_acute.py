"""Acute endpoints as pure numbers: exact intervals, Newcombe's difference, derived outcomes."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from scipy.stats import binomtest

from migraine_diary.analysis.acute import (
    MIN_RATED,
    Later,
    clopper_pearson,
    dose_ratings,
    endpoint,
    newcombe_difference,
    outcome,
    treatment_rows,
    wilson,
)
from migraine_diary.domain.acute import Treatment, grade, level

T0 = dt.datetime(2026, 11, 1, 8, tzinfo=dt.UTC)


@pytest.mark.parametrize(("k", "n"), [(0, 5), (1, 5), (3, 7), (7, 7), (5, 12), (1, 1), (40, 97)])
def test_clopper_pearson_matches_scipy_exact(k: int, n: int) -> None:
    expected = binomtest(k, n).proportion_ci(confidence_level=0.95, method="exact")
    low, high = clopper_pearson(k, n)
    assert low == pytest.approx(expected.low, abs=1e-12)
    assert high == pytest.approx(expected.high, abs=1e-12)


def test_newcombe_hybrid_score_matches_a_hand_computed_value() -> None:
    # Newcombe (1998), table II, example (a): 56/70 vs 48/80 -> 0.2000 (0.0524 to 0.3339).
    d, low, high = newcombe_difference(56, 70, 48, 80)
    assert d == pytest.approx(0.2)
    assert low == pytest.approx(0.0524, abs=5e-5)
    assert high == pytest.approx(0.3339, abs=5e-5)
    # By hand: Wilson 5/6 is 0.4365-0.9699, 2/6 is 0.0968-0.7000, so 0.5 -+ the root sums.
    l1, u1 = wilson(5, 6)
    l2, u2 = wilson(2, 6)
    p1, p2 = 5 / 6, 2 / 6
    d, low, high = newcombe_difference(5, 6, 2, 6)
    assert low == pytest.approx(p1 - p2 - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2))
    assert high == pytest.approx(p1 - p2 + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))
    assert (round(low, 4), round(high, 4)) == (-0.0403, 0.7732)


def test_fewer_than_three_rated_gives_no_share() -> None:
    assert endpoint(2, MIN_RATED - 1).share is None
    assert endpoint(2, MIN_RATED - 1).ci is None
    assert endpoint(2, MIN_RATED).share == pytest.approx(2 / 3)


def test_the_four_levels_and_the_grades() -> None:
    assert [level(p) for p in range(11)] == (
        ["none"] + ["mild"] * 3 + ["moderate"] * 3 + ["severe"] * 4
    )
    assert [grade("midas", t) for t in (0, 5, 6, 10, 11, 20, 21, 270)] == [
        "I", "I", "II", "II", "III", "III", "IV", "IV",
    ]  # fmt: skip
    hit6 = [grade("hit6", t) for t in (36, 49, 50, 55, 56, 59, 60, 78)]
    assert hit6[0] == hit6[1] != hit6[2] == hit6[3] != hit6[4] == hit6[5] != hit6[6] == hit6[7]
    assert grade("pgic", 5) is None


def dose(
    attack: int, number: int, name: str, hours: float = 0, timed: bool = True, **ratings: object
) -> Treatment:
    values: dict[str, object] = {"at_dose": 7, **ratings}
    return Treatment(
        attack_id=attack,
        number=number,
        kind="medication",
        name=name,
        med_class="triptan",
        taken_at=T0 + dt.timedelta(hours=hours),
        timed=timed,
        **values,  # type: ignore[arg-type]
    )


def test_rescue_and_relapse_are_derived() -> None:
    first = dose(1, 1, "suma", pain_2h=0, pain_24h=0, pain_48h=0)
    rescue = dose(1, 2, "ibu", hours=5)
    result = outcome(first, [first, rescue])
    assert result.pain_free_2h is True
    assert result.rescue is True
    assert result.relapse_24h is True  # a later dose is pain again
    assert result.sustained_24h is False
    alone = outcome(first, [first])
    assert (alone.rescue, alone.sustained_24h, alone.sustained_48h) == (False, True, True)
    later = dose(2, 1, "suma", pain_2h=0, pain_24h=3)
    assert outcome(later, [later]).relapse_24h is True
    assert outcome(later, [later]).sustained_48h is False


def test_an_untimed_dose_is_never_part_of_a_rescue_pair_nor_evidence_of_relapse() -> None:
    # Logged without a time it stands at the attack's start, but it cannot be placed in time.
    untimed = dose(1, 1, "ibu", timed=False, pain_2h=0)
    timed = dose(1, 2, "suma", hours=1, pain_2h=0, pain_24h=0, pain_48h=0)
    both = [untimed, timed]
    assert outcome(untimed, both).rescue is None  # not known: it cannot be placed
    assert outcome(untimed, both).relapse_24h is None
    assert outcome(timed, both).rescue is False  # the untimed dose is no rescue of it
    assert outcome(timed, both).relapse_24h is False
    assert outcome(timed, both).sustained_48h is True
    assert [d.rescue_dose for d in dose_ratings(both)] == [False, False]
    rows = {(r.kind, r.name): r for r in treatment_rows(both)}
    assert (rows["medicine", "ibu"].rescue.k, rows["medicine", "ibu"].rescue.n) == (0, 0)
    assert (rows["medicine", "suma"].rescue.k, rows["medicine", "suma"].rescue.n) == (0, 1)
    # A timed dose after the first timed one within 24 hours is still a rescue.
    third = dose(1, 3, "ibu", hours=5)
    assert outcome(timed, [*both, third]).rescue is True
    assert [d.rescue_dose for d in dose_ratings([*both, third])] == [False, False, True]


def test_unrated_doses_count_as_treated_never_as_outcomes() -> None:
    rows = treatment_rows([dose(1, 1, "suma", pain_2h=0), dose(2, 1, "suma"), dose(3, 1, "suma")])
    row = next(r for r in rows if r.kind == "medicine")
    assert (row.attacks, row.unrated_2h) == (3, 2)
    assert (row.pain_free_2h.k, row.pain_free_2h.n) == (1, 1)


def test_relief_counts_only_attacks_that_began_moderate_or_severe() -> None:
    mild = dose(1, 1, "suma", pain_2h=1, at_dose=3)
    severe = dose(2, 1, "suma", pain_2h=3, at_dose=8)
    row = treatment_rows([mild, severe])[0]
    assert (row.relief_2h.k, row.relief_2h.n) == (1, 1)


def test_a_new_attack_within_hours_of_a_pain_free_dose_is_a_relapse_not_a_rescue() -> None:
    # IHS: recurrence within 48 h. Pain-free at 2 h, then a new attack (with its own dose)
    # 10 hours later: relapse within 24 h, sustained pain freedom fails, and no rescue.
    first = dose(1, 1, "suma", pain_2h=0, pain_24h=0, pain_48h=0)
    again = dose(2, 1, "suma", hours=10)
    later = [Later(2, T0 + dt.timedelta(hours=9.5), dose=False), Later(2, again.taken_at)]
    result = outcome(first, [first], later)
    assert (result.relapse_24h, result.sustained_24h, result.sustained_48h) == (True, False, False)
    assert result.rescue is False
    # A new attack alone (no dose) on day 2 breaks 48 h only.
    start = [Later(2, T0 + dt.timedelta(hours=30), dose=False)]
    result = outcome(first, [first], start)
    assert (result.relapse_24h, result.relapse_48h, result.sustained_24h) == (False, True, True)
    rows = {(r.kind, r.name): r for r in treatment_rows([first, again], later)}
    assert rows["medicine", "suma"].relapse == 1
    assert rows["medicine", "suma"].rescue.k == 0


def test_a_dose_of_a_new_attack_within_24_hours_is_a_rescue_when_not_pain_free() -> None:
    first = dose(1, 1, "suma", pain_2h=4)
    again = dose(2, 1, "ibu", hours=10)
    result = outcome(first, [first], [Later(2, again.taken_at)])
    assert (result.rescue, result.relapse_24h) == (True, None)
    assert outcome(first, [first], [Later(2, T0 + dt.timedelta(hours=30))]).rescue is False
    assert (
        outcome(first, [first], [Later(2, T0 + dt.timedelta(hours=1), dose=False)]).rescue is False
    )
