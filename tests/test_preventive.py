"""Tests for the preventive verdict (issue 6): reference values, every verdict word, context."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migraine_diary.analysis.preventive import (
    PLACEBO_CONTEXT,
    VERDICTS,
    OtherTreatment,
    PreventiveResult,
    preventive_verdict,
    weekly_comparison,
    window_stats,
)
from migraine_diary.render.json import preventive_json

FIRST = date(2024, 3, 4)
LAST = FIRST + timedelta(days=49)
AFTER_TREATMENT = FIRST + timedelta(days=56)  # first day the treatment window is over
REFERENCE_BEFORE = [2, 3, 1, 2, 2, 3, 2, 1]
REFERENCE_AFTER = [2, 1, 1, 1, 0, 1, 1, 0]


@dataclass(frozen=True)
class Day:
    """A day status as the attack diary would give it."""

    recorded: bool
    migraine: bool


def d(offset: int) -> date:
    """The date ``offset`` days from the first session."""
    return FIRST + timedelta(days=offset)


def weeks(counts: list[int], start: int) -> dict[date, Day]:
    """Fully recorded weeks from day ``start``: k migraine days, then 7 - k free days."""
    days: dict[date, Day] = {}
    for i, k in enumerate(counts):
        for j in range(7):
            days[d(start + 7 * i + j)] = Day(recorded=True, migraine=j < k)
    return days


def diary(before: list[int], after: list[int]) -> dict[date, Day]:
    """8 weeks before the first session and 8 weeks from it."""
    return {**weeks(before, -56), **weeks(after, 0)}


def unrecord(days: dict[date, Day], start: int, count: int) -> dict[date, Day]:
    """Drop ``count`` days from day ``start``: they become unknown, not migraine-free."""
    out = dict(days)
    for offset in range(start, start + count):
        out.pop(d(offset), None)
    return out


REFERENCE_COSTS = [
    (d(0), Decimal("99")),  # run-in month: not in the treatment window
    (d(28), Decimal("140")),
    (d(55), Decimal("140")),
    (d(56), Decimal("99")),  # the day after the treatment window
]


def verdict(
    days: dict[date, Day],
    *,
    today: date = AFTER_TREATMENT,
    last_session: date = LAST,
    costs: list[tuple[date, Decimal]] | None = None,
    others: tuple[OtherTreatment, ...] = (),
) -> PreventiveResult:
    """Run the verdict with the test's defaults."""
    return preventive_verdict(
        days,
        first_session=FIRST,
        last_session=last_session,
        today=today,
        session_costs=REFERENCE_COSTS if costs is None else costs,
        other_treatments=others,
    )


def assert_json_clean(result: PreventiveResult) -> dict[str, object]:
    """The JSON must serialise without NaN or infinity and keep the issue's keys."""
    data = preventive_json(result)
    json.dumps(data, allow_nan=False)
    assert set(data) == {
        "verdict",
        "baseline",
        "treatment",
        "after",
        "change",
        "percent_change",
        "responder",
        "weekly",
        "cost_per_migraine_day_avoided",
        "message",
        "context",
    }
    return data


# --- reference values -------------------------------------------------------------------


def test_reference_values() -> None:
    result = verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER))
    assert result.baseline.recorded_days == 28
    assert result.baseline.migraine_days == 8
    assert result.baseline.mmd == pytest.approx(8.0, abs=1e-6)
    assert result.treatment.mmd == pytest.approx(2.0, abs=1e-6)
    assert result.change == pytest.approx(-6.0, abs=1e-6)
    assert result.percent_change == pytest.approx(-75.0, abs=1e-6)
    assert result.responder is True
    assert result.verdict == "responder"
    assert result.weekly.change == pytest.approx(-4.5, abs=1e-6)
    assert result.weekly.ci is not None
    assert result.weekly.ci[0] == pytest.approx(-7.513551, abs=1e-6)
    assert result.weekly.ci[1] == pytest.approx(-1.486449, abs=1e-6)
    assert result.weekly.p == pytest.approx(0.017716, abs=1e-6)
    assert (result.weekly.weeks_before, result.weekly.weeks_after) == (8, 8)
    assert result.cost_per_migraine_day_avoided == pytest.approx(46.666667, abs=1e-6)
    assert "8.0 to 2.0" in result.message
    assert "-75%" in result.message


def test_reference_json() -> None:
    data = assert_json_clean(verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER)))
    assert data["verdict"] == "responder"
    assert data["baseline"] == {"recorded_days": 28, "migraine_days": 8, "mmd": 8.0}
    assert data["treatment"] == {"recorded_days": 28, "migraine_days": 2, "mmd": 2.0}
    assert data["after"] is None
    weekly = data["weekly"]
    assert isinstance(weekly, dict)
    assert weekly["change"] == pytest.approx(-4.5)
    assert weekly["ci"] == pytest.approx([-7.513551, -1.486449], abs=1e-6)
    assert weekly["p"] == pytest.approx(0.017716, abs=1e-6)
    assert data["cost_per_migraine_day_avoided"] == pytest.approx(46.666667, abs=1e-6)
    assert data["context"] == [PLACEBO_CONTEXT]


def test_last_baseline_week_unrecorded() -> None:
    result = verdict(unrecord(diary(REFERENCE_BEFORE, REFERENCE_AFTER), -7, 7))
    assert result.baseline.recorded_days == 21
    assert result.baseline.migraine_days == 7
    assert result.baseline.mmd == pytest.approx(9.333333, abs=1e-6)
    assert result.baseline.enough


# --- verdict words, in the order ------------------------------------------------


def test_not_enough_baseline_days() -> None:
    result = verdict(unrecord(diary(REFERENCE_BEFORE, REFERENCE_AFTER), -8, 8))
    assert result.baseline.recorded_days == 20
    assert result.baseline.mmd is None
    assert not result.baseline.enough
    assert result.verdict == "not_enough_data"
    assert "baseline window" in result.message
    assert "20 recorded days" in result.message
    assert result.change is None
    assert result.cost_per_migraine_day_avoided is None
    assert_json_clean(result)


def test_baseline_checked_before_too_early() -> None:
    result = verdict(unrecord(diary(REFERENCE_BEFORE, REFERENCE_AFTER), -28, 28), today=d(10))
    assert result.verdict == "not_enough_data"
    assert "baseline" in result.message


@pytest.mark.parametrize("today", [d(10), d(55)])
def test_too_early_until_treatment_window_ends(today: date) -> None:
    result = verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER), today=today)
    assert result.verdict == "too_early"
    assert d(55).isoformat() in result.message
    assert_json_clean(result)


def test_verdict_arrives_the_day_after_treatment_window() -> None:
    assert verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER), today=d(56)).verdict == "responder"


def test_too_early_has_no_interval_with_one_week() -> None:
    days = {**weeks(REFERENCE_BEFORE, -56), **weeks([2], 0)}
    result = verdict(days, today=d(7))
    assert result.verdict == "too_early"
    assert result.weekly.ci is None
    assert result.weekly.p is None
    assert result.weekly.no_interval_reason is not None
    assert "fewer than two weeks" in result.weekly.no_interval_reason
    data = assert_json_clean(result)
    assert data["weekly"] == {
        "change": pytest.approx((2 - 2) * 4),
        "ci": None,
        "p": None,
        "weeks_before": 8,
        "weeks_after": 1,
    }


def test_not_enough_treatment_days() -> None:
    result = verdict(unrecord(diary(REFERENCE_BEFORE, REFERENCE_AFTER), 41, 13))
    assert result.treatment.recorded_days == 15
    assert result.treatment.mmd is None
    assert result.verdict == "not_enough_data"
    assert "treatment window" in result.message
    assert "only 15 recorded days" in result.message
    assert d(28).isoformat() in result.message
    assert result.change is None
    assert result.responder is None
    assert_json_clean(result)


def test_improved() -> None:
    result = verdict(diary([3, 3, 2, 3, 3, 2, 3, 3], [2, 2, 1, 2, 2, 2, 1, 2]))
    assert result.baseline.mmd == pytest.approx(11.0)
    assert result.treatment.mmd == pytest.approx(7.0)
    assert result.responder is False
    assert result.weekly.ci is not None
    assert result.weekly.ci[1] < 0
    assert result.verdict == "improved"
    assert "short of the 50% drop" in result.message


def test_worse() -> None:
    result = verdict(diary([1, 0, 1, 1, 0, 1, 1, 0], [2, 3, 2, 3, 2, 3, 3, 2]))
    assert result.weekly.ci is not None
    assert result.weekly.ci[0] > 0
    assert result.verdict == "worse"
    assert "rose from 2.0 to 10.0" in result.message
    assert result.cost_per_migraine_day_avoided is None


def test_inconclusive_even_when_mmd_halved() -> None:
    result = verdict(diary([6, 0, 6, 0, 0, 2, 0, 6], [6, 6, 6, 0, 1, 1, 1, 1]))
    assert result.baseline.mmd == pytest.approx(8.0)
    assert result.treatment.mmd == pytest.approx(4.0)
    assert result.responder is True
    assert result.weekly.ci is not None
    assert result.weekly.ci[0] < 0 < result.weekly.ci[1]
    assert result.verdict == "inconclusive"
    assert "could be chance" in result.message
    assert "50% drop on paper" in result.message


def test_inconclusive_small_change() -> None:
    result = verdict(diary([2, 3, 2, 2, 3, 2, 2, 3], [2, 2, 3, 1, 2, 2, 3, 2]))
    assert result.responder is False
    assert result.verdict == "inconclusive"
    assert "could be chance" in result.message


# --- no interval: decide by the 28-day change alone -------------------------------------


def test_no_interval_responder() -> None:
    result = verdict(diary([2] * 8, [0] * 8))
    assert result.weekly.ci is None
    assert result.weekly.change == pytest.approx(-8.0)
    assert result.verdict == "responder"
    assert "no weekly interval because the weekly counts did not vary" in result.message


def test_no_interval_worse() -> None:
    result = verdict(diary([1] * 8, [2] * 8))
    assert result.weekly.ci is None
    assert result.verdict == "worse"
    assert "no weekly interval" in result.message


def test_no_interval_inconclusive_when_lower_but_not_halved() -> None:
    result = verdict(diary([3] * 8, [2] * 8))
    assert result.treatment.mmd == pytest.approx(8.0)
    assert result.baseline.mmd == pytest.approx(12.0)
    assert result.verdict == "inconclusive"
    assert "no weekly interval" in result.message


def test_no_interval_every_week_alike() -> None:
    result = verdict(diary([2] * 8, [2] * 8))
    assert result.weekly.ci is None
    assert result.weekly.p == pytest.approx(1.0)
    assert result.verdict == "inconclusive"
    assert "every counted week had the same number" in result.message
    assert result.cost_per_migraine_day_avoided is None
    assert_json_clean(result)


def test_baseline_without_migraine_days() -> None:
    result = verdict(diary([0] * 8, [0] * 8))
    assert result.baseline.mmd == 0.0
    assert result.percent_change is None
    assert result.responder is False
    assert result.cost_per_migraine_day_avoided is None
    assert result.verdict == "inconclusive"
    data = assert_json_clean(result)
    assert data["percent_change"] is None


def test_weekly_comparison_needs_two_weeks_a_side() -> None:
    days = {**weeks([1], -7), **weeks([2, 2, 3], 0)}
    weekly = weekly_comparison(days, FIRST)
    assert (weekly.weeks_before, weekly.weeks_after) == (1, 3)
    assert weekly.ci is None
    assert weekly.p is None
    assert weekly.change == pytest.approx((7 / 3 - 1) * 4)


def test_weekly_comparison_without_data() -> None:
    weekly = weekly_comparison({}, FIRST)
    assert weekly.change is None
    assert weekly.ci is None
    assert weekly.no_interval_reason is not None


# --- week rule, windows, after window ---------------------------------------------------


def test_week_with_four_recorded_days_is_left_out_not_replaced() -> None:
    days = diary(REFERENCE_BEFORE, REFERENCE_AFTER)
    days.update(weeks([7], -63))  # an earlier week that must not stand in
    # The first week before (k=2) keeps only 4 recorded days: both migraine days and 2 free.
    days = unrecord(days, -56 + 4, 3)
    weekly = weekly_comparison(days, FIRST)
    assert weekly.weeks_before == 7
    assert weekly.before == (3, 1, 2, 2, 3, 2, 1)
    mean_before = sum(REFERENCE_BEFORE[1:]) / 7
    mean_after = sum(REFERENCE_AFTER) / 8
    assert weekly.change == pytest.approx((mean_after - mean_before) * 4)


def test_week_with_five_recorded_days_counts_scaled_to_seven() -> None:
    days = unrecord(diary(REFERENCE_BEFORE, REFERENCE_AFTER), -56 + 5, 2)
    weekly = weekly_comparison(days, FIRST)
    assert weekly.weeks_before == 8
    assert weekly.before[0] == pytest.approx(2 / 5 * 7)


def test_missing_days_are_unknown_not_free() -> None:
    days = {d(i): Day(recorded=True, migraine=i % 2 == 0) for i in range(21)}
    stats = window_stats(days, d(0), d(27))
    assert stats.recorded_days == 21
    assert stats.migraine_days == 11
    assert stats.mmd == pytest.approx(11 / 21 * 28)


def test_unrecorded_migraine_flag_is_ignored() -> None:
    days = {d(i): Day(recorded=i < 21, migraine=True) for i in range(28)}
    stats = window_stats(days, d(0), d(27))
    assert stats.migraine_days == 21


def test_after_window_not_yet() -> None:
    result = verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER), today=LAST + timedelta(days=28))
    assert result.after is None
    assert (LAST + timedelta(days=28)).isoformat() in result.message
    assert preventive_json(result)["after"] is None


def test_after_window_computed() -> None:
    days = {**diary(REFERENCE_BEFORE, REFERENCE_AFTER), **weeks([1, 2, 0, 1], 56)}
    result = verdict(days, last_session=d(55), today=d(84))
    assert result.after is not None
    assert (result.after.start, result.after.end) == (d(56), d(83))
    assert result.after.recorded_days == 28
    assert result.after.migraine_days == 4
    assert result.after.mmd == pytest.approx(4.0)
    assert result.treatment.mmd == pytest.approx(2.0)
    assert "after the last session it was 4.0 per 28 days" in result.message
    data = assert_json_clean(result)
    assert data["after"] == {"recorded_days": 28, "migraine_days": 4, "mmd": 4.0}


def test_after_window_waits_until_it_is_over() -> None:
    days = {**diary(REFERENCE_BEFORE, REFERENCE_AFTER), **weeks([1, 2, 0, 1], 56)}
    assert verdict(days, last_session=d(55), today=d(83)).after is None


def test_after_window_with_too_few_days() -> None:
    result = verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER), today=LAST + timedelta(days=60))
    assert result.after is not None
    assert result.after.recorded_days == 6  # days 50-55 of the course
    assert result.after.mmd is None
    assert "only 6 recorded days" in result.message


def test_last_session_before_first_is_rejected() -> None:
    with pytest.raises(ValueError, match="last_session"):
        verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER), last_session=d(-1))


# --- context ----------------------------------------------------------------------------


def test_placebo_benchmark_always_shown() -> None:
    result = verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER))
    assert result.context[0] == PLACEBO_CONTEXT
    assert "23.5%" in PLACEBO_CONTEXT
    assert "17%" in PLACEBO_CONTEXT


def test_regression_to_the_mean_when_baseline_worst() -> None:
    days = {**diary(REFERENCE_BEFORE, REFERENCE_AFTER), **weeks([1, 1, 1, 0], -84)}
    result = verdict(days)
    # Windows before the first session: -84..-57 MMD 3, -56..-29 MMD 8, baseline 8: a tie.
    assert not any("regression to the mean" in c for c in result.context)

    days = {**diary([1, 1, 1, 1, 2, 3, 2, 1], REFERENCE_AFTER), **weeks([1, 1, 1, 0], -84)}
    result = verdict(days)
    sentence = [c for c in result.context if "regression to the mean" in c]
    assert len(sentence) == 1
    assert "three" in sentence[0]
    assert "8.0" in sentence[0]


def test_regression_to_the_mean_with_two_windows() -> None:
    days = diary([1, 1, 1, 1, 2, 3, 2, 1], REFERENCE_AFTER)
    result = verdict(days)
    sentence = [c for c in result.context if "regression to the mean" in c]
    assert len(sentence) == 1
    assert "two" in sentence[0]


def test_no_regression_warning_without_an_earlier_window() -> None:
    days = diary(REFERENCE_BEFORE, REFERENCE_AFTER)
    days = unrecord(days, -56, 28)  # the month before the baseline is unknown
    result = verdict(days)
    assert result.baseline.mmd == pytest.approx(8.0)
    assert not any("regression to the mean" in c for c in result.context)


def test_no_regression_warning_when_earlier_month_worse() -> None:
    days = diary([4, 4, 4, 4, 2, 3, 2, 1], REFERENCE_AFTER)
    assert not any("regression to the mean" in c for c in verdict(days).context)


def test_overlapping_treatments_named() -> None:
    others = (
        OtherTreatment("propranolol", d(-100), d(-28)),  # last day inside the baseline
        OtherTreatment("acupuncture", d(50), d(80)),  # inside the treatment window
        OtherTreatment("magnesium", d(-60), d(60)),  # both windows
        OtherTreatment("massage", d(0), d(27)),  # run-in month only
        OtherTreatment("riboflavin", d(-200), d(-29)),  # ended the day before the baseline
    )
    result = verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER), others=others)
    text = " ".join(result.context)
    assert "propranolol was also in use during the baseline window" in text
    assert "acupuncture was also in use during the treatment window" in text
    assert "magnesium was also in use during the baseline and treatment windows" in text
    assert "massage" not in text
    assert "riboflavin" not in text


def test_same_treatment_twice_named_once() -> None:
    others = (
        OtherTreatment("propranolol", d(-20), d(-15)),
        OtherTreatment("propranolol", d(-10), d(-5)),
    )
    result = verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER), others=others)
    named = [c for c in result.context if "propranolol" in c]
    assert named == [
        "propranolol was also in use during the baseline window, so the comparison reflects "
        "it as well as this therapy."
    ]


# --- cost -------------------------------------------------------------------------------


def test_cost_none_when_nothing_avoided() -> None:
    result = verdict(diary(REFERENCE_AFTER, REFERENCE_BEFORE))
    assert result.change is not None
    assert result.change > 0
    assert result.cost_per_migraine_day_avoided is None
    assert preventive_json(result)["cost_per_migraine_day_avoided"] is None


def test_cost_counts_only_treatment_window_sessions() -> None:
    costs = [(d(27), Decimal("1000")), (d(30), Decimal("60.50")), (d(56), Decimal("1000"))]
    result = verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER), costs=costs)
    assert result.cost_per_migraine_day_avoided == pytest.approx(60.5 / 6)


# --- JSON -------------------------------------------------------------------------------

day_status = st.one_of(
    st.none(),
    st.builds(Day, recorded=st.just(True), migraine=st.booleans()),
    st.builds(Day, recorded=st.just(False), migraine=st.booleans()),
)


@settings(max_examples=60, deadline=None)
@given(
    statuses=st.lists(day_status, min_size=140, max_size=140),
    today_offset=st.integers(min_value=-10, max_value=120),
)
def test_json_never_has_nan(statuses: list[Day | None], today_offset: int) -> None:
    days = {d(-84 + i): s for i, s in enumerate(statuses) if s is not None}
    result = verdict(days, today=d(today_offset))
    assert result.verdict in VERDICTS
    data = assert_json_clean(result)
    weekly = data["weekly"]
    assert isinstance(weekly, dict)
    for value in (data["change"], data["percent_change"], weekly["change"], weekly["p"]):
        assert value is None or (isinstance(value, float) and math.isfinite(value))
    if weekly["ci"] is not None:
        assert weekly["ci"][0] <= weekly["ci"][1]
