"""The attack diary through the real CLI: attacks, check-ins, kept ranges, the calendar,
medication days and classes, and every refusal."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, fingerprint
from migraine_diary.cli.app import app
from migraine_diary.domain.dates import current_day
from migraine_diary.domain.days import OVERUSE_WARNING

pytestmark = pytest.mark.both_engines

WHEN = (
    "a date and optional time such as 2026-11-20, '2026-11-20 14:30', today, yesterday or "
    "'yesterday 17:00'"
)
HOURS = "hours must be a number of hours above 0 and at most 72, fractions allowed"
TRIPTAN_WARNING = (
    "2026-10: triptan on {n} days (limit 10), over the ICHD-3 medication-overuse levels. "
    "If it goes on for three months in a row, it is the pattern doctors call "
    "medication-overuse headache. It is worth raising with a doctor."
)


def log(cli: Cli, when: str, *extra: str, hours: str | None = "2", peak: str = "6") -> str:
    args = ["attack", "log", "--when", when, "--peak", peak]
    if hours is not None:
        args += ["--hours", hours]
    stdout: str = cli.ok(*args, *extra).stdout
    return stdout


def month(cli: Cli, first: str, last: str) -> dict[str, Any]:
    (found,) = cli.json("calendar", "--since", first, "--until", last)
    return dict(found)


def statuses(found: dict[str, Any]) -> dict[int, str]:
    return {int(d["date"][-2:]): d["status"] for d in found["days"]}


def test_log_prints_the_stored_attack_with_classes(cli: Cli) -> None:
    out = log(
        cli,
        "2026-11-20 14:30",
        "--aura",
        "--med",
        "sumatriptan 50mg@15:00=helpful",
        "--med",
        "Migrastop",
        hours="4",
        peak="7",
    )
    assert out.splitlines() == [
        "Logged attack 1: 2026-11-20 14:30 to 18:30 (4 h), peak 7, aura",
        # In time order, as the doses are numbered: Migrastop, without a time, counts from
        # the attack's start (14:30), so it is dose 1.
        "Medication: Migrastop (unclassified), sumatriptan 50mg (triptan, 15:00, helpful)",
        "Not in the medication table, so counted as unclassified (never guessed): Migrastop.",
        "Set a class with: migraine medclass Migrastop CLASS",
    ]
    assert cli.json("attack", "show", "1") == {
        "id": 1,
        "start": "2026-11-20T13:30:00+00:00",
        "end": "2026-11-20T17:30:00+00:00",
        "peak": 7,
        "aura": True,
        "medications": [
            {"name": "Migrastop", "class": None, "helpfulness": None, "taken_at": None},
            {
                "name": "sumatriptan 50mg",
                "class": "triptan",
                "helpfulness": "helpful",
                "taken_at": "2026-11-20T14:00:00+00:00",
            },
        ],
        "notes": None,
        "source": "typed",
        "detail": {
            "triggers": [],
            "symptoms": [],
            "pain_positions": [],
            "most_bothersome": None,
            "relief": [],
        },
        "local_time": None,
        # A dose without a time counts from the attack's start for its number (Migrastop is
        # dose 1), but it cannot be placed in time: it is never the first dose of a rescue
        # pair nor a rescue (issue 18; this pinned `rescue_needed: True` for Migrastop and
        # `rescue_dose: True` for sumatriptan before).
        "mbs": None,
        "ratings": [
            {"attack": 1, "dose": 1, "session": None, "kind": "medication", "name": "Migrastop",
             "class": None, "taken_at": "2026-11-20T13:30:00+00:00",
             "at_dose": 7, "at_dose_level": "severe", "pain_2h": None, "pain_24h": None,
             "pain_48h": None, "mbs": None, "mbs_gone_2h": None, "relapse_24h": None,
             "relapse_48h": None,
             "rescue_needed": None, "rescue_dose": False},
            {"attack": 1, "dose": 2, "session": None, "kind": "medication",
             "name": "sumatriptan 50mg", "class": "triptan",
             "taken_at": "2026-11-20T14:00:00+00:00",
             "at_dose": 7, "at_dose_level": "severe", "pain_2h": None, "pain_24h": None,
             "pain_48h": None, "mbs": None, "mbs_gone_2h": None, "relapse_24h": None,
             "relapse_48h": None,
             "rescue_needed": False, "rescue_dose": False},
        ],
    }  # fmt: skip


def test_a_month_of_attacks_and_checkins_in_the_calendar(cli: Cli) -> None:
    log(cli, "2026-10-02 09:00", hours="5")  # a migraine day
    log(cli, "2026-10-05 22:00", hours="4")  # past midnight: the 5th and the 6th
    log(cli, "2026-10-09 12:00", hours="0.25")  # 15 minutes, no aura: an attack only
    log(cli, "2026-10-12 12:00", "--aura", hours="0.25")  # short with aura: a migraine day
    log(cli, "2026-10-14 12:00", "--med", "rizatriptan", hours="0.25")  # triptan: migraine
    log(cli, "2026-10-16 12:00", "--med", "ibuprofen", hours="0.25")  # ibuprofen: attack only
    for day in ("01", "03", "04", "07", "20"):
        assert cli.ok("checkin", "--date", f"2026-10-{day}").stdout == (
            f"Checked in 2026-10-{day}: no migraine that day.\n"
        )
    cli.log("craniosacral", when="2026-10-20 16:30")
    cli.log("craniosacral", when="2026-10-21 16:30")

    found = month(cli, "2026-10-01", "2026-10-31")
    assert found["month"] == "2026-10"
    by_day = statuses(found)
    assert {d for d, s in by_day.items() if s == "migraine"} == {2, 5, 6, 12, 14}
    assert {d for d, s in by_day.items() if s == "attack"} == {9, 16}
    assert {d for d, s in by_day.items() if s == "free"} == {1, 3, 4, 7, 20}
    assert by_day[8] == "unknown"
    assert by_day[21] == "unknown"  # a session alone says nothing about the rest of the day
    assert found["migraine_days"] == 5
    assert found["recorded_days"] == 12
    assert found["acute_medication_days"] == 2
    assert [d["date"] for d in found["days"] if d["session"]] == ["2026-10-20", "2026-10-21"]
    assert len(found["days"]) == 31


def test_calendar_reads_in_80_columns_without_colour(cli: Cli) -> None:
    log(cli, "2026-10-02 09:00", hours="5")
    log(cli, "2026-10-09 12:00", hours="0.25")
    cli.ok("kept", "2026-10-01", "2026-10-10")
    cli.log("craniosacral", when="2026-10-06 16:30")
    out = cli.ok("calendar", "--since", "2026-09-01", "--until", "2026-10-31").stdout
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "\x1b[" not in out  # piped: glyphs alone carry the meaning
    assert lines[0].split() == ["September", "2026", "October", "2026"]
    assert lines[1].split()[:7] == ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
    october_first_week = [line[38:].rstrip() for line in lines[2:4]]
    assert october_first_week == [
        "                1·   2M   3·   4·",
        " 5·   6·*  7·   8·   9a  10·  11?",
    ]
    october = [line[38:].rstrip() for line in lines[7:11]]
    assert october == [
        "1 migraine day",
        "10 of 31 days recorded",
        "0 days with acute medication",
        "1 day with a treatment session",
    ]
    assert lines[-2] == "M migraine day          a attack, not a migraine day   * treatment session"
    assert lines[-1] == "· migraine-free day     ? unknown: nothing recorded"


def test_eleven_triptan_days_flag_the_month_and_log_warns(cli: Cli) -> None:
    outputs = [
        log(cli, f"2026-10-{day:02d} 08:00", "--med", "sumatriptan 50mg") for day in range(1, 12)
    ]
    assert "ICHD-3" not in outputs[8]  # nine days: under the level
    assert " ".join(outputs[9].split()).endswith(TRIPTAN_WARNING.format(n=10))
    assert " ".join(outputs[10].split()).endswith(TRIPTAN_WARNING.format(n=11))
    months = cli.json("meds", "--since", "2026-10-01", "--until", "2026-10-31")
    assert months == [
        {
            "month": "2026-10",
            "days_by_class": {"triptan": 11},
            "total_days": 11,
            "flags": ["triptan"],
            "overuse_pattern": False,
        }
    ]
    table = cli.ok("meds", "--since", "2026-10-01", "--until", "2026-10-31").stdout
    row = next(line for line in table.splitlines() if line.startswith("2026-10"))
    assert row.split() == ["2026-10", "11!", "11", "triptan"]
    assert TRIPTAN_WARNING.format(n=11) in " ".join(table.split())


def test_third_flagged_month_in_a_row_gives_the_pattern_warning(cli: Cli) -> None:
    for month_number in (8, 9, 10):
        for day in range(1, 11):
            out = log(cli, f"2026-{month_number:02d}-{day:02d} 08:00", "--med", "eletriptan")
    assert " ".join(out.split()).endswith(
        "2026-10: triptan on 10 days (limit 10), over the ICHD-3 medication-overuse levels. "
        f"This is the third month in a row or more. {OVERUSE_WARNING}"
    )
    months = cli.json("meds", "--since", "2026-09-01", "--until", "2026-10-31")
    assert [(m["month"], m["overuse_pattern"]) for m in months] == [
        ("2026-09", False),  # August is read as history: September is only the second
        ("2026-10", True),
    ]
    table = " ".join(
        cli.ok("meds", "--since", "2026-08-01", "--until", "2026-10-31").stdout.split()
    )
    assert "2026-10 10! 10 triptan, 3rd month in a row or more" in table
    assert "stop" not in table.casefold()  # no advice to stop a medicine


def test_ten_days_of_mixed_classes_flag_multiple(cli: Cli) -> None:
    for day in range(1, 6):
        log(cli, f"2026-09-{day:02d} 08:00", "--med", "Maxalt 10")
    for day in range(6, 11):
        log(cli, f"2026-09-{day:02d} 08:00", "--med", "Advil")
    (september,) = cli.json("meds", "--since", "2026-09-01", "--until", "2026-09-30")
    assert september == {
        "month": "2026-09",
        "days_by_class": {"triptan": 5, "simple_analgesic": 5},
        "total_days": 10,
        "flags": ["multiple"],
        "overuse_pattern": False,
    }


def test_unknown_medication_is_stored_unclassified_then_classified(cli: Cli) -> None:
    log(cli, "2026-10-03 08:00", "--med", "Migrastop 5mg", hours="0.25")
    assert cli.json("attack", "show", "1")["medications"][0]["class"] is None
    (october,) = cli.json("meds", "--since", "2026-10-01", "--until", "2026-10-31")
    assert october["days_by_class"] == {"unclassified": 1}
    assert statuses(month(cli, "2026-10-01", "2026-10-31"))[3] == "attack"
    assert cli.json("medclass") == [
        {"name": "Migrastop 5mg", "class": None, "from": "unclassified", "doses": 1}
    ]
    text = cli.ok("meds", "--since", "2026-10-01", "--until", "2026-10-31").stdout
    assert "Migrastop 5mg (1 day)" in text
    assert cli.ok("medclass", "migrastop", "triptan").stdout == (
        "'migrastop' now counts as triptan: 1 logged dose.\n"
    )
    assert cli.json("attack", "show", "1")["medications"][0]["class"] == "triptan"
    (october,) = cli.json("meds", "--since", "2026-10-01", "--until", "2026-10-31")
    assert october["days_by_class"] == {"triptan": 1}
    # a triptan makes the short attack's day a migraine day
    assert statuses(month(cli, "2026-10-01", "2026-10-31"))[3] == "migraine"
    assert cli.ok("medclass", "Migrastop").stdout == "'Migrastop' is triptan (your class).\n"
    assert cli.ok("medclass", "Imitrex").stdout == "'Imitrex' is triptan (built-in table).\n"


def test_user_class_can_correct_the_built_in_table(cli: Cli) -> None:
    log(cli, "2026-10-03 08:00", "--med", "Excedrin", hours="1")
    assert cli.ok("medclass", "Excedrin", "simple analgesic").stdout == (
        "'Excedrin' now counts as simple analgesic (instead of the built-in combination "
        "analgesic): 1 logged dose.\n"
    )
    assert cli.json("attack", "show", "1")["medications"][0]["class"] == "simple_analgesic"


def test_kept_range_marks_its_days_recorded(cli: Cli) -> None:
    assert cli.ok("kept", "2026-10-01", "2026-10-10").stdout == (
        "Kept 2026-10-01 to 2026-10-10 (10 days): days without an attack there count as "
        "migraine-free.\n"
    )
    log(cli, "2026-10-04 08:00", hours="3")
    found = month(cli, "2026-10-01", "2026-10-31")
    by_day = statuses(found)
    assert [by_day[d] for d in range(1, 12)] == ["free"] * 3 + ["migraine"] + ["free"] * 6 + [
        "unknown"
    ]
    assert found["recorded_days"] == 10
    assert cli.ok("kept", "2026-10-01", "2026-10-10").stdout == (
        "2026-10-01 to 2026-10-10 was already kept; nothing changed.\n"
    )


def test_ongoing_attack_then_end(cli: Cli) -> None:
    out = log(cli, "2026-11-20 08:00", "--ongoing", hours=None)
    assert out.startswith("Logged attack 1: 2026-11-20 08:00, ongoing (")
    assert cli.json("attack", "show", "1")["end"] is None
    # while ongoing it touches every day up to now
    assert statuses(month(cli, "2026-11-19", "2026-11-22")) == {
        19: "unknown",
        20: "migraine",
        21: "migraine",
        22: "migraine",
    }
    second = log(cli, "2026-11-21 09:00", hours="1")
    assert "Attack 1 (since 2026-11-20 08:00) is still marked ongoing; end it with: " in second
    assert cli.ok("attack", "end", "1", "--when", "13:15").stdout == (
        "Ended attack 1: 2026-11-20 08:00 to 13:15 (5 h 15 min), peak 6\n"
    )
    assert cli.json("attack", "show", "1")["end"] == "2026-11-20T12:15:00+00:00"
    assert statuses(month(cli, "2026-11-19", "2026-11-22")) == {
        19: "unknown",
        20: "migraine",
        21: "migraine",
        22: "unknown",
    }
    before = fingerprint(cli.db_path)
    again = cli("attack", "end", "1")
    assert again.exit_code == 1
    assert again.stderr == (
        "migraine: error: attack 1 already ended at 2026-11-20 13:15; change it with: "
        "migraine attack edit 1 --until W\n"
    )
    assert fingerprint(cli.db_path) == before


def test_end_before_the_start_is_refused(cli: Cli) -> None:
    log(cli, "2026-11-20 08:00", "--ongoing", hours=None)
    before = fingerprint(cli.db_path)
    result = cli("attack", "end", "1", "--when", "2026-11-19 10:00")
    assert result.exit_code == 2
    assert result.stderr == (
        "migraine: error: when must be a moment after the attack's start, not in the future "
        "(got 2026-11-19 10:00)\n"
    )
    assert fingerprint(cli.db_path) == before


def test_hours_without_when_end_now_and_until_is_a_time_on_the_start_day(cli: Cli) -> None:
    out = cli.ok("attack", "log", "--hours", "1.5", "--peak", "4").stdout
    attack = cli.json("attack", "show", "1")
    start = dt.datetime.fromisoformat(attack["start"])
    end = dt.datetime.fromisoformat(attack["end"])
    assert end - start == dt.timedelta(minutes=90)
    assert end == dt.datetime(2026, 11, 26, 11, 0, tzinfo=dt.UTC)  # the pinned now, 12:00 CET
    assert "(1 h 30 min), peak 4" in out
    log(cli, "2026-11-20 22:00", "--until", "03:30", hours=None)
    assert cli.json("attack", "show", "2")["end"] == "2026-11-21T02:30:00+00:00"


def test_a_dose_time_alone_is_the_one_nearest_the_start(cli: Cli) -> None:
    log(cli, "2026-11-20 22:00", "--med", "rizatriptan@21:45", "--med", "ibuprofen@01:00")
    meds = cli.json("attack", "show", "1")["medications"]
    assert [m["taken_at"] for m in meds] == [
        "2026-11-20T20:45:00+00:00",  # at the aura, before the logged start
        "2026-11-21T00:00:00+00:00",  # after midnight
    ]
    # the ibuprofen after midnight counts on the 21st, the triptan on the 20th
    (found,) = cli.json("meds", "--since", "2026-11-01", "--until", "2026-11-30")
    assert found["days_by_class"] == {"triptan": 1, "simple_analgesic": 1}
    assert found["total_days"] == 2


@pytest.mark.sqlite_only  # reads the file with sqlite3
def test_list_edit_and_delete(cli: Cli) -> None:
    log(cli, "2026-11-01 08:00", "--med", "ibuprofen 400mg", hours="3")
    log(cli, "2026-11-05 08:00", hours="2", peak="4")
    log(cli, "2026-11-09 08:00", hours="2")
    assert [a["id"] for a in cli.json("attack", "list")] == [3, 2, 1]
    assert [a["id"] for a in cli.json("attack", "list", "--since", "2026-11-02")] == [3, 2]
    assert [a["id"] for a in cli.json("attack", "list", "--until", "2026-11-05")] == [2, 1]
    table = cli.ok("attack", "list", "--limit", "2").stdout
    assert "Showing the newest 2 of 3 attacks" in table
    assert table.splitlines()[1].split() == ["3", "2026-11-09", "08:00", "2", "h", "6", "-"]

    out = cli.ok(
        "attack", "edit", "1", "--peak", "8", "--aura", "--med", "sumatriptan@09:00=helpful"
    ).stdout
    assert out.splitlines() == [
        "Updated attack 1: 2026-11-01 08:00 to 11:00 (3 h), peak 8, aura",
        "Medication: ibuprofen 400mg (simple analgesic), sumatriptan (triptan, 09:00, helpful)",
    ]
    cli.ok("attack", "edit", "1", "--clear-meds", "--hours", "6", "--notes", "dark room")
    edited = cli.json("attack", "show", "1")
    assert edited["medications"] == []
    assert edited["end"] == "2026-11-01T13:00:00+00:00"
    assert edited["notes"] == "dark room"
    cli.ok("attack", "edit", "1", "--notes", "", "--no-aura")
    assert cli.json("attack", "show", "1")["notes"] is None
    assert cli.json("attack", "show", "1")["aura"] is False

    assert cli.ok("attack", "delete", "1", "--yes").stdout == "Deleted attack 1.\n"
    assert [a["id"] for a in cli.json("attack", "list")] == [3, 2]
    with sqlite3.connect(cli.db_path) as conn:  # its medication went with it
        assert conn.execute("SELECT COUNT(*) FROM medication").fetchone()[0] == 0


def test_show_text(cli: Cli) -> None:
    log(
        cli, "2026-11-01 08:00", "--med", "ibuprofen 400mg=somewhat", "--notes", "[red]x", hours="3"
    )
    out = cli.ok("attack", "show", "1").stdout
    rows = [line.strip().split(None, 1) for line in out.splitlines()]
    assert ["medication", "ibuprofen 400mg (simple analgesic, somewhat)"] in rows
    assert ["notes", "[red]x"] in rows  # shown as typed
    assert ["source", "typed"] in rows


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["attack", "log", "--peak", "11", "--hours", "1"],
            2,
            "peak must be a whole number from 0 to 10 (got 11)",
        ),
        (["attack", "log", "--peak", "5", "--hours", "0"], 2, f"{HOURS} (got 0)"),
        (["attack", "log", "--peak", "5", "--hours", "-1"], 2, f"{HOURS} (got -1)"),
        (["attack", "log", "--peak", "5", "--hours", "x"], 2, f"{HOURS} (got x)"),
        (["attack", "log", "--peak", "5", "--hours", "72.5"], 2, f"{HOURS} (got 72.5)"),
        (["attack", "log", "--peak", "5", "--hours", "nan"], 2, f"{HOURS} (got nan)"),
        (
            ["attack", "log", "--peak", "5", "--hours", "1", "--until", "2026-11-20 10:00"],
            2,
            "give only one of --hours, --until and --ongoing",
        ),
        (
            ["attack", "log", "--peak", "5", "--hours", "1", "--ongoing"],
            2,
            "give only one of --hours, --until and --ongoing",
        ),
        (
            ["attack", "log", "--peak", "5"],
            2,
            "missing --hours, --until or --ongoing: how long it lasted (a number of hours above "
            "0 and at most 72, fractions allowed), when it ended, or that it is still going",
        ),
        (
            ["attack", "log", "--hours", "1"],
            2,
            "missing --peak: a whole number from 0 to 10",
        ),
        (
            ["attack", "log", "--peak", "5", "--ongoing", "--when", "2099-01-01 10:00"],
            2,
            "when must be a moment up to now (got '2099-01-01 10:00', read as 2099-01-01 10:00)",
        ),
        (
            ["attack", "log", "--peak", "5", "--ongoing", "--when", "last fortnight"],
            2,
            f"when must be {WHEN} (got last fortnight)",
        ),
        (
            ["attack", "log", "--peak", "5", "--hours", "1", "--med", "x=great"],
            2,
            "helpfulness must be helpful, somewhat, unhelpful or unsure (got great)",
        ),
        (
            ["attack", "log", "--peak", "5", "--hours", "1", "--med", "=helpful"],
            2,
            "med must be a medication name of 1 to 100 characters on one line, without "
            "control characters (got '')",
        ),
        (
            ["attack", "log", "--peak", "5", "--until", "10:00"],
            2,
            "--until needs --when: when the attack began",
        ),
        (
            ["attack", "show", "99"],
            1,
            "no attack with id 99; see the ids with: migraine attack list",
        ),
        (
            ["attack", "end", "99"],
            1,
            "no attack with id 99; see the ids with: migraine attack list",
        ),
        (
            ["attack", "edit", "99", "--peak", "3"],
            1,
            "no attack with id 99; see the ids with: migraine attack list",
        ),
        (
            ["attack", "delete", "99", "--yes"],
            1,
            "no attack with id 99; see the ids with: migraine attack list",
        ),
        (["attack", "edit", "1"], 2, "nothing to change: give at least one option, e.g. --peak 6"),
        (
            ["checkin", "--date", "2026-02-30"],
            2,
            "date must be a date such as 2026-11-20, today or yesterday (got 2026-02-30)",
        ),
        (
            ["checkin", "--date", "2099-01-01"],
            2,
            "date must be a date such as 2026-11-20, today or yesterday, not in the future "
            "(got 2099-01-01)",
        ),
        (
            ["kept", "2026-11-10", "2026-11-01"],
            2,
            "FROM must be on or before TO (got 2026-11-10 after 2026-11-01)",
        ),
        (
            ["kept", "2026-11-01", "soon"],
            2,
            "TO must be a date such as 2026-11-20, today or yesterday (got soon)",
        ),
        (["calendar", "--months", "0"], 2, "months must be a whole number from 1 to 120 (got 0)"),
        (
            ["meds", "--months", "2", "--since", "2026-01-01"],
            2,
            "give either --months or --since/--until, not both",
        ),
        (
            ["calendar", "--since", "2026-11-10", "--until", "2026-11-01"],
            2,
            "since must be on or before until (got 2026-11-10 after 2026-11-01)",
        ),
        (
            ["medclass", "Migrastop", "painkiller"],
            2,
            "CLASS must be one of triptan, simple_analgesic, combination_analgesic, opioid, "
            "ergot, gepant, ditan, other (got painkiller)",
        ),
    ],
)
def test_bad_input_is_one_line_and_leaves_the_diary_unchanged(
    cli: Cli, args: list[str], code: int, message: str
) -> None:
    log(cli, "2026-11-01 08:00", hours="3")
    before = fingerprint(cli.db_path)
    result = cli(*args)
    assert result.exit_code == code, result.stderr
    assert result.stderr == f"migraine: error: {message}\n"
    assert result.stdout == ""
    assert fingerprint(cli.db_path) == before


@pytest.mark.sqlite_only  # no file is made
def test_bad_input_on_a_new_diary_creates_nothing(cli: Cli) -> None:
    for args in (
        ["attack", "log", "--peak", "11", "--hours", "1"],
        ["checkin", "--date", "2099-01-01"],
        ["medclass", "x", "y"],
        ["attack", "end", "1"],
    ):
        assert cli(*args).exit_code in (1, 2)
    assert not cli.db_path.exists()


def test_length_is_asked_on_a_terminal(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import migraine_diary.cli.common as cli_module

    monkeypatch.setattr(cli_module, "on_terminal", lambda: True)
    result = cli("attack", "log", "--when", "2026-11-01 08:00", input="6\n2.5\n")
    assert result.exit_code == 0, result.stderr
    shown = cli.json("attack", "show", "1")
    assert shown["peak"] == 6
    assert shown["end"] == "2026-11-01T09:30:00+00:00"
    result = cli("attack", "log", "--when", "2026-11-02 08:00", "--peak", "3", input="ongoing\n")
    assert result.exit_code == 0, result.stderr
    assert cli.json("attack", "show", "2")["end"] is None


def test_days_are_local_days_across_daylight_saving_time(cli: Cli) -> None:
    # 00:30 on 6 July in Berlin is 22:30 UTC on the 5th; read in November (UTC+1) a fixed
    # offset would put it on the 5th.
    log(cli, "2026-07-06 00:30", hours="2")
    assert cli.json("attack", "show", "1")["start"] == "2026-07-05T22:30:00+00:00"
    assert statuses(month(cli, "2026-07-05", "2026-07-06")) == {5: "unknown", 6: "migraine"}


@pytest.mark.sqlite_only  # a diary file not there yet
def test_calendar_and_meds_on_a_missing_diary(cli: Cli) -> None:
    result = cli("calendar", "--months", "1", "--json")
    assert result.exit_code == 0
    months = json.loads(result.stdout)
    assert [m["month"] for m in months] == ["2026-10", "2026-11"]  # one complete, and so far
    assert all(m["recorded_days"] == 0 for m in months)
    assert {d["status"] for m in months for d in m["days"]} == {"unknown"}
    assert cli.json("meds", "--months", "1")[0]["total_days"] == 0
    assert not cli.db_path.exists()


def test_default_months_are_three_complete_months_and_this_one_so_far(cli: Cli) -> None:
    months = cli.json("calendar")
    today = current_day()
    assert [m["month"] for m in months] == ["2026-08", "2026-09", "2026-10", "2026-11"]
    assert months[-1]["days"][-1]["date"] == today.isoformat()  # up to today, not past it
    assert len(months[0]["days"]) == 31
    assert len(cli.json("meds", "--months", "5")) == 6


def test_attack_commands_have_help_with_examples() -> None:
    from typer.testing import CliRunner

    runner = CliRunner()
    for name in ("log", "end", "list", "show", "edit", "delete"):
        result = runner.invoke(app, ["attack", name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.stdout, name
    assert "NAME[@TIME][=HELPFULNESS]" in " ".join(
        runner.invoke(app, ["attack", "log", "--help"]).stdout.split()
    )


def test_attack_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from migraine_diary.cli.app import app\n"
        "for args in (['attack', 'log', '--help'], ['calendar', '--help'], ['meds', '--help']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0\n"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'migraine_diary.domain.models',"
        " 'migraine_diary.storage', 'migraine_diary.diary.attacks',"
        " 'migraine_diary.diary.days', 'migraine_diary.diary.medclass',"
        " 'migraine_diary.transfer.migraine_buddy_import', 'migraine_diary.render.attacks')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_demo_diary_has_a_baseline_and_a_course(tmp_path: Path) -> None:
    from migraine_diary.diary.demo import COURSE_SHIFT

    demo = Cli(tmp_path / "demo.db")
    result = demo.runner.invoke(app, ["demo", "--db", str(tmp_path / "demo.db")])
    assert result.exit_code == 0, result.stderr
    today = current_day()

    def window(first: int, last: int) -> tuple[int, int]:
        months = demo.json(
            "calendar",
            "--since",
            str(today - dt.timedelta(days=first)),
            "--until",
            str(today - dt.timedelta(days=last)),
        )
        return (
            sum(m["migraine_days"] for m in months),
            sum(m["recorded_days"] for m in months),
        )

    shift = COURSE_SHIFT
    # three baseline sessions during attacks without an attack record are left out
    assert window(96 + shift, 41 + shift) == (17, 53)  # 9.0 migraine days per 28 before
    migraine, recorded = window(40 + shift, 1)
    assert migraine == 15
    assert recorded == 64  # six check-ins forgotten
    assert len(demo.json("attack", "list", "--limit", "100")) == 29


SPAN_LIMIT = (
    "since must be a day from 2016-11-01 to 2026-11-26: calendar, meds and report cover at "
    "most 10 years (got {got})"
)


@pytest.mark.parametrize(
    "args",
    [
        ["calendar", "--since", "1901-01-01"],
        ["meds", "--since", "1900-01-01", "--until", "2026-11-26"],
        ["report", "--since", "2016-10-31", "--format", "md"],
    ],
)
def test_calendar_meds_and_report_cover_at_most_ten_years(cli: Cli, args: list[str]) -> None:
    """A thousand years of calendar ran for more than 10 minutes: the span is refused before
    any work (years before 1900 are refused by the date range itself)."""
    log(cli, "2026-11-01 08:00", hours="3")
    before = fingerprint(cli.db_path)
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr == "migraine: error: " + SPAN_LIMIT.format(got=args[2]) + "\n"
    assert result.stdout == ""
    assert fingerprint(cli.db_path) == before


def test_ten_years_is_within_the_limit(cli: Cli) -> None:
    log(cli, "2026-11-01 08:00", hours="3")
    assert len(cli.json("meds", "--since", "2016-11-01")) == 121
    assert len(cli.json("meds", "--months", "120")) == 121
    refused = cli("calendar", "--since", "2000-05-01", "--until", "2010-06-15")
    assert refused.exit_code == 2
    assert "a day from 2000-06-01 to 2010-06-15" in refused.stderr
