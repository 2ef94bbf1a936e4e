"""CSV and JSON export, and the all-or-nothing import."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Cli, fingerprint
from migraine_diary.domain.session import FIELDS
from migraine_diary.transfer.sessions import neutralise, restore

pytestmark = pytest.mark.both_engines


def test_csv_export_streams_oldest_first_with_header(cli: Cli) -> None:
    cli.log("cst", when="2026-11-02 10:00", cost=120, notes='said "relax", then\nsilence')
    cli.log("acupuncture", when="2026-11-01 09:00", cost="85.5", later=2, attack=True)
    out = cli.ok("export").stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == list(FIELDS)
    assert rows[1] == [
        "2",
        "2026-11-01T08:00:00+00:00",
        "acupuncture",
        "45",
        "5",
        "4",
        "2",
        "85.50",
        "",
        "true",
        "",
    ]
    assert rows[2][2] == "cst"
    assert rows[2][7] == "120.00"
    assert rows[2][10] == 'said "relax", then\nsilence'


def test_formula_cells_are_neutralised_and_restored(cli: Cli, tmp_path: Path) -> None:
    cli.log(
        '=HYPERLINK("x")',
        when="2026-11-01",
        notes="-3 after lunch",
        provider="@home",
        new_therapy=True,
    )
    out = cli.ok("export").stdout
    row = list(csv.reader(io.StringIO(out)))[1]
    assert row[2] == '\'=HYPERLINK("x")'
    assert row[8] == "'@home"
    assert row[10] == "'-3 after lunch"
    file = tmp_path / "out.csv"
    file.write_text(out)
    other = cli.fresh()
    other.ok("import", str(file))
    assert other.json("show", "1")["therapy"] == '=HYPERLINK("x")'
    assert other.json("show", "1")["notes"] == "-3 after lunch"


@given(st.text(max_size=20))
def test_neutralise_is_undone_exactly(text: str) -> None:
    assert restore(neutralise(text)) == text
    assert neutralise(text)[:1] not in ("=", "+", "-", "@", "\t", "\r")


def test_export_to_file_is_private(cli: Cli, tmp_path: Path) -> None:
    cli.log(when="2026-11-01")
    target = tmp_path / "out.csv"
    result = cli.ok("export", "--output", str(target))
    assert "Exported 1 session to " in result.stderr
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert target.read_text().startswith("id,when,therapy")


def test_json_export_is_a_list_of_sessions(cli: Cli) -> None:
    cli.log(when="2026-11-01", cost=90)
    cli.log(when="2026-11-02", cost=60)
    data = json.loads(cli.ok("export", "--format", "json").stdout)
    assert [d["cost"] for d in data] == ["90.00", "60.00"]
    assert data == [cli.json("show", "1"), cli.json("show", "2")]
    assert json.loads(cli.fresh().ok("export", "-f", "json").stdout) == []


def test_export_format_is_checked(cli: Cli) -> None:
    result = cli("export", "--format", "xlsx")
    assert result.exit_code == 2
    assert result.stderr == "migraine: error: format must be csv, json or fhir (got xlsx)\n"
    for command, says in (
        (("--what", "kept"), "--what must be sessions, attacks, checkins, ratings or scores"),
        (("--format", "fhir", "--local"), "sessions and attacks: leave out --local\n"),
        (("--format", "fhir", "--what", "attacks", "--excel"), "leave out --what and --excel\n"),
    ):
        refused = cli("export", *command)
        assert refused.exit_code == 2, command
        assert says in refused.stderr, command


def test_round_trip_into_an_empty_diary(cli: Cli, tmp_path: Path) -> None:
    cli.log(
        "cst",
        when="2026-11-01 09:00",
        cost="89.99",
        provider="Anna, LMT",
        later=3,
        notes='línea 1\n"two", three',
        attack=True,
    )
    cli.log("massage", when="2026-11-02", pain_before=0, pain_after=0)
    file = tmp_path / "export.csv"
    file.write_text(cli.ok("export").stdout)
    other = cli.fresh()
    assert other.ok("import", str(file)).stdout == f"Added 2 sessions from {file}.\n"
    assert other.json("list") == cli.json("list")
    again = other.ok("import", str(file))
    assert again.stdout == f"Added 0 sessions from {file}; 2 already in the diary.\n"
    assert len(other.json("list")) == 2


def test_import_reports_every_bad_row_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    cli.log(when="2026-11-01")
    before = fingerprint(cli.db_path)
    file = tmp_path / "bad.csv"
    file.write_text(
        "when,therapy,minutes,pain_before,pain_after,cost,notes\n"
        "2026-11-01,cst,45,5,4,90,fine\n"
        '2026-11-02,cst,45,11,4,90,"two\nlines"\n'
        "2026-11-03,cst,0,5,4,90,\n"
        "2026-11-04,cst,45,5,4,-1,\n"
        "not a date,cst,45,5,4,1,\n"
    )
    result = cli("import", str(file))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert (
        lines[0]
        == "migraine: error: line 3: pain_before must be a whole number from 0 to 10 (got 11)"
    )
    assert (
        lines[1] == "migraine: error: line 5: minutes must be a whole number from 1 to 600 (got 0)"
    )
    assert lines[2].startswith("migraine: error: line 6: cost must be")
    assert lines[3].startswith("migraine: error: line 7: when must be")
    assert lines[4] == f"migraine: error: 4 bad rows in {file}; nothing was imported"
    assert fingerprint(cli.db_path) == before


def test_import_dry_run_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    cli.log(when="2026-11-01")
    before = fingerprint(cli.db_path)
    file = tmp_path / "ok.csv"
    file.write_text("when,therapy,minutes,pain_before,pain_after\n2026-11-02,cst,45,5,4\n")
    assert cli.ok("import", str(file), "--dry-run").stdout == f"Would add 1 session from {file}.\n"
    assert fingerprint(cli.db_path) == before


def test_import_conflicting_id_is_refused(cli: Cli, tmp_path: Path) -> None:
    cli.log(when="2026-11-01")
    before = fingerprint(cli.db_path)
    file = tmp_path / "conflict.csv"
    file.write_text("id,when,therapy,minutes,pain_before,pain_after\n1,2026-11-02,cst,45,5,4\n")
    result = cli("import", str(file))
    assert result.exit_code == 2
    assert "line 2: id 1 is already in the diary with other values" in result.stderr
    assert fingerprint(cli.db_path) == before


@pytest.mark.sqlite_only  # refused before the diary is used: nothing for PostgreSQL (7 runs)
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty: expected a header row"),
        (b"when,therapy\n", "missing column 'minutes'"),
        (
            b"when,when,therapy,minutes,pain_before,pain_after\n",
            "column 'when' appears more than once",
        ),
        (b"when,therapy,minutes,pain_before,pain_after,mood\n", "unknown column 'mood'"),
        (b"\xff\x00w", "is not UTF-8 text"),
        (
            b"when,therapy,minutes,pain_before,pain_after\n2026-11-01,cst,45,5\n",
            "has 4 cells where the header has 5",
        ),
        (b'when,therapy,minutes,pain_before,pain_after\n2026-11-01,"cst,45,5,4\n', "not valid CSV"),
        # a file carries absolute moments: `yesterday` would be another day on each import
        (
            b"when,therapy,minutes,pain_before,pain_after\nyesterday 08:00,cst,45,5,4\n",
            "line 2: when must be an ISO date or date and time such as 2026-11-20 or "
            "2026-11-20T14:30:00+01:00 (got yesterday 08:00)",
        ),
        (
            b"start,peak,medications\n2026-11-20T08:00:00+00:00,6,naproxen @ yesterday\n",
            "line 2: taken_at must be an ISO date",
        ),
        # another format: named, with the option that reads it
        (
            b'[\n  {"id": 1, "when": "2026-11-01T15:30:00+00:00"}\n]\n',
            "in.csv is a JSON list of records (what `export --format json` writes): import "
            "reads CSV or the whole-diary document (`migraine export --all`)",
        ),
        (
            b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE HealthData [\n',
            "in.csv is XML: an Apple Health export (export.xml or export.zip) is imported "
            "with --format apple-health",
        ),
        (
            b'"Date","Time Period","Description","Notes"\n"","","No ongoing events",""\n',
            "in.csv is a Migraine Buddy export: import it with --format migraine-buddy",
        ),
        (b'"#","Started","Lasted","Pain Level"\n', "--format migraine-buddy"),
    ],
)
def test_malformed_files_are_refused(
    cli: Cli, tmp_path: Path, content: bytes, message: str
) -> None:
    file = tmp_path / "in.csv"
    file.write_bytes(content)
    before = fingerprint(cli.db_path)  # none on SQLite: the file is not even made
    result = cli("import", str(file))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert fingerprint(cli.db_path) == before


def test_import_missing_file_is_exit_1(cli: Cli, tmp_path: Path) -> None:
    result = cli("import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert result.stderr == f"migraine: error: cannot read {tmp_path / 'nope.csv'}: no such file\n"


def test_bom_and_crlf_are_read(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "excel.csv"
    file.write_bytes(
        b"\xef\xbb\xbfwhen,therapy,minutes,pain_before,pain_after\r\n2026-11-01,cst,45,5,4\r\n"
    )
    cli.ok("import", str(file))
    assert cli.json("show", "1")["minutes"] == 45


texts = st.one_of(
    st.none(), st.text(min_size=1, max_size=30).filter(lambda t: t.strip() == t and t.strip())
)
one_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=20
).filter(lambda t: t == " ".join(t.split()) and t)
sessions = st.fixed_dictionaries(
    {
        "therapy": one_line,
        "minutes": st.integers(1, 600),
        "pain_before": st.integers(0, 10),
        "pain_after": st.integers(0, 10),
        "pain_later": st.one_of(st.none(), st.integers(0, 10)),
        "cost": st.decimals(min_value=0, max_value=9999, places=2, allow_nan=False),
        "provider": st.one_of(st.none(), one_line),
        "attack": st.booleans(),
        # a note never holds NUL (PostgreSQL cannot store one: models refuse it)
        "notes": st.one_of(
            st.none(),
            st.text(min_size=1, max_size=60).filter(lambda t: t.strip() and "\x00" not in t),
        ),
        "day": st.integers(1, 28),
        "hour": st.integers(0, 23),
    }
)


# On SQLite only: it opens diary files itself (no `cli`), and what it proves is the CSV
# text's round trip; 25 examples of two fresh databases each would cost PostgreSQL many
# seconds for nothing of its own (test_round_trip_into_an_empty_diary runs there).
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(sessions, min_size=1, max_size=4))
def test_export_import_round_trip_property(
    tmp_path_factory: pytest.TempPathFactory, data: list[dict]
) -> None:
    from migraine_diary.diary.sessions import log_session
    from migraine_diary.domain.dates import parse_when
    from migraine_diary.storage import open_diary
    from migraine_diary.transfer.csvfile import read_csv
    from migraine_diary.transfer.records import import_items
    from migraine_diary.transfer.sessions import write_csv

    folder = tmp_path_factory.mktemp("rt")
    source = open_diary(folder / "a.db", write=True)
    assert source is not None
    for item in data:
        log_session(
            source,
            {
                "therapy": item["therapy"],
                "minutes": item["minutes"],
                "pain_before": item["pain_before"],
                "pain_after": item["pain_after"],
                "pain_later": item["pain_later"],
                "cost": item["cost"],
                "provider": item["provider"],
                "during_attack": item["attack"],
                "notes": item["notes"],
                "when": parse_when(f"2026-10-{item['day']:02d} {item['hour']:02d}:00"),
            },
            new_therapy=True,
        )
    file = folder / "x.csv"
    with file.open("w", newline="", encoding="utf-8") as out:
        write_csv(source, out)
    target = open_diary(folder / "b.db", write=True)
    assert target is not None
    import_items(target, [read_csv(file)])
    with file.open(newline="", encoding="utf-8") as handle:
        first = handle.read()
    second = io.StringIO()
    write_csv(target, second)
    assert second.getvalue() == first


@pytest.mark.sqlite_only  # what a file's cells mean: nothing of PostgreSQL's own
def test_a_decimal_comma_is_money_in_a_semicolon_or_tab_file_only(cli: Cli, tmp_path: Path) -> None:
    """`85,50` is what `;`-separated locales write for money: read there (and with tabs),
    refused where a comma separates cells, and never with thousands separators."""
    header = ["when", "therapy", "minutes", "pain_before", "pain_after", "cost"]
    file = tmp_path / "in.csv"
    for separator, day, cost in ((";", "01", "85,50"), ("\t", "02", "12,5")):
        row = [f"2026-11-{day}", "cst", "45", "5", "4", cost]
        file.write_text(f"{separator.join(header)}\n{separator.join(row)}\n", encoding="utf-8")
        cli.ok("import", str(file))
    assert [s["cost"] for s in reversed(cli.json("list"))] == ["85.50", "12.50"]
    for separator, cost in ((",", '"85,50"'), (";", "1.234,50"), (";", "1,234,50")):
        row = ["2026-11-03", "cst", "45", "5", "4", cost]
        file.write_text(f"{separator.join(header)}\n{separator.join(row)}\n", encoding="utf-8")
        refused = cli("import", str(file))
        assert refused.exit_code == 2, (separator, cost)
        assert "line 2: cost must be" in refused.stderr
    assert len(cli.json("list")) == 2
