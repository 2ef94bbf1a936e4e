"""Acute and preventive verdicts through the real CLI (`stats`, `verdict`), and the pure
acute verdict."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import Cli
from migraine_diary.analysis.stats import SessionPoint, acute_verdict

FIRST = dt.date(2026, 6, 1)
BEFORE = [2, 3, 1, 2, 2, 3, 2, 1]  # migraine days per week, the 8 weeks before the course
FROM = [2, 1, 1, 1, 0, 1, 1, 0]  # and the 8 weeks from its first session


def reference_course(cli: Cli) -> None:
    """The issue's reference diary: every day recorded, k migraine days then 7 - k free days
    each week; one session on the first day, four costing 280 in the treatment window."""
    cli.ok("kept", str(FIRST - dt.timedelta(days=56)), str(FIRST + dt.timedelta(days=55)))
    for week, k in enumerate(BEFORE + FROM):
        start = FIRST - dt.timedelta(days=56) + dt.timedelta(days=7 * week)
        for offset in range(k):
            day = start + dt.timedelta(days=offset)
            cli.ok("attack", "log", "--when", f"{day} 10:00", "--hours", "2", "--peak", "6")
    cli.log("craniosacral", when=f"{FIRST} 16:00", cost=100, pain_before=5, pain_after=4)
    for offset in (28, 35, 42, 49):
        day = FIRST + dt.timedelta(days=offset)
        cli.log("craniosacral", when=f"{day} 16:00", cost=70, pain_before=5, pain_after=4)


def test_reference_values_through_stats_json(cli: Cli) -> None:
    reference_course(cli)
    (therapy,) = cli.json("stats", "craniosacral")["therapies"]
    prevention = therapy["preventive"]
    assert prevention["verdict"] == "responder"
    assert prevention["baseline"] == {"recorded_days": 28, "migraine_days": 8, "mmd": 8.0}
    assert prevention["treatment"]["mmd"] == pytest.approx(2.0)
    assert prevention["change"] == pytest.approx(-6.0)
    assert prevention["percent_change"] == pytest.approx(-75.0)
    assert prevention["responder"] is True
    assert prevention["weekly"]["change"] == pytest.approx(-4.5)
    assert prevention["weekly"]["ci"] == pytest.approx([-7.513551, -1.486449], abs=1e-6)
    assert prevention["weekly"]["p"] == pytest.approx(0.017716, abs=1e-6)
    assert prevention["cost_per_migraine_day_avoided"] == pytest.approx(46.666667, abs=1e-6)
    assert therapy["acute"]["verdict"] == "helps"
    assert therapy["acute"]["relief"]["n"] == 5


def test_stats_text_and_verdict_show_the_preventive_verdict(cli: Cli) -> None:
    reference_course(cli)
    text = cli.ok("stats", "craniosacral").stdout
    assert "Preventive? responder: halved (responder)" in text
    assert "Migraine days fell from 8.0 to 2.0 per 28 days (-75%)" in text
    assert "23.5% of patients on placebo" in text
    line = next(x for x in cli.ok("verdict").stdout.splitlines() if x.startswith("craniosacral"))
    assert " ".join(line.split()) == (
        "craniosacral 5 eases pain +1.0 (n 5) halved (responder) -6.0/28d 380.00"
    )
    (entry,) = cli.json("verdict")
    assert entry["preventive"]["verdict"] == "responder"
    assert entry["acute"]["verdict"] == "helps"
    assert entry["total_cost"] == "380.00"


def test_session_filters_do_not_cut_the_course(cli: Cli) -> None:
    reference_course(cli)
    (therapy,) = cli.json("stats", "craniosacral", "--since", "2026-07-01")["therapies"]
    assert therapy["sessions"] == 3  # the figures cover the period asked for...
    assert therapy["preventive"]["verdict"] == "responder"  # ...the course is judged whole


def test_without_an_attack_diary_prevention_is_not_enough_data(cli: Cli) -> None:
    cli.log("massage", when="2026-10-01")
    (therapy,) = cli.json("stats")["therapies"]
    assert therapy["preventive"] is None
    text = cli.ok("stats").stdout
    assert "Preventive? not_enough_data" in text
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
        ([-2, -3, -1, -2], "worse"),
        ([2, 2], "not_enough_data"),
        ([1, 1, 1], "helps"),
        ([0, 0, 0], "no_clear_effect"),
    ],
)
def test_acute_verdict_words(reliefs: list[int], word: str) -> None:
    assert acute_verdict(_points(reliefs)).verdict == word


def test_acute_verdict_uses_attack_sessions_when_there_are_enough() -> None:
    result = acute_verdict(_points([3, 3, 2, 0, 0, 0], [True, True, True, False, False, False]))
    assert result.basis == "during attacks"
    assert result.relief.n == 3
    assert result.verdict == "helps"
    assert "in sessions during attacks" in result.message
    few = acute_verdict(_points([3, 0, 0, 1], [True, False, False, False]))
    assert few.basis == "all sessions"
    assert few.relief.n == 4


def test_acute_verdict_message_gives_n_and_interval() -> None:
    message = acute_verdict(_points([2, 3, 2, 1, 2])).message
    assert message.startswith(
        "Mean relief +2.0 right after sessions (95% interval +1.1 to +2.9, n 5)"
    )
