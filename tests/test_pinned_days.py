"""The demo's report reads right on every day of the year: the days that broke it (the 1st
to the 10th of a month), the turn of the year, a leap day and the days clocks change."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from migraine_diary.cli.app import app
from migraine_diary.domain.dates import NOW_VAR
from migraine_diary.domain.days import add_months

PINNED = [
    ("2026-12-01", "Europe/Berlin"),
    ("2026-12-09", "Europe/Berlin"),
    ("2026-12-28", "Europe/Berlin"),
    ("2027-01-01 00:05", "Europe/Berlin"),
    ("2028-02-29", "Europe/Berlin"),
    ("2026-03-29 03:30", "Europe/Berlin"),  # clocks went forward at 02:00
    ("2026-10-25 02:30", "Europe/Berlin"),  # the repeated hour
    ("2026-03-08 12:00", "America/New_York"),
    ("2026-11-01 01:30", "America/New_York"),
]


@pytest.fixture
def pinned(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> dt.date:
    moment, zone = request.param
    monkeypatch.setenv(NOW_VAR, moment)
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    return dt.date.fromisoformat(moment[:10])  # conftest's private_home undoes both


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


@pytest.mark.parametrize("pinned", PINNED, indirect=True, ids=[f"{d} {z}" for d, z in PINNED])
def test_the_demo_report_shows_the_whole_course_on_any_day(pinned: dt.date, tmp_path: Path) -> None:
    diary = str(tmp_path / "demo.db")
    run("demo", "--db", diary)
    report = run("--db", diary, "report", "--format", "md")

    first = add_months(pinned, -3)
    days = (pinned - first).days + 1
    assert f"Period: {first} to {pinned} ({days} days)" in report
    # The user story's course, whole, with the figures `stats` gives.
    assert "| craniosacral | 7 | 255 | 0.4 (95% CI -0.2 to 1.1, n = 7) | 510.00 |" in report
    assert "0.4" in run("--db", diary, "stats", "craniosacral")
    # Three complete months, and this one so far, labelled as partial and never counted
    # against a monthly limit.
    assert re.search(r"- \d of 3 complete months over an ICHD-3 limit", report)
    month_rows = [line for line in report.splitlines() if re.match(r"\| [A-Z][a-z]{2} \d{4}", line)]
    assert len(month_rows) == 4
    so_far = f"so far, {pinned.day} day" + ("" if pinned.day == 1 else "s")
    assert month_rows[-1].startswith(f"| {pinned:%b %Y} {so_far} | {pinned.day} |")
    assert all(" so far" not in row for row in month_rows[:3])

    html_path = tmp_path / "visit.html"
    CliRunner().invoke(app, ["--db", diary, "report", "--output", str(html_path)])
    assert so_far in html_path.read_text()
