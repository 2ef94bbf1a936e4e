"""CSV of each kind (sessions, attacks, check-ins), what spreadsheets save, and --json lists."""

from __future__ import annotations

import codecs
import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import Cli, fingerprint
from migraine_diary.transfer.kinds import doses_cell, read_doses_cell

pytestmark = pytest.mark.both_engines

HEADER = "when,therapy,minutes,pain_before,pain_after"


def attack_diary(cli: Cli) -> None:
    cli.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "5", "--peak", "7",
           "--med", "sumatriptan 50mg@08:30=helpful", "--med", "Mig;ra\\stop", "--aura",
           "--notes", "+1 at work; \"quoted\"\nnext line")  # fmt: skip
    cli.ok("attack", "log", "--when", "2026-11-20 21:00", "--ongoing", "--peak", "4")
    cli.ok("checkin", "--date", "2026-11-02")
    cli.ok("checkin", "--date", "2026-11-03")


def test_attacks_are_one_row_each_with_their_doses_in_one_cell(cli: Cli) -> None:
    attack_diary(cli)
    rows = list(csv.reader(io.StringIO(cli.ok("export", "--what", "attacks").stdout)))
    assert rows[0] == [
        "id", "start", "end", "peak", "aura", "medications", "notes", "source", "import_key",
        "triggers", "symptoms", "pain_positions", "most_bothersome", "relief", "local_start",
        "local_end", "mbs",
    ]  # fmt: skip
    assert rows[1] == [
        "1",
        "2026-11-04T07:00:00+00:00",
        "2026-11-04T12:00:00+00:00",
        "7",
        "true",
        # Doses in time order: the untimed one counts from the attack's start.
        "Mig\\;ra\\\\stop; sumatriptan 50mg @ 2026-11-04T07:30:00+00:00 = helpful",
        '\'+1 at work; "quoted"\nnext line',
        "typed",
        "",
        *[""] * 8,  # no detail, no recorded local times, no most bothersome symptom
    ]
    assert rows[2][2] == ""  # ongoing: no end
    assert len(rows) == 3


def test_checkins_export_as_one_day_a_row(cli: Cli) -> None:
    attack_diary(cli)
    out = cli.ok("export", "--what", "checkins").stdout
    assert out.splitlines() == ["day", "2026-11-02", "2026-11-03"]


@pytest.mark.parametrize("what", ["attacks", "checkins", "sessions"])
def test_each_kind_imports_back_exactly(cli: Cli, tmp_path: Path, what: str) -> None:
    attack_diary(cli)
    cli.log(when="2026-11-05 10:00", provider="Dr. Müller", notes="=SUM(A1)")
    file = tmp_path / f"{what}.csv"
    cli.ok("export", "--what", what, "--output", str(file))
    fresh = cli.fresh()
    fresh.ok("import", str(file))  # the kind is told by the header
    again = tmp_path / "again.csv"
    fresh.ok("export", "--what", what, "--output", str(again))
    assert again.read_bytes() == file.read_bytes()
    if what == "attacks":
        assert fresh.json("attack", "list") == cli.json("attack", "list")
    second = fresh.ok("import", "--what", what, str(file))
    assert "already in the diary" in second.stdout


def test_what_names_the_kind_and_the_header_must_match(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "in.csv"
    file.write_text(f"{HEADER}\n2026-11-01,cst,45,5,4\n")
    result = cli("import", "--what", "checkins", str(file))
    assert result.exit_code == 2
    assert result.stderr == (
        f"migraine: error: {file}: unknown column 'when'; the columns of a checkins file are day\n"
    )
    assert cli("import", "--what", "plans", str(file)).exit_code == 2
    assert cli("export", "--what", "plans").exit_code == 2


def test_attack_rows_are_checked_like_typed_attacks(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "attacks.csv"
    file.write_text(
        "start,end,peak,medications\n"
        "2026-11-04T07:00:00+00:00,2026-11-04T12:00:00+00:00,11,\n"
        "2026-11-04T07:00:00+00:00,2026-11-03T12:00:00+00:00,5,\n"
        "2026-11-04T07:00:00+00:00,,5,x = great\n"
    )
    before = fingerprint(cli.db_path)  # none yet: the file is not even made
    result = cli("import", str(file))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "migraine: error: line 2: peak must be a whole number from 0 to 10 (got 11)"
    assert lines[1].endswith(
        "line 3: end must be a moment after the attack's start, not in the "
        "future (got 2026-11-03 13:00)"
    )
    assert "line 4: helpfulness must be " in lines[2]
    assert fingerprint(cli.db_path) == before


@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "name": st.text(
                    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
                    min_size=1,
                ).filter(lambda t: t == t.strip()),
                "helpfulness": st.sampled_from(["helpful", "unsure", None]),
                "taken_at": st.sampled_from([None, "2026-11-04T07:30:00+00:00"]),
            }
        ),
        max_size=4,
    )
)
def test_the_doses_cell_reads_back_as_written(doses: list[dict[str, str | None]]) -> None:
    assert read_doses_cell(doses_cell(doses)) == doses


# ----------------------------------------------------------- what spreadsheets write


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_files_are_read(cli: Cli, tmp_path: Path, delimiter: str) -> None:
    file = tmp_path / "in.csv"
    rows = [HEADER.split(","), ["2026-11-01 10:00", "cst, gentle", "45", "5", "4"]]
    with file.open("w", newline="") as out:
        csv.writer(out, delimiter=delimiter).writerows(rows)
    cli.ok("import", str(file))
    assert cli.json("show", "1")["therapy"] == "cst, gentle"


def test_whole_numbers_with_a_zero_fraction_are_whole(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "in.csv"
    file.write_text(f"id,{HEADER},pain_later\n3.0,2026-11-01,cst,45.00,5.0,4,3.0\n")
    cli.ok("import", str(file))
    shown = cli.json("show", "3")
    assert (shown["minutes"], shown["pain_before"], shown["pain_later"]) == (45, 5, 3)
    file.write_text(f"{HEADER},pain_later\n2026-11-02,cst,45,5,4,3.5\n")
    result = cli("import", str(file))
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "migraine: error: line 2: pain_later must be a whole number from 0 to 10 or empty (got "
    )


def test_rows_left_empty_are_skipped(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "in.csv"
    file.write_text(f"\n{HEADER}\n2026-11-01,cst,45,5,4\n,,,,\n;;\n\n,,,,\n")
    result = cli("import", str(file))
    assert result.exit_code == 2  # ';;' is one cell of text, not an empty row
    assert result.stderr.startswith("migraine: error: line 5: has 1 cells where the header has 5")
    file.write_text(f"\n{HEADER}\n2026-11-01,cst,45,5,4\n,,,,\n\n , ,,,\n")
    assert cli.ok("import", str(file)).stdout == f"Added 1 session from {file}.\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_utf16_with_a_byte_order_mark_and_utf8_with_one_are_read(
    cli: Cli, tmp_path: Path, encoding: str
) -> None:
    file = tmp_path / "in.csv"
    text = f"{HEADER},provider\r\n2026-11-01,cst,45,5,4,Dr. Müller 李\r\n"
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    file.write_bytes(bom + text.encode(encoding))
    cli.ok("import", str(file))
    assert cli.json("show", "1")["provider"] == "Dr. Müller 李"


@pytest.mark.parametrize(
    "content",
    [
        f"{HEADER}\n2026-11-01,caf\xe9,45,5,4\n".encode("latin-1"),
        f"{HEADER}\n".encode("utf-16-le"),  # no byte-order mark
    ],
)
def test_other_encodings_are_refused_saying_how_to_save_as_utf8(
    cli: Cli, tmp_path: Path, content: bytes
) -> None:
    file = tmp_path / "in.csv"
    file.write_bytes(content)
    before = fingerprint(cli.db_path)  # none yet: the file is not even made
    result = cli("import", str(file))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"migraine: error: {file} is not UTF-8 text (bad byte at ")
    assert "save it as UTF-8 (LibreOffice: Save As, Character set 'Unicode (UTF-8)'" in (
        result.stderr
    )
    assert fingerprint(cli.db_path) == before


def test_excel_export_has_a_byte_order_mark_and_crlf(cli: Cli, tmp_path: Path) -> None:
    cli.log(when="2026-11-01 16:30", provider="Dr. Müller")
    file = tmp_path / "excel.csv"
    cli.ok("export", "--excel", "--output", str(file))
    data = file.read_bytes()
    assert data.startswith(codecs.BOM_UTF8 + b"id,when,")
    assert data.count(b"\r\n") == 2
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert "Dr. Müller" in data.decode("utf-8-sig")
    fresh = cli.fresh()
    fresh.ok("import", str(file))
    assert fresh.json("list") == cli.json("list")


def test_local_export_writes_the_local_offset_and_reads_back(cli: Cli, tmp_path: Path) -> None:
    cli.log(when="2026-10-01 18:30")  # summer time in Berlin
    cli.log(when="2026-11-01 16:30")
    attack_diary(cli)
    out = cli.ok("export", "--local").stdout
    assert "2026-10-01T18:30:00+02:00" in out
    assert "2026-11-01T16:30:00+01:00" in out
    attacks = cli.ok("export", "--what", "attacks", "--local").stdout
    assert "2026-11-04T08:00:00+01:00" in attacks
    assert "sumatriptan 50mg @ 2026-11-04T08:30:00+01:00 = helpful" in attacks
    for what, text in (("sessions", out), ("attacks", attacks)):
        file = tmp_path / f"{what}.csv"
        file.write_text(text, newline="")
        before = fingerprint(cli.db_path)
        assert "already in the diary" in cli.ok("import", str(file)).stdout
        assert fingerprint(cli.db_path) == before


def test_excel_and_local_are_for_csv(cli: Cli) -> None:
    for args in (["--format", "json", "--excel"], ["--all", "--local"]):
        result = cli("export", *args)
        assert result.exit_code == 2
        assert "--excel and --local are for CSV" in result.stderr


# ----------------------------------------------------------------------- --json lists


def many_sessions(cli: Cli, tmp_path: Path, count: int) -> None:
    file = tmp_path / "many.csv"
    lines = [HEADER] + [
        f"2026-{1 + n // 28 % 10:02d}-{1 + n % 28:02d} {n % 24:02d}:00,cst,45,5,4"
        for n in range(count)
    ]
    file.write_text("\n".join(lines) + "\n")
    cli.ok("import", str(file))


def test_list_json_returns_every_session_unless_limited(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import migraine_diary.diary.sessions as sessions

    many_sessions(cli, tmp_path, 60)
    limited = cli.json("list", "--limit", "60")
    monkeypatch.setattr(sessions, "PAGE", 7)  # pages of 7: the paging is what is tested
    every = cli.json("list")
    assert len(every) == 60
    assert every == limited
    assert len(cli.json("list", "--limit", "5")) == 5
    assert cli.json("list", "--since", "2026-02-01", "--until", "2026-02-28") == [
        s for s in every if s["when"].startswith("2026-02")
    ]
    table = cli.ok("list").stdout
    assert "Showing the newest 50 of 60 sessions (--limit N for more)." in table


def test_attack_list_json_returns_every_attack_unless_limited(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import migraine_diary.diary.attacks as attacks

    for day in range(1, 56):
        cli.ok("attack", "log", "--when", f"2026-{8 + day // 28:02d}-{1 + day % 28:02d} 08:00",
               "--hours", "2", "--peak", "5", "--med", "ibuprofen")  # fmt: skip
    limited = cli.json("attack", "list", "--limit", "100")
    monkeypatch.setattr(attacks, "PAGE", 4)
    every = cli.json("attack", "list")
    assert len(every) == 55
    assert every == limited
    assert all(a["medications"][0]["class"] == "simple_analgesic" for a in every)
    assert "Showing the newest 50 of 55 attacks" in cli.ok("attack", "list").stdout
    assert json.loads(cli.fresh().ok("list", "--json").stdout) == []


def test_attack_detail_and_recorded_local_times_round_trip_in_csv(cli: Cli, tmp_path: Path) -> None:
    from test_buddy_import import EXPORT

    export = tmp_path / "MigraineBuddy_export.csv"
    export.write_text("\n".join(EXPORT) + "\n", encoding="utf-8")
    cli.ok("import", "--format", "migraine-buddy", "--skip-bad", str(export))
    cli.ok("attack", "log", "--when", "2026-11-10 08:00", "--hours", "6", "--peak", "6",
           "--trigger", "stress", "--trigger", "sleep; lack", "--symptom", "nausea",
           "--mbs", "light")  # fmt: skip
    path = tmp_path / "all.json"
    cli.ok("export", "--all", "--output", str(path))
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["attacks"][-1]["detail"].update(
        pain_positions=["left temple"], relief=[{"method": "dark = room", "helpfulness": "helpful"},
                                                {"method": "sleep", "helpfulness": None}],
    )  # fmt: skip
    path.write_text(json.dumps(doc), encoding="utf-8")
    cli.ok("import", str(path), "--update")
    file = tmp_path / "attacks.csv"
    cli.ok("export", "--what", "attacks", "--output", str(file))
    with file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[-1]["triggers"] == "stress; sleep\\; lack"
    assert rows[-1]["mbs"] == "light"
    assert any(row["local_start"].endswith(("+01:00", "-05:00")) for row in rows)
    assert rows[-1]["relief"] == "dark \\= room = helpful; sleep"
    assert rows[-1]["pain_positions"] == "left temple"
    fresh = cli.fresh()
    fresh.ok("import", str(file))
    for diary in (cli, fresh):
        diary.ok("export", "--what", "attacks", "--output", str(tmp_path / f"{id(diary)}.csv"))
    assert (tmp_path / f"{id(fresh)}.csv").read_bytes() == file.read_bytes()
    assert fresh.json("attack", "list") == cli.json("attack", "list")
    shown = [cli.json("attack", "show", str(n)) for n in range(1, len(rows) + 1)]
    assert [fresh.json("attack", "show", str(n)) for n in range(1, len(rows) + 1)] == shown
    assert "already in the diary" in fresh.ok("import", str(file)).stdout


def test_a_local_start_that_is_not_the_start_is_refused(cli: Cli, tmp_path: Path) -> None:
    cli.ok("attack", "log", "--when", "2026-11-10 08:00", "--hours", "6", "--peak", "6")
    file = tmp_path / "attacks.csv"
    cli.ok("export", "--what", "attacks", "--output", str(file))
    with file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0]["local_start"] = "2026-11-10T09:00:00+01:00"  # the start is 08:00 in Berlin
    with file.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    fresh = cli.fresh()
    result = fresh("import", str(file))
    assert result.exit_code == 2
    assert "line 2: local_start must be the attack's start at the UTC offset recorded" in (
        result.stderr
    )


def rated_diary(cli: Cli) -> None:
    cli.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "5", "--peak", "7",
           "--med", "sumatriptan@08:30", "--med", "ibuprofen@10:00", "--mbs", "nausea")  # fmt: skip
    cli.ok("attack", "rate", "1", "--dose", "1", "--after", "2h", "--pain", "0", "--mbs-gone")
    cli.ok("attack", "rate", "1", "--dose", "2", "--at-dose", "4")
    cli.log("acupuncture", when="2026-11-04 09:00", pain_before=6, pain_after=3, attack=True)
    cli.ok("attack", "rate", "1", "--session", "1", "--after", "2h", "--pain", "2")
    cli.ok("score", "midas", "--total", "12", "--date", "2026-11-01")
    cli.ok("score", "pgic", "acupuncture", "--value", "6")


@pytest.mark.parametrize("what", ["ratings", "scores"])
def test_ratings_and_scores_import_back_exactly(cli: Cli, tmp_path: Path, what: str) -> None:
    rated_diary(cli)
    file = tmp_path / f"{what}.csv"
    cli.ok("export", "--what", what, "--output", str(file))
    fresh = cli.fresh()
    if what == "ratings":  # the doses and the session they rate come first
        everything = tmp_path / "all.json"
        cli.ok("export", "--all", "--output", str(everything))
        doc = json.loads(everything.read_text(encoding="utf-8"))
        everything.write_text(json.dumps({**doc, "ratings": []}), encoding="utf-8")
        fresh.ok("import", str(everything))
    result = fresh.ok("import", str(file))  # the kind is told by the header
    assert result.stdout.startswith(f"Added {3 if what == 'ratings' else 2} {what} from")
    again = tmp_path / "again.csv"
    fresh.ok("export", "--what", what, "--output", str(again))
    assert again.read_bytes() == file.read_bytes()
    if what == "ratings":
        assert fresh.json("attack", "show", "1") == cli.json("attack", "show", "1")
    else:  # a PGIC's course is read from the sessions, which a scores file does not carry
        scores = [{**s, "course": None} for s in cli.json("score", "list")]
        assert fresh.json("score", "list") == scores


def test_the_ratings_and_scores_columns(cli: Cli) -> None:
    rated_diary(cli)
    assert cli.ok("export", "--what", "ratings").stdout.splitlines() == [
        "attack,dose,session,at_dose,pain_2h,pain_24h,pain_48h,mbs_gone_2h",
        "1,1,,,0,,,true",
        "1,2,,4,,,,",
        ",,1,,2,,,false",  # the attack has a most bothersome symptom: not gone at 2 h
    ]
    assert cli.ok("export", "--what", "scores").stdout.splitlines() == [
        "id,kind,date,total,therapy",
        "1,midas,2026-11-01,12,",
        "2,pgic,2026-11-26,6,acupuncture",
    ]


def test_a_nul_in_notes_is_refused_on_every_engine(cli: Cli, tmp_path: Path) -> None:
    """SQLite could store a NUL, PostgreSQL cannot: no diary takes one, so every diary can move
    to either engine."""
    file = tmp_path / "nul.csv"
    file.write_text("therapy,when,minutes,pain_before,pain_after,notes\n"
                    'cst,2026-11-01,45,5,4,"a\x00b"\n', encoding="utf-8")  # fmt: skip
    before = fingerprint(cli.db_path)
    result = cli("import", str(file))
    assert result.exit_code == 2
    assert "line 2: notes must be text of at most 5000 characters without NUL characters" in (
        result.stderr
    )
    assert fingerprint(cli.db_path) == before
