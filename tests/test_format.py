"""One formatter: a figure reads the same in every view, the terminal's and the report's."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from conftest import Cli
from migraine_diary.analysis.report import AttackEntry, ReportData
from migraine_diary.diary.attacks import Attack
from migraine_diary.domain.words import plural
from migraine_diary.render.attacks import when_text
from migraine_diary.render.format import duration_text, money, one_decimal, percent, share, signed
from migraine_diary.render.report import render_markdown

BERLIN = ZoneInfo("Europe/Berlin")
START = dt.datetime(2026, 11, 20, 8, 0, tzinfo=BERLIN)


@pytest.mark.parametrize("value", [-0.04, -0.0, 0.0, 0.04, -1e-12])
def test_no_view_prints_minus_zero(value: float) -> None:
    assert one_decimal(value) == "0.0"
    assert signed(value) == "0.0"


def test_one_decimal_and_signed() -> None:
    assert one_decimal(-0.05001) == "-0.1"
    assert one_decimal(2.25) == "2.2"  # an exact half rounds to even, as Python does
    assert one_decimal(None) == "-"
    assert signed(1.25) == "+1.2"
    assert signed(-0.5) == "-0.5"
    assert signed(None) == "-"


def test_money_shares_and_plurals() -> None:
    assert money(Decimal("1234.5")) == "1,234.50"
    assert money(0.0) == "0.00"
    assert money(None) == "-"
    assert percent(0.4286) == "43%"
    assert percent(None) == "-"
    assert share(86, 92) == "93%"
    assert share(0, 0) == "-"
    assert plural(1, "day") == "1 day"
    assert plural(0, "day") == "0 days"
    assert plural(2, "therapy", "therapies") == "2 therapies"


def _in_report(duration: dt.timedelta) -> str:
    """The duration cell of the report's attack table."""
    data = ReportData(
        start=START.date(),
        end=START.date(),
        recorded_days=1,
        months=(),
        therapies=(),
        attacks=(AttackEntry(start=START, duration=duration, peak=5, aura=False),),
        questions=(),
        generated_at=START,
    )
    (row,) = [line for line in render_markdown(data).splitlines() if line.startswith("| 2026")]
    return row.split(" | ")[2]


def _in_terminal(duration: dt.timedelta) -> str:
    """The duration in brackets of an `attack` line."""
    attack = Attack(1, START, START + duration, 5, False, None, "typed")
    found = re.search(r"\(([^)]*)\)$", when_text(attack, START + duration))
    assert found is not None
    return found.group(1)


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (dt.timedelta(minutes=89), "1 h 29 min"),
        (dt.timedelta(minutes=89, seconds=59), "1 h 30 min"),  # to the nearest minute
        (dt.timedelta(minutes=89, seconds=29), "1 h 29 min"),
        (dt.timedelta(minutes=45), "45 min"),
        (dt.timedelta(0), "0 min"),
        (dt.timedelta(hours=3), "3 h"),
        (dt.timedelta(days=1), "1 d"),
        (dt.timedelta(days=1, hours=2, minutes=15), "1 d 2 h 15 min"),
    ],
)
def test_a_duration_reads_the_same_in_every_view(duration: dt.timedelta, text: str) -> None:
    assert duration_text(duration) == text
    assert _in_terminal(duration) == text
    assert _in_report(duration) == text


def test_ongoing() -> None:
    assert duration_text(None) == "ongoing"


@pytest.mark.parametrize(
    ("length", "text"),
    [(("--until", "09:29"), "1 h 29 min"), (("--hours", "1.4997"), "1 h 30 min")],
)
def test_attack_list_and_report_show_the_same_duration(
    cli: Cli, length: tuple[str, str], text: str
) -> None:
    cli.ok("attack", "log", "--when", "2026-11-20 08:00", *length, "--peak", "5")
    listed = cli.ok("attack", "list").stdout
    report = cli.ok(
        "report", "--format", "md", "--since", "2026-11-01", "--until", "2026-11-25"
    ).stdout
    (row,) = [line for line in report.splitlines() if line.startswith("| 2026-11-20 ")]
    assert row.split(" | ")[2] == text
    assert re.search(rf"2026-11-20 08:00\s+{text}\s", listed), listed
