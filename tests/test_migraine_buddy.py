"""Reading Migraine Buddy CSV exports built here from the known facts of the format."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from buddy_format import BUDDY_COLUMNS as COLUMNS
from conftest import Cli
from migraine_diary.domain.buddy import RowError
from migraine_diary.transfer.migraine_buddy import (
    BuddyAttack,
    BuddyMedication,
    NotMigraineBuddyExport,
    dedupe_key,
    most_bothersome,
    parse_migraine_buddy,
)

pytestmark = pytest.mark.both_engines

NO_MEDS = {c: "No medication" for c in COLUMNS if c.endswith(" Medication")}
GEOHASH = "u33dbfcyegvc"


def quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


def csv_row(cells: list[str]) -> str:
    return ",".join(quote(c) for c in cells)


def row(number: int, started: str, lasted: str = "01h 00m", **fields: str) -> str:
    """One attack row; ``fields`` are column names to values."""
    values = {
        "#": str(number),
        "Started": started,
        "Lasted": lasted,
        "Start UTC Offset (min)": "60",
        "End UTC Offset (min)": "60",
        "Geohash": GEOHASH,
        "Pain Level": "6",
        **NO_MEDS,
    }
    values.update(fields)
    return csv_row([values.get(c, "") for c in COLUMNS])


def offsets(start: int, end: int | None = None) -> dict[str, str]:
    return {
        "Start UTC Offset (min)": str(start),
        "End UTC Offset (min)": str(start if end is None else end),
    }


PREAMBLE = [
    csv_row(["Date", "Time Period", "Description", "Notes"]),  # line 1
    '"11/20/24","Ongoing","Migraine","started at work',  # line 2
    'still going, ""bad"" one"',  # line 3
    "",  # line 4
]
HEADER = csv_row(COLUMNS)  # line 5


def export(*rows: str, preamble: list[str] = PREAMBLE) -> str:
    return "\n".join([*preamble, HEADER, *rows]) + "\n"


# A realistic file: lines are counted from 1 and the header is line 5.
GOOD_ROWS = [
    # line 6: a one-hour attack with medications of each helpfulness
    row(
        1,
        "11/16/24 13:12",
        "01h 00m",
        **{
            "Attack Types": "Migraine",
            "Attack Location": "Home",
            "Pain Level": "7",
            "Affected Activities": "Work",
            "Potential Triggers": "Stress, Bright light",
            "Symptoms": "Nausea, Visual aura",
            "Most Bothersome Symptom": "Nausea",
            "Premonitory Symptoms": "Yawning",
            "Pain Positions": "Left temple",
            "Helpful Medication": "Sumatriptan 50mg",
            "Somewhat Helpful Medication": "Ibuprofen 400mg, Paracetamol",
            "Unhelpful Medication": "No medication",
            "Unsure Medication": "Excedrin (aspirin, paracetamol, caffeine)",
            "Helpful Non Drug Relief Methods": "Sleep, Dark room",
            "Unsure Non Drug Relief Methods": "No Non Drug Relief Methods",
            "Notes": "tired",
        },
    ),
    # lines 7-8: a day-spanning attack in New York (UTC-5) with a two-line note
    row(
        2,
        "11/17/24 23:30",
        "1d 02h 15m",
        **offsets(-300),
        **{"Pain Level": "5", "Attack Types": "Migraine without aura", "Notes": "woke up\nat 3"},
    ),
    # line 9: hour without leading zero, India (UTC+5:30), pain 0, no medication
    row(3, "11/18/24 9:05", "00h 20m", **offsets(330), **{"Pain Level": "0"}),
]


def good_export() -> str:
    return export(*GOOD_ROWS)


def test_reads_good_rows_with_offsets_and_durations() -> None:
    result = parse_migraine_buddy(good_export())
    assert result.errors == []
    assert [a.line for a in result.attacks] == [6, 7, 9]
    first, second, third = result.attacks

    cet = dt.timezone(dt.timedelta(minutes=60))
    assert first.start == dt.datetime(2024, 11, 16, 13, 12, tzinfo=cet)
    assert first.start.utcoffset() == dt.timedelta(hours=1)
    assert first.end == dt.datetime(2024, 11, 16, 14, 12, tzinfo=cet)
    assert first.peak == 7
    assert first.number == "1"

    est = dt.timezone(dt.timedelta(minutes=-300))
    assert second.start == dt.datetime(2024, 11, 17, 23, 30, tzinfo=est)
    assert second.end == dt.datetime(2024, 11, 19, 1, 45, tzinfo=est)
    assert second.start.astimezone(dt.UTC) == dt.datetime(2024, 11, 18, 4, 30, tzinfo=dt.UTC)

    ist = dt.timezone(dt.timedelta(minutes=330))
    assert third.start == dt.datetime(2024, 11, 18, 9, 5, tzinfo=ist)
    assert third.end - third.start == dt.timedelta(minutes=20)
    assert third.peak == 0


def test_end_uses_the_end_offset_across_a_dst_change() -> None:
    # Berlin, 31 Mar 2024: starts 23:00 CET, lasts 5 hours, ends 05:00 CEST
    text = export(row(1, "3/30/24 23:00", "05h 00m", **offsets(60, 120)))
    (attack,) = parse_migraine_buddy(text).attacks
    assert attack.end - attack.start == dt.timedelta(hours=5)
    assert attack.end.utcoffset() == dt.timedelta(hours=2)
    assert (attack.end.hour, attack.end.minute) == (5, 0)


def test_medications_keep_their_helpfulness_and_no_medication_means_none() -> None:
    first, second, _ = parse_migraine_buddy(good_export()).attacks
    assert first.medications == (
        BuddyMedication("Sumatriptan 50mg", "helpful"),
        BuddyMedication("Ibuprofen 400mg", "somewhat"),
        BuddyMedication("Paracetamol", "somewhat"),
        BuddyMedication("Excedrin (aspirin, paracetamol, caffeine)", "unsure"),
    )
    assert first.medications[0].helpfulness == "helpful"
    assert second.medications == ()


def test_aura_comes_from_attack_types_or_symptoms_but_not_without_aura() -> None:
    first, second, third = parse_migraine_buddy(good_export()).attacks
    assert first.aura is True  # "Visual aura" in Symptoms
    assert second.aura is False  # "Migraine without aura"
    assert third.aura is False
    text = export(row(1, "11/16/24 13:12", **{"Attack Types": "Migraine with Aura"}))
    assert parse_migraine_buddy(text).attacks[0].aura is True


def test_notes_keep_the_other_columns_readably_but_never_the_geohash() -> None:
    first, second, third = parse_migraine_buddy(good_export()).attacks
    notes = first.notes.splitlines()
    assert "Attack Types: Migraine" in notes
    assert "Attack Location: Home" in notes
    assert "Affected Activities: Work" in notes
    assert "Potential Triggers: Stress, Bright light" in notes
    assert "Symptoms: Nausea, Visual aura" in notes
    assert "Most Bothersome Symptom: Nausea" in notes
    assert "Premonitory Symptoms: Yawning" in notes
    assert "Pain Positions: Left temple" in notes
    assert "Helpful Non Drug Relief Methods: Sleep, Dark room" in notes
    assert notes[-1] == "Notes: tired"
    assert "Unsure Non Drug Relief Methods" not in first.notes
    assert second.notes.endswith("Notes: woke up\nat 3")
    for attack in (first, second, third):
        assert GEOHASH not in attack.notes
        assert "geohash" not in attack.notes.casefold()
        assert "Medication" not in attack.notes  # medications are fields, not notes


def test_location_columns_of_any_name_are_dropped() -> None:
    header = csv_row([*COLUMNS[:-1], "Latitude", "Longitude", "Weather", "Notes"])
    line = csv_row(
        [
            "1",
            "11/16/24 13:12",
            "01h 00m",
            "60",
            "60",
            GEOHASH,
            *[""] * 2,
            "5",
            *[""] * 14,
            "52.52",
            "13.40",
            "Rainy",
            "",
        ]
    )
    result = parse_migraine_buddy(f"{header}\n{line}\n")
    (attack,) = result.attacks
    assert attack.notes == "Weather: Rainy"


def test_preamble_ongoing_events_are_counted_not_imported() -> None:
    result = parse_migraine_buddy(good_export())
    assert result.ongoing_skipped == 1
    assert len(result.attacks) == 3


def test_rows_without_an_end_are_ongoing_attacks() -> None:
    text = export(
        row(1, "11/16/24 13:12", lasted=""),
        row(2, "11/17/24 13:12", lasted="ongoing"),
        row(3, "11/18/24 13:12", lasted="Ongoing"),
        row(4, "11/19/24 13:12"),
    )
    result = parse_migraine_buddy(text)
    assert result.ongoing_rows == 3
    assert [(a.number, a.end is None) for a in result.attacks] == [
        ("1", True),
        ("2", True),
        ("3", True),
        ("4", False),
    ]
    assert result.errors == []


def test_a_preamble_saying_there_are_no_ongoing_events_is_no_event() -> None:
    preamble = [
        csv_row(["Date", "Time Period", "Description", "Notes"]),
        csv_row(["No ongoing events recorded during this period.", "", "", ""]),
        "",
    ]
    result = parse_migraine_buddy(export(row(1, "11/16/24 13:12"), preamble=preamble))
    assert (result.ongoing_skipped, len(result.attacks)) == (0, 1)


def test_bad_rows_are_errors_with_line_column_and_allowed_values() -> None:
    text = export(
        row(1, "11/16/24 13:12"),  # line 6
        row(2, "not a date"),  # line 7
        row(3, "11/17/24 10:00", **{"Pain Level": "14"}),  # line 8
        row(4, "11/18/24 10:00", lasted="a while"),  # line 9
        row(5, "2/30/24 10:00"),  # line 10: no such day
        row(6, "11/19/24 10:00", **{"Start UTC Offset (min)": "east"}),  # line 11
        row(7, "11/20/24 10:00", **{"Pain Level": "6.5"}),  # line 12
        row(8, "11/21/24 25:00"),  # line 13
        row(9, "11/22/24 10:00", **{"Pain Level": ""}),  # line 14
    )
    result = parse_migraine_buddy(text)
    assert [a.line for a in result.attacks] == [6]
    by_line = {e.line: e for e in result.errors}
    assert sorted(by_line) == [7, 8, 9, 10, 11, 12, 13, 14]
    assert by_line[7].field == "Started"
    assert "month/day/two-digit year" in by_line[7].message
    assert "'not a date'" in by_line[7].message
    assert by_line[8] == RowError(
        8, "Pain Level", "Pain Level must be a whole number from 0 to 10 (got '14')"
    )
    assert by_line[9].field == "Lasted"
    assert "01h 00m" in by_line[9].message
    assert "'a while'" in by_line[9].message
    assert by_line[10].field == "Started"
    assert by_line[11].field == "Start UTC Offset (min)"
    assert "minutes east of UTC" in by_line[11].message
    assert by_line[12].field == "Pain Level"
    assert by_line[13].field == "Started"
    assert by_line[14].field == "Pain Level"
    assert str(by_line[8]).startswith("line 8: Pain Level")
    assert result.error_lines == [7, 8, 9, 10, 11, 12, 13, 14]


def test_a_row_with_several_bad_fields_reports_each() -> None:
    text = export(row(1, "yesterday", lasted="long", **{"Pain Level": "-1"}))
    result = parse_migraine_buddy(text)
    assert result.attacks == []
    assert sorted(e.field for e in result.errors) == ["Lasted", "Pain Level", "Started"]
    assert {e.line for e in result.errors} == {6}


def test_error_line_counts_lines_of_multiline_cells_before_it() -> None:
    text = export(*GOOD_ROWS, row(4, "bad date"))
    result = parse_migraine_buddy(text)
    assert [e.line for e in result.errors] == [10]


def test_row_with_too_many_cells_is_an_error_short_row_is_padded() -> None:
    too_long = row(1, "11/16/24 13:12") + ',"surprise"'
    short = csv_row(["2", "11/17/24 13:12", "00h 45m", "60", "60", GEOHASH, "", "", "4"])
    result = parse_migraine_buddy(export(too_long, short))
    assert [e.line for e in result.errors] == [6]
    assert "surprise" in result.errors[0].message
    (attack,) = result.attacks
    assert (attack.line, attack.peak, attack.medications) == (7, 4, ())


@pytest.mark.parametrize(
    ("lasted", "expected"),
    [
        ("01h 00m", dt.timedelta(hours=1)),
        ("1d 02h 15m", dt.timedelta(days=1, hours=2, minutes=15)),
        ("00h 05m", dt.timedelta(minutes=5)),
        ("3d 00h 00m", dt.timedelta(days=3)),
        ("45m", dt.timedelta(minutes=45)),
        ("2h", dt.timedelta(hours=2)),
    ],
)
def test_lasted_formats(lasted: str, expected: dt.timedelta) -> None:
    (attack,) = parse_migraine_buddy(export(row(1, "11/16/24 13:12", lasted=lasted))).attacks
    assert attack.end - attack.start == expected


def test_bom_and_crlf_give_the_same_result() -> None:
    plain = parse_migraine_buddy(good_export())
    windows = parse_migraine_buddy("\ufeff" + good_export().replace("\n", "\r\n"))
    assert windows.attacks == plain.attacks
    assert windows.ongoing_skipped == plain.ongoing_skipped
    assert "\r" not in windows.attacks[1].notes


def test_export_without_preamble_and_with_bom_on_the_header() -> None:
    text = "\ufeff" + HEADER + "\n" + row(1, "11/16/24 13:12") + "\n"
    result = parse_migraine_buddy(text)
    assert [a.line for a in result.attacks] == [2]
    assert result.ongoing_skipped == 0


def test_header_only_gives_an_empty_import() -> None:
    result = parse_migraine_buddy(export())
    assert (result.attacks, result.errors, result.ongoing_skipped) == ([], [], 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "hello world\n",
        "date,pain\n2024-01-01,5\n",
        "\n".join(PREAMBLE),
        '"Date","Time Period","Description","Notes"\n"11/20/24","x","y","never closed\n',
    ],
)
def test_not_an_export_is_one_clear_error(text: str) -> None:
    with pytest.raises(NotMigraineBuddyExport) as caught:
        parse_migraine_buddy(text)
    message = str(caught.value)
    assert "\n" not in message
    assert "Migraine Buddy" in message
    assert isinstance(caught.value, ValueError)


def test_header_missing_a_needed_column_is_not_an_export() -> None:
    header = csv_row([c for c in COLUMNS if c != "Pain Level"])
    with pytest.raises(NotMigraineBuddyExport, match="Pain Level"):
        parse_migraine_buddy(header + "\n")


def test_dedupe_key_is_stable_and_ignores_how_the_offset_is_written() -> None:
    first = parse_migraine_buddy(good_export()).attacks
    again = parse_migraine_buddy(good_export()).attacks
    assert [dedupe_key(a) for a in first] == [dedupe_key(a) for a in again]
    assert len({dedupe_key(a) for a in first}) == 3
    same_instant = export(
        row(1, "11/16/24 13:12", **offsets(60)),
        row(2, "11/16/24 12:12", **offsets(0)),
        row(3, "11/16/24 12:12", **offsets(0), **{"Pain Level": "8"}),
    )
    a, b, c = parse_migraine_buddy(same_instant).attacks
    assert dedupe_key(a) == dedupe_key(b)
    assert dedupe_key(a) != dedupe_key(c)
    assert "2024-11-16T12:12:00Z" in dedupe_key(a)


def test_started_accepts_four_digit_years_and_am_pm() -> None:
    text = export(row(1, "11/16/2024 1:12 PM"), row(2, "11/16/24 12:05 AM"))
    first, second = parse_migraine_buddy(text).attacks
    assert (first.start.year, first.start.hour, first.start.minute) == (2024, 13, 12)
    assert (second.start.day, second.start.hour) == (16, 0)


def test_blank_lines_between_rows_are_ignored() -> None:
    text = export(row(1, "11/16/24 13:12"), "", row(2, "11/17/24 13:12"))
    assert [a.line for a in parse_migraine_buddy(text).attacks] == [6, 8]


CELL = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CELL, max_size=len(COLUMNS) + 2), max_size=6))
def test_any_rows_after_the_header_never_raise(rows: list[list[str]]) -> None:
    text = export(*(csv_row(r) for r in rows))
    result = parse_migraine_buddy(text)
    assert result.ongoing_rows <= len(result.attacks) <= len(rows)
    for attack in result.attacks:
        assert isinstance(attack, BuddyAttack)
        assert 0 <= attack.peak <= 10
        assert attack.start.utcoffset() is not None
        assert attack.end >= attack.start


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_after_the_header_never_raises(tail: str) -> None:
    result = parse_migraine_buddy(HEADER + "\n" + tail)
    assert all(e.line >= 2 for e in result.errors)


def test_a_cell_too_large_for_csv_is_a_row_error_and_reading_goes_on() -> None:
    huge = row(2, "x" * 200_000)
    result = parse_migraine_buddy(export(row(1, "11/16/24 13:12"), huge, row(3, "11/17/24 9:00")))
    assert [a.number for a in result.attacks] == ["1", "3"]
    assert [(e.line, e.message) for e in result.errors] == [(7, "row is not readable CSV")]


@pytest.mark.parametrize(
    ("cell", "mbs"),
    [
        ("Nausea", "nausea"),
        ("Vomiting", "nausea"),
        ("Sensitivity to light", "light"),
        ("Photophobia", "light"),
        ("Sensitivity to Sound", "sound"),
        ("Phonophobia", "sound"),
        ("Light and sound sensitivity", "other"),
        ("Dizziness", "other"),
        ("", None),
        ("None", None),
    ],
)
def test_most_bothersome_symptom_maps_onto_the_field(cell: str, mbs: str | None) -> None:
    assert most_bothersome(cell) == mbs


def test_an_imported_attack_keeps_its_helpfulness_and_gets_its_mbs(
    cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "buddy.csv"
    path.write_text(export(GOOD_ROWS[0], GOOD_ROWS[2]))
    cli.ok("import", "--format", "migraine-buddy", str(path))
    first = next(a for a in cli.json("attack", "list") if a["peak"] == 7)
    shown = cli.json("attack", "show", str(first["id"]))
    assert shown["mbs"] == "nausea"
    assert "Most Bothersome Symptom: Nausea" in shown["notes"]
    assert {m["helpfulness"] for m in shown["medications"]} >= {"helpful", "somewhat"}
    assert all(r["pain_2h"] is None and r["mbs_gone_2h"] is None for r in shown["ratings"])
    other = next(a for a in cli.json("attack", "list") if a["peak"] == 0)
    assert cli.json("attack", "show", str(other["id"]))["mbs"] is None
