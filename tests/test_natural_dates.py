"""Natural dates (issue 17): now, a time alone, N days ago, weekdays, with a time after any of
them; a moment ahead of now or a date that reads two ways is refused saying how it was read.
conftest pins now to Thursday 2026-11-26 12:00 in Berlin."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import Cli
from migraine_diary.domain.dates import format_local, parse_day, parse_when


@pytest.mark.parametrize(
    ("typed", "local"),
    [
        ("now", "2026-11-26 12:00"),
        ("NOW", "2026-11-26 12:00"),
        ("9:30", "2026-11-26 09:30"),
        ("11:59", "2026-11-26 11:59"),
        ("today", "2026-11-26 12:00"),
        ("yesterday 17:00", "2026-11-25 17:00"),
        ("3 days ago", "2026-11-23 12:00"),
        ("1 day ago 8:15", "2026-11-25 08:15"),
        ("monday", "2026-11-23 12:00"),
        ("last monday 9:30", "2026-11-23 09:30"),
        ("Last  Thursday", "2026-11-19 12:00"),  # today is a Thursday: the one before
        ("fri 20:00", "2026-11-20 20:00"),
        ("2026-11-20 14:30", "2026-11-20 14:30"),
    ],
)
def test_natural_moments(typed: str, local: str) -> None:
    assert format_local(parse_when(typed)) == local


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("17:00", "when must be a moment up to now (got '17:00', read as 2026-11-26 17:00)"),
        ("today 13:00", "when must be a moment up to now (got 'today 13:00', read as "
         "2026-11-26 13:00)"),
        ("tomorrow", "when must be a moment up to now (got 'tomorrow', read as 2026-11-27)"),
        ("next monday", "when must be a moment up to now (got 'next monday', read as a day "
         "ahead)"),
        ("2026-11-26 23:00", "when must be a moment up to now (got '2026-11-26 23:00', read "
         "as 2026-11-26 23:00)"),
        ("2026-11-27T01:00+01:00", "when must be a moment up to now (got "
         "'2026-11-27T01:00+01:00', read as 2026-11-27 01:00)"),
        ("2026-11-27", "when must be a moment up to now (got '2026-11-27', read as "
         "2026-11-27 12:00)"),
        ("11/12", "when must be a date written year first, such as 2026-11-20 (got '11/12': "
         "day 11 of month 12, or month 11 day 12?)"),
    ],
)  # fmt: skip
def test_ahead_or_ambiguous_moments_are_refused_with_what_was_understood(
    cli: Cli, typed: str, message: str
) -> None:
    result = cli("log", "cst", "-m", "45", "-b", "5", "-a", "4", "--when", typed)
    assert result.exit_code == 2
    assert result.stderr == f"migraine: error: {message}\n"
    assert not cli.db_path.exists()


def test_todays_date_alone_is_taken_in_the_morning_too(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A date alone stands for its noon; today's is not refused as ahead at 09:00."""
    monkeypatch.setenv("MIGRAINE_DIARY_NOW", "2026-11-26 09:00")
    cli.ok("log", "cst", "-m", "45", "-b", "5", "-a", "4", "--when", "2026-11-26",
           "--new-therapy")  # fmt: skip
    assert cli.json("list")[0]["when"].startswith("2026-11-26T11:00")


def test_days_read_the_same_words() -> None:
    assert parse_day("3 days ago", field="since") == date(2026, 11, 23)
    assert parse_day("last monday", field="since") == date(2026, 11, 23)
    assert parse_day("sunday", field="since") == date(2026, 11, 22)


def test_natural_dates_through_the_commands(cli: Cli) -> None:
    cli.log(when="yesterday 17:00")
    cli.log(when="last monday")
    cli.ok("attack", "log", "--when", "3 days ago 8:00", "--hours", "2", "--peak", "6")
    assert cli.json("show", "1")["when"] == "2026-11-25T16:00:00+00:00"
    assert cli.json("show", "2")["when"] == "2026-11-23T11:00:00+00:00"
    assert cli.json("attack", "show", "1")["start"] == "2026-11-23T07:00:00+00:00"
    assert [s["id"] for s in cli.json("list", "--since", "2 days ago")] == [1]
    assert [a["id"] for a in cli.json("attack", "list", "--since", "last monday")] == [1]


def test_a_huge_count_of_days_is_out_of_range(cli: Cli) -> None:
    result = cli("log", "cst", "-m", "45", "-b", "5", "-a", "4", "--when", "999999 days ago")
    assert result.exit_code == 2
    assert "when must be a date from 1900-01-01" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["attack", "log", "--when", "today", "--hours", "1", "--peak", "5"],
         "when must be a moment up to now (got 'today', read as 2026-12-01 12:00)"),
        (["checkin", "--date", "tomorrow"], "date must be a date such as 2026-11-20, today or "
         "yesterday, not in the future (got 'tomorrow', read as 2026-12-02)"),
        (["kept", "2 days ago", "next friday"], "TO must be a date such as 2026-11-20, today or "
         "yesterday, not in the future (got 'next friday', read as a day ahead)"),
    ],
)  # fmt: skip
def test_every_refused_natural_date_says_how_it_was_read(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.setenv("MIGRAINE_DIARY_NOW", "2026-12-01T09:00")
    result = cli(*args)
    assert (result.exit_code, result.stderr) == (2, f"migraine: error: {message}\n")
