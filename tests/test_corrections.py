"""Corrections made in a spreadsheet come back with `import --update`, listed field by field."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import Cli, fingerprint

pytestmark = pytest.mark.both_engines


def sessions_diary(cli: Cli) -> None:
    for day in range(1, 10):
        cli.log("craniosacral", when=f"2026-11-{day:02d} 16:30", provider="Harbour Bodywrok",
                cost=90, later=3, notes="felt the neck let go" if day == 9 else None)  # fmt: skip


def corrected_in_a_spreadsheet(cli: Cli, tmp_path: Path, fix: dict[str, str]) -> Path:
    """The export as LibreOffice saves it in a German locale: `;`, numbers as 3.0 (pandas
    writes pain_later so), an empty row at the end, session 9 changed as `fix` says."""
    exported = tmp_path / "sessions.csv"
    cli.ok("export", "--output", str(exported))
    with exported.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["pain_later"]:
            row["pain_later"] += ".0"
        if row["id"] == "9":
            row.update(fix)
    corrected = tmp_path / "corrected.csv"
    with corrected.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
        out.write(";" * 10 + "\r\n")
    return corrected


def test_a_corrected_provider_changes_exactly_that_session(cli: Cli, tmp_path: Path) -> None:
    sessions_diary(cli)
    before = {s["id"]: s for s in cli.json("list")}
    corrected = corrected_in_a_spreadsheet(cli, tmp_path, {"provider": "Harbour Bodywork"})
    result = cli.ok("import", str(corrected), "--update")
    assert result.stdout == (
        "session 9: provider 'Harbour Bodywrok' -> 'Harbour Bodywork'\n"
        f"Added 0 sessions from {corrected}; 8 already in the diary; changed 1.\n"
    )
    after = {s["id"]: s for s in cli.json("list")}
    assert after[9] == {**before[9], "provider": "Harbour Bodywork"}
    assert {k: v for k, v in after.items() if k != 9} == {k: v for k, v in before.items() if k != 9}


def test_every_changed_field_is_listed(cli: Cli, tmp_path: Path) -> None:
    sessions_diary(cli)
    corrected = corrected_in_a_spreadsheet(
        cli, tmp_path, {"minutes": "50", "pain_later": "", "notes": "", "during_attack": "TRUE"}
    )
    result = cli.ok("import", str(corrected), "--update")
    assert result.stdout.splitlines()[0] == (
        "session 9: minutes 45 -> 50, pain_later 3 -> (empty), during_attack false -> true, "
        "notes 'felt the neck let go' -> (empty)"
    )
    shown = cli.json("show", "9")
    assert (shown["minutes"], shown["pain_later"], shown["notes"]) == (50, None, None)


def test_dry_run_lists_the_changes_and_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    sessions_diary(cli)
    corrected = corrected_in_a_spreadsheet(cli, tmp_path, {"provider": "Harbour Bodywork"})
    before = fingerprint(cli.db_path)
    result = cli.ok("import", str(corrected), "--update", "--dry-run")
    assert result.stdout == (
        "session 9: provider 'Harbour Bodywrok' -> 'Harbour Bodywork'\n"
        f"Would add 0 sessions from {corrected}; 8 already in the diary; would change 1.\n"
    )
    assert fingerprint(cli.db_path) == before


def test_without_update_the_conflict_says_to_add_it(cli: Cli, tmp_path: Path) -> None:
    """Following the old advice (empty the id) added the session a second time."""
    sessions_diary(cli)
    corrected = corrected_in_a_spreadsheet(cli, tmp_path, {"provider": "Harbour Bodywork"})
    before = fingerprint(cli.db_path)
    result = cli("import", str(corrected))
    assert result.exit_code == 2
    assert result.stderr == (
        "migraine: error: line 10: id 9 is already in the diary with other values (add --update "
        "to change it to the file's values)\n"
        "migraine: error: 1 conflicting record; nothing was imported\n"
    )
    assert "empty" not in result.stderr
    assert "Bodyw" not in result.stderr  # the provider's text is never in an error
    assert fingerprint(cli.db_path) == before


def test_a_bad_row_among_corrections_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    sessions_diary(cli)
    corrected = corrected_in_a_spreadsheet(cli, tmp_path, {"provider": "Harbour Bodywork"})
    lines = corrected.read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1].replace(";45;", ";0;")  # minutes 0 in session 1
    corrected.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = fingerprint(cli.db_path)
    result = cli("import", str(corrected), "--update")
    assert result.exit_code == 2
    assert "line 2: minutes must be a whole number from 1 to 600 (got 0)" in result.stderr
    assert fingerprint(cli.db_path) == before


def test_a_new_row_and_a_correction_go_in_together(cli: Cli, tmp_path: Path) -> None:
    sessions_diary(cli)
    corrected = corrected_in_a_spreadsheet(cli, tmp_path, {"provider": "Harbour Bodywork"})
    with corrected.open("a", encoding="utf-8") as out:
        out.write(";2026-11-20T10:00:00+00:00;acupuncture;60;5;3;;85.00;;false;\r\n")
    result = cli.ok("import", str(corrected), "--update")
    assert result.stdout.splitlines()[-1] == (
        f"Added 1 session from {corrected}; 8 already in the diary; changed 1."
    )
    assert len(cli.json("list")) == 10


def test_an_attack_corrected_in_its_csv(cli: Cli, tmp_path: Path) -> None:
    cli.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "5", "--peak", "7",
           "--med", "sumatriptan@08:30=unsure")  # fmt: skip
    file = tmp_path / "attacks.csv"
    cli.ok("export", "--what", "attacks", "--output", str(file))
    file.write_text(
        file.read_text(encoding="utf-8").replace(",7,", ",8,").replace("= unsure", "= helpful"),
        encoding="utf-8",
    )
    result = cli.ok("import", str(file), "--update")
    assert result.stdout.splitlines()[0] == (
        "attack 1: peak 7 -> 8, medications 'sumatriptan @ 2026-11-04T07:30:00+00:00 = unsure' "
        "-> 'sumatriptan @ 2026-11-04T07:30:00+00:00 = helpful'"
    )
    shown = cli.json("attack", "show", "1")
    assert shown["peak"] == 8
    assert shown["medications"][0]["helpfulness"] == "helpful"


def test_update_is_for_files_export_wrote(cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "buddy.csv"
    file.write_text("x\n")
    result = cli("import", "--format", "migraine-buddy", "--update", str(file))
    assert result.exit_code == 2
    assert "--update and --what work with files `export` wrote only" in result.stderr


def test_a_changed_trigger_list_is_listed_and_applied(cli: Cli, tmp_path: Path) -> None:
    cli.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "5", "--peak", "7",
           "--trigger", "stress", "--med", "naproxen@08:30")  # fmt: skip
    cli.ok("attack", "rate", "1", "--after", "2h", "--pain", "0")
    exported = tmp_path / "attacks.csv"
    cli.ok("export", "--what", "attacks", "--output", str(exported))
    with exported.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0].update(triggers="stress; sleep", mbs="nausea")
    corrected = tmp_path / "corrected.csv"
    with corrected.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)
    refused = cli("import", str(corrected))
    assert refused.exit_code == 2
    assert "attack id 1 is already in the diary with other values (add --update" in refused.stderr
    result = cli.ok("import", str(corrected), "--update")
    assert result.stdout.splitlines() == [
        "attack 1: triggers 'stress' -> 'stress; sleep', mbs (empty) -> 'nausea'",
        f"Added 0 attacks from {corrected}; changed 1.",
    ]
    shown = cli.json("attack", "show", "1")
    assert shown["detail"]["triggers"] == ["stress", "sleep"]
    assert shown["mbs"] == "nausea"
    assert shown["ratings"][0]["pain_2h"] == 0  # the dose was kept, and its rating with it


def test_a_changed_dose_list_keeps_the_ratings_of_the_doses_it_keeps(
    cli: Cli, tmp_path: Path
) -> None:
    """A dose whose name and time stay keeps its row, so its ratings stay; only a dose the
    file no longer has goes (with its ratings), and a new one comes in unrated."""
    cli.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "6", "--peak", "7",
           "--med", "sumatriptan@08:30=unsure", "--med", "ibuprofen@09:00",
           "--med", "naproxen@09:30")  # fmt: skip
    cli.ok("attack", "rate", "1", "--dose", "1", "--after", "2h", "--pain", "0")
    cli.ok("attack", "rate", "1", "--dose", "2", "--at-dose", "5")
    cli.ok("attack", "rate", "1", "--dose", "3", "--at-dose", "6")
    file = tmp_path / "attacks.csv"
    cli.ok("export", "--what", "attacks", "--output", str(file))
    with file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    doses = rows[0]["medications"].split("; ")
    assert doses[0].endswith("= unsure")
    doses[0] = doses[0].replace("= unsure", "= helpful")
    rows[0]["medications"] = "; ".join([doses[0], doses[1], "paracetamol @ 2026-11-04T09:45:00Z"])
    with file.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    cli.ok("import", str(file), "--update")
    ratings = tmp_path / "ratings.csv"
    cli.ok("export", "--what", "ratings", "--output", str(ratings))
    with ratings.open(newline="", encoding="utf-8") as handle:
        kept = [(r["dose"], r["pain_2h"], r["at_dose"]) for r in csv.DictReader(handle)]
    assert kept == [("1", "0", ""), ("2", "", "5")]
    shown = cli.json("attack", "show", "1")["medications"]
    assert [(m["name"], m["helpfulness"]) for m in shown] == [
        ("sumatriptan", "helpful"), ("ibuprofen", None), ("paracetamol", None),
    ]  # fmt: skip
