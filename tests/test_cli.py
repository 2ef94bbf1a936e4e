"""The real CLI, end to end, against a temporary diary."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, fingerprint
from migraine_diary.cli.app import app

pytestmark = pytest.mark.both_engines

COST = "cost must be an amount from 0 to 1,000,000 with at most 2 decimals, such as 120 or 89.50"
WHEN = (
    "when must be a date and optional time such as 2026-11-20, '2026-11-20 14:30', today, "
    "yesterday or 'yesterday 17:00'"
)
STORY = [  # the user story: three 45-minute sessions one point lower, then four 30-minute ones
    ("2026-10-01 16:30", 45, 4, 90),
    ("2026-10-03 16:30", 45, 4, 90),
    ("2026-10-06 16:30", 45, 4, 90),
    ("2026-10-08 16:30", 30, 5, 60),
    ("2026-10-10 16:30", 30, 5, 60),
    ("2026-10-13 16:30", 30, 5, 60),
    ("2026-10-15 16:30", 30, 5, 60),
]


def log_story(cli: Cli) -> None:
    for when, minutes, after, cost in STORY:
        cli.log(
            "Craniosacral", when=when, minutes=minutes, pain_before=5, pain_after=after, cost=cost
        )


def test_log_prints_the_stored_session(cli: Cli) -> None:
    result = cli.log("craniosacral", when="2026-11-20 14:30", cost="89.5", later=3)
    assert result.stdout.strip() == (
        "Logged session 1: craniosacral, 2026-11-20 14:30, 45 min, pain 5 -> 4, later 3 "
        "(relief +1), cost 89.50"
    )


def test_user_story_summary(cli: Cli) -> None:
    log_story(cli)
    data = cli.json("summary")
    (row,) = data["therapies"]
    assert row["therapy"] == "Craniosacral"
    assert row["sessions"] == 7
    assert row["total_minutes"] == 255
    assert row["avg_minutes"] == pytest.approx(255 / 7)
    assert row["avg_pain_before"] == 5
    assert row["avg_pain_after"] == pytest.approx(32 / 7)
    assert row["avg_relief"] == pytest.approx(3 / 7)
    assert row["relief_share"] == pytest.approx(3 / 7)
    assert row["total_cost"] == "510.00"
    assert row["cost_per_relief_point"] == pytest.approx(170.0)
    assert row["excluded_no_pain"] == 0
    assert data["total"]["therapy"] is None
    assert data["total"]["total_cost"] == "510.00"


def test_summary_table_shows_rounded_figures(cli: Cli) -> None:
    log_story(cli)
    out = cli.ok("summary").stdout
    line = next(x for x in out.splitlines() if x.startswith("Craniosacral"))
    assert line.split() == [
        "Craniosacral",
        "7",
        "255",
        "5.0",
        "4.6",
        "0.4",
        "43%",
        "510.00",
        "170.00",
    ]


def test_summary_leaves_out_sessions_that_began_without_pain(cli: Cli) -> None:
    cli.log("physio", pain_before=0, pain_after=0, cost=70, when="2026-11-01")
    cli.log("physio", pain_before=4, pain_after=2, cost=70, when="2026-11-02")
    (row,) = cli.json("summary")["therapies"]
    assert row["excluded_no_pain"] == 1
    assert row["avg_pain_before"] == 4
    assert row["avg_relief"] == 2
    assert row["relief_share"] == 1
    assert row["total_cost"] == "140.00"
    assert row["cost_per_relief_point"] == 35.0
    assert "1 session began at pain 0 and is left out" in cli.ok("summary").stdout


def test_cost_per_point_is_blank_without_relief(cli: Cli) -> None:
    cli.log("massage", pain_before=3, pain_after=4, cost=80, when="2026-11-01")
    (row,) = cli.json("summary")["therapies"]
    assert row["cost_per_relief_point"] is None
    assert row["avg_relief"] == -1  # worse afterwards is kept, never clipped


def test_summary_filters(cli: Cli) -> None:
    log_story(cli)
    cli.log("acupuncture", when="2026-10-02", cost=85)
    assert [
        r["therapy"] for r in cli.json("summary", "--therapy", "CRANIOSACRAL")["therapies"]
    ] == ["Craniosacral"]
    since = cli.json("summary", "--since", "2026-10-08", "--until", "2026-10-13")
    assert since["total"]["sessions"] == 3


def test_empty_diary_summary_and_list(cli: Cli) -> None:
    before = fingerprint(cli.db_path)  # on SQLite: None, no file yet
    result = cli("summary")
    assert result.exit_code == 0
    assert "No sessions yet" in result.stdout
    assert cli.json("list") == []
    assert fingerprint(cli.db_path) == before  # reading never creates or changes the diary


@pytest.mark.sqlite_only  # a diary file not there yet
def test_summary_of_a_missing_diary_says_so(cli: Cli) -> None:
    result = cli("summary")
    assert result.exit_code == 0
    assert "There is no diary" in result.stderr
    assert not Path(cli.db_path).exists()


def test_therapy_names_are_matched_case_insensitively(cli: Cli) -> None:
    cli.log("CST", when="2026-11-01")
    cli.log("cst", when="2026-11-02")
    cli.log("  Cst ", when="2026-11-03")
    assert cli.json("therapies") == [{"therapy": "CST", "sessions": 3}]


def test_near_miss_therapy_is_refused_unless_new(cli: Cli) -> None:
    cli.log("craniosacral", when="2026-11-01")
    before = fingerprint(cli.db_path)
    result = cli("log", "craniosacrl", "-m", "45", "-b", "5", "-a", "4")
    assert result.exit_code == 1
    assert result.stderr == (
        "migraine: error: no therapy 'craniosacrl' in the diary; did you mean 'craniosacral'? "
        "(add --new-therapy if it is a new one)\n"
    )
    assert fingerprint(cli.db_path) == before
    cli.ok("log", "craniosacrl", "-m", "45", "-b", "5", "-a", "4", "--new-therapy")
    assert len(cli.json("therapies")) == 2


@pytest.mark.sqlite_only  # refused in parsing, before any storage: 12 PostgreSQL runs for nothing
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-b", "11"], "pain-before must be a whole number from 0 to 10 (got 11)"),
        (["-b", "-1"], "pain-before must be a whole number from 0 to 10 (got -1)"),
        (["-b", "5.5"], "pain-before must be a whole number from 0 to 10 (got 5.5)"),
        (["-a", "x"], "pain-after must be a whole number from 0 to 10 (got x)"),
        (["-m", "0"], "minutes must be a whole number from 1 to 600 (got 0)"),
        (["-m", "601"], "minutes must be a whole number from 1 to 600 (got 601)"),
        (
            ["-c", "-5"],
            f"{COST} (got -5)",
        ),
        (
            ["-c", "1.555"],
            f"{COST} (got 1.555)",
        ),
        (
            ["-c", "NaN"],
            f"{COST} (got NaN)",
        ),
        (["--later", "12"], "later must be a whole number from 0 to 10 or empty (got 12)"),
        (
            ["--when", "last fortnight"],
            f"{WHEN} (got last fortnight)",
        ),
        (
            ["--when", "2026-02-30"],
            f"{WHEN} (got 2026-02-30)",
        ),
    ],
)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    cli: Cli, args: list[str], message: str
) -> None:
    base = {"-m": "45", "-b": "5", "-a": "4"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    flat = [x for pair in base.items() for x in pair]
    before = fingerprint(cli.db_path)  # on SQLite: None, no file yet
    result = cli("log", "craniosacral", *flat)
    assert result.exit_code == 2
    assert result.stderr == f"migraine: error: {message}\n"
    assert result.stdout == ""
    assert fingerprint(cli.db_path) == before


SECRET = "MIGRAINE WITH BRAINSTEM AURA, SEE NEUROLOGY" * 8  # too long for every field


@pytest.mark.sqlite_only  # refused in parsing, before any storage: 11 PostgreSQL runs for nothing
@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["log", "cst", "-m", "45", "-b", "5", "-a", "4", "--provider", SECRET], "provider"),
        (["log", "cst", "-m", "45", "-b", "5", "-a", "4", "--provider", "Dr. X\x1b"], "provider"),
        (["log", "cst", "-m", "45", "-b", "5", "-a", "4", "--notes", SECRET * 20], "notes"),
        (["edit", "1", "--provider", SECRET], "provider"),
        (["report", "--question", SECRET], "question"),
        (["report", "--question", "ok", "--question", SECRET[:40] * 9], "question"),
        (["attack", "log", "--peak", "5", "--hours", "1", "--med", SECRET], "med"),
        (["attack", "log", "--peak", "5", "--hours", "1", "--med", f"{SECRET}@10:00"], "med"),
        (["attack", "log", "--peak", "5", "--hours", "1", "--med", "MIGRAINE\n2"], "med"),
        (["attack", "log", "--peak", "5", "--hours", "1", "--notes", SECRET * 20], "notes"),
        (["medclass", SECRET, "triptan"], "NAME"),
    ],
)
def test_errors_never_repeat_private_text(cli: Cli, args: list[str], field: str) -> None:
    """A question, provider, medication or note may name a diagnosis: a message about it
    names the field, the rule and the length, never a character of the text."""
    cli.log(when="2026-11-01")
    result = cli(*args)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"migraine: error: {field} must be "), result.stderr
    assert "characters; not shown, to keep it private)" in result.stderr
    assert "MIGRAINE" not in result.stderr
    assert "Dr." not in result.stderr
    assert result.stderr.count("\n") == 1


def test_bad_input_leaves_an_existing_diary_unchanged(cli: Cli) -> None:
    cli.log(when="2026-11-01")
    before = fingerprint(cli.db_path)
    assert cli("log", "cst", "-m", "45", "-b", "11", "-a", "4").exit_code == 2
    assert cli("edit", "1", "--later", "11").exit_code == 2
    assert cli("edit", "1", "--minutes", "0").exit_code == 2
    assert fingerprint(cli.db_path) == before
    assert cli.json("show", "1")["pain_later"] is None


@pytest.mark.sqlite_only  # refused in parsing, before any storage
def test_future_sessions_are_refused(cli: Cli) -> None:
    result = cli("log", "cst", "-m", "45", "-b", "5", "-a", "4", "--when", "2099-01-01")
    assert result.exit_code == 2
    assert result.stderr == (
        "migraine: error: when must be a moment up to now (got '2099-01-01', read as "
        "2099-01-01 12:00)\n"
    )


@pytest.mark.sqlite_only  # refused in parsing, before any storage
def test_missing_values_without_a_terminal_are_an_error(cli: Cli) -> None:
    before = fingerprint(cli.db_path)  # on SQLite: None, no file yet
    result = cli("log", "cst", "-b", "5", "-a", "4")
    assert result.exit_code == 2
    assert result.stderr == "migraine: error: missing --minutes: a whole number from 1 to 600\n"
    assert fingerprint(cli.db_path) == before


@pytest.mark.sqlite_only  # about prompting: the session stored is as any other
def test_missing_values_are_prompted_on_a_terminal(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import migraine_diary.cli.common as cli_module

    monkeypatch.setattr(cli_module, "on_terminal", lambda: True)
    # The cost is asked too (issue 17: it was stored as 0.00 unasked); blank takes 0.
    result = cli("log", "cst", "--when", "2026-11-01", input="45\n5\n3\n\n")
    assert result.exit_code == 0, result.stderr
    assert cli.json("show", "1")["pain_after"] == 3


def test_when_forms(cli: Cli) -> None:
    cli.log(when="2026-11-20")
    cli.log(when="yesterday 17:00")
    first, second = cli.json("show", "1"), cli.json("show", "2")
    assert first["when"] == "2026-11-20T11:00:00+00:00"  # noon in Berlin (UTC+1)
    assert second["when"].endswith("T16:00:00+00:00")


def test_list_newest_first_with_filters_and_limit(cli: Cli) -> None:
    log_story(cli)
    cli.log("acupuncture", when="2026-10-02")
    rows = cli.json("list")
    assert [r["id"] for r in rows] == [7, 6, 5, 4, 3, 2, 8, 1]
    assert [r["id"] for r in cli.json("list", "--limit", "2")] == [7, 6]
    assert [r["id"] for r in cli.json("list", "--therapy", "acupuncture")] == [8]
    assert [
        r["id"] for r in cli.json("list", "--since", "2026-10-06", "--until", "2026-10-08")
    ] == [4, 3]
    table = cli.ok("list", "--limit", "3").stdout
    assert "Showing the newest 3 of 8 sessions" in table


def test_show_json_has_every_field(cli: Cli) -> None:
    cli.log(
        "cst", when="2026-11-01 09:00", cost=120, provider="Anna", notes="felt calm", attack=True
    )
    assert cli.json("show", "1") == {
        "id": 1,
        "when": "2026-11-01T08:00:00+00:00",
        "therapy": "cst",
        "minutes": 45,
        "pain_before": 5,
        "pain_after": 4,
        "pain_later": None,
        "cost": "120.00",
        "provider": "Anna",
        "during_attack": True,
        "notes": "felt calm",
    }


def test_edit_changes_only_what_is_given(cli: Cli) -> None:
    cli.log("cst", when="2026-11-01 09:00", provider="Anna")
    result = cli.ok("edit", "1", "--later", "4")
    assert result.stdout.startswith("Updated session 1:")
    shown = cli.json("show", "1")
    assert shown["pain_later"] == 4
    assert shown["provider"] == "Anna"
    cli.ok("edit", "1", "--provider", "", "--attack")
    shown = cli.json("show", "1")
    assert shown["provider"] is None
    assert shown["during_attack"] is True


@pytest.mark.parametrize(
    "command", [["show", "99"], ["edit", "99", "--later", "3"], ["delete", "99", "--yes"]]
)
def test_unknown_id_is_exit_1(cli: Cli, command: list[str]) -> None:
    cli.log(when="2026-11-01")
    before = fingerprint(cli.db_path)
    result = cli(*command)
    assert result.exit_code == 1
    assert (
        result.stderr == "migraine: error: no session with id 99; see the ids with: migraine list\n"
    )
    assert fingerprint(cli.db_path) == before


@pytest.mark.sqlite_only  # a diary file not there yet
def test_edit_on_a_missing_diary_creates_nothing(cli: Cli, db_path: Path) -> None:
    result = cli("edit", "1", "--later", "3")
    assert result.exit_code == 1
    assert "there is no diary" in result.stderr
    assert not db_path.exists()


def test_delete_asks_unless_yes(cli: Cli) -> None:
    cli.log(when="2026-11-01")
    refused = cli("delete", "1")
    assert refused.exit_code == 2
    assert "add --yes" in refused.stderr
    assert cli.ok("delete", "1", "--yes").stdout == "Deleted session 1.\n"
    assert cli.json("list") == []


def test_rename_merges_spellings(cli: Cli) -> None:
    cli.log("cranio sacral", when="2026-11-01", new_therapy=True)
    cli.log("craniosacral", when="2026-11-02", new_therapy=True)
    assert cli.ok("rename", "cranio sacral", "craniosacral").stdout == (
        "Merged 'cranio sacral' into 'craniosacral': 1 session moved.\n"
    )
    assert cli.json("therapies") == [{"therapy": "craniosacral", "sessions": 2}]
    cli.ok("rename", "CRANIOSACRAL", "Craniosacral")
    assert cli.json("therapies") == [{"therapy": "Craniosacral", "sessions": 2}]
    assert cli("rename", "reiki", "x").exit_code == 1


def test_version_and_help_examples() -> None:
    from typer.testing import CliRunner

    from migraine_diary import __version__

    runner = CliRunner()
    assert runner.invoke(app, ["--version"]).stdout == f"migraine-diary {__version__}\n"
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    assert "Example" in top.stdout
    import typer.main

    group = typer.main.get_command(app)
    for name in group.commands:  # type: ignore[attr-defined]
        help_text = runner.invoke(app, [name, "--help"])
        assert help_text.exit_code == 0, name
        assert "Example" in help_text.stdout, name


def test_help_lists_commands_without_building_them() -> None:
    """The root --help and completion show each command's help from a stand-in: the same
    words the built command would give, and nothing is built to show them."""
    import typer.main

    group: Any = typer.main.get_command(app)
    with group.make_context("migraine", [], resilient_parsing=True) as ctx:
        text = group.get_help(ctx)
    assert not group.lazy._built  # nothing was built for the list
    shown = {name: group.lazy.listed(name).get_short_help_str(60) for name in group.commands}
    assert {"log", "attack", "plan", "score", "export", "undo"} <= set(shown)
    assert all(name in text for name in shown)
    for name, short in shown.items():
        assert group.commands[name].get_short_help_str(60) == short, name
    assert list(group.commands) == group.list_commands(None)


@pytest.mark.sqlite_only  # about Typer's parsing, no storage
def test_text_options_keep_their_text_and_lists_become_lists(cli: Cli) -> None:
    """Without Typer's pydantic coercion, a repeated option still arrives as a list and a
    flag as a bool: a session with two triggers and --yes behaves as before."""
    cli.ok("attack", "log", "--hours", "3", "--peak", "6", "--trigger", "stress", "--trigger",
           "sleep")  # fmt: skip
    shown = cli.json("attack", "list")
    assert shown[0]["detail"]["triggers"] == ["stress", "sleep"]
    assert "Nothing was deleted" not in cli.ok("attack", "delete", "1", "--yes").stdout
    assert cli.json("attack", "list") == []


def test_unknown_command_is_one_line() -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["lgo"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "No such command 'lgo'" in result.stderr


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from migraine_diary.cli.app import app\n"
        "r = CliRunner().invoke(app, ['--help'])\n"
        "assert r.exit_code == 0\n"
        "r = CliRunner().invoke(app, ['log', '--help'])\n"
        "assert r.exit_code == 0\n"
        "r = CliRunner().invoke(app, ['attack', 'log', '--help'])\n"
        "assert r.exit_code == 0\n"
        # Text options and flags keep their value as given, so not even pydantic loads.
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'scipy', 'numpy', 'pydantic',"
        " 'migraine_diary.domain.models', 'migraine_diary.storage',"
        " 'migraine_diary.analysis.stats')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_default_diary_lives_in_the_user_data_folder(private_home: Path) -> None:
    from typer.testing import CliRunner

    runner = CliRunner()
    result = runner.invoke(app, ["log", "cst", "-m", "45", "-b", "5", "-a", "4"])
    assert result.exit_code == 0, result.stderr
    (found,) = list(private_home.rglob("diary.db"))
    assert found.parent.name == "migraine-diary"
    assert oct(found.stat().st_mode & 0o777) == "0o600"
    assert oct(found.parent.stat().st_mode & 0o777) == "0o700"


def test_env_var_and_db_option_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    env_db, opt_db = tmp_path / "env.db", tmp_path / "opt.db"
    monkeypatch.setenv("MIGRAINE_DIARY_DB", str(env_db))
    runner = CliRunner()
    assert runner.invoke(app, ["log", "cst", "-m", "45", "-b", "5", "-a", "4"]).exit_code == 0
    assert env_db.exists()
    args = ["--db", str(opt_db), "log", "cst", "-m", "45", "-b", "5", "-a", "4"]
    assert runner.invoke(app, args).exit_code == 0
    assert opt_db.exists()


def test_demo_never_touches_the_default_diary(private_home: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    runner = CliRunner()
    result = runner.invoke(app, ["demo", "--db", str(tmp_path / "demo.db")])
    assert result.exit_code == 0, result.stderr
    assert "craniosacral" in result.stdout
    assert "all therapies" in result.stdout
    assert not list(private_home.rglob("diary.db"))
    again = runner.invoke(app, ["demo", "--db", str(tmp_path / "demo.db")])
    assert again.exit_code == 1
    assert again.stderr == (
        f"migraine: error: {tmp_path / 'demo.db'} already exists; the demo writes only to a "
        "new file, never into an existing one\n"
    )


@pytest.mark.sqlite_only  # the demo writes only a diary file, and two kinds are files
@pytest.mark.parametrize("kind", ["attacks only", "checked in only", "empty file", "text file"])
def test_demo_never_writes_into_an_existing_file(cli: Cli, kind: str) -> None:
    """A diary of attacks and check-ins but no sessions yet is a real diary: the demo's 25
    sessions, 30 attacks and 50 check-ins would be mixed in as if typed."""
    if kind == "attacks only":
        cli.ok("attack", "log", "--when", "2026-11-20 08:00", "--hours", "3", "--peak", "6")
    elif kind == "checked in only":
        cli.ok("checkin", "--date", "2026-11-25")
    elif kind == "empty file":
        cli.db_path.touch(mode=0o600)
    else:
        cli.db_path.write_text("my notes\n")
    before = fingerprint(cli.db_path)
    result = cli("demo", "--db", str(cli.db_path))
    assert result.exit_code == 1, result.stdout
    assert result.stderr == (
        f"migraine: error: {cli.db_path} already exists; the demo writes only to a new "
        "file, never into an existing one\n"
    )
    assert result.stdout == ""
    assert fingerprint(cli.db_path) == before
    assert sorted(p.name for p in cli.db_path.parent.iterdir()) == [cli.db_path.name, "home"]


def test_demo_without_db_uses_a_temporary_file(private_home: Path) -> None:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["demo"])
    assert result.exit_code == 0, result.stderr
    assert "migraine-demo-" in result.stdout
    assert not list(private_home.rglob("*.db"))


def test_python_m_runs_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "migraine_diary", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert out.stdout.startswith("migraine-diary ")


@pytest.mark.sqlite_only  # about the table: rendering, no storage
def test_markup_in_names_is_shown_as_typed(cli: Cli) -> None:
    cli.log("[bold]x[/] :smile:", when="2026-11-01", notes="[red]note")
    out = cli.ok("list").stdout
    assert "[bold]x[/] :smile:" in out


def test_reading_commands_do_not_load_sqlmodel(cli: Cli) -> None:
    """list, summary and export read through SQLAlchemy Core or sqlite3: SQLModel's tables
    (hundreds of milliseconds to import) load only for commands that write through them."""
    cli.log(when="2026-11-01")
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from migraine_diary.cli.app import app\n"
        f"for args in (['list'], ['summary'], ['export']):\n"
        f"    r = CliRunner().invoke(app, ['--db', {str(cli.db_path)!r}, *args])\n"
        "    assert r.exit_code == 0, r.stderr\n"
        "print([m for m in ('sqlmodel', 'migraine_diary.storage.tables') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_no_command_prints_the_help() -> None:
    from typer.testing import CliRunner

    for args in ([], ["attack"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0
        assert result.stdout.startswith("Usage: migraine")
        assert "\nCommands:\n" in result.stdout
        assert result.stderr == ""


def test_tab_completion_offers_commands_without_pydantic() -> None:
    """Completion runs on every Tab: it must not pay for pydantic's parameter coercion."""
    import os

    env = {
        **os.environ,
        "_MIGRAINE_COMPLETE": "complete_bash",
        "COMP_WORDS": "migraine l",
        "COMP_CWORD": "1",
    }
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('pydantic' in sys.modules, file=sys.stderr))\n"
        "sys.argv[0] = 'migraine'\n"
        "from migraine_diary.cli.app import main\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert set(out.stdout.split()) == {"list", "log"}
    assert out.stderr.strip() == "False"
