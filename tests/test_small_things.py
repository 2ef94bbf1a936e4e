"""The small things of issue 17: a browser that cannot open, a backup no diary could be read
from, the root --db for the demo, help that says each command's own defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Cli

pytestmark = pytest.mark.both_engines


@pytest.mark.sqlite_only  # no browser; the report on PostgreSQL: test_report
def test_report_open_without_a_browser_says_where_the_report_is(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", lambda uri: False)
    cli.log()
    out = tmp_path / "visit.html"
    result = cli("report", "--output", str(out), "--open")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"Could not open a web browser here; open the report yourself: {out.resolve()}\n"
    )
    assert out.exists()


@pytest.mark.sqlite_only  # a backup is a copy of the diary file
def test_backup_refuses_a_folder_where_the_copy_could_not_be_a_diary(
    cli: Cli, tmp_path: Path
) -> None:
    cli.log()
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    result = cli("backup", str(shared / "copy.db"))
    assert result.exit_code == 1
    assert result.stderr == (
        f"migraine: error: not backed up: the folder {shared} can be changed by other users, "
        f"who could replace the diary; fix it with: chmod go-w '{shared}'\n"
    )
    assert list(shared.iterdir()) == []
    shared.chmod(0o700)
    cli.ok("backup", str(shared / "copy.db"))
    assert Cli(shared / "copy.db").json("list")[0]["id"] == 1


def test_demo_goes_where_the_root_db_says(tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    result = Cli(target)("demo")
    assert result.exit_code == 0, result.stderr
    assert f"This demo diary is {target}" in result.stdout
    assert len(Cli(target).json("list", "--limit", "1000")) > 5
    result = Cli(target)("demo")
    assert result.exit_code == 1
    assert "already exists; the demo writes only to a new file" in result.stderr


@pytest.mark.sqlite_only  # help text only: no diary is opened
def test_attack_edit_help_claims_no_default_start(cli: Cli) -> None:
    text = " ".join(cli.ok("attack", "edit", "-h").stdout.split())
    assert "default: now" not in text
    assert "default: now" in " ".join(cli.ok("attack", "log", "-h").stdout.split())
    assert "default: now" not in " ".join(cli.ok("edit", "-h").stdout.split())
    assert "(default: now)" in " ".join(cli.ok("log", "-h").stdout.split())


def test_counts_in_messages_agree_with_their_number(cli: Cli, tmp_path: Path) -> None:
    """No "(s)": one session is "1 session", one bad row "1 bad row"."""
    cli.log("craniosacral", attack=True)
    assert "1 session that began with pain" in cli.ok("stats", "craniosacral").stdout
    cli.ok("edit", "1", "--later", "4")
    said = " ".join(cli.ok("stats", "craniosacral").stdout.split())
    assert "0 of the 1 session with relief has no pain score later that day" in said
    bad = tmp_path / "bad.csv"
    bad.write_text("therapy,when,minutes,pain_before,pain_after\ncst,2026-11-01,45,5,11\n")
    result = cli("import", str(bad))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].endswith(f"1 bad row in {bad}; nothing was imported")


ID_RULE = "must be a whole number, 1 or more"


@pytest.mark.sqlite_only  # refused in parsing, before any storage
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "abc"], f"session ID {ID_RULE} (got 'abc')"),
        (["edit", "0", "--later", "3"], f"session ID {ID_RULE} (got '0')"),
        (["attack", "show", "1.5"], f"attack ID {ID_RULE} (got '1.5')"),
        (["plan", "show", "x"], f"plan ID {ID_RULE} (got 'x')"),
        (["attack", "rate", "1", "--dose", "0", "--at-dose", "5"], f"dose {ID_RULE} (got '0')"),
    ],
)
def test_an_id_or_dose_that_is_no_number_says_so_without_the_64_bit_bound(
    cli: Cli, args: list[str], message: str
) -> None:
    cli.ok("attack", "log", "--when", "9:00", "--hours", "2", "--peak", "5")
    result = cli(*args)
    assert (result.exit_code, result.stderr) == (2, f"migraine: error: {message}\n")


@pytest.mark.sqlite_only  # refused before the diary is read
def test_an_id_beyond_any_in_the_diary_is_said_to_be_none(cli: Cli) -> None:
    result = cli("show", str(2**64))
    assert (result.exit_code, result.stderr) == (
        1, f"migraine: error: there is no session ID {2**64} in the diary\n",
    )  # fmt: skip
    help_text = cli.ok("attack", "show", "--help").stdout
    assert "attack_id" not in help_text
    assert "ID" in help_text.split("Usage:")[1].splitlines()[0]
    assert "  ID  Attack id (see `migraine attack list`).  [required]" in help_text.splitlines()
