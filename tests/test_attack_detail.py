"""An attack's detail as data (issue 16): triggers, symptoms, pain positions, the most
bothersome symptom and non-drug relief, typed or imported from Migraine Buddy, with the
local times and UTC offsets an import recorded."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from buddy_format import BUDDY_COLUMNS as COLUMNS
from buddy_format import quoted, row
from conftest import Cli, diary_of_schema, fingerprint
from migraine_diary import storage as db

pytestmark = pytest.mark.both_engines

EXPORT = [
    quoted(["Date", "Time Period", "Description", "Notes"]),
    '"","","No ongoing events recorded during this period.",""',
    "",
    quoted(COLUMNS),
    row(
        1,
        "11/16/24 13:12",
        "01h 00m",
        "7",
        Potential_Triggers="Stress, Bright light (sun)",
        Symptoms="Nausea, Sensitivity to light",
        Most_Bothersome_Symptom="Nausea",
        Pain_Positions="Left temple, Behind eye(s)",
        Helpful_Non_Drug_Relief_Methods="Sleep, Dark room",
        Unhelpful_Non_Drug_Relief_Methods="Caffeine",
    ),
    row(2, "11/17/24 21:30", "06h 15m", "5", Potential_Triggers="stress, Weather"),
    # New York in summer time: the offset of the row, kept as recorded
    row(3, "7/2/24 9:40", "03h 20m", "6", offset=-240, Potential_Triggers="None"),
]


def export(tmp_path: Path) -> Path:
    path = tmp_path / "MigraineBuddy.csv"
    path.write_text("\n".join(EXPORT) + "\n", encoding="utf-8")
    return path


def imported(cli: Cli, tmp_path: Path) -> list[dict[str, object]]:
    cli.ok("import", "--format", "migraine-buddy", str(export(tmp_path)))
    attacks: list[dict[str, object]] = cli.json("attack", "list")
    return sorted(attacks, key=lambda a: str(a["start"]))


def test_buddy_detail_is_stored_as_lists_of_values(cli: Cli, tmp_path: Path) -> None:
    by_number = imported(cli, tmp_path)
    july, first, second = by_number
    assert first["detail"] == {
        "triggers": ["Stress", "Bright light (sun)"],
        "symptoms": ["Nausea", "Sensitivity to light"],
        "pain_positions": ["Left temple", "Behind eye(s)"],
        "most_bothersome": "Nausea",
        "relief": [
            {"method": "Sleep", "helpfulness": "helpful"},
            {"method": "Dark room", "helpfulness": "helpful"},
            {"method": "Caffeine", "helpfulness": "unhelpful"},
        ],
    }
    assert second["detail"]["triggers"] == ["stress", "Weather"]  # type: ignore[index]
    assert july["detail"]["triggers"] == []  # type: ignore[index]  # 'None' is no trigger
    # the readable notes stay as they were
    assert "Potential Triggers: Stress, Bright light (sun)" in str(first["notes"])


def test_the_recorded_local_time_and_offset_are_kept_and_shown(cli: Cli, tmp_path: Path) -> None:
    july, first, _ = imported(cli, tmp_path)
    assert first["start"] == "2024-11-16T12:12:00+00:00"
    assert first["local_time"] == {
        "start": "2024-11-16T13:12:00+01:00",
        "end": "2024-11-16T14:12:00+01:00",
        "start_offset": 60,
        "end_offset": 60,
    }
    assert july["local_time"] == {
        "start": "2024-07-02T09:40:00-04:00",
        "end": "2024-07-02T13:00:00-04:00",
        "start_offset": -240,
        "end_offset": -240,
    }
    shown = cli.ok("attack", "show", str(july["id"])).stdout
    assert "2024-07-02 09:40 (UTC-04:00)" in shown
    assert "2024-07-02 13:00 (UTC-04:00)" in shown
    assert cli.json("attack", "show", str(july["id"]))["local_time"] == july["local_time"]


def test_show_lists_the_detail(cli: Cli, tmp_path: Path) -> None:
    _, first, _ = imported(cli, tmp_path)
    shown = cli.ok("attack", "show", str(first["id"])).stdout
    assert "Stress, Bright light (sun)" in shown
    assert "Left temple, Behind eye(s)" in shown
    assert "most bothersome" in shown
    assert shown.count("most bothersome") == 1  # one row: the chosen one with what was recorded
    assert "Sleep (helpful), Dark room (helpful), Caffeine (unhelpful)" in shown


def test_reimport_stays_idempotent_and_adds_no_detail_twice(cli: Cli, tmp_path: Path) -> None:
    first_time = imported(cli, tmp_path)
    before = fingerprint(cli.db_path)
    again = cli.ok("import", "--format", "migraine-buddy", str(export(tmp_path)))
    assert "Added 0 attacks" in again.stdout
    assert "3 already in the diary" in again.stdout
    # no attack, detail or recorded origin written again: the diary is as it was
    assert fingerprint(cli.db_path) == before
    assert sorted(cli.json("attack", "list"), key=lambda a: str(a["start"])) == first_time
    details = [a["detail"] for a in first_time]
    lists = ("triggers", "symptoms", "pain_positions", "relief")
    values = sum(len(d[k]) for d in details for k in lists)  # type: ignore[index]
    assert values + sum(d["most_bothersome"] is not None for d in details) == 12  # type: ignore[index]
    assert sum(a["local_time"] is not None for a in first_time) == 3  # one origin each


def test_dry_run_stores_no_detail(cli: Cli, tmp_path: Path) -> None:
    cli.ok("checkin", "--date", "2026-11-01")
    before = fingerprint(cli.db_path)
    cli.ok("import", "--format", "migraine-buddy", str(export(tmp_path)), "--dry-run")
    assert fingerprint(cli.db_path) == before


def test_list_filters_by_trigger_in_any_case(cli: Cli, tmp_path: Path) -> None:
    _, first, second = imported(cli, tmp_path)
    found = cli.json("attack", "list", "--trigger", "STRESS")
    assert sorted(a["id"] for a in found) == sorted([first["id"], second["id"]])
    assert [a["id"] for a in cli.json("attack", "list", "--trigger", " weather ")] == [second["id"]]
    # A trigger no attack has is refused as a therapy filter is (a typo would show none).
    unknown = cli("attack", "list", "--trigger", "chocolate")
    assert unknown.exit_code == 1
    assert "no trigger 'chocolate' in the diary; see the names with: migraine triggers" in (
        unknown.stderr
    )
    table = cli.ok("attack", "list", "--trigger", "stress", "--limit", "1").stdout
    assert "Showing the newest 1 of 2 attacks" in table


def test_triggers_counts_attacks_with_each_of_all_recorded(cli: Cli, tmp_path: Path) -> None:
    imported(cli, tmp_path)
    counts = cli.json("triggers")
    assert (counts["kind"], counts["attacks"], counts["with_any"]) == ("trigger", 3, 2)
    assert counts["values"][0] == {"value": "Stress", "attacks": 2, "share": 2 / 3}
    assert {v["value"] for v in counts["values"][1:]} == {"Bright light (sun)", "Weather"}
    table = cli.ok("triggers").stdout
    assert "Of 3 recorded attacks; 2 with any trigger recorded." in table
    assert "67%" in table
    # over a period: only the attacks that began in it
    november = cli.json("triggers", "--since", "2024-11-17", "--until", "2024-11-30")
    assert (november["attacks"], november["since"], november["until"]) == (
        1,
        "2024-11-17",
        "2024-11-30",
    )
    assert [v["value"] for v in november["values"]] == ["stress", "Weather"]
    relief = cli.json("triggers", "--kind", "relief")
    assert [v["value"] for v in relief["values"]] == ["Caffeine", "Dark room", "Sleep"]


def test_triggers_refuses_an_unknown_kind(cli: Cli) -> None:
    result = cli("triggers", "--kind", "mood")
    assert result.exit_code == 2
    assert "kind must be one of trigger, symptom, pain_position" in result.stderr


def test_triggers_on_a_diary_without_any(cli: Cli) -> None:
    cli.ok("attack", "log", "--hours", "2", "--peak", "4")
    assert "No trigger recorded for any of 1 attack." in cli.ok("triggers").stdout
    assert cli.json("triggers")["values"] == []
    for kind, option in (
        ("trigger", "--trigger stress"),
        ("symptom", "--symptom nausea"),
        ("pain_position", "--pain-position 'left temple'"),
        ("most_bothersome", "--mbs light"),
        ("relief", "--relief 'dark room'"),
    ):
        shown = cli.ok("triggers", "--kind", kind).stdout
        assert f"Record them with: migraine attack log ... {option}" in " ".join(shown.split())


def test_the_most_bothersome_symptom_is_the_typed_one_else_the_imported(
    cli: Cli, tmp_path: Path
) -> None:
    """`attack log --mbs` and an import's most bothersome symptom are one thing to count (the
    import maps Nausea to the typed nausea)."""
    (nauseous,) = [a for a in imported(cli, tmp_path) if a["detail"]["most_bothersome"]]  # type: ignore[index]
    cli.ok("attack", "log", "--when", "2026-11-20 08:00", "--hours", "2", "--peak", "5",
           "--mbs", "light")  # fmt: skip
    counts = cli.json("triggers", "--kind", "most_bothersome")
    assert [(v["value"], v["attacks"]) for v in counts["values"]] == [("light", 1), ("nausea", 1)]
    assert (counts["attacks"], counts["with_any"]) == (4, 2)
    cli.ok("attack", "edit", str(nauseous["id"]), "--mbs", "light")  # typed: it wins
    counts = cli.json("triggers", "--kind", "most_bothersome")
    assert [(v["value"], v["attacks"]) for v in counts["values"]] == [("light", 2)]
    assert counts["with_any"] == 2


def test_log_takes_repeatable_detail_options(cli: Cli) -> None:
    cli.ok(
        "attack",
        "log",
        "--hours",
        "3",
        "--peak",
        "6",
        "--trigger",
        "Stress",
        "--trigger",
        "red wine",
        "--trigger",
        "stress ",  # the same trigger again: kept once
        "--symptom",
        "nausea",
        "--pain-position",
        "left temple",
        "--relief",
        "dark room=helpful",
        "--relief",
        "cold pack",
    )
    (attack,) = cli.json("attack", "list")
    assert attack["detail"] == {
        "triggers": ["Stress", "red wine"],
        "symptoms": ["nausea"],
        "pain_positions": ["left temple"],
        "most_bothersome": None,
        "relief": [
            {"method": "dark room", "helpfulness": "helpful"},
            {"method": "cold pack", "helpfulness": None},
        ],
    }
    assert attack["local_time"] is None  # typed: shown in the diary's own zone
    shown = cli.ok("attack", "log", "--help").stdout
    assert "<list[str]>" not in shown
    assert "--trigger TEXT" in shown
    # editing other fields keeps the detail
    cli.ok("attack", "edit", str(attack["id"]), "--peak", "7")
    assert cli.json("attack", "show", str(attack["id"]))["detail"] == attack["detail"]


def test_edit_replaces_or_clears_a_detail_list_in_the_audit(cli: Cli) -> None:
    """Given, a detail option replaces that list (the others stay); '' clears it."""
    cli.ok("attack", "log", "--hours", "3", "--peak", "6", "--trigger", "Stress",
           "--symptom", "nausea", "--pain-position", "left temple",
           "--relief", "dark room=helpful")  # fmt: skip
    before = len(cli.json("audit"))
    cli.ok("attack", "edit", "1", "--trigger", "weather", "--trigger", "Stress",
           "--relief", "sleep")  # fmt: skip
    assert cli.json("attack", "show", "1")["detail"] == {
        "triggers": ["weather", "Stress"],
        "symptoms": ["nausea"],
        "pain_positions": ["left temple"],
        "most_bothersome": None,
        "relief": [{"method": "sleep", "helpfulness": None}],
    }
    done = {(e["table"], e["action"]) for e in cli.json("audit")[before:]}
    assert {("attack_detail", "delete"), ("attack_detail", "insert")} <= done
    cli.ok("attack", "edit", "1", "--symptom", "", "--pain-position", "")
    detail = cli.json("attack", "show", "1")["detail"]
    assert (detail["symptoms"], detail["pain_positions"]) == ([], [])
    assert detail["triggers"] == ["weather", "Stress"]
    assert [v["value"] for v in cli.json("triggers")["values"]] == ["Stress", "weather"]
    refused = cli("attack", "edit", "1", "--trigger", "x" * 201)
    assert refused.exit_code == 2
    assert "xxx" not in refused.stderr
    assert cli.json("attack", "show", "1")["detail"]["triggers"] == ["weather", "Stress"]


def test_bad_detail_is_refused_without_repeating_it(cli: Cli) -> None:
    before = fingerprint(cli.db_path)  # on SQLite: None, no file yet
    result = cli("attack", "log", "--hours", "2", "--peak", "4", "--trigger", "x" * 201)
    assert result.exit_code == 2
    assert result.stderr.startswith("migraine: error: trigger must be a trigger of 1 to 200")
    assert "xxx" not in result.stderr
    assert fingerprint(cli.db_path) == before
    bad = cli("attack", "log", "--hours", "2", "--peak", "4", "--relief", "sleep=maybe")
    assert bad.exit_code == 2
    assert "helpfulness" in bad.stderr
    control = cli("attack", "log", "--hours", "2", "--peak", "4", "--symptom", "a\x1b[2Jb")
    assert control.exit_code == 2
    assert "symptom must be" in control.stderr
    assert "\x1b" not in control.stderr


def test_a_deleted_attack_leaves_no_detail_or_origin_behind(cli: Cli, tmp_path: Path) -> None:
    """On either engine, through the CLI: its triggers are no longer counted, and importing
    the export again brings it back as new (an origin left behind would call it a duplicate)."""
    _, first, _ = imported(cli, tmp_path)
    cli.ok("attack", "delete", str(first["id"]), "--yes")
    counts = cli.json("triggers")
    assert (counts["attacks"], counts["with_any"]) == (2, 1)
    assert [v["value"] for v in counts["values"]] == ["stress", "Weather"]
    again = cli.ok("import", "--format", "migraine-buddy", str(export(tmp_path)))
    assert "Added 1 attack" in again.stdout
    assert "2 already in the diary" in again.stdout
    back = [a for a in cli.json("attack", "list") if a["start"] == first["start"]]
    assert [a["detail"] for a in back] == [first["detail"]]  # once, not doubled


@pytest.mark.sqlite_only  # reads the tables with sqlite3
def test_deleting_an_attack_deletes_its_detail(cli: Cli, tmp_path: Path) -> None:
    _, first, _ = imported(cli, tmp_path)
    cli.ok("attack", "delete", str(first["id"]), "--yes")
    with sqlite3.connect(cli.db_path) as conn:
        ids = {r[0] for r in conn.execute("SELECT attack_id FROM attack_detail")}
        origins = {r[0] for r in conn.execute("SELECT attack_id FROM attack_origin")}
    assert first["id"] not in ids | origins


@pytest.mark.sqlite_only  # reads the file's schema with sqlite3
def test_schema_checks_the_kind_and_indexes_it(cli: Cli) -> None:
    cli.ok("attack", "log", "--hours", "2", "--peak", "4")
    with sqlite3.connect(cli.db_path) as conn:
        indexes = {r[1] for r in conn.execute("PRAGMA index_list(attack_detail)")}
        assert "ix_attack_detail_kind_key" in indexes
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            conn.execute(
                "INSERT INTO attack_detail (attack_id, kind, value, key)"
                " VALUES (1, 'mood', 'x', 'x')"
            )


@pytest.mark.sqlite_only  # makes the older diary file with sqlite3
def test_a_diary_of_the_previous_schema_is_read_and_upgraded(cli: Cli, tmp_path: Path) -> None:
    """A diary made before this step reads as the latest without being changed, then a write
    upgrades it and keeps its attacks."""
    old = diary_of_schema(tmp_path / "old.db", db.LATEST - 1)
    with sqlite3.connect(old) as conn:
        conn.execute(
            "INSERT INTO attack (start, \"end\", peak) VALUES ('2026-11-01T08:00:00+00:00',"
            " '2026-11-01T12:00:00+00:00', 5)"
        )
    reader = Cli(old)
    before = fingerprint(old)
    (attack,) = reader.json("attack", "list")
    assert attack["detail"]["triggers"] == []
    assert attack["local_time"] is None
    assert reader.json("triggers")["attacks"] == 1
    assert fingerprint(old) == before
    reader.ok(
        "attack",
        "log",
        "--when",
        "2026-11-20 09:00",
        "--hours",
        "2",
        "--peak",
        "3",
        "--trigger",
        "stress",
    )
    assert reader.json("triggers")["values"][0]["value"] == "stress"


@pytest.mark.sqlite_only  # makes the older diary file with sqlite3
def test_a_dry_run_import_into_a_diary_of_the_owners_step_before(tmp_path: Path) -> None:
    """A dry run reads the diary without upgrading it: its inserts must work on the schema
    before the owners step too (import keys unique in the diary, not per client)."""
    old = diary_of_schema(tmp_path / "old.db", db.schema.OWNERS_STEP)
    before = fingerprint(old)
    tried = Cli(old)("import", "--format", "migraine-buddy", str(export(tmp_path)), "--dry-run")
    assert tried.exit_code == 0, tried.stderr
    assert tried.stdout.startswith("Would add 3 attacks"), tried.stdout
    assert fingerprint(old) == before


def test_a_detail_that_cannot_be_a_value_stays_in_the_notes(cli: Cli, tmp_path: Path) -> None:
    """A long trigger, or a most bothersome cell saying none, never makes its row bad."""
    long = "a very long trigger " * 15
    path = tmp_path / "MigraineBuddy.csv"
    lines = [
        *EXPORT[:4],
        row(
            1,
            "11/16/24 13:12",
            "01h 00m",
            "7",
            Potential_Triggers=f"Stress, {long}",
            Most_Bothersome_Symptom="None",
        ),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli.ok("import", "--format", "migraine-buddy", str(path))
    (attack,) = cli.json("attack", "list")
    assert attack["detail"]["triggers"] == ["Stress"]
    assert attack["detail"]["most_bothersome"] is None
    assert long.strip() in attack["notes"]
