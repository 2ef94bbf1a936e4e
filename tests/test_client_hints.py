"""The commands the program prints for the user to run carry the client chosen with --client
or MIGRAINE_DIARY_CLIENT (issue 19): each hint here is copied as printed, run through the CLI,
and shown to act on that client's records alone. A personal diary's hints stay as they were."""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from migraine_diary.domain import hints

ANNE = "Anne Alder"
QUOTED = "'Anne Alder'"


class Client(Cli):
    """The CLI with --client NAME before every command, as the user types it."""

    def __init__(self, target: Path | str, name: str) -> None:
        super().__init__(target)
        self.name = name

    def __call__(self, *args: str, input: str | None = None) -> Any:
        return super().__call__("--client", self.name, *args, input=input)


def printed(text: str, before: str, after: str = "\n") -> list[str]:
    """The command between `before` and `after` in the text, as a POSIX shell splits it,
    without the leading `migraine` (the Cli adds the program and --db)."""
    start = text.index(before) + len(before)
    words = shlex.split(text[start : text.index(after, start)])
    assert words[0] == "migraine", words
    return words[1:]


def run_printed(cli: Cli, words: list[str]) -> Any:
    """Run a printed command as it is: the Cli adds --db (hints never carry it)."""
    return cli.ok(*words)


def free_days(cli: Cli) -> list[str]:
    """The days checked in as free of migraine, this month and last."""
    months = cli.json("calendar", "--months", "1")
    return [d["date"] for m in months for d in m["days"] if d["status"] == "free"]


@dataclass
class Practice:
    """A practice diary with two clients: the CLI naming no client, Anne's and Bob's."""

    cli: Cli
    anne: Client
    bob: Client


@pytest.fixture
def practice(db_path: Path) -> Practice:
    cli = Cli(db_path)
    cli.ok("client", "add", ANNE)
    cli.ok("client", "add", "Bob")
    return Practice(cli, Client(db_path, ANNE), Client(db_path, "Bob"))


# --- the rule, in one place ---------------------------------------------------------------


def test_the_client_goes_right_after_the_program_quoted_for_the_shell() -> None:
    hints.use_client(ANNE)
    try:
        assert hints.command_line("plan next 1") == "migraine --client 'Anne Alder' plan next 1"
        assert hints.command_line("clients") == "migraine clients"  # names no client of its own
        assert hints.command_line("upgrade") == "migraine upgrade"
        hints.use_client("Bob")
        assert hints.command_line("attack list") == "migraine --client Bob attack list"
        hints.use_client("  O'Brien   Ann ")
        assert shlex.split(hints.command_line("list")) == [
            "migraine",
            "--client",
            "O'Brien Ann",
            "list",
        ]
    finally:
        hints.use_client(None)
    assert hints.command_line("plan next 1") == "migraine plan next 1"
    assert hints.command_line_for("Bob", "log ...") == "migraine --client Bob log ..."


# --- each hint, copied as printed, acts on the chosen client ------------------------------


def test_the_checkin_hint_records_the_clients_day(practice: Practice) -> None:
    logged = practice.anne.log("cst", when="2026-11-20 10:00")
    assert f"record it with 'migraine --client {QUOTED} checkin --date 2026-11-20'" in (
        logged.stderr
    )
    run_printed(practice.cli, printed(logged.stderr, "record it with '", "'\n"))
    assert free_days(practice.anne) == ["2026-11-20"]
    assert free_days(practice.bob) == []


def test_the_due_rating_hint_rates_the_clients_dose(practice: Practice) -> None:
    practice.bob.ok("attack", "log", "--when", "today 07:00", "--hours", "3", "--peak", "6",
           "--med", "ibuprofen@07:30")  # fmt: skip
    practice.anne.ok("attack", "log", "--when", "today 08:00", "--hours", "3", "--peak", "7",
            "--med", "sumatriptan@08:30")  # fmt: skip
    due = practice.anne.ok("attack", "due").stdout
    assert f"migraine --client {QUOTED} attack rate 2 --dose 1 --after 2h --pain P" in due
    line = next(line for line in due.splitlines() if "attack rate" in line)
    words = printed(line[line.index("migraine") :] + "\n", "")
    run_printed(practice.cli, [("2" if w == "P" else w) for w in words])
    assert "No 2-hour rating is due." in practice.anne.ok("attack", "due").stdout
    assert "attack rate 1 " in practice.bob.ok("attack", "due").stdout  # Bob's dose is still due


def test_the_plan_hint_reaches_the_clients_plan(practice: Practice) -> None:
    practice.bob.ok("plan", "new", "massage", "--compare", "60,30", "--seed", "1", "--new-therapy")
    made = practice.anne.ok(
        "plan", "new", "cst", "--compare", "45,30", "--seed", "7", "--new-therapy"
    ).stdout
    assert f"Next: migraine --client {QUOTED} plan next 2" in made
    words = printed(made, "Next: ")
    assert "cst" in run_printed(practice.cli, words).stdout
    assert practice.cli("plan", "next").exit_code == 1  # as printed before: two plans, which one?


def test_the_undo_hint_takes_back_the_clients_record(
    practice: Practice,
) -> None:
    practice.anne.log("cst", when="2026-11-20 10:00")
    practice.bob.log("massage", when="2026-11-21 10:00")
    asked = practice.anne("undo")
    assert asked.exit_code == 2
    assert "add --yes when not on a terminal" in asked.stderr  # the command typed, and --yes
    practice.anne.ok("undo", "--yes")
    assert practice.anne.json("list") == []
    assert [s["therapy"] for s in practice.bob.json("list")] == ["massage"]


def test_the_update_hint_changes_the_clients_record(practice: Practice, tmp_path: Path) -> None:
    practice.anne.log("cst", when="2026-11-20 10:00")
    practice.anne.ok("export", "--output", str(tmp_path / "anne.csv"))
    practice.anne.ok("edit", "1", "--minutes", "50")
    refused = practice.anne("import", str(tmp_path / "anne.csv"))
    assert refused.exit_code == 2
    assert "(add --update to change it to the file's values)" in refused.stderr
    practice.anne.ok("import", str(tmp_path / "anne.csv"), "--update")
    assert practice.anne.json("show", "1")["minutes"] == 45


def test_error_hints_list_the_clients_records(practice: Practice) -> None:
    practice.bob.ok("attack", "log", "--when", "2026-11-02 08:00", "--hours", "2", "--peak", "5")
    practice.anne.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "2", "--peak", "6")
    missing = practice.anne("attack", "show", "9")
    assert missing.exit_code == 1
    hint = f"see the ids with: migraine --client {QUOTED} attack list"
    assert hint in missing.stderr
    listed = run_printed(practice.cli, [*printed(missing.stderr, "see the ids with: "), "--json"])
    assert [a["peak"] for a in json.loads(listed.stdout)] == [6]
    future = practice.anne("attack", "log", "--when", "today 09:00", "--hours", "5", "--peak", "7")
    assert f"end it later with: migraine --client {QUOTED} attack end ID" in future.stderr
    gone = practice.anne("show", "7")
    assert f"see the ids with: migraine --client {QUOTED} list" in gone.stderr


def test_the_ongoing_attack_note_ends_the_clients_attack(
    practice: Practice,
) -> None:
    practice.anne.ok("attack", "log", "--when", "2026-11-20 08:00", "--ongoing", "--peak", "6")
    note = practice.anne.ok("attack", "list").stderr
    assert f"end it with 'migraine --client {QUOTED} attack end 1 --when ...'" in note
    words = printed(note, "end it with '", "'\n")
    run_printed(practice.cli, [("2026-11-20 18:00" if w == "..." else w) for w in words])
    assert practice.anne.json("attack", "show", "1")["end"] is not None


def test_a_listing_across_clients_tells_overlaps_within_a_client_only(
    practice: Practice,
) -> None:
    """Two clients' attacks at the same hours are two people's, not an overlap to fix; one
    client's two overlapping attacks are, and the hint for them names that client (a
    listing of every client chose none, and a write without --client is refused)."""
    practice.anne.ok("attack", "log", "--when", "2026-11-20 09:00", "--hours", "4", "--peak", "5")
    practice.bob.ok("attack", "log", "--when", "2026-11-20 10:00", "--hours", "4", "--peak", "6")
    assert "overlap" not in practice.cli.ok("attack", "list").stdout
    practice.anne.ok(
        "attack", "log", "--when", "2026-11-20 11:00", "--hours", "1", "--peak", "4",
        "--allow-overlap",
    )  # fmt: skip
    listing = practice.cli.ok("attack", "list").stdout
    assert listing.count("overlap") == 1, listing
    assert "Attacks 1 and 3 overlap" in listing
    words = printed(listing, "change or delete one with '", "' or '")
    assert words[:2] == ["--client", ANNE], words
    run_printed(practice.cli, [*words, "--peak", "3"])
    assert practice.anne.json("attack", "show", "3")["peak"] == 3


def test_a_wrong_client_is_never_carried_into_the_hint(
    practice: Practice,
) -> None:
    refused = practice.cli("--client", "Zed", "list")
    assert refused.exit_code == 1
    assert "see the names with: migraine clients" in refused.stderr
    assert "--client" not in refused.stderr
    run_printed(practice.cli, printed(refused.stderr, "see the names with: "))


# --- where the client came from -------------------------------------------------------------


def test_a_client_from_the_environment_is_carried(
    practice: Practice, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIGRAINE_DIARY_CLIENT", "Bob")
    made = practice.cli.ok(
        "plan", "new", "massage", "--compare", "60,30", "--seed", "1", "--new-therapy"
    ).stdout
    assert "Next: migraine --client Bob plan next 1" in made
    monkeypatch.delenv("MIGRAINE_DIARY_CLIENT")
    assert "massage" in run_printed(practice.cli, printed(made, "Next: ")).stdout


def test_a_client_from_the_config_file_is_not_repeated(
    practice: Practice, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('client = "Bob"\n', encoding="utf-8")
    monkeypatch.setenv("MIGRAINE_DIARY_CONFIG", str(config))
    made = practice.cli.ok(
        "plan", "new", "massage", "--compare", "60,30", "--seed", "1", "--new-therapy"
    ).stdout
    assert "Next: migraine plan next 1" in made  # the same file applies when it is run
    assert "massage" in run_printed(practice.cli, printed(made, "Next: ")).stdout


def test_one_run_with_a_client_leaves_the_next_run_without(
    practice: Practice,
) -> None:
    assert "--client" in practice.anne("show", "7").stderr
    assert "--client" not in practice.cli("show", "7").stderr


# --- a personal diary: byte for byte as before ----------------------------------------------


def test_a_personal_diarys_hints_are_unchanged(cli: Cli) -> None:
    logged = cli.log("cst", when="2026-11-20 10:00")
    assert logged.stderr == (
        "migraine: note: 2026-11-20 is not recorded as a day yet; if it had no migraine, "
        "record it with 'migraine checkin --date 2026-11-20'\n"
    )
    made = cli.ok("plan", "new", "cst", "--compare", "45,30", "--seed", "7").stdout
    assert "\nNext: migraine plan next 1\n" in made
    assert cli("attack", "show", "9").stderr == (
        "migraine: error: no attack with id 9; see the ids with: migraine attack list\n"
    )
    cli.ok("attack", "log", "--when", "today 08:00", "--hours", "3", "--peak", "7",
           "--med", "sumatriptan@08:30")  # fmt: skip
    assert "  migraine attack rate 1 --dose 1 --after 2h --pain P" in cli.ok("attack", "due").stdout


# --- the PostgreSQL half ----------------------------------------------------------------------


def test_the_due_rating_hint_on_both_engines(diary_target: str) -> None:
    cli, anne = Cli(diary_target), Client(diary_target, ANNE)
    cli.ok("client", "add", ANNE)
    anne.ok("attack", "log", "--when", "today 08:00", "--hours", "3", "--peak", "7",
            "--med", "sumatriptan@08:30")  # fmt: skip
    due = anne.ok("attack", "due").stdout
    line = next(line for line in due.splitlines() if "attack rate" in line)
    words = printed(line[line.index("migraine") :] + "\n", "")
    assert words[:2] == ["--client", ANNE]
    run_printed(cli, [("1" if w == "P" else w) for w in words])
    assert "No 2-hour rating is due." in anne.ok("attack", "due").stdout
