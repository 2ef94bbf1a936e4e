"""Tab completes therapy names and attack ids from the diary, through plain sqlite3: no
SQLAlchemy, SQLModel, pydantic, scipy or Rich is imported, and nothing is ever written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import Cli, fingerprint

HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "scipy", "rich")
CODE = (
    "import atexit, sys\n"
    f"atexit.register(lambda: print([m for m in {HEAVY!r} if m in sys.modules], file=sys.stderr))\n"
    "sys.argv[0] = 'migraine'\n"
    "from migraine_diary.cli.app import main\n"
    "main()\n"
)


def complete(*words: str, shell: str = "bash") -> list[str]:
    """What `migraine WORDS<Tab>` offers, a line each; the last word is the one being typed."""
    env = {
        **os.environ,
        "_MIGRAINE_COMPLETE": f"complete_{shell}",
        "_TYPER_COMPLETE_ARGS": " ".join(["migraine", *words]),  # zsh's and fish's
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        "COMP_WORDS": " ".join(["migraine", *words]),
        "COMP_CWORD": str(len(words)),
    }
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "[]", done.stderr  # none of the heavy libraries
    return [line for line in done.stdout.splitlines() if line]


def test_therapy_names_from_the_diary(cli: Cli, db_path: Path) -> None:
    cli.log("craniosacral", when="2026-11-01 16:30")
    cli.log("acupuncture", when="2026-11-02 16:30")
    cli.log("Cupping", when="2026-11-03 16:30")
    before = fingerprint(db_path)
    db = ["--db", str(db_path)]
    assert complete(*db, "log", "c") == ["craniosacral"]
    assert complete(*db, "log", "C") == ["Cupping"]
    assert sorted(complete(*db, "log", "")) == ["Cupping", "acupuncture", "craniosacral"]
    assert complete(*db, "stats", "a") == ["acupuncture"]
    assert complete(*db, "list", "--therapy", "cr") == ["craniosacral"]
    assert sorted(complete(*db, "summary", "-t", "")) == ["Cupping", "acupuncture", "craniosacral"]
    assert fingerprint(db_path) == before


def test_a_therapy_without_sessions_is_not_offered(cli: Cli, db_path: Path) -> None:
    cli.log("craniosacral", when="2026-11-01 16:30")
    session_id = cli.log("massage", when="2026-11-02 16:30").stdout.split()[2].rstrip(":")
    cli.ok("delete", session_id, "--yes")
    assert complete("--db", str(db_path), "log", "") == ["craniosacral"]


def test_attack_ids(cli: Cli, db_path: Path) -> None:
    for day in ("04", "12"):
        cli.ok("attack", "log", "--when", f"2026-11-{day} 08:00", "--hours", "5", "--peak", "7")
    db = ["--db", str(db_path)]
    assert complete(*db, "attack", "show", "") == ["2", "1"]
    assert complete(*db, "attack", "end", "2") == ["2"]


def test_the_diary_of_the_environment_and_the_config_file(
    cli: Cli, db_path: Path, private_home: Path
) -> None:
    cli.log("craniosacral", when="2026-11-01 16:30")
    config = private_home / ".config" / "migraine-diary" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'db = "{db_path}"\n')
    assert complete("log", "") == ["craniosacral"]
    config.write_text("db = \n")  # broken: a Tab shows nothing, and no error
    assert complete("log", "") == []


def test_no_diary_offers_nothing_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    assert complete("--db", str(missing), "log", "") == []
    assert not missing.exists()
    not_a_diary = tmp_path / "notes.txt"
    not_a_diary.write_text("craniosacral\n")
    assert complete("--db", str(not_a_diary), "log", "") == []
    assert not_a_diary.read_text() == "craniosacral\n"


def test_commands_still_complete(cli: Cli) -> None:
    assert set(complete("l")) == {"list", "log"}


def test_therapy_and_medicine_names_wherever_one_is_named(cli: Cli, db_path: Path) -> None:
    cli.log("craniosacral", when="2026-11-01 16:30")
    cli.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "5", "--peak", "7",
           "--med", "sumatriptan 50mg@08:30", "--med", "ibuprofen 400mg@09:00")  # fmt: skip
    db = ["--db", str(db_path)]
    assert complete(*db, "rename", "cr") == ["craniosacral"]
    assert complete(*db, "edit", "1", "--therapy", "cr") == ["craniosacral"]
    assert complete(*db, "plan", "new", "cr") == ["craniosacral"]
    assert complete(*db, "plan", "new", "reiki", "--versus", "cr") == ["craniosacral"]
    assert complete(*db, "acute", "--compare", "") == ["ibuprofen\\ 400mg", "sumatriptan\\ 50mg"]


def test_a_name_with_spaces_is_one_word_in_the_shell_that_asks(cli: Cli, db_path: Path) -> None:
    """bash inserts what it is given as typed (Typer's script splits lines, quotes nothing):
    escaped as `printf %q` would; zsh and fish quote what they insert themselves."""
    cli.log("Physio Therapy Extra", when="2026-11-01 16:30")
    cli.log("O'Brien's method", when="2026-11-02 16:30")
    db = ["--db", str(db_path)]
    assert complete(*db, "log", "P") == ["Physio\\ Therapy\\ Extra"]
    assert complete(*db, "log", "O") == ["O\\'Brien\\'s\\ method"]
    assert complete(*db, "log", "Physio\\ Th") == ["Physio\\ Therapy\\ Extra"]  # as bash sends it
    assert complete(*db, "log", "P", shell="fish") == ["Physio Therapy Extra"]
    zsh = complete(*db, "log", "P", shell="zsh")
    assert zsh == ["_arguments '*: :((\"Physio Therapy Extra\"))'"]
