"""Every day counted right, end to end: an attack-free baseline, a forgotten ongoing attack,
sessions during attacks, a check-in conflict and a daylight-saving gap, seen the same way by
`calendar --json`, `meds --json`, `verdict --json` and `report --format md` on pinned days."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from typing import Any

import pytest

from conftest import Cli, fingerprint
from migraine_diary.domain.dates import NOW_VAR

pytestmark = pytest.mark.both_engines

NOTE = (
    "migraine: note: attack {id} has been ongoing since 2026-11-15 09:00 ({days} days): "
    "end it with 'migraine attack end {id} --when ...'\n"
)


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Any:
    def set_zone(name: str, now: str) -> None:
        monkeypatch.setenv("TZ", name)
        monkeypatch.setenv(NOW_VAR, now)
        time.tzset()

    return set_zone  # conftest's private_home restores the pinned zone and calls tzset


def refused(cli: Cli, code: int, message: str, *args: str) -> None:
    """One line, its exit code and nothing written."""
    before = fingerprint(cli.db_path)
    result = cli(*args)
    assert (result.exit_code, result.stderr) == (code, f"migraine: error: {message}\n")
    assert result.stdout == ""
    assert fingerprint(cli.db_path) == before


def by_day(months: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {d["date"]: d for m in months for d in m["days"]}


@pytest.mark.parametrize("now", ["2026-12-01 12:00", "2026-12-01 00:05", "2026-12-02 12:00"])
def test_every_command_counts_the_same_days(cli: Cli, zone: Any, now: str) -> None:
    zone("Europe/Berlin", "2026-11-30 20:00")
    cli.ok("kept", "2026-09-01", "2026-09-30")  # the attack-free baseline
    for day in range(1, 32):
        if day not in (6, 20):
            cli.ok("checkin", "--date", f"2026-10-{day:02d}")
    for day in (1, 8, 13, 27):
        cli.log("craniosacral", when=f"2026-10-{day:02d} 16:30")
    during = cli.log("craniosacral", when="2026-10-06 16:30", attack=True)
    assert during.stderr == (
        "migraine: note: 2026-10-06 is not recorded as a day yet; the attack itself is not in "
        'the diary: log it with \'migraine attack log --when "2026-10-06 16:30" --hours H '
        "--peak P'\n"
    )
    cli.ok("attack", "log", "--when", "2026-10-20 08:00", "--hours", "4", "--peak", "7",
           "--med", "sumatriptan")  # fmt: skip
    replaced = cli.ok("attack", "log", "--when", "2026-10-21 08:00", "--hours", "2", "--peak", "5")
    assert "It replaces the check-in of 2026-10-21 (no migraine that day)." in replaced.stdout
    alone = cli.log("craniosacral", when="2026-11-03 16:30")
    assert alone.stderr == (
        "migraine: note: 2026-11-03 is not recorded as a day yet; if it had no migraine, "
        "record it with 'migraine checkin --date 2026-11-03'\n"
    )
    cli.ok("attack", "log", "--when", "2026-11-15 09:00", "--ongoing", "--peak", "6")

    # each bad input: one line, its exit code, nothing written
    refused(cli, 1, "2026-10-20 has attack 1 (from 2026-10-20 08:00), so it cannot be checked "
            "in as a day without migraine: change the attack with 'migraine attack edit 1' or "
            "delete it with 'migraine attack delete 1'",
            "checkin", "--date", "2026-10-20")  # fmt: skip
    refused(cli, 1, "attack 3 is still ongoing (since 2026-11-15 09:00): end it first with "
            "'migraine attack end 3 --when ...'",
            "attack", "log", "--when", "2026-11-16 10:00", "--ongoing", "--peak", "6")  # fmt: skip
    refused(cli, 1, "this attack (2026-10-20 10:00 to 11:00) overlaps attack 1 (2026-10-20 "
            "08:00 to 12:00): change or delete that one with 'migraine attack edit 1' or "
            "'migraine attack delete 1', or add --allow-overlap to keep both",
            "attack", "log", "--when", "2026-10-20 10:00", "--hours", "1",
            "--peak", "6")  # fmt: skip
    gap = "2026-03-29 02:30 does not exist in Europe/Berlin: clocks went from 02:00 to 03:00"
    refused(cli, 2, gap, "attack", "log", "--when", "2026-03-29 02:30", "--hours", "1",
            "--peak", "6")  # fmt: skip
    refused(cli, 2, gap, "log", "craniosacral", "-m", "45", "-b", "5", "-a", "4",
            "--when", "2026-03-29 02:30")  # fmt: skip

    zone("Europe/Berlin", now)
    today = dt.date.fromisoformat(now[:10])
    note = NOTE.format(
        id=3, days=(dt.datetime.fromisoformat(now) - dt.datetime(2026, 11, 15, 9)).days
    )

    calendar = cli("calendar", "--json")
    assert calendar.stderr == note  # once, with --json too
    months = json.loads(calendar.stdout)
    assert [m["month"] for m in months] == ["2026-09", "2026-10", "2026-11", "2026-12"]
    days = by_day(months)
    assert {d["status"] for k, d in days.items() if k.startswith("2026-09")} == {"free"}
    assert (days["2026-10-06"]["status"], days["2026-10-06"]["session"]) == ("attack", True)
    assert [days[f"2026-10-{d}"]["status"] for d in (19, 20, 21, 22)] == [
        "free", "migraine", "migraine", "free"
    ]  # fmt: skip
    assert (days["2026-11-03"]["status"], days["2026-11-03"]["session"]) == ("unknown", True)
    november = [days[f"2026-11-{d:02d}"]["status"] for d in range(14, 31)]
    assert november == ["unknown", *["migraine"] * 4, *["unknown"] * 12]  # 72 hours, then unknown
    assert [(m["migraine_days"], m["recorded_days"]) for m in months] == [
        (0, 30), (2, 30), (4, 4), (0, 0)
    ]  # fmt: skip
    assert len(months[-1]["days"]) == today.day

    meds = cli("meds", "--json")
    assert meds.stderr == note
    assert [(m["month"], m["days_by_class"], m["flags"]) for m in json.loads(
        meds.stdout
    )] == [
        ("2026-09", {}, []),
        ("2026-10", {"triptan": 1}, []),
        ("2026-11", {}, []),
        ("2026-12", {}, []),
    ]  # fmt: skip

    verdict = cli("verdict", "--json")
    assert verdict.stderr == note
    (craniosacral,) = json.loads(verdict.stdout)
    assert craniosacral["sessions"] == 6
    # after the forgotten attack's 72 hours the course's window is unknown, not migraine
    assert craniosacral["preventive"]["verdict"] == "not_enough_data"
    # (the treatment window runs on to 28 days after the last session, so it needs more)
    assert re.search(
        r"has only 7 recorded days of the \d+ needed", craniosacral["preventive"]["message"]
    )

    report = cli("report", "--format", "md")
    assert report.stderr == note
    lines = report.stdout.splitlines()
    span = (today - dt.date(2026, 9, 1)).days + 1
    recorded = 64
    assert (
        f"Period: 2026-09-01 to {today} ({span} days); {recorded} of {span} days recorded "
        in (lines[2])
    )
    assert f"- 6 migraine days (of {recorded} recorded; 2.6 per 28 days)" in lines
    assert "- 0 of 3 complete months over an ICHD-3 limit (medication-overuse thresholds)" in lines
    assert "| Oct 2026 | 31 | 30 | 2 | 1 | triptan 1 | - |" in lines
    assert "| Nov 2026 | 30 | 4 | 4 | 0 | - | - |" in lines
    so_far = f"so far, {today.day} day" + ("s" if today.day > 1 else "")
    assert f"| Dec 2026 {so_far} | {today.day} | 0 | 0 | 0 | - | - |" in lines

    attacks = cli("attack", "list", "--json")
    assert attacks.stderr == note
    assert json.loads(attacks.stdout)[0]["end"] is None

    # once ended, the days count as they were
    cli.ok("attack", "end", "3", "--when", "2026-11-15 15:00")
    ended = cli("calendar", "--json")
    assert ended.stderr == ""
    days = by_day(json.loads(ended.stdout))
    assert [days[f"2026-11-{d}"]["status"] for d in (15, 16)] == ["migraine", "unknown"]


@pytest.mark.parametrize(
    ("name", "spring", "autumn"),
    [
        ("America/New_York", "2026-03-08", "2026-11-01"),
        ("Europe/Berlin", "2026-03-29", "2026-10-25"),
    ],
)
def test_days_are_local_calendar_days_across_both_clock_changes(
    cli: Cli, zone: Any, name: str, spring: str, autumn: str
) -> None:
    zone(name, "2026-12-01 12:00")
    for change in (spring, autumn):
        day = dt.date.fromisoformat(change)
        before, after = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
        cli.ok("checkin", "--date", str(before))
        cli.ok("checkin", "--date", str(after + dt.timedelta(days=1)))
        # 00:10 to 00:30 and 23:45 to 00:15 of the day the clocks change
        cli.ok("attack", "log", "--when", f"{change} 00:10", "--until", "00:30", "--peak", "4")
        cli.ok("attack", "log", "--when", f"{change} 23:45", "--hours", "0.5", "--peak", "4")
        months = cli.json("calendar", "--since", str(before), "--until",
                          str(after + dt.timedelta(days=1)))  # fmt: skip
        assert [(d, s["status"]) for d, s in by_day(months).items()] == [
            (str(before), "free"),
            (change, "migraine"),  # the 23:45 attack: 30 minutes
            (str(after), "migraine"),
            (str(after + dt.timedelta(days=1)), "free"),
        ]
    # the report's period counts calendar days, 23- and 25-hour days among them
    report = cli.ok("report", "--format", "md", "--since", "2026-03-01", "--until", "2026-11-30")
    assert "Period: 2026-03-01 to 2026-11-30 (275 days); 8 of 275 days recorded" in report.stdout
    # the repeated hour is the first of the two, with a note
    repeated = "2026-11-01 01:30" if name == "America/New_York" else "2026-10-25 02:30"
    result = cli.ok("attack", "log", "--when", repeated, "--hours", "0.25", "--peak", "3")
    assert result.stderr.startswith(f"migraine: note: {repeated} happened twice in {name}")


def test_allowed_overlaps_are_kept_and_named_by_attack_list(cli: Cli) -> None:
    cli.ok("attack", "log", "--when", "2026-11-20 08:00", "--hours", "4", "--peak", "6")
    cli.ok("attack", "log", "--when", "2026-11-20 10:00", "--hours", "1", "--peak", "5",
           "--allow-overlap")  # fmt: skip
    cli.ok("attack", "log", "--when", "2026-11-21 08:00", "--hours", "1", "--peak", "5")
    listed = cli.ok("attack", "list").stdout.splitlines()
    assert listed[-1] == (
        "Attacks 1 and 2 overlap in time: change or delete one with 'migraine attack edit 2' "
        "or 'migraine attack delete 2'."
    )
    assert len(cli.json("attack", "list")) == 3  # the JSON keeps its shape
    refused(cli, 1, "this attack (2026-11-20 09:00 to 10:00) overlaps attack 1 (2026-11-20 "
            "08:00 to 12:00): change or delete that one with 'migraine attack edit 1' or "
            "'migraine attack delete 1', or add --allow-overlap to keep both",
            "attack", "edit", "3", "--when", "2026-11-20 09:00", "--hours", "1")  # fmt: skip
    cli.ok("attack", "edit", "3", "--peak", "4")  # no change of time: no new conflict
