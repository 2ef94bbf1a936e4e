"""Imports within bounds (issue 12): Migraine Buddy rows that overflow are bad rows, two
attacks with one start are two, years are read as written, and a file is read as a stream
of bounded lines, never a device or a pipe."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from buddy_format import BUDDY_COLUMNS as COLUMNS
from conftest import Cli, fingerprint, run_sql
from migraine_diary.transfer.migraine_buddy import parse_migraine_buddy

pytestmark = pytest.mark.both_engines

MAX_LINE = 1024 * 1024


def quoted(cells: list[str]) -> str:
    return ",".join('"' + c.replace('"', '""') + '"' for c in cells)


def row(
    number: int, started: str, lasted: str = "02h 00m", pain: str = "6", offset: int = 60
) -> str:
    values = {
        "#": str(number),
        "Started": started,
        "Lasted": lasted,
        "Start UTC Offset (min)": str(offset),
        "End UTC Offset (min)": str(offset),
        "Pain Level": pain,
    }
    return quoted([values.get(c, "") for c in COLUMNS])


def export(*rows: str) -> str:
    return "\n".join([quoted(COLUMNS), *rows]) + "\n"  # the header is line 1


def buddy(cli: Cli, path: Path, *extra: str) -> Any:
    return cli("import", "--format", "migraine-buddy", str(path), *extra)


@pytest.fixture
def file(tmp_path: Path) -> Path:
    return tmp_path / "MigraineBuddy.csv"


# The bounds are the parser's (6 runs): skipping bad rows is proved on PostgreSQL in
# test_buddy_import, and a file refused whole writes nothing on it in test_export.
@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("bad", "column", "says"),
    [
        (row(2, "11/16/24 13:12", lasted="999999999d"), "Lasted", "at most 30 days"),
        (row(2, "11/16/24 13:12", lasted="99999999999999999999h"), "Lasted", "at most 30 days"),
        (row(2, "11/16/24 13:12", lasted="31d 00h 00m"), "Lasted", "at most 30 days"),
        (row(2, "12/31/9999 23:00", offset=-840), "Started", "from 1900-01-01 to 2199-12-31"),
        (row(2, "06/01/0999 10:00"), "Started", "from 1900-01-01 to 2199-12-31"),
        (row(2, "01/01/0001 10:00"), "Started", "from 1900-01-01 to 2199-12-31"),
    ],
)
def test_rows_that_overflowed_are_bad_rows_with_their_line(
    cli: Cli, file: Path, bad: str, column: str, says: str
) -> None:
    """These aborted the whole import with "unexpected OverflowError", even with --skip-bad."""
    file.write_text(export(row(1, "11/15/24 10:00"), bad, row(3, "11/17/24 10:00")))
    before = fingerprint(cli.db_path)  # none on SQLite: the file is not even made
    refused = buddy(cli, file)
    assert refused.exit_code == 2
    first = refused.stderr.splitlines()[0]
    assert first.startswith(f"migraine: error: line 3: {column} must be "), first
    assert says in first, first
    assert fingerprint(cli.db_path) == before
    skipped = buddy(cli, file, "--skip-bad")
    assert skipped.exit_code == 0, skipped.stderr
    assert skipped.stderr.startswith("migraine: skipped line 3: ")
    assert skipped.stdout.startswith(f"Added 2 attacks from {file}; 1 bad row skipped")


def test_thirty_days_is_the_longest_attack(file: Path) -> None:
    (attack,) = parse_migraine_buddy(export(row(1, "11/01/24 10:00", lasted="30d 00h 00m"))).attacks
    assert (attack.end - attack.start).days == 30


def test_years_are_read_as_written(file: Path) -> None:
    """`01/01/0001 10:00` was read as 2001; two digits are a year of this century."""
    result = parse_migraine_buddy(
        export(row(1, "01/01/01 10:00"), row(2, "01/01/2001 10:00"), row(3, "01/01/0001 10:00"))
    )
    assert [a.start.year for a in result.attacks] == [2001, 2001]
    assert [(e.line, e.field) for e in result.errors] == [(4, "Started")]
    assert "got '01/01/0001 10:00'" in result.errors[0].message


def test_one_start_with_two_lengths_or_peaks_is_two_attacks(cli: Cli, file: Path) -> None:
    """In an empty diary: "Added 1 attack; 1 already in the diary", one of them dropped."""
    file.write_text(
        export(
            row(1, "11/16/24 13:12", lasted="01h 00m"),
            row(2, "11/16/24 13:12", lasted="05h 00m"),
            row(3, "11/16/24 13:12", lasted="05h 00m", pain="8"),
        )
    )
    first = buddy(cli, file)
    assert first.exit_code == 0, first.stderr
    assert first.stdout.splitlines()[0] == f"Added 3 attacks from {file}."
    ends = sorted((a["end"], a["peak"]) for a in cli.json("attack", "list"))
    assert ends == [
        ("2024-11-16T13:12:00+00:00", 6),
        ("2024-11-16T17:12:00+00:00", 6),
        ("2024-11-16T17:12:00+00:00", 8),
    ]
    again = buddy(cli, file)
    assert again.stdout.splitlines()[0] == f"Added 0 attacks from {file}; 3 already in the diary."


def test_an_attack_imported_by_an_earlier_version_is_recognised(cli: Cli, file: Path) -> None:
    """Earlier versions keyed an import by start and peak alone: still the same attack."""
    file.write_text(export(row(1, "11/16/24 13:12")))
    assert buddy(cli, file).exit_code == 0
    run_sql(
        cli.db_path, "UPDATE attack SET import_key = 'migraine-buddy:2024-11-16T12:12:00Z:peak=6'"
    )
    again = buddy(cli, file)
    assert again.stdout.splitlines()[0] == f"Added 0 attacks from {file}; 1 already in the diary."
    cli.ok(
        "attack",
        "log",
        "--when",
        "2024-11-16 13:12",
        "--hours",
        "2",
        "--peak",
        "6",
        "--allow-overlap",
    )
    assert len(cli.json("attack", "list")) == 2  # a typed attack is never taken for an import


# ----------------------------------------------------------------------- bounded reading


HEADER = "when,therapy,minutes,pain_before,pain_after"


@pytest.mark.sqlite_only  # refused before the diary is used: nothing for PostgreSQL (2 runs)
@pytest.mark.parametrize("format", ["csv", "migraine-buddy"])
def test_a_line_over_one_mebibyte_is_refused_with_its_number(
    cli: Cli, tmp_path: Path, format: str
) -> None:
    big = tmp_path / "big.csv"
    head = HEADER if format == "csv" else quoted(COLUMNS)
    with big.open("w") as out:
        out.write(f"{head}\n2026-11-01 10:00,cst,45,5,4\n")
        out.write("x" * (40 * MAX_LINE) + "\n")
    before = fingerprint(cli.db_path)  # none on SQLite: the file is not even made
    tracemalloc.start()
    try:
        result = cli("import", "--format", format, str(big))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.exit_code == 2
    assert result.stderr == (
        f"migraine: error: {big}: line 3 is longer than 1 MiB (1048576 bytes); nothing was "
        "imported\n"
    )
    assert peak < 12 * MAX_LINE  # read as a stream: never the whole 40 MiB
    assert fingerprint(cli.db_path) == before


def test_a_line_of_exactly_the_limit_is_read(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "long.csv"
    row = "2026-11-01 10:00,cst,45,5,4,"
    notes = "n" * (MAX_LINE - len(row) - 1)
    file.write_text(f"{HEADER},notes\n{row}{notes}\n")
    result = cli("import", str(file))
    assert result.exit_code == 2  # the cell is too long for the CSV reader, not the line
    assert result.stderr.startswith("migraine: error: line 2: not valid CSV (field larger")


@pytest.mark.sqlite_only  # refused before the diary is used: nothing for PostgreSQL (2 runs)
@pytest.mark.parametrize("format", ["csv", "migraine-buddy"])
def test_a_named_pipe_or_a_device_is_refused_before_reading(
    cli: Cli, tmp_path: Path, format: str
) -> None:
    """`import /dev/zero` grew without bound; a FIFO blocked forever."""
    cli.log("cst")
    before = fingerprint(cli.db_path)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero"), Path("/dev/null")):
        result = cli("import", "--format", format, str(path))
        assert result.exit_code == 1
        assert result.stderr == (
            f"migraine: error: cannot read {path}: it is not a regular file (a pipe, device or "
            "socket); import reads files only\n"
        )
    assert fingerprint(cli.db_path) == before


def test_a_folder_and_a_missing_file_keep_their_messages(cli: Cli, tmp_path: Path) -> None:
    assert cli("import", str(tmp_path)).stderr == (
        f"migraine: error: cannot read {tmp_path}: it is a folder\n"
    )
    assert cli("import", str(tmp_path / "nope.csv")).stderr == (
        f"migraine: error: cannot read {tmp_path / 'nope.csv'}: no such file\n"
    )


def test_a_byte_of_another_encoding_is_refused_with_its_line(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "latin1.csv"
    file.write_bytes(
        f"{HEADER}\n2026-11-01 10:00,cst,45,5,4\n2026-11-02 10:00,caf\xe9,45,5,4\n".encode(
            "latin-1"
        )
    )
    before = fingerprint(cli.db_path)  # none on SQLite: the file is not even made
    result = cli("import", str(file))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"migraine: error: {file} is not UTF-8 text (bad byte ")
    assert fingerprint(cli.db_path) == before
