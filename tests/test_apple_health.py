"""`migraine import --format apple-health`: headaches from a real-shaped Health app export
(made in health_export.py), streamed in constant memory, everything else never stored."""

from __future__ import annotations

import io
import tracemalloc
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from conftest import Cli, every_row, fingerprint, run_sql
from health_export import PROLOG, headache, write_export
from migraine_diary.domain import dates
from migraine_diary.transfer import apple_health

pytestmark = pytest.mark.both_engines

HEADACHES = [
    headache("2024-01-05 08:30:00 +0100", "2024-01-05 12:00:00 +0100", "Moderate"),
    headache("2024-01-09 20:00:00 +0100", "2024-01-10 02:15:00 +0100", "Severe"),
    headache("2024-06-12 07:00:00 +0200", "2024-06-12 08:30:00 +0200", "Mild", "Sam\u2019s iPhone"),
    headache("2024-06-20 13:00:00 +0200", "2024-06-20 15:00:00 +0200", "Unspecified"),
    headache("2024-06-22 09:00:00 +0200", "2024-06-22 10:00:00 +0200", "NotPresent"),
]


def health(cli: Cli, path: Path, *args: str) -> object:
    return cli("import", "--format", "apple-health", str(path), *args)


@pytest.fixture
def export_zip(tmp_path: Path) -> Path:
    return write_export(tmp_path / "export.zip", HEADACHES, filler_days=20, as_zip=True)


def test_headaches_of_a_zip_become_attacks_with_documented_peaks(
    cli: Cli, export_zip: Path
) -> None:
    result = cli.ok("import", "--format", "apple-health", str(export_zip))
    assert result.stdout == (
        f"Added 4 attacks from {export_zip}; 1 record of no headache (NotPresent) not imported.\n"
    )
    found = sorted(cli.json("attack", "list"), key=lambda a: a["start"])
    assert [(a["start"], a["end"], a["peak"]) for a in found] == [
        ("2024-01-05T07:30:00+00:00", "2024-01-05T11:00:00+00:00", 5),
        ("2024-01-09T19:00:00+00:00", "2024-01-10T01:15:00+00:00", 8),
        ("2024-06-12T05:00:00+00:00", "2024-06-12T06:30:00+00:00", 2),
        ("2024-06-20T11:00:00+00:00", "2024-06-20T13:00:00+00:00", 5),
    ]
    assert {a["source"] for a in found} == {"apple-health:export.zip"}
    moderate, _severe, mild, unspecified = found
    assert moderate["notes"] == "Apple Health severity: Moderate\nRecorded with: Health"
    assert mild["notes"] == "Apple Health severity: Mild\nRecorded with: Sam\u2019s iPhone"
    assert unspecified["notes"].startswith(
        "Apple Health severity: Unspecified (no severity given: the peak 5 stands in for one)"
    )
    assert mild["local_time"] == {
        "start": "2024-06-12T07:00:00+02:00",
        "end": "2024-06-12T08:30:00+02:00",
        "start_offset": 120,
        "end_offset": 120,
    }


def test_everything_else_in_the_export_is_never_stored(cli: Cli, export_zip: Path) -> None:
    cli.ok("import", "--format", "apple-health", str(export_zip))
    rows = every_row(cli.db_path)
    for other in ("HeartRate", "StepCount", "Workout", "Apple Watch", "SleepAnalysis", "1984"):
        assert other not in rows
    assert run_sql(cli.db_path, "SELECT COUNT(*) FROM attack") == [(4,)]


def test_reimport_adds_nothing_and_xml_equals_its_zip(
    cli: Cli, export_zip: Path, tmp_path: Path
) -> None:
    cli.ok("import", "--format", "apple-health", str(export_zip))
    before = fingerprint(cli.db_path)
    again = cli.ok("import", "--format", "apple-health", str(export_zip))
    assert "Added 0 attacks" in again.stdout
    assert "4 already in the diary" in again.stdout
    plain = write_export(tmp_path / "export.xml", HEADACHES, filler_days=3)
    assert (
        "4 already in the diary" in cli.ok("import", "--format", "apple-health", str(plain)).stdout
    )
    assert run_sql(cli.db_path, "SELECT COUNT(*) FROM attack") == [(4,)]
    assert before is not None


def test_dry_run_writes_nothing(cli: Cli, export_zip: Path) -> None:
    empty = fingerprint(cli.db_path)  # none on SQLite: the file is not even made
    dry = cli.ok("import", "--format", "apple-health", str(export_zip), "--dry-run")
    assert dry.stdout.startswith("Would add 4 attacks")
    assert fingerprint(cli.db_path) == empty
    cli.ok("checkin", "--date", "2026-11-01")
    before = fingerprint(cli.db_path)
    cli.ok("import", "--format", "apple-health", str(export_zip), "--dry-run")
    assert fingerprint(cli.db_path) == before


def test_a_bad_headache_record_refuses_the_file_unless_skip_bad(cli: Cli, tmp_path: Path) -> None:
    path = write_export(
        tmp_path / "export.xml",
        [
            HEADACHES[0],
            headache("2024-02-01 08:00:00 +0100", "2024-02-01 09:00:00 +0100", "Excruciating"),
            headache("yesterday", "2024-02-03 09:00:00 +0100"),
            headache("2024-02-05 10:00:00 +0100", "2024-02-05 09:00:00 +0100"),
            headache("2024-02-07 10:00:00 +0100", "2024-03-20 09:00:00 +0100"),
        ],
        filler_days=2,
    )
    empty = fingerprint(cli.db_path)  # none on SQLite: the file is not even made
    refused = health(cli, path)
    assert refused.exit_code == 2  # type: ignore[attr-defined]
    lines = refused.stderr.splitlines()  # type: ignore[attr-defined]
    assert lines[0].startswith(
        "migraine: error: headache record 2: value must be one of "
        "HKCategoryValueSeverityUnspecified, HKCategoryValueSeverityMild"
    )
    assert lines[0].endswith("(got HKCategoryValueSeverityExcruciating)")
    assert lines[1] == (
        "migraine: error: headache record 3: startDate must be a date and time like "
        "2024-01-05 08:30:00 +0100 (got yesterday)"
    )
    assert lines[2].startswith("migraine: error: headache record 4: end must be")
    assert lines[3] == (
        "migraine: error: headache record 5: endDate must be at most 30 days after startDate"
    )
    assert lines[4] == (
        f"migraine: error: 4 bad headache records in {path}; nothing was imported "
        "(--skip-bad imports the good headache records)"
    )
    assert fingerprint(cli.db_path) == empty
    skipped = health(cli, path, "--skip-bad")
    assert skipped.exit_code == 0  # type: ignore[attr-defined]
    assert "migraine: skipped headache record 2: value must be" in skipped.stderr  # type: ignore[attr-defined]
    assert skipped.stdout == (  # type: ignore[attr-defined]
        f"Added 1 attack from {path}; 4 bad headache records skipped.\n"
    )


def test_entity_declarations_are_refused_before_parsing(cli: Cli, tmp_path: Path) -> None:
    laughs = "".join(f'<!ENTITY lol{n + 1} "{f"&lol{n};" * 10}">' for n in range(1, 9))
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE HealthData [<!ENTITY lol1 "lol">'
        + laughs
        + ']>\n<HealthData><Record type="HKCategoryTypeIdentifierHeadache" '
        'sourceName="&lol9;" startDate="2024-01-05 08:30:00 +0100" '
        'endDate="2024-01-05 09:30:00 +0100" value="HKCategoryValueSeverityMild"/></HealthData>'
    )
    path = tmp_path / "export.xml"
    path.write_text(bomb, encoding="utf-8")
    empty = fingerprint(cli.db_path)  # none on SQLite: the file is not even made
    result = health(cli, path)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert result.stderr == (  # type: ignore[attr-defined]
        f"migraine: error: {path}: not read: it declares XML entities, which an export never does\n"
    )
    assert fingerprint(cli.db_path) == empty
    # What iterparse alone would do: expat (2.4 and later) stops this bomb itself, but it
    # expands smaller entities, and the export never needs any.
    with pytest.raises(ET.ParseError, match="amplification"):
        for _ in ET.iterparse(io.BytesIO(bomb.encode()), events=("end",)):
            pass
    small = '<!DOCTYPE a [<!ENTITY x "expanded">]><a>&x;</a>'
    assert [e.text for _, e in ET.iterparse(io.BytesIO(small.encode()))] == ["expanded"]


@pytest.mark.sqlite_only  # refused before the diary is used: nothing for PostgreSQL (3 runs)
@pytest.mark.parametrize(
    ("doctype", "why"),
    [
        ('<!DOCTYPE HealthData SYSTEM "http://example.org/h.dtd">', "names an outside DTD"),
        ('<!DOCTYPE HealthData [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "declares XML"),
        ('<!DOCTYPE HealthData [<!ENTITY % p "x">]>', "declares XML"),
    ],
)
def test_outside_dtds_and_other_entities_are_refused(
    cli: Cli, tmp_path: Path, doctype: str, why: str
) -> None:
    path = tmp_path / "export.xml"
    path.write_text(f'<?xml version="1.0"?>\n{doctype}\n<HealthData/>', encoding="utf-8")
    result = health(cli, path)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert why in result.stderr  # type: ignore[attr-defined]


def test_the_exports_own_dtd_is_read(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text(PROLOG + HEADACHES[0] + "</HealthData>\n", encoding="utf-8")
    assert "Added 1 attack " in cli.ok("import", "--format", "apple-health", str(path)).stdout


def test_files_that_are_not_an_export_get_one_line(cli: Cli, tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text("<ClinicalDocument/>", encoding="utf-8")
    broken = tmp_path / "broken.xml"
    broken.write_text(PROLOG + HEADACHES[0] + "<Record type=", encoding="utf-8")
    empty_zip = tmp_path / "export.zip"
    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
    empty = fingerprint(cli.db_path)  # none on SQLite: the file is not even made
    cases = {
        other: f"migraine: error: {other}: not an Apple Health export (its root element is "
        "not HealthData)\n",
        empty_zip: f"migraine: error: {empty_zip}: not an Apple Health export (no "
        "apple_health_export/export.xml in the zip)\n",
        tmp_path / "missing.zip": f"migraine: error: cannot read {tmp_path / 'missing.zip'}: "
        "no such file\n",
    }
    for path, message in cases.items():
        result = health(cli, path)
        assert result.stderr == message  # type: ignore[attr-defined]
    result = health(cli, broken)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert result.stderr.startswith(  # type: ignore[attr-defined]
        f"migraine: error: {broken}: not readable XML at line "
    )
    assert result.stderr.endswith("; nothing was imported\n")  # type: ignore[attr-defined]
    assert fingerprint(cli.db_path) == empty


def test_a_multi_megabyte_export_reads_in_flat_memory(tmp_path: Path) -> None:
    """The peak of traced memory stays far below the file's size, and no higher for a file
    four times as large: nothing of the export is kept but its headaches."""
    headaches = [
        headache(f"2024-{m:02d}-{d:02d} 08:00:00 +0100", f"2024-{m:02d}-{d:02d} 11:00:00 +0100")
        for m in range(1, 13)
        for d in (3, 17)
    ]
    peaks = {}
    for days in (60, 240):
        path = write_export(
            tmp_path / f"export-{days}.zip", headaches, filler_days=days, per_day=60, as_zip=True
        )
        with zipfile.ZipFile(path) as archive:
            size = archive.getinfo("apple_health_export/export.xml").file_size
        tracemalloc.start()
        try:
            plan = apple_health.check_apple_health(path, skip_bad=False, now=dates.now())
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert len(plan.good) == len(headaches)
        peaks[days] = (size, peak)
    (small_size, small_peak), (big_size, big_peak) = peaks[60], peaks[240]
    assert big_size > 8 * 1024 * 1024  # a multi-megabyte export
    assert big_size > 3.5 * small_size
    assert big_peak < big_size / 10
    assert big_peak < 2 * small_peak + 1024 * 1024  # flat: not four times the smaller peak
