"""`migraine import --format migraine-buddy`: a Migraine Buddy export built here from the
known facts of the format, imported through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from buddy_format import BUDDY_COLUMNS as COLUMNS
from buddy_format import GEOHASH, quoted, row
from conftest import Cli, every_row, fingerprint

pytestmark = pytest.mark.both_engines

EXPORT = [
    quoted(["Date", "Time Period", "Description", "Notes"]),  # line 1
    '"11/20/24","Ongoing","Migraine","started at work',  # line 2: a note over two lines
    'and still going"',  # line 3
    "",  # line 4
    quoted(COLUMNS),  # line 5
    # line 6: one hour in Berlin, a triptan that helped and ibuprofen that somewhat did
    row(
        1,
        "11/16/24 13:12",
        "01h 00m",
        "7",
        Helpful_Medication="Sumatriptan 50mg",
        Somewhat_Helpful_Medication="Ibuprofen 400mg, Migrastop",
        Potential_Triggers="Stress, Bright light",
        Attack_Location="Home",
        Notes="tired",
    ),
    # lines 7-8: a day-spanning attack with a note over two lines, no medication
    row(
        2,
        "11/17/24 21:30",
        "06h 15m",
        "5",
        Attack_Types="Migraine with aura",
        Notes="woke up\nat 3",
    ),
    # line 9: pain 14 cannot be read
    row(3, "11/18/24 9:05", "02h 00m", "14"),
    # line 10: a date that is not a date
    row(4, "next tuesday", "02h 00m", "4"),
    # line 11: no end yet
    row(5, "11/19/24 8:00", "", "6"),
    # line 12: New York (UTC-5), the hour without a leading zero
    row(6, "11/21/24 9:40", "03h 20m", "6", offset=-300, Unsure_Medication="Excedrin"),
]
BAD = [
    "line 9: Pain Level must be a whole number from 0 to 10 (got '14')",
    "line 10: Started must be a date and time like 11/16/24 13:12 (month/day/two-digit year, "
    "24-hour clock) (got 'next tuesday')",
]
NOT_IMPORTED = (
    "1 without an end, kept as ongoing; not imported, no end yet: 1 ongoing event in the preamble"
)


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "MigraineBuddy_export.csv"
    path.write_text("\n".join(EXPORT) + "\n", encoding="utf-8")
    return path


def buddy(cli: Cli, path: Path, *extra: str) -> Any:
    return cli("import", "--format", "migraine-buddy", str(path), *extra)


def test_bad_rows_refuse_the_file_and_write_nothing(cli: Cli, export: Path) -> None:
    empty = fingerprint(cli.db_path)  # none on SQLite: the file is not even made
    result = buddy(cli, export)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        *(f"migraine: error: {line}" for line in BAD),
        f"migraine: error: 2 bad rows in {export}; nothing was imported "
        "(--skip-bad imports the good rows)",
    ]
    assert fingerprint(cli.db_path) == empty
    cli.ok("checkin", "--date", "2026-11-01")
    before = fingerprint(cli.db_path)
    assert buddy(cli, export).exit_code == 2
    assert fingerprint(cli.db_path) == before


def test_skip_bad_imports_the_good_rows_and_reports_the_rest(cli: Cli, export: Path) -> None:
    result = buddy(cli, export, "--skip-bad")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [f"migraine: skipped {line}" for line in BAD]
    assert result.stdout.splitlines() == [
        f"Added 4 attacks from {export}; 2 bad rows skipped; {NOT_IMPORTED}.",
        "Not in the medication table, so counted as unclassified (never guessed): Migrastop.",
        "Set a class with: migraine medclass Migrastop CLASS",
    ]
    found = sorted(cli.json("attack", "list"), key=lambda a: a["id"])
    # line 11, without an end, is an ongoing attack
    assert [a["start"] for a in found if a["end"] is None] == ["2024-11-19T07:00:00+00:00"]
    first, second, third = [a for a in found if a["end"] is not None]
    source = "migraine-buddy:MigraineBuddy_export.csv"
    assert first == {
        "id": 1,
        "start": "2024-11-16T12:12:00+00:00",
        "end": "2024-11-16T13:12:00+00:00",
        "peak": 7,
        "aura": False,
        "medications": [
            {
                "name": "Sumatriptan 50mg",
                "class": "triptan",
                "helpfulness": "helpful",
                "taken_at": None,
            },
            {
                "name": "Ibuprofen 400mg",
                "class": "simple_analgesic",
                "helpfulness": "somewhat",
                "taken_at": None,
            },
            {"name": "Migrastop", "class": None, "helpfulness": "somewhat", "taken_at": None},
        ],
        "notes": "Attack Location: Home\nPotential Triggers: Stress, Bright light\nNotes: tired",
        "source": source,
        "detail": {
            "triggers": ["Stress", "Bright light"],
            "symptoms": [],
            "pain_positions": [],
            "most_bothersome": None,
            "relief": [],
        },
        "local_time": {
            "start": "2024-11-16T13:12:00+01:00",
            "end": "2024-11-16T14:12:00+01:00",
            "start_offset": 60,
            "end_offset": 60,
        },
    }
    assert second["medications"] == []  # "No medication"
    assert second["aura"] is True
    assert second["notes"].endswith("Notes: woke up\nat 3")
    assert (second["start"], second["end"]) == (
        "2024-11-17T20:30:00+00:00",
        "2024-11-18T02:45:00+00:00",
    )
    assert third["start"] == "2024-11-21T14:40:00+00:00"  # 9:40 at UTC-5
    assert third["medications"][0]["class"] == "combination_analgesic"
    # the day-spanning attack touches both local days; the ongoing one counts 72 hours, then
    # its days are unknown
    (november,) = cli.json("calendar", "--since", "2024-11-16", "--until", "2024-11-23")
    assert [d["status"] for d in november["days"]] == [
        *["migraine"] * 7,  # 19 November 08:00 to 22 November 08:00: 72 hours
        "unknown",
    ]


def test_importing_the_same_file_twice_adds_nothing(cli: Cli, export: Path) -> None:
    assert buddy(cli, export, "--skip-bad").exit_code == 0
    again = buddy(cli, export, "--skip-bad")
    assert again.exit_code == 0
    assert again.stdout.splitlines()[0] == (
        f"Added 0 attacks from {export}; 4 already in the diary; 2 bad rows skipped; "
        f"{NOT_IMPORTED}."
    )
    assert len(cli.json("attack", "list")) == 4


def test_a_later_export_ends_the_ongoing_attack_and_adds_nothing(
    cli: Cli, export: Path, tmp_path: Path
) -> None:
    assert buddy(cli, export, "--skip-bad").exit_code == 0
    ongoing = [a for a in cli.json("attack", "list") if a["end"] is None]
    assert len(ongoing) == 1
    later = tmp_path / "later.csv"
    later.write_text(
        "\n".join(EXPORT).replace(
            row(5, "11/19/24 8:00", "", "6"), row(5, "11/19/24 8:00", "02h 30m", "6")
        )
        + "\n",
        encoding="utf-8",
    )
    result = buddy(cli, later, "--skip-bad")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        f"Added 0 attacks from {later}; 4 already in the diary; 2 bad rows skipped; "
        "1 ongoing attack ended; not imported, no end yet: 1 ongoing event in the preamble."
    )
    after = {a["id"]: a for a in cli.json("attack", "list")}
    assert len(after) == 4
    assert after[ongoing[0]["id"]]["end"] == "2024-11-19T09:30:00+00:00"


def test_dry_run_writes_nothing(cli: Cli, export: Path) -> None:
    empty = fingerprint(cli.db_path)  # none on SQLite: the file is not even made
    result = buddy(cli, export, "--skip-bad", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith(f"Would add 4 attacks from {export};")
    assert fingerprint(cli.db_path) == empty
    cli.ok("checkin", "--date", "2026-11-01")
    before = fingerprint(cli.db_path)
    result = buddy(cli, export, "--skip-bad", "--dry-run")
    assert result.stdout.splitlines()[0].startswith(f"Would add 4 attacks from {export};")
    assert fingerprint(cli.db_path) == before
    assert cli.json("attack", "list") == []


def test_the_geohash_never_reaches_the_database(cli: Cli, export: Path) -> None:
    assert buddy(cli, export, "--skip-bad").exit_code == 0
    rows = every_row(cli.db_path)
    assert "Bright light" in rows  # the other columns are there, readable
    assert GEOHASH not in rows
    assert "Geohash" not in rows
    assert GEOHASH not in json.dumps(cli.json("attack", "list"))


@pytest.mark.sqlite_only  # reads the diary file's bytes, its WAL too
def test_the_geohash_never_reaches_the_diary_file(cli: Cli, export: Path) -> None:
    assert buddy(cli, export, "--skip-bad").exit_code == 0
    files = [Path(cli.db_path), Path(f"{cli.db_path}-wal")]
    raw = b"".join(f.read_bytes() for f in files if f.exists())
    assert GEOHASH.encode() not in raw
    assert b"Bright light" in raw  # the other columns are there, readable


def test_a_file_that_is_not_an_export_is_refused(cli: Cli, tmp_path: Path) -> None:
    empty = fingerprint(cli.db_path)  # none on SQLite: the file is not even made
    other = tmp_path / "sessions.csv"
    other.write_text("when,therapy,minutes,pain_before,pain_after\n")
    result = buddy(cli, other)
    assert result.exit_code == 2
    assert result.stderr == (
        f"migraine: error: {other}: not a Migraine Buddy export: no header row starting "
        '"#","Started","Lasted" found\n'
    )
    missing = buddy(cli, tmp_path / "nope.csv")
    assert missing.exit_code == 1
    assert missing.stderr == f"migraine: error: cannot read {tmp_path / 'nope.csv'}: no such file\n"
    assert fingerprint(cli.db_path) == empty


def test_format_and_skip_bad_are_checked(cli: Cli, export: Path) -> None:
    empty = fingerprint(cli.db_path)  # none on SQLite: the file is not even made
    wrong = cli("import", "--format", "buddy", str(export))
    assert wrong.exit_code == 2
    assert (
        wrong.stderr
        == "migraine: error: format must be csv, migraine-buddy or apple-health (got buddy)\n"
    )
    csv_skip = cli("import", str(export), "--skip-bad")
    assert csv_skip.exit_code == 2
    assert csv_skip.stderr == (
        "migraine: error: --skip-bad works with --format migraine-buddy or apple-health only\n"
    )
    assert fingerprint(cli.db_path) == empty


def test_two_clients_importing_the_same_export_each_get_their_attacks(
    cli: Cli, export: Path
) -> None:
    """A practice imports two clients' exports (here one file twice): an attack's import key
    is unique per client, so the second client's attacks are not taken for the first's."""
    for name in ("Anne", "Bert"):
        cli.ok("client", "add", name)
        result = cli("--client", name, "import", "--format", "migraine-buddy", str(export),
                     "--skip-bad")  # fmt: skip
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith(f"Added 4 attacks from {export}; 2 bad rows"), name
    anne, bert = (cli.json("--client", name, "attack", "list") for name in ("Anne", "Bert"))
    assert len(anne) == len(bert) == 4
    assert {a["id"] for a in anne}.isdisjoint(a["id"] for a in bert)
    assert sorted(a["start"] for a in anne) == sorted(a["start"] for a in bert)
    again = cli("--client", "Bert", "import", "--format", "migraine-buddy", str(export),
                "--skip-bad")  # fmt: skip
    assert again.exit_code == 0, again.stderr
    assert again.stdout.startswith(f"Added 0 attacks from {export}; 4 already in the diary")
    assert len(cli.json("attack", "list")) == 8
