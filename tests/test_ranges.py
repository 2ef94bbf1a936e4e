"""Ranges enforced before writing (issue 12): dates from 1900 to 2199, ids that SQLite can
hold, ASCII digits in every number, no control characters in names, a date alone is noon."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from conftest import Cli, fingerprint

pytestmark = pytest.mark.both_engines

DATES = "from 1900-01-01 to 2199-12-31"
MAX_ID = 2**63 - 1
ID_RULE = "a whole number, 1 or more"
HEADER = "when,therapy,minutes,pain_before,pain_after"


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1, stderr
    assert stderr.startswith("migraine: error: "), stderr
    return stderr.removeprefix("migraine: error: ").rstrip("\n")


@pytest.fixture
def diary(cli: Cli) -> Path | str:
    cli.log("craniosacral", when="2026-11-01 16:30")
    cli.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "5", "--peak", "7")
    cli.ok("attack", "log", "--when", "2026-11-20 08:00", "--ongoing", "--peak", "5")
    return cli.db_path


SESSION = ["log", "cst", "-m", "45", "-b", "5", "-a", "4"]
ATTACK = ["attack", "log", "--peak", "5"]


@pytest.mark.sqlite_only  # refused in parsing, before any storage: 18 PostgreSQL runs for nothing
@pytest.mark.parametrize(
    ("args", "field", "got"),
    [
        ([*SESSION, "--when", "0999-06-01"], "when", "0999-06-01"),
        ([*SESSION, "--when", "0001-01-01"], "when", "0001-01-01"),
        ([*SESSION, "--when", "1899-12-31 23:59"], "when", "1899-12-31 23:59"),
        ([*SESSION, "--when", "9999-12-31"], "when", "9999-12-31"),
        ([*SESSION, "--when", "0001-01-01T00:00+14:00"], "when", "0001-01-01T00:00+14:00"),
        (["edit", "1", "--when", "0500-03-01 10:00"], "when", "0500-03-01 10:00"),
        (["list", "--since", "0001-01-01"], "since", "0001-01-01"),
        (["list", "--until", "9999-12-31"], "until", "9999-12-31"),
        (["summary", "--since", "1000-01-01"], "since", "1000-01-01"),
        (["attack", "list", "--until", "2200-01-01"], "until", "2200-01-01"),
        (["calendar", "--since", "0001-01-01"], "since", "0001-01-01"),
        (["calendar", "--until", "9999-12-31"], "until", "9999-12-31"),
        ([*ATTACK, "--when", "0999-06-01 10:00", "--hours", "2"], "when", "0999-06-01 10:00"),
        ([*ATTACK, "--hours", "2", "--med", "x@0001-01-01"], "med time", "0001-01-01"),
        ([*ATTACK, "--hours", "2", "--med", "x@9999-12-31 10:00"], "med time", "9999-12-31 10:00"),
        (["attack", "end", "2", "--when", "9999-12-31 10:00"], "when", "9999-12-31 10:00"),
        (["attack", "edit", "1", "--until", "0001-01-01 10:00"], "until", "0001-01-01 10:00"),
        (["checkin", "--date", "0001-01-01"], "date", "0001-01-01"),
    ],
)
def test_dates_outside_1900_to_2199_are_refused_with_the_range(
    cli: Cli, diary: Path | str, args: list[str], field: str, got: str
) -> None:
    """Years 1 to 999 were written and broke every later read; year 1 and 9999 gave
    "unexpected OverflowError/ValueError" with no field named."""
    before = fingerprint(diary)
    result = cli(*args)
    assert result.exit_code == 2, result.stderr
    assert one_line(result.stderr) == f"{field} must be a date {DATES} (got {got})"
    assert fingerprint(diary) == before
    assert cli.ok("list").exit_code == 0


def test_the_first_and_last_day_of_the_range_are_dates(cli: Cli) -> None:
    cli.log("cst", when="1900-01-01 00:00")
    (session,) = cli.json("list")
    assert session["when"] == "1899-12-31T23:00:00+00:00"  # midnight in Berlin
    assert cli.ok("show", "1").stdout.count("1900-01-01 00:00") == 1
    assert cli.json("list", "--since", "1900-01-01", "--until", "2199-12-31")
    assert cli.ok("calendar", "--since", "2199-12-01", "--until", "2199-12-31").exit_code == 0


def test_an_imported_when_outside_the_range_is_a_bad_row(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "old.csv"
    file.write_text(f"{HEADER}\n2026-11-01 10:00,cst,45,5,4\n0500-03-01 10:00,cst,45,5,4\n")
    before = fingerprint(cli.db_path)  # on SQLite: None, no file yet
    result = cli("import", str(file))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"migraine: error: line 3: when must be a date {DATES} (got 0500-03-01 10:00)",
        f"migraine: error: 1 bad row in {file}; nothing was imported",
    ]
    assert fingerprint(cli.db_path) == before


# ------------------------------------------------------------------------------- ids


TOO_BIG = str(2**64)


@pytest.mark.sqlite_only  # refused in parsing, before any storage: 12 PostgreSQL runs for nothing
@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", TOO_BIG], 1, f"there is no session ID {TOO_BIG} in the diary"),
        (["show", str(MAX_ID + 1)], 1, f"there is no session ID {MAX_ID + 1} in the diary"),
        (["show", "0"], 2, f"session ID must be {ID_RULE} (got '0')"),
        (["edit", TOO_BIG, "--later", "3"], 1, f"there is no session ID {TOO_BIG} in the diary"),
        (["delete", TOO_BIG, "--yes"], 1, f"there is no session ID {TOO_BIG} in the diary"),
        (["list", "--limit", "0"], 2, f"limit must be {ID_RULE} (got '0')"),
        (["attack", "show", TOO_BIG], 1, f"there is no attack ID {TOO_BIG} in the diary"),
        (["attack", "edit", TOO_BIG, "--peak", "3"], 1,
         f"there is no attack ID {TOO_BIG} in the diary"),
        (["attack", "delete", TOO_BIG, "--yes"], 1,
         f"there is no attack ID {TOO_BIG} in the diary"),
        (["attack", "end", TOO_BIG], 1, f"there is no attack ID {TOO_BIG} in the diary"),
    ],
)  # fmt: skip
def test_ids_beyond_what_sqlite_holds_are_in_no_record_and_never_show_the_bound(
    cli: Cli, diary: Path | str, args: list[str], code: int, message: str
) -> None:
    """Typer's int overflowed in SQLite: "unexpected OverflowError", no field named; then the
    range named SQLite's 19-digit bound, which is nothing a person needs."""
    before = fingerprint(diary)
    result = cli(*args)
    assert result.exit_code == code, result.stderr
    assert one_line(result.stderr) == message
    assert fingerprint(diary) == before


@pytest.mark.sqlite_only  # a limit beyond any diary: every record, on any engine alike
def test_a_limit_beyond_what_sqlite_holds_is_every_record(cli: Cli, diary: Path | str) -> None:
    assert len(cli.json("list", "--limit", TOO_BIG)) == 1
    assert len(cli.json("attack", "list", "--limit", "9" * 5000)) == 2


def test_the_largest_id_is_an_id(cli: Cli, diary: Path | str) -> None:
    result = cli("show", str(MAX_ID))
    assert result.exit_code == 1
    assert one_line(result.stderr) == (
        f"no session with id {MAX_ID}; see the ids with: migraine list"
    )
    assert cli("attack", "show", str(MAX_ID)).exit_code == 1
    assert cli.json("list", "--limit", str(MAX_ID))


IMPORT_MAX = 2**53 - 1


def test_an_imported_id_beyond_the_import_range_is_a_bad_row(cli: Cli, tmp_path: Path) -> None:
    """Importing id 2^63-1 made every later `log` fail with "the disk is full" (SQLite's
    AUTOINCREMENT had no id left), even after that session was deleted."""
    file = tmp_path / "high.csv"
    file.write_text(f"id,{HEADER}\n{MAX_ID},2026-11-01 10:00,cst,45,5,4\n")
    result = cli("import", str(file))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"migraine: error: line 2: id must be a whole number from 1 to {IMPORT_MAX}, or empty "
        f"(got {MAX_ID})"
    )
    file.write_text(f"id,{HEADER}\n{IMPORT_MAX},2026-11-01 10:00,cst,45,5,4\n")
    cli.ok("import", str(file))
    cli.log("cst")
    assert [s["id"] for s in cli.json("list")] == [IMPORT_MAX + 1, IMPORT_MAX]


@pytest.mark.sqlite_only  # an older version's diary file, changed with sqlite3
def test_a_stored_id_at_the_maximum_leaves_room_for_new_sessions(cli: Cli, tmp_path: Path) -> None:
    """A diary an older version let import id 2^63-1 into keeps working."""
    cli.log("cst", when="2026-11-01 10:00")
    with sqlite3.connect(cli.db_path) as conn:
        conn.execute("UPDATE session SET id = ?", (MAX_ID,))
        conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'session'", (MAX_ID,))
    conn.close()
    cli.log("cst", when="2026-11-02 10:00")
    file = tmp_path / "more.csv"
    file.write_text(f"{HEADER}\n2026-11-03 10:00,cst,45,5,4\n2026-11-04 10:00,cst,45,5,4\n")
    cli.ok("import", str(file))
    assert [s["id"] for s in cli.json("list")] == [3, 2, 1, MAX_ID]
    cli.ok("delete", str(MAX_ID), "--yes")
    cli.log("cst", when="2026-11-05 10:00")
    assert [s["id"] for s in cli.json("list")] == [4, 3, 2, 1]


# ---------------------------------------------------------------------------- digits


@pytest.mark.sqlite_only  # refused in parsing, before any storage: 8 PostgreSQL runs for nothing
@pytest.mark.parametrize(
    ("option", "value", "field"),
    [
        ("--cost", "1_000", "cost"),
        ("--cost", "\uff11\uff10", "cost"),  # fullwidth 10
        ("--cost", "1e3", "cost"),
        ("--minutes", "1_0", "minutes"),
        ("--minutes", "\uff11\uff10", "minutes"),
        ("--minutes", "\u0664\u0665", "minutes"),  # Arabic-Indic 45
        ("--pain-before", "\uff15", "pain-before"),
        ("--later", "\u0663", "later"),
    ],
)
def test_numbers_are_ascii_digits_only_in_every_field(
    cli: Cli, diary: Path | str, option: str, value: str, field: str
) -> None:
    """Cost took `1_000` and fullwidth digits while minutes refused them."""
    args = {"--minutes": "45", "--pain-before": "5", "--pain-after": "4"}
    args[option] = value
    before = fingerprint(diary)
    result = cli("log", "cst", *(w for pair in args.items() for w in pair))
    assert result.exit_code == 2, result.stdout
    assert one_line(result.stderr).startswith(f"{field} must be ")
    assert fingerprint(diary) == before


@pytest.mark.sqlite_only  # refused in parsing, before any storage: 11 PostgreSQL runs for nothing
@pytest.mark.parametrize(
    "args",
    [
        [*ATTACK, "--hours", "1_0"],
        [*ATTACK, "--hours", "\uff14"],
        [*ATTACK, "--hours", "1e1"],
        ["attack", "log", "--hours", "2", "--peak", "\uff17"],
        ["attack", "edit", "1", "--peak", "1_0"],
        ["show", "\uff11"],
        ["show", "1_0"],
        ["show", "1.0"],
        ["attack", "show", "\uff11"],
        ["list", "--limit", "1_0"],
        ["calendar", "--months", "\uff12"],
    ],
)
def test_numbers_typed_for_attacks_ids_and_limits_are_ascii_digits(
    cli: Cli, diary: Path | str, args: list[str]
) -> None:
    before = fingerprint(diary)
    result = cli(*args)
    assert result.exit_code == 2, result.stdout
    assert " must be " in one_line(result.stderr)
    assert fingerprint(diary) == before


def test_an_imported_cost_or_id_in_other_digits_is_a_bad_row(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "digits.csv"
    file.write_text(
        f"id,{HEADER},cost\n"
        ",2026-11-01 10:00,cst,45,5,4,1_000\n"
        "\u00b2,2026-11-02 10:00,cst,45,5,4,\n"  # superscript two: isdigit() but not int()
        "\uff13,2026-11-03 10:00,cst,45,5,4,\n",
        encoding="utf-8",
    )
    before = fingerprint(cli.db_path)  # on SQLite: None, no file yet
    result = cli("import", str(file))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert [line.split(":")[2].strip() for line in lines[:3]] == ["line 2", "line 3", "line 4"]
    assert lines[0].startswith("migraine: error: line 2: cost must be ")
    assert lines[1].startswith("migraine: error: line 3: id must be ")
    assert fingerprint(cli.db_path) == before


# ----------------------------------------------------------------------------- names


BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
        "\u2069", "\u200e", "\u200f", "\u061c"]  # fmt: skip
CONTROL = ["\x1b", "\x07", "\x85", "\x9b", "\x00"]


@pytest.mark.sqlite_only  # refused in parsing, before any storage: 17 PostgreSQL runs for nothing
@pytest.mark.parametrize("char", BIDI + CONTROL)
def test_bidi_and_control_characters_are_refused_in_names(
    cli: Cli, diary: Path | str, char: str
) -> None:
    """A right-to-left override in a therapy name was stored and shown reversed."""
    name = f"cranio{char}sacral"
    before = fingerprint(diary)
    attempts = [
        ("THERAPY", ["log", name, "-m", "45", "-b", "5", "-a", "4", "--new-therapy"]),
        ("provider", ["log", "cst", "-m", "45", "-b", "5", "-a", "4", "--provider", name]),
        ("THERAPY", ["edit", "1", "--therapy", name, "--new-therapy"]),
        ("med", [*ATTACK, "--hours", "2", "--med", name]),
        ("new name", ["rename", "craniosacral", name]),
        ("NAME", ["medclass", name, "triptan"]),
    ]
    for field, args in attempts:
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stdout)
        message = one_line(result.stderr)
        assert message.startswith(f"{field} must be "), message
        assert "without control characters" in message, message
    assert fingerprint(diary) == before


def test_a_control_character_in_an_imported_name_is_a_bad_row(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "rtl.csv"
    file.write_text(f"{HEADER}\n2026-11-01 10:00,abc\u202edef,45,5,4\n", encoding="utf-8")
    before = fingerprint(cli.db_path)  # on SQLite: None, no file yet
    result = cli("import", str(file))
    assert result.exit_code == 2
    assert result.stderr.startswith("migraine: error: line 2: therapy must be ")
    assert fingerprint(cli.db_path) == before


# ------------------------------------------------------------------- a date alone is noon


@pytest.mark.sqlite_only  # about parsing a date; storing one is proved on both
@pytest.mark.parametrize("typed", ["20261001", "2026-10-01", "2026-W40-4"])
def test_a_date_alone_in_any_iso_form_means_noon(cli: Cli, typed: str) -> None:
    """`20261001` meant midnight, while `2026-10-01` meant 12:00."""
    cli.log("cst", when=typed)
    (session,) = cli.json("list")
    assert session["when"] == "2026-10-01T10:00:00+00:00"  # 12:00 in Berlin (summer time)


@pytest.mark.sqlite_only  # about parsing a date; storing one is proved on both
def test_a_pinned_now_in_the_basic_form_is_noon_too(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIGRAINE_DIARY_NOW", "20261001")
    cli.ok("log", "cst", "-m", "45", "-b", "5", "-a", "4")
    assert cli.json("list")[0]["when"] == "2026-10-01T10:00:00+00:00"


def test_notes_are_free_text_and_keep_such_characters(cli: Cli) -> None:
    """Only names are refused them: a note is the person's own text, shown escaped."""
    cli.log("cst", notes="x\u202eevil")
    assert cli.json("list")[0]["notes"] == "x\u202eevil"
