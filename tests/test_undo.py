"""`migraine undo` (issue 17): the record typed last, whichever kind, shown and removed after
confirmation; the order is kept in the diary (one migration step), not guessed from ids."""

from __future__ import annotations

import sqlite3

import pytest

from conftest import Cli

pytestmark = pytest.mark.both_engines


def test_undo_takes_back_the_last_record_of_any_kind(cli: Cli) -> None:
    cli.log(when="2026-11-20")
    cli.ok("attack", "log", "--when", "2026-11-21 08:00", "--hours", "2", "--peak", "5")
    cli.ok("checkin", "--date", "2026-11-22")
    cli.log(when="2026-11-19")  # older day, typed last: the order typed is what counts

    result = cli.ok("undo", "--yes")
    assert result.stdout == "Removed session 2.\n"
    assert [s["id"] for s in cli.json("list")] == [1]
    assert cli.ok("undo", "--yes").stdout == "Removed the check-in of 2026-11-22.\n"
    assert cli.ok("undo", "--yes").stdout == "Removed attack 1.\n"
    assert cli.json("attack", "list") == []
    assert cli.ok("undo", "--yes").stdout == "Removed session 1.\n"
    result = cli("undo", "--yes")
    assert result.exit_code == 1
    assert result.stderr == (
        "migraine: error: nothing to undo: no session, attack or check-in typed in this diary yet\n"
    )


def test_a_record_deleted_since_is_skipped(cli: Cli) -> None:
    cli.log()
    cli.log()
    cli.ok("delete", "2", "--yes")
    assert cli.ok("undo", "--yes").stdout == "Removed session 1.\n"


def test_undo_shows_and_asks(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import migraine_diary.cli.common as common

    cli.log(cost=90)
    monkeypatch.setattr(common, "on_terminal", lambda: True)
    result = cli("undo", input="n\n")
    assert result.exit_code == 0
    assert result.stdout == (
        "Remove session 1: craniosacral, 2026-11-26 12:00, 45 min, pain 5 -> 4 (relief +1), "
        "cost 90.00? [y/N]: n\nNothing was removed.\n"
    )
    assert len(cli.json("list")) == 1
    assert cli("undo", input="y\n").exit_code == 0
    assert cli.json("list") == []


def test_without_a_terminal_undo_needs_yes(cli: Cli) -> None:
    cli.log()
    result = cli("undo")
    assert result.exit_code == 2
    assert result.stderr == (
        "migraine: error: undo asks for confirmation: add --yes when not on a terminal\n"
    )
    assert len(cli.json("list")) == 1


def test_an_attack_replacing_a_check_in_takes_its_place(cli: Cli) -> None:
    cli.ok("checkin", "--date", "2026-11-21")
    cli.ok("attack", "log", "--when", "2026-11-21 08:00", "--hours", "2", "--peak", "5")
    assert cli.ok("undo", "--yes").stdout == "Removed attack 1.\n"
    assert cli("undo", "--yes").exit_code == 1  # the check-in went when the attack came


@pytest.mark.sqlite_only  # makes the upgraded diary with sqlite3
def test_an_upgraded_diary_has_nothing_to_undo_until_something_is_typed(cli: Cli) -> None:
    cli.log()
    with sqlite3.connect(cli.db_path) as conn:
        conn.execute("DELETE FROM addition")
    assert cli("undo", "--yes").exit_code == 1
    cli.log()
    assert cli.ok("undo", "--yes").stdout == "Removed session 2.\n"
