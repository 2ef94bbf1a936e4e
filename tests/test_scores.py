"""`migraine score`: MIDAS, HIT-6 and PGIC totals with their grades and changes."""

from __future__ import annotations

from typing import Any

import pytest
from tests.conftest import fingerprint

pytestmark = pytest.mark.both_engines


def test_totals_are_stored_with_grade_and_change(cli: Any) -> None:
    cli.ok("score", "midas", "--total", "14", "--date", "2026-08-01")
    out = cli.ok("score", "midas", "--total", "4").stdout
    assert "grade I" in out
    assert "-10 since the previous one" in out
    cli.ok("score", "hit6", "--total", "60")
    cli.log("acupuncture")
    cli.ok("score", "pgic", "ACUPUNCTURE", "--value", "5")
    found = cli.json("score", "list")
    assert [(s["kind"], s["total"], s["grade"], s["change"]) for s in found] == [
        ("midas", 14, "III", None),
        ("midas", 4, "I", -10),
        ("hit6", 60, found[2]["grade"], None),
        ("pgic", 5, None, None),
    ]
    assert found[3]["therapy"] == "acupuncture"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["score", "hit6", "--total", "35"], 2),
        (["score", "hit6", "--total", "79"], 2),
        (["score", "midas", "--total", "-1"], 2),
        (["score", "pgic", "acupuncture", "--value", "8"], 2),
        (["score", "pgic", "reiki", "--value", "3"], 1),
        (["score", "midas", "--total", "3", "--date", "2027-01-01"], 2),
    ],
)
def test_bad_totals_get_one_line_and_write_nothing(cli: Any, args: list[str], code: int) -> None:
    cli.log("acupuncture")
    before = fingerprint(cli.db_path)
    result = cli(*args)
    assert result.exit_code == code, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert fingerprint(cli.db_path) == before


def test_prefill_counts_the_last_three_months(cli: Any) -> None:
    cli.ok("attack", "log", "--when", "2026-11-20 22:00", "--hours", "4", "--peak", "6")
    cli.ok("attack", "log", "--when", "2026-10-01 08:00", "--hours", "4", "--peak", "8")
    cli.ok("attack", "log", "--when", "2026-01-01 08:00", "--hours", "4", "--peak", "2")
    out = " ".join(cli.ok("score", "midas", "--prefill").stdout.split())
    assert "3 days with headache of 3 recorded days (2 attacks), average peak pain 7.0" in out
    assert "88 of the 91 days are not recorded" in out
    assert cli.json("score", "list") == []
