"""Acute and preventive verdicts through the real CLI (`stats`, `verdict`), and the pure
acute verdict."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from scipy import stats  # type: ignore[import-untyped]

from conftest import Cli, from_template, typed_once
from migraine_diary.analysis.stats import SessionPoint, acute_verdict

pytestmark = pytest.mark.both_engines

FIRST = dt.date(2026, 6, 1)
BEFORE = [3, 2, 3, 3, 2, 3, 3, 3]  # migraine days per week, the 8 weeks before the course
FROM = [3, 2, 2, 3, 0, 1, 0, 0, 0, 0, 0]  # and the 11 weeks from its first session


def reference_course(cli: Cli) -> None:
    """A reference diary: every day recorded, k migraine days then 7 - k free days each week;
    one session on the first day, four costing 280 in the treatment window, which runs from
    day 29 to 28 days after the last session (day 78)."""
    cli.ok("kept", str(FIRST - dt.timedelta(days=56)), str(FIRST + dt.timedelta(days=77)))
    for week, k in enumerate(BEFORE + FROM):
        start = FIRST - dt.timedelta(days=56) + dt.timedelta(days=7 * week)
        for offset in range(k):
            day = start + dt.timedelta(days=offset)
            cli.ok("attack", "log", "--when", f"{day} 10:00", "--hours", "2", "--peak", "6")
    cli.log("craniosacral", when=f"{FIRST} 16:00", cost=100, pain_before=5, pain_after=4)
    for offset in (28, 35, 42, 49):
        day = FIRST + dt.timedelta(days=offset)
        cli.log("craniosacral", when=f"{day} 16:00", cost=70, pain_before=5, pain_after=4)


@pytest.fixture(scope="module")
def reference_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference diary, typed once (130 records take seconds a test)."""
    return typed_once(tmp_path_factory.mktemp("reference"), reference_course)


@pytest.fixture
def reference(cli: Cli, reference_template: Path) -> Cli:
    """The test's diary holding the reference course (test_attacks and test_engines prove
    typing on PostgreSQL)."""
    return from_template(cli, reference_template)


def test_reference_values_through_stats_json(reference: Cli) -> None:
    cli = reference
    (therapy,) = cli.json("stats", "craniosacral")["therapies"]
    prevention = therapy["preventive"]
    assert prevention["verdict"] == "responder"
    assert prevention["first_session"] == "2026-06-01"
    assert prevention["last_session"] == "2026-07-20"
    assert prevention["sessions"] == 5
    assert prevention["baseline"] == {
        "from": "2026-04-06",
        "to": "2026-05-31",
        "recorded_days": 56,
        "migraine_days": 22,
        "mmd": 11.0,
    }
    assert prevention["treatment"] == {
        "from": "2026-06-29",
        "to": "2026-08-17",
        "recorded_days": 50,
        "migraine_days": 1,
        "mmd": pytest.approx(28 / 50),
    }
    change = 28 / 50 - 11
    assert prevention["change"]["estimate"] == pytest.approx(change)
    low, high = prevention["change"]["ci"]
    assert low <= change <= high < 0
    rate_low, rate_high = prevention["rate_ratio"]["ci"]
    assert prevention["rate_ratio"]["estimate"] == pytest.approx((1 / 50) / (22 / 56))
    assert low == pytest.approx(11 * (rate_low - 1))
    assert high == pytest.approx(11 * (rate_high - 1))
    assert prevention["percent_change"] == pytest.approx(change / 11 * 100)
    assert prevention["responder"] is True
    avoided = -change * 50 / 28
    assert prevention["cost_per_migraine_day_avoided"] == pytest.approx(280 / avoided)
    assert prevention["cost_range"] == pytest.approx(
        [280 / (-low * 50 / 28), 280 / (-high * 50 / 28)]
    )
    assert therapy["courses"] == [prevention]
    # Five sessions that all eased pain by 1: the exact sign test gives p = 0.0625, not enough.
    assert therapy["acute"]["verdict"] == "no_clear_effect"
    assert therapy["acute"]["relief"]["n"] == 5
    assert therapy["acute"]["relief"]["sign_p"] == pytest.approx(0.0625)


def test_stats_text_and_verdict_show_the_preventive_verdict(reference: Cli) -> None:
    cli = reference
    text = cli.ok("stats", "craniosacral").stdout
    assert "Preventive? halved (responder)" in text
    assert "responder:" not in text
    assert "Migraine days fell from 11.0 to 0.6 per 28 days (-95%)" in text
    assert "23.5% of patients on placebo" in text
    line = next(x for x in cli.ok("verdict").stdout.splitlines() if x.startswith("craniosacral"))
    assert " ".join(line.split()) == (
        "craniosacral 5 no clear effect +1.0 (n 5) halved (responder) -10.4/28d 380.00"
    )
    (entry,) = cli.json("verdict")
    assert entry["preventive"]["verdict"] == "responder"
    assert entry["acute"]["verdict"] == "no_clear_effect"
    assert entry["total_cost"] == "380.00"


def test_session_filters_do_not_cut_the_course(reference: Cli) -> None:
    cli = reference
    (therapy,) = cli.json("stats", "craniosacral", "--since", "2026-07-01")["therapies"]
    assert therapy["sessions"] == 3  # the figures cover the period asked for...
    assert therapy["preventive"]["verdict"] == "responder"  # ...the course is judged whole


def test_without_an_attack_diary_prevention_is_not_enough_data(cli: Cli) -> None:
    cli.log("massage", when="2026-10-01")
    (therapy,) = cli.json("stats")["therapies"]
    assert therapy["preventive"] is None
    text = cli.ok("stats").stdout
    assert "Preventive? not enough data" in text
    assert "not_enough_data" not in text
    assert "Needs the attack diary" in text
    (entry,) = cli.json("verdict")
    assert entry["preventive"]["verdict"] == "not_enough_data"
    assert entry["acute"]["verdict"] == "not_enough_data"


def test_verdict_on_an_empty_diary(cli: Cli) -> None:
    result = cli.ok("verdict")
    assert "Not enough data: no sessions yet." in result.stdout
    assert cli.json("verdict") == []


def _points(reliefs: list[int], attack: list[bool] | None = None) -> list[SessionPoint]:
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    flags = attack or [False] * len(reliefs)
    return [
        SessionPoint(i, when + dt.timedelta(days=i), 45, 6, 6 - r, None, Decimal(50), a)
        for i, (r, a) in enumerate(zip(reliefs, flags, strict=True))
    ]


@pytest.mark.parametrize(
    ("reliefs", "word"),
    [
        ([2, 3, 2, 1, 2], "helps"),
        ([1, 0, -1, 1, 0], "no_clear_effect"),
        ([-2, -3, -2, -2, -3], "worse"),
        # 4 sessions: the allowance for correlated sessions (lag-1 0.15) reaches zero
        ([-2, -3, -1, -2], "no_clear_effect"),
        ([2, 2], "not_enough_data"),
        ([1, 1, 1], "no_clear_effect"),  # all of 3 relieved: sign test p = 0.25
        ([1, 1, 1, 1, 1], "no_clear_effect"),  # p = 0.0625
        ([1, 1, 1, 1, 1, 1], "helps"),  # p = 0.03125
        ([-1, -1, -1, -1, -1, -1], "worse"),
        ([0, 0, 0], "no_clear_effect"),
    ],
)
def test_acute_verdict_words(reliefs: list[int], word: str) -> None:
    assert acute_verdict(_points(reliefs)).verdict == word


def test_acute_verdict_uses_attack_sessions_when_there_are_enough() -> None:
    attack = [True] * 4 + [False] * 3
    result = acute_verdict(_points([3, 3, 2, 3, 0, 0, 0], attack))
    assert result.basis == "during attacks"
    assert result.relief.n == 4
    assert result.verdict == "helps"
    assert "in sessions during attacks" in result.message
    few = acute_verdict(_points([3, 0, 0, 1], [True, False, False, False]))
    assert few.basis == "all sessions"
    assert few.relief.n == 4


def test_acute_verdict_message_gives_n_and_interval() -> None:
    message = acute_verdict(_points([2, 3, 2, 1, 2])).message
    assert message.startswith(
        "Mean relief +2.0 right after sessions (95% interval +0.8 to +3.2, n 5)"
    )
    assert (
        "With fewer than 8 sessions the correlation of relief in consecutive sessions cannot "
        "be estimated, so the interval allows for a lag-1 correlation of 0.15: it counts the "
        "5 sessions as 3.7 independent ones." in message
    )


@pytest.mark.sqlite_only  # windows are analysis; PostgreSQL's figures: the tests above
def test_two_courses_each_with_its_own_windows(reference: Cli) -> None:
    """The issue's 'done when': a second course months later is judged against its own
    baseline, which stops where the first course's treatment window ends."""
    cli = reference
    second = dt.date(2026, 9, 28)
    cli.ok("kept", "2026-08-18", "2026-11-25")
    day = dt.date(2026, 8, 18)
    while day <= dt.date(2026, 11, 25):
        if day.weekday() in (0, 3):  # two migraine days a week, before and during
            cli.ok("attack", "log", "--when", f"{day} 10:00", "--hours", "2", "--peak", "6")
        day += dt.timedelta(days=1)
    for offset in (0, 7, 14, 21, 28):
        when = second + dt.timedelta(days=offset)
        cli.log("craniosacral", when=f"{when} 16:00", cost=70, pain_before=5, pain_after=4)
    (therapy,) = cli.json("stats", "craniosacral")["therapies"]
    latest, earlier = therapy["courses"]
    assert therapy["preventive"] == latest
    assert (latest["first_session"], latest["last_session"], latest["sessions"]) == (
        "2026-09-28",
        "2026-10-26",
        5,
    )
    # Its baseline is its own 28 days: the block before them overlaps the first course's
    # treatment window (to 2026-08-17), so it is not added.
    assert (latest["baseline"]["from"], latest["baseline"]["to"]) == ("2026-08-31", "2026-09-27")
    # Day 29 to 28 days after the last session, cut at yesterday.
    assert (latest["treatment"]["from"], latest["treatment"]["to"]) == ("2026-10-26", "2026-11-23")
    assert latest["verdict"] == "inconclusive"
    assert latest["cost_per_migraine_day_avoided"] is None
    assert latest["cost_range"] is None
    assert "improved or responder" in latest["cost_reason"]
    low, high = latest["change"]["ci"]
    assert low <= latest["change"]["estimate"] <= high
    assert earlier["first_session"] == "2026-06-01"
    assert earlier["verdict"] == "responder"
    assert earlier["cost_per_migraine_day_avoided"] is not None
    (entry,) = cli.json("verdict")
    assert [c["first_session"] for c in entry["courses"]] == ["2026-09-28", "2026-06-01"]
    text = " ".join(cli.ok("stats", "craniosacral").stdout.split())
    assert "Preventive (latest of 2 courses)? could be chance" in text
    assert "inconclusive" not in text
    earlier_line = (
        "Earlier course: course 2026-06-01 to 2026-07-20 (5 sessions): halved (responder)"
    )
    assert earlier_line in text
    assert "with several comparisons, one can look better by chance" in text
    assert "fewer days" not in text


def test_identical_relief_needs_the_sign_test() -> None:
    three = acute_verdict(_points([1, 1, 1]))
    assert three.relief.sign_p == pytest.approx(0.25)
    assert "could be chance (exact sign test p = 0.25" in three.message
    six = acute_verdict(_points([2] * 6))
    assert six.relief.sign_p == pytest.approx(2 / 64)
    assert "p = 0.031, below 0.05" in six.message


def test_correlated_sessions_widen_the_interval_and_say_so() -> None:
    reliefs = [3, 3, 4, 3, 1, 0, 1, 1, 3, 4, 3, 3]  # good and bad spells
    result = acute_verdict(_points(reliefs))
    rel = result.relief
    assert rel.autocorrelation is not None
    assert rel.autocorrelation > 0
    assert rel.effective_n is not None
    assert rel.effective_n < len(reliefs)
    assert rel.ci is not None
    plain = stats.ttest_1samp(reliefs, 0).confidence_interval()
    assert rel.ci[0] < plain.low
    assert rel.ci[1] > plain.high
    assert "counts them as" in result.message
    assert "independent sessions" in result.message
