"""Prompts on a terminal (issue 17): every missing value asked, each answer checked when given
and asked again after its one-line error, defaults from the therapy's last session; Ctrl-C
or the end of input writes nothing (exit 130); a no to a confirmation is no error (exit 0)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from conftest import Cli

pytestmark = pytest.mark.both_engines


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import migraine_diary.cli.common as common

    monkeypatch.setattr(common, "on_terminal", lambda: True)


@pytest.mark.sqlite_only  # the prompts' flow; the last session read on PostgreSQL: test_again_*
def test_bare_log_asks_for_everything(cli: Cli, terminal: None) -> None:
    cli.log("craniosacral", cost=90, provider="Dr A")
    answers = ["craniosacral", "", "5", "3", "", "2", "", "y", "sore neck"]
    result = cli("log", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "Therapy (craniosacral)" in result.stdout
    assert "Minutes [45]" in result.stdout  # the last session's values are the defaults
    assert "Cost [90.00]" in result.stdout
    assert "Provider (- for none) [Dr A]" in result.stdout
    shown = cli.json("show", "2")
    assert (shown["therapy"], shown["minutes"], shown["cost"], shown["provider"]) == (
        "craniosacral", 45, "90.00", "Dr A",
    )  # fmt: skip
    assert (shown["pain_before"], shown["pain_after"], shown["pain_later"]) == (5, 3, 2)
    assert (shown["during_attack"], shown["notes"]) == (True, "sore neck")


@pytest.mark.sqlite_only  # the prompts' checks: nothing of the engine
def test_a_bad_answer_is_asked_again_with_its_error(cli: Cli, terminal: None) -> None:
    result = cli("log", "craniosacral", input="45\n11\n5\nx\n4\n-3\n80\n")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[:3] == [
        "migraine: error: pain-before must be a whole number from 0 to 10 (got 11)",
        "migraine: error: pain-after must be a whole number from 0 to 10 (got x)",
        "migraine: error: cost must be an amount from 0 to 1,000,000 with at most 2 decimals, "
        "such as 120 or 89.50 (got -3)",
    ]
    shown = cli.json("show", "1")
    assert (shown["minutes"], shown["pain_before"], shown["pain_after"], shown["cost"]) == (
        45, 5, 4, "80.00",
    )  # fmt: skip


@pytest.mark.sqlite_only  # the prompts' flow; near names on PostgreSQL: test_again_*
def test_a_new_therapy_is_confirmed_and_a_near_miss_named(cli: Cli, terminal: None) -> None:
    cli.log("craniosacral", cost=0)
    answers = ["craniosacrl", "n", "reiki", "y", "30", "4", "4", "", "", "", "", "", ""]
    result = cli("log", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "'craniosacrl' is not in the diary yet (did you mean 'craniosacral'?)" in result.stdout
    assert "'reiki' is not in the diary yet. Add it as a new therapy?" in result.stdout
    assert cli.json("show", "2")["therapy"] == "reiki"


@pytest.mark.parametrize(
    "args",
    [["log"], ["log", "craniosacral"], ["attack", "log"], ["attack", "log", "--when", "9:00"]],
)
def test_end_of_input_or_ctrl_c_writes_nothing_and_exits_130(
    cli: Cli, terminal: None, unchanged: Callable[[], None], args: list[str]
) -> None:
    result = cli(*args, input="")
    assert result.exit_code == 130
    assert result.stderr.endswith("\nmigraine: cancelled; nothing was written\n")
    unchanged()


def test_ctrl_c_at_a_later_prompt_loses_nothing_stored(cli: Cli, terminal: None) -> None:
    cli.log(cost=0)
    result = cli("log", "craniosacral", input="45\n5\n")
    assert result.exit_code == 130
    assert [s["id"] for s in cli.json("list")] == [1]


@pytest.mark.sqlite_only  # refused before any diary is opened
def test_without_a_terminal_a_missing_value_stays_an_error(
    cli: Cli, unchanged: Callable[[], None]
) -> None:
    result = cli("log")
    assert result.exit_code == 2
    assert result.stderr == (
        "migraine: error: missing THERAPY: a name of 1 to 100 characters on one line, without "
        "control characters\n"
    )
    unchanged()  # no diary made on a file, no row written on PostgreSQL


@pytest.mark.parametrize(
    ("delete", "shown"), [(["delete", "1"], ["show", "1"]),
                          (["attack", "delete", "1"], ["attack", "show", "1"])],
)  # fmt: skip
@pytest.mark.sqlite_only  # the confirmation's flow; deletes on PostgreSQL: test_engines
def test_no_to_a_confirmation_is_a_choice_not_an_error(
    cli: Cli, terminal: None, delete: list[str], shown: list[str]
) -> None:
    cli.log(cost=0)
    cli.ok("attack", "log", "--when", "9:00", "--hours", "2", "--peak", "5")
    result = cli(*delete, input="n\n")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.endswith("Nothing was deleted.\n")
    cli.ok(*shown)
    result = cli(*delete, input="y\n")
    assert result.exit_code == 0
    assert cli(*shown).exit_code == 1


@pytest.mark.sqlite_only  # the prompts' flow: nothing of the engine
def test_bare_attack_log_asks_for_everything(cli: Cli, terminal: None) -> None:
    answers = ["yesterday 8:00", "11", "7", "lots", "3", "y", "sumatriptan@8:30=helpful",
               "nonsense=bad", "", "weather"]  # fmt: skip
    result = cli("attack", "log", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "migraine: error: helpfulness must be" in result.stderr
    assert "migraine: error: peak must be a whole number from 0 to 10 (got 11)" in result.stderr
    assert "migraine: error: hours must be" in result.stderr
    shown = cli.json("attack", "show", "1")
    assert shown["start"] == "2026-11-25T07:00:00+00:00"
    assert shown["end"] == "2026-11-25T10:00:00+00:00"
    assert (shown["peak"], shown["aura"], shown["notes"]) == (7, True, "weather")
    assert [m["name"] for m in shown["medications"]] == ["sumatriptan"]


def test_again_reuses_the_last_session_and_says_what(cli: Cli) -> None:
    cli.log("craniosacral", minutes=50, cost=90, provider="Dr A", when="2026-11-20")
    cli.log("acupuncture", minutes=30, cost=60)
    result = cli("log", "craniosacral", "--again", "-b", "5", "-a", "4", "-c", "95", "--json")
    assert result.exit_code == 0, result.stderr
    reused = "migraine: note: reused from session 1 (2026-11-20): minutes 50 and the same provider"
    assert reused + "\n" in result.stderr
    stored = cli.json("show", "3")
    assert stored == json.loads(result.stdout)
    assert (stored["minutes"], stored["cost"], stored["provider"]) == (50, "95.00", "Dr A")


def test_again_without_a_session_of_that_therapy(cli: Cli) -> None:
    cli.log("craniosacral")
    result = cli("log", "craniosacrl", "--again", "-b", "5", "-a", "4")
    assert result.exit_code == 1
    assert result.stderr == (
        "migraine: error: no therapy 'craniosacrl' in the diary; did you mean 'craniosacral'?\n"
    )
    assert [s["id"] for s in cli.json("list")] == [1]


def test_log_json_is_the_stored_record(cli: Cli) -> None:
    result = cli.ok("log", "cst", "-m", "45", "-b", "5", "-a", "4", "--json")
    assert json.loads(result.stdout) == cli.json("show", "1")
    result = cli.ok("attack", "log", "--when", "9:00", "--hours", "2", "--peak", "5", "--json")
    assert json.loads(result.stdout) == cli.json("attack", "show", "1")


@pytest.mark.sqlite_only  # the prompts' flow: the last session read on PostgreSQL: test_again_*
def test_a_missing_cost_is_asked_for_with_the_last_cost(cli: Cli, terminal: None) -> None:
    cli.log("craniosacral", cost=90)
    result = cli("log", "craniosacral", "-m", "45", "-b", "5", "-a", "4", input="\n")
    assert result.exit_code == 0, result.stderr
    assert "Cost [90.00]" in result.stdout
    assert cli.json("show", "2")["cost"] == "90.00"
    result = cli("log", "reiki", "--new-therapy", "-m", "30", "-b", "5", "-a", "4", input="\n")
    assert "Cost [0]" in result.stdout
    assert cli.json("show", "3")["cost"] == "0.00"


@pytest.mark.sqlite_only  # the prompts' flow: nothing of the engine
def test_a_provider_offered_from_the_last_session_can_be_answered_none(
    cli: Cli, terminal: None
) -> None:
    cli.log("craniosacral", cost=90, provider="Harbour Bodywork")
    answers = ["craniosacral", "", "5", "3", "", "", "-", "n", ""]
    result = cli("log", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "Provider (- for none) [Harbour Bodywork]" in result.stdout
    assert cli.json("show", "2")["provider"] is None
