"""Outputs never replace what they should not, appear whole or not at all, and a failed write
to standard output is one line and a non-zero exit code."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from conftest import Cli, fingerprint

REFUSED_DIARY = "is the diary or one of its files; --output never replaces it, even with --force"
REFUSED_DATABASE = "is an SQLite database (perhaps a diary); --output never replaces one"


@pytest.fixture
def diary(cli: Cli) -> Cli:
    cli.log("cst", when="2026-11-02 10:00", notes="kept")
    cli.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "5", "--peak", "7")
    return cli


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1, stderr
    assert stderr.startswith("migraine: error: "), stderr
    return stderr.removeprefix("migraine: error: ").rstrip("\n")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".part-" in p.name)


OUTPUT_COMMANDS = [["export"], ["export", "--format", "json"], ["report"]]


@pytest.mark.parametrize("command", OUTPUT_COMMANDS)
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
@pytest.mark.parametrize("force", [False, True])
def test_output_never_replaces_the_diary_or_its_files(
    diary: Cli, command: list[str], suffix: str, force: bool
) -> None:
    target = Path(f"{diary.db_path}{suffix}")
    existed = target.exists()
    before = target.read_bytes() if existed else None
    diary_before = fingerprint(diary.db_path)
    result = diary(*command, "--output", str(target), *(["--force"] if force else []))
    assert result.exit_code == 1
    assert one_line(result.stderr) == f"{target} {REFUSED_DIARY}; choose another file name"
    assert (target.read_bytes() if target.exists() else None) == before
    assert fingerprint(diary.db_path) == diary_before
    assert diary.json("attack", "list")  # the attack is still there
    assert leftovers(diary.db_path.parent) == []


def test_output_refuses_other_names_of_the_diary(diary: Cli, tmp_path: Path) -> None:
    """A symbolic link, `..` or a hard link to the diary is the diary."""
    link = tmp_path / "link.csv"
    link.symlink_to(diary.db_path)
    hard = tmp_path / "hard.csv"
    os.link(diary.db_path, hard)
    sideways = tmp_path / "sub" / ".." / diary.db_path.name
    before = fingerprint(diary.db_path)
    for target, message in (
        (link, REFUSED_DIARY),
        (sideways, REFUSED_DIARY),
        (hard, REFUSED_DATABASE),
    ):
        result = diary("export", "--output", str(target), "--force")
        assert result.exit_code == 1
        assert message in one_line(result.stderr)
    assert fingerprint(diary.db_path) == before


@pytest.mark.parametrize("command", OUTPUT_COMMANDS)
def test_output_never_replaces_another_sqlite_file(
    diary: Cli, tmp_path: Path, command: list[str]
) -> None:
    other = tmp_path / "other.db"
    with closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE kept (x)")
        conn.commit()
    before = other.read_bytes()
    result = diary(*command, "--output", str(other), "--force")
    assert result.exit_code == 1
    assert one_line(result.stderr) == (
        f"{other} {REFUSED_DATABASE}, even with --force; choose another file name"
    )
    assert other.read_bytes() == before


@pytest.mark.parametrize("command", OUTPUT_COMMANDS)
def test_replacing_an_existing_file_needs_force(
    diary: Cli, tmp_path: Path, command: list[str]
) -> None:
    target = tmp_path / "visit.out"
    target.write_text("an older export")
    result = diary(*command, "--output", str(target))
    assert result.exit_code == 1
    assert one_line(result.stderr) == f"{target} already exists; add --force to replace it"
    assert target.read_text() == "an older export"
    diary.ok(*command, "--output", str(target), "--force")
    assert target.read_text() != "an older export"
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert leftovers(tmp_path) == []


def test_output_refuses_a_device_or_a_folder(diary: Cli, tmp_path: Path) -> None:
    result = diary("export", "--output", os.devnull, "--force")
    assert result.exit_code == 1
    assert "is not a regular file" in one_line(result.stderr)
    assert Path(os.devnull).is_char_device()


def test_report_default_name_never_replaces_an_earlier_report(
    diary: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = diary.ok("report").stderr
    second = diary.ok("report").stderr
    assert "migraine-report-2026-11-26.html " in first
    assert "migraine-report-2026-11-26-2.html " in second
    assert sorted(p.name for p in tmp_path.glob("*.html")) == [
        "migraine-report-2026-11-26-2.html",
        "migraine-report-2026-11-26.html",
    ]


WRITE_AND_DIE = """
import os, signal, sys
from pathlib import Path
from migraine_diary.transfer.output import private_output

target, how = Path(sys.argv[1]), sys.argv[2]
with private_output(target, diary=target.with_name("diary.db")) as out:
    out.write("health data " * 1000)
    out.flush()
    print(os.getpid(), flush=True)
    os.kill(os.getpid(), getattr(signal, how))
"""


def _write_and_die(target: Path, how: str) -> tuple[int, int]:
    run = subprocess.run(
        [sys.executable, "-c", WRITE_AND_DIE, str(target), how],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return run.returncode, int(run.stdout)


def test_a_terminated_write_removes_its_copy(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code, _ = _write_and_die(out / "all.csv", "SIGTERM")
    assert code == -signal.SIGTERM
    assert list(out.iterdir()) == []


def test_a_killed_write_leaves_a_copy_the_next_write_removes(diary: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    code, pid = _write_and_die(out / "all.csv", "SIGKILL")
    assert code == -signal.SIGKILL
    assert leftovers(out) == [f".all.csv.part-{pid}"]  # what SIGKILL leaves, holding health data
    running = out / f".other.csv.part-{os.getpid()}-x"  # not the pattern: never touched
    running.write_text("")
    alive = out / f".other.csv.part-{os.getppid()}"  # a process that still runs: kept
    alive.write_text("")
    diary.ok("export", "--output", str(out / "next.csv"))
    assert leftovers(out) == sorted([alive.name, running.name])
    assert not (out / "all.csv").exists()


def test_a_failed_write_leaves_no_file(diary: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "all.csv"
    result = diary("export", "--output", str(missing))
    assert result.exit_code == 1
    assert one_line(result.stderr) == f"cannot write {missing}: No such file or directory"


# --- standard output that cannot be written ----------------------------------------------


def run_into(path: Path, stdout: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "migraine_diary", "--db", str(path), *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def closed_pipe() -> Iterator[int]:
    """The writing end of a pipe whose reader is already gone."""
    reader, writer = os.pipe()
    os.close(reader)
    yield writer
    os.close(writer)


# Each way of printing: the export streams, a JSON dump, Rich tables, plain text.
STDOUT_COMMANDS = [["export"], ["list", "--json"], ["list"], ["summary"], ["report", "-f", "md"]]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", STDOUT_COMMANDS)
def test_a_full_disk_on_standard_output_is_one_line_and_exit_1(
    diary: Cli, command: list[str]
) -> None:
    with open("/dev/full", "w") as full:
        result = run_into(diary.db_path, full.fileno(), *command)
    assert result.returncode == 1
    assert one_line(result.stderr) == "cannot write to standard output: No space left on device"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_while_parsing_the_command_line_is_one_line(diary: Cli) -> None:
    """`--version` prints before any command runs."""
    with open("/dev/full", "w") as full:
        result = run_into(diary.db_path, full.fileno(), "--version")
    assert result.returncode == 1
    assert one_line(result.stderr) == "cannot write to standard output: No space left on device"


@pytest.mark.parametrize("command", STDOUT_COMMANDS)
def test_a_closed_pipe_on_standard_output_ends_quietly_with_141(
    diary: Cli, command: list[str], closed_pipe: int
) -> None:
    """`migraine list | head -1`: the reader has all it wanted. As a C tool killed by SIGPIPE,
    no message and exit code 141 (128 + SIGPIPE), which a shell's pipefail still sees."""
    result = run_into(diary.db_path, closed_pipe, *command)
    assert (result.returncode, result.stderr) == (141, "")


def test_standard_output_still_works(diary: Cli, tmp_path: Path) -> None:
    with (tmp_path / "out.json").open("w") as out:
        result = run_into(diary.db_path, out.fileno(), "list", "--json")
    assert (result.returncode, result.stderr) == (0, "")
    assert (tmp_path / "out.json").read_text().startswith("[")
