"""Tests for the preventive verdict (issues 6 and 14): the estimate against statsmodels, courses
and their windows, every verdict word, context and cost."""

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
    CourseSpan,
    OtherTreatment,
    PreventiveResult,
    course_spans,
    course_verdicts,
    preventive_verdict,
    rate_ratio,
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
        "first_session",
        "last_session",
        "sessions",
        "verdict",
        "baseline",
        "treatment",
        "treatment_planned_to",
        "change",
        "rate_ratio",
        "percent_change",
        "responder",
        "cost_per_migraine_day_avoided",
        "cost_range",
        "cost_reason",
        "message",
        "context",
    }
    return data


# --- the estimate: one quasi-Poisson rate ratio, checked against statsmodels ---------------


def _statsmodels_fit(base: list[tuple[int, int]], treat: list[tuple[int, int]]) -> object:
    import numpy as np
    import statsmodels.api as sm  # type: ignore[import-untyped]

    weeks = base + treat
    y = np.array([w[0] for w in weeks], dtype=float)
    exposure = np.array([w[1] for w in weeks], dtype=float)
    x = sm.add_constant(np.array([0.0] * len(base) + [1.0] * len(treat)))
    model = sm.GLM(y, x, family=sm.families.Poisson(), offset=np.log(exposure))
    return model.fit(scale="X2", use_t=True)


def test_rate_ratio_matches_statsmodels_quasi_poisson() -> None:
    import numpy as np

    # Over-dispersed weeks (Pearson chi2 / df well above 1), one short week on each side.
    base = [(4, 7), (0, 7), (5, 7), (1, 6), (6, 7), (0, 7), (3, 7), (2, 5)]
    treat = [(1, 7), (0, 7), (3, 7), (0, 7), (2, 4)]
    rate = rate_ratio(base, treat)
    assert rate is not None
    fit = _statsmodels_fit(base, treat)
    assert fit.scale > 1  # type: ignore[attr-defined]
    assert rate.dispersion == pytest.approx(fit.scale, rel=1e-12)  # type: ignore[attr-defined]
    assert rate.estimate == pytest.approx(float(np.exp(fit.params[1])), rel=1e-10)  # type: ignore[attr-defined]
    low, high = np.exp(fit.conf_int(alpha=0.05)[1])  # type: ignore[attr-defined]
    assert rate.ci is not None
    assert rate.ci[0] == pytest.approx(low, rel=1e-8)
    assert rate.ci[1] == pytest.approx(high, rel=1e-8)
    assert rate.p == pytest.approx(float(fit.pvalues[1]), rel=1e-8)  # type: ignore[attr-defined]
    assert rate.weeks == 13


def test_rate_ratio_dispersion_never_below_poisson() -> None:
    import numpy as np
    from scipy import stats

    # Weeks more even than Poisson: chi2 / df < 1, so the Poisson variance is kept.
    base = [(2, 7)] * 8
    treat = [(1, 7), (2, 7), (1, 7), (1, 7)]
    rate = rate_ratio(base, treat)
    assert rate is not None
    assert rate.dispersion == 1.0
    assert _statsmodels_fit(base, treat).scale < 1  # type: ignore[attr-defined]
    se = math.sqrt(1 / 16 + 1 / 5)
    q = stats.t.ppf(0.975, 10)
    assert rate.estimate == pytest.approx((5 / 28) / (16 / 56))
    assert rate.ci == pytest.approx(
        (rate.estimate * np.exp(-q * se), rate.estimate * np.exp(q * se))
    )


def test_rate_ratio_with_no_migraine_day_in_the_treatment_window() -> None:
    from scipy import stats

    rate = rate_ratio([(2, 7)] * 8, [(0, 7)] * 4)
    assert rate is not None
    assert rate.estimate == 0.0
    assert rate.ci is not None
    # Exact (Clopper-Pearson) upper end for 0 of the 16 migraine days in the treatment
    # window, turned into a rate ratio with the exposures (28 against 56 recorded days).
    upper_share = stats.binomtest(0, 16).proportion_ci(method="exact").high
    assert rate.ci[0] == 0.0
    assert rate.ci[1] == pytest.approx(upper_share / (1 - upper_share) * 56 / 28)
    assert rate.p == pytest.approx(stats.binomtest(0, 16, 1 / 3).pvalue)


def test_rate_ratio_with_no_migraine_day_at_baseline_is_unbounded_above() -> None:
    rate = rate_ratio([(0, 7)] * 8, [(3, 7)] * 4)
    assert rate is not None
    assert rate.estimate is None
    assert rate.ci is not None
    assert rate.ci[0] > 1
    assert rate.ci[1] is None


def test_rate_ratio_needs_weeks_on_both_sides() -> None:
    assert rate_ratio([], [(1, 7)]) is None
    assert rate_ratio([(1, 7)], [(1, 7)]) is None
    nothing = rate_ratio([(0, 7)] * 4, [(0, 7)] * 4)
    assert nothing is not None
    assert nothing.ci is None


# --- reference values -------------------------------------------------------------------


def test_reference_values() -> None:
    result = verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER))
    # The whole 8 weeks before count as baseline (both 28-day blocks fully recorded).
    assert (result.baseline.start, result.baseline.end) == (d(-56), d(-1))
    assert result.baseline.recorded_days == 56
    assert result.baseline.migraine_days == 16
    assert result.baseline.mmd == pytest.approx(8.0)
    assert (result.treatment.start, result.treatment.end) == (d(28), d(55))
    assert result.treatment.mmd == pytest.approx(2.0)
    assert result.change == pytest.approx(-6.0)
    assert result.percent_change == pytest.approx(-75.0)
    assert result.responder is True
    assert result.rate is not None
    assert result.rate.estimate == pytest.approx(0.25)
    assert result.rate.dispersion == 1.0
    se = math.sqrt(1 / 16 + 1 / 2)
    from scipy import stats

    q = stats.t.ppf(0.975, 10)
    assert result.rate.ci == pytest.approx((0.25 * math.exp(-q * se), 0.25 * math.exp(q * se)))
    assert result.change_ci == pytest.approx(
        (8 * (0.25 * math.exp(-q * se) - 1), 8 * (0.25 * math.exp(q * se) - 1))
    )
    # 2 migraine days in 28 against 16 in 56 could still be chance: the interval reaches
    # above zero, so a 75% drop on paper is no verdict.
    assert result.verdict == "inconclusive"
    assert "50% drop on paper" in result.message
    assert result.cost_per_migraine_day_avoided is None
    assert result.cost_reason is not None
    assert "8.0 to 2.0" in result.message


STRONG_BEFORE = [3, 2, 3, 3, 2, 3, 3, 3]
STRONG_AFTER = [3, 2, 2, 3, 0, 1, 0, 0]


def test_responder_with_interval_below_zero() -> None:
    result = verdict(diary(STRONG_BEFORE, STRONG_AFTER))
    assert result.baseline.mmd == pytest.approx(11.0)
    assert result.treatment.mmd == pytest.approx(1.0)
    assert result.change_ci is not None
    high = result.change_ci[1]
    assert high is not None
    assert high < 0
    assert result.verdict == "responder"
    # Cost: 140 + 140 in the window over 10 days avoided; the range from the interval.
    assert result.cost_per_migraine_day_avoided == pytest.approx(28.0)
    assert result.cost_range is not None
    low_cost, high_cost = result.cost_range
    assert low_cost is not None
    assert high_cost is not None
    assert low_cost <= 28.0 <= high_cost
    assert high_cost == pytest.approx(280 / -high)
    assert result.cost_reason is None


def test_reference_json() -> None:
    data = assert_json_clean(verdict(diary(STRONG_BEFORE, STRONG_AFTER)))
    assert data["verdict"] == "responder"
    assert data["first_session"] == FIRST.isoformat()
    assert data["last_session"] == LAST.isoformat()
    assert data["baseline"] == {
        "from": d(-56).isoformat(),
        "to": d(-1).isoformat(),
        "recorded_days": 56,
        "migraine_days": 22,
        "mmd": 11.0,
    }
    assert data["treatment"] == {
        "from": d(28).isoformat(),
        "to": d(55).isoformat(),
        "recorded_days": 28,
        "migraine_days": 1,
        "mmd": 1.0,
    }
    change = data["change"]
    assert isinstance(change, dict)
    assert change["estimate"] == pytest.approx(-10.0)
    assert change["ci"][1] < 0
    rate = data["rate_ratio"]
    assert isinstance(rate, dict)
    assert rate["estimate"] == pytest.approx(1 / 11)
    assert data["cost_per_migraine_day_avoided"] == pytest.approx(28.0)
    assert data["context"] == [PLACEBO_CONTEXT]


def test_last_baseline_week_unrecorded() -> None:
    result = verdict(unrecord(diary(REFERENCE_BEFORE, REFERENCE_AFTER), -7, 7))
    assert result.baseline.recorded_days == 49
    assert result.baseline.migraine_days == 15
    assert result.baseline.mmd == pytest.approx(15 / 49 * 28)
    assert result.baseline.enough


# --- the baseline: 28 days, extended back while the diary allows -------------------------


def test_baseline_extends_to_84_days_at_most() -> None:
    days = {**weeks([1] * 16, -112), **weeks(REFERENCE_AFTER, 0)}
    result = verdict(days)
    assert (result.baseline.start, result.baseline.end) == (d(-84), d(-1))
    assert result.baseline.recorded_days == 84


def test_baseline_stops_at_a_block_with_too_few_days() -> None:
    days = unrecord({**weeks([1] * 12, -84), **weeks(REFERENCE_AFTER, 0)}, -56, 8)
    result = verdict(days)
    assert (result.baseline.start, result.baseline.end) == (d(-28), d(-1))


def test_baseline_stays_clear_of_an_earlier_course() -> None:
    days = {**weeks([1] * 12, -84), **weeks(REFERENCE_AFTER, 0)}
    result = preventive_verdict(
        days,
        first_session=FIRST,
        last_session=LAST,
        today=AFTER_TREATMENT,
        session_costs=[],
        blocked=[(d(-120), d(-40))],
    )
    assert (result.baseline.start, result.baseline.end) == (d(-28), d(-1))


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
def test_too_early_until_28_treatment_days(today: date) -> None:
    result = verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER), today=today)
    assert result.verdict == "too_early"
    assert d(55).isoformat() in result.message
    assert result.change is None
    assert result.rate is None
    assert_json_clean(result)


def test_verdict_arrives_the_day_after_28_treatment_days() -> None:
    result = verdict(diary(STRONG_BEFORE, STRONG_AFTER), today=d(56))
    assert result.verdict == "responder"
    assert result.treatment.end == d(55)
    # The last session falls on day 50, so the window runs on to 28 days after it.
    assert result.planned_end == d(77)
    assert "runs on to " + d(77).isoformat() in result.message


def test_treatment_window_never_past_today() -> None:
    result = verdict(diary(STRONG_BEFORE, STRONG_AFTER), today=d(70))
    assert result.treatment.end == d(69)


def test_treatment_window_of_a_short_course_is_days_29_to_56() -> None:
    result = verdict(diary(STRONG_BEFORE, STRONG_AFTER), last_session=d(20), today=d(200))
    assert (result.treatment.start, result.treatment.end) == (d(28), d(55))
    assert result.planned_end == d(55)
    assert "runs on" not in result.message


def test_treatment_window_ends_on_day_112_at_the_latest() -> None:
    result = verdict({}, last_session=d(100), today=d(300))
    assert result.planned_end == d(111)


def test_not_enough_treatment_days() -> None:
    result = verdict(unrecord(diary(REFERENCE_BEFORE, REFERENCE_AFTER), 41, 13), last_session=d(20))
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
    # A 40% drop needs many weeks to be told from chance: 12 weeks a side.
    days = {**weeks([5] * 12, -84), **weeks([5] * 4 + [3] * 12, 0)}
    result = verdict(days, last_session=d(84), today=d(112))
    assert (result.treatment.start, result.treatment.end) == (d(28), d(111))
    assert result.baseline.mmd == pytest.approx(20.0)
    assert result.treatment.mmd == pytest.approx(12.0)
    assert result.responder is False
    assert result.change_ci is not None
    high = result.change_ci[1]
    assert high is not None
    assert high < 0
    assert result.verdict == "improved"
    assert "short of the 50% drop" in result.message


def test_worse() -> None:
    result = verdict(diary([1, 0, 1, 1, 0, 1, 1, 0], [2, 3, 2, 3, 2, 3, 3, 2]))
    assert result.change_ci is not None
    low = result.change_ci[0]
    assert low is not None
    assert low > 0
    assert result.verdict == "worse"
    assert "rose from 2.5 to 10.0" in result.message
    assert result.cost_per_migraine_day_avoided is None


def test_inconclusive_even_when_mmd_halved() -> None:
    result = verdict(diary([6, 0, 6, 0, 0, 2, 0, 6], [6, 6, 6, 0, 1, 1, 1, 1]))
    assert result.baseline.mmd == pytest.approx(10.0)
    assert result.treatment.mmd == pytest.approx(4.0)
    assert result.responder is True
    assert result.rate is not None
    assert result.rate.dispersion > 1  # the lumpy weeks widen the interval
    assert result.change_ci is not None
    low, high = result.change_ci
    assert low is not None
    assert high is not None
    assert low < 0 < high
    assert result.verdict == "inconclusive"
    assert "could be chance" in result.message
    assert "50% drop on paper" in result.message


def test_inconclusive_small_change() -> None:
    result = verdict(diary([2, 3, 2, 2, 3, 2, 2, 3], [2, 2, 3, 1, 2, 2, 3, 2]))
    assert result.responder is False
    assert result.verdict == "inconclusive"
    assert "could be chance" in result.message


def test_no_migraine_day_in_the_treatment_window_is_a_responder() -> None:
    result = verdict(diary([2] * 8, [0] * 8))
    assert result.change == pytest.approx(-8.0)
    assert result.change_ci is not None
    assert result.change_ci[0] == pytest.approx(-8.0)
    assert result.verdict == "responder"


def test_doubling_from_few_days_could_be_chance() -> None:
    result = verdict(diary([1] * 8, [2] * 8))
    assert result.verdict == "inconclusive"


def test_no_migraine_day_at_baseline() -> None:
    result = verdict(diary([0] * 8, [0] * 8))
    assert result.baseline.mmd == 0.0
    assert result.percent_change is None
    assert result.responder is False
    assert result.cost_per_migraine_day_avoided is None
    assert result.verdict == "inconclusive"
    data = assert_json_clean(result)
    assert data["percent_change"] is None

    worse = verdict(diary([0] * 8, [0, 0, 0, 0, 3, 3, 3, 3]))
    assert worse.change_ci is None
    assert worse.verdict == "worse"


# --- days ------------------------------------------------------------------------------


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


def test_last_session_before_first_is_rejected() -> None:
    with pytest.raises(ValueError, match="last_session"):
        verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER), last_session=d(-1))


# --- courses ----------------------------------------------------------------------------


def test_courses_split_at_gaps_over_28_days() -> None:
    spans = course_spans([d(0), d(28), d(56), d(85), d(90)])
    assert spans == [CourseSpan(d(0), d(56), 3), CourseSpan(d(85), d(90), 2)]


def test_each_course_gets_its_own_baseline_newest_first() -> None:
    # Course 1 from day 0 (sessions to day 21), course 2 from day 200 (to day 214).
    days = {
        **weeks([3] * 8, -56),
        **weeks([3, 3, 3, 3, 1, 0, 1, 0, 1, 1, 1, 1], 0),
        **weeks([1] * 12, 88),
        **weeks([2] * 4, 172),
        **weeks([2, 2, 2, 2, 2, 2, 2, 2], 200),
    }
    costs = [(d(i), Decimal(50)) for i in (0, 7, 14, 21, 200, 207, 214)]
    first, *rest = course_verdicts(days, session_costs=costs, today=d(300))
    assert len(rest) == 1
    second = rest[0]
    assert (first.first_session, first.last_session, first.sessions) == (d(200), d(214), 3)
    assert (second.first_session, second.last_session, second.sessions) == (d(0), d(21), 4)
    # The later course's baseline reaches back only through blocks clear of the first one's
    # run-in and treatment (days 0-55) with enough diary: days 116-199.
    assert (first.baseline.start, first.baseline.end) == (d(116), d(199))
    assert (first.treatment.start, first.treatment.end) == (d(228), d(255))
    assert (second.baseline.start, second.baseline.end) == (d(-56), d(-1))
    assert second.verdict == "responder"
    assert second.cost_per_migraine_day_avoided == 0  # no session in its treatment window
    assert first.cost_per_migraine_day_avoided is None


# --- never "improved" while the days did not fall ---------------------------------------


day_status = st.one_of(
    st.none(),
    st.builds(Day, recorded=st.just(True), migraine=st.booleans()),
    st.builds(Day, recorded=st.just(False), migraine=st.booleans()),
)


@settings(max_examples=150, deadline=None)
@given(
    statuses=st.lists(day_status, min_size=170, max_size=170),
    today_offset=st.integers(min_value=-10, max_value=120),
    last=st.integers(min_value=0, max_value=80),
)
def test_words_never_contradict_the_figures(
    statuses: list[Day | None], today_offset: int, last: int
) -> None:
    days = {d(-84 + i): s for i, s in enumerate(statuses) if s is not None}
    result = verdict(days, today=d(today_offset), last_session=d(last))
    assert result.verdict in VERDICTS
    data = assert_json_clean(result)
    b, t = result.baseline.mmd, result.treatment.mmd
    if result.verdict in ("improved", "responder"):
        assert b is not None
        assert t is not None
        assert t < b
        assert result.change_ci is not None
        assert result.change_ci[1] is not None
        assert result.change_ci[1] < 0
    else:
        assert result.cost_per_migraine_day_avoided is None
        assert data["cost_range"] is None
    if result.verdict == "worse":
        assert b is not None
        assert t is not None
        assert t > b
    if b is not None and t is not None and t >= b:
        assert "improved" not in result.message
        assert "fewer" not in result.message
    if result.change_ci is not None and result.change is not None:
        low, high = result.change_ci
        assert low is None or low <= result.change + 1e-9
        assert high is None or result.change <= high + 1e-9


def test_verdict_words_in_render_follow_the_interval() -> None:
    from migraine_diary.render.stats import PREVENTIVE_WORDS

    assert PREVENTIVE_WORDS["improved"] == "fewer days"
    result = verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER))
    assert PREVENTIVE_WORDS[result.verdict] == "could be chance"


# --- context ----------------------------------------------------------------------------


def test_placebo_benchmark_always_shown() -> None:
    result = verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER))
    assert result.context[0] == PLACEBO_CONTEXT
    assert "23.5%" in PLACEBO_CONTEXT
    assert "17%" in PLACEBO_CONTEXT


def test_regression_to_the_mean_shows_both_changes() -> None:
    days = {**diary(REFERENCE_BEFORE, REFERENCE_AFTER), **weeks([1, 1, 1, 0], -84)}
    result = verdict(days)
    # Months before the first session: -84..-57 MMD 3, -56..-29 MMD 8, -28..-1 MMD 8: a tie.
    assert not any("regression to the mean" in c for c in result.context)

    days = {**diary([1, 1, 1, 1, 2, 3, 2, 1], REFERENCE_AFTER), **weeks([1, 1, 1, 0], -84)}
    result = verdict(days)
    sentence = [c for c in result.context if "regression to the mean" in c]
    assert len(sentence) == 1
    assert "three" in sentence[0]
    assert "8.0" in sentence[0]
    # Baseline -84..-1: 3 + 4 + 8 = 15 migraine days in 84, MMD 5.0; treatment 2.0.
    assert "against the whole baseline the change is -3.0" in sentence[0]
    assert "against the last 28 days alone -6.0" in sentence[0]


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
        OtherTreatment("propranolol", d(-100), d(-28)),  # inside the baseline
        OtherTreatment("acupuncture", d(50), d(80)),  # inside the treatment window
        OtherTreatment("magnesium", d(-60), d(60)),  # both windows
        OtherTreatment("massage", d(0), d(27)),  # run-in month only
        OtherTreatment("riboflavin", d(-200), d(-57)),  # ended the day before the baseline
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


def test_cost_none_when_days_rose() -> None:
    result = verdict(diary(REFERENCE_AFTER, REFERENCE_BEFORE))
    assert result.change is not None
    assert result.change > 0
    assert result.cost_per_migraine_day_avoided is None
    assert preventive_json(result)["cost_per_migraine_day_avoided"] is None


def test_cost_none_when_inconclusive_even_if_days_fell() -> None:
    result = verdict(diary(REFERENCE_BEFORE, REFERENCE_AFTER))
    assert result.change is not None
    assert result.change < 0
    assert result.verdict == "inconclusive"
    assert result.cost_per_migraine_day_avoided is None
    assert result.cost_reason is not None
    assert "improved or responder" in result.cost_reason


def test_cost_counts_only_treatment_window_sessions() -> None:
    costs = [(d(27), Decimal("1000")), (d(30), Decimal("60.50")), (d(56), Decimal("1000"))]
    result = verdict(diary(STRONG_BEFORE, STRONG_AFTER), costs=costs)
    assert result.cost_per_migraine_day_avoided == pytest.approx(60.5 / 10)
