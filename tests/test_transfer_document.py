"""The whole diary as one JSON document: every kind out, validated by its schema, back exactly."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Cli, fingerprint

pytestmark = pytest.mark.both_engines


def typed_diary(cli: Cli) -> None:
    """A little of everything a person types: sessions, attacks with doses, days, a class."""
    cli.log("craniosacral", when="2026-11-01 16:30", cost="90", provider="Harbour Bodywork",
            notes="Müller; \"quoted\"\nsecond line", later=3)  # fmt: skip
    cli.log("acupuncture", when="2026-11-05 10:00", attack=True)
    cli.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "5", "--peak", "7",
           "--med", "sumatriptan 50mg@08:30=helpful", "--med", "Migrastop", "--aura",
           "--notes", "=started at work")  # fmt: skip
    cli.ok("attack", "log", "--when", "2026-11-20 21:00", "--ongoing", "--peak", "4")
    cli.ok("checkin", "--date", "2026-11-02")
    cli.ok("checkin", "--date", "2026-11-03")
    cli.ok("kept", "2026-10-01", "2026-10-31")
    cli.ok("medclass", "Migrastop", "triptan")


def document(cli: Cli, tmp_path: Path, name: str = "all.json") -> tuple[Path, dict[str, Any]]:
    path = tmp_path / name
    cli.ok("export", "--all", "--output", str(path))
    return path, json.loads(path.read_text(encoding="utf-8"))


def without_moment(doc: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in doc.items() if name != "exported_at"}


def schema(cli: Cli) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(cli.ok("export", "--schema").stdout)
    return found


def test_the_document_holds_every_kind_with_the_json_field_names(cli: Cli, tmp_path: Path) -> None:
    typed_diary(cli)
    _, doc = document(cli, tmp_path)
    assert doc["format"] == "migraine-diary"
    assert doc["version"] == 1
    assert doc["exported_at"] == "2026-11-26T11:00:00+00:00"
    assert doc["sessions"] == list(reversed(cli.json("list")))
    listed = list(reversed(cli.json("attack", "list")))
    assert [{k: v for k, v in a.items() if k != "import_key"} for a in doc["attacks"]] == listed
    assert doc["checkins"] == [{"day": "2026-11-02"}, {"day": "2026-11-03"}]
    assert doc["kept_ranges"] == [{"first": "2026-10-01", "last": "2026-10-31"}]
    assert doc["medication_classes"] == [{"name": "Migrastop", "class": "triptan"}]


def test_the_document_validates_against_its_shipped_schema(cli: Cli, tmp_path: Path) -> None:
    typed_diary(cli)
    _, doc = document(cli, tmp_path)
    shipped = schema(cli)
    jsonschema.Draft202012Validator.check_schema(shipped)
    jsonschema.Draft202012Validator(
        shipped, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(doc)
    broken = {**doc, "sessions": [{**doc["sessions"][0], "minutes": 0}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, shipped)


def test_an_empty_diary_exports_an_empty_valid_document(cli: Cli) -> None:
    doc = json.loads(cli.ok("export", "--all").stdout)
    jsonschema.validate(doc, schema(cli))
    assert doc["sessions"] == doc["attacks"] == doc["checkins"] == []


def test_into_an_empty_diary_everything_comes_back(cli: Cli, tmp_path: Path) -> None:
    typed_diary(cli)
    path, doc = document(cli, tmp_path)
    fresh = cli.fresh()
    result = fresh.ok("import", str(path))
    assert result.stdout == (
        f"Added 2 sessions, 2 attacks, 2 check-ins, 1 kept range, 1 medication class from {path}.\n"
    )
    _, again = document(fresh, tmp_path, "again.json")
    assert without_moment(again) == without_moment(doc)
    assert fresh.json("attack", "show", "1")["medications"][1]["class"] == "triptan"


def test_imported_twice_adds_nothing(cli: Cli, tmp_path: Path) -> None:
    typed_diary(cli)
    path, _ = document(cli, tmp_path)
    before = fingerprint(cli.db_path)
    result = cli.ok("import", str(path))
    assert result.stdout == f"Added nothing from {path}; 8 already in the diary.\n"
    assert fingerprint(cli.db_path) == before


def test_a_conflict_is_reported_and_nothing_is_written(cli: Cli, tmp_path: Path) -> None:
    typed_diary(cli)
    path, doc = document(cli, tmp_path)
    doc["attacks"][0]["peak"] = 9
    doc["sessions"].append({**doc["sessions"][0], "id": 50})  # new: would be added
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = fingerprint(cli.db_path)
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        "migraine: error: record attacks[0]: attack id 1 is already in the diary with other "
        "values (add --update to change it to the file's values)\n"
        "migraine: error: 1 conflicting record(s); nothing was imported\n"
    )
    assert fingerprint(cli.db_path) == before


def test_update_changes_a_record_field_by_field(cli: Cli, tmp_path: Path) -> None:
    typed_diary(cli)
    path, doc = document(cli, tmp_path)
    doc["attacks"][0]["peak"] = 9
    doc["attacks"][0]["medications"][1]["helpfulness"] = "unhelpful"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = cli.ok("import", str(path), "--update")
    assert result.stdout.splitlines() == [
        "attack 1: peak 7 -> 9, medications 'sumatriptan 50mg @ 2026-11-04T07:30:00+00:00 = "
        "helpful; Migrastop' -> 'sumatriptan 50mg @ 2026-11-04T07:30:00+00:00 = helpful; "
        "Migrastop = unhelpful'",
        f"Added nothing from {path}; 7 already in the diary; changed 1.",
    ]
    shown = cli.json("attack", "show", "1")
    assert shown["peak"] == 9
    assert shown["medications"][1]["helpfulness"] == "unhelpful"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other"), "is not a migraine-diary document"),
        (lambda d: d.update(version=99), "was written by a newer migraine-diary"),
        (lambda d: d.update(plans=[]), "unknown record kind 'plans'"),
        (
            lambda d: d["sessions"][1].update(pain_after=11),
            "record sessions[1]: pain_after must be a whole number from 0 to 10 (got 11)",
        ),
        (
            lambda d: d["attacks"][0].update(mood="x"),
            "record attacks[0]: unknown field 'mood'",
        ),
        (
            lambda d: d["checkins"][0].update(day="2027-01-01"),
            "record checkins[0]: day must be a date such as 2026-11-20",
        ),
        (
            lambda d: d["sessions"][0].pop("when"),
            "record sessions[0]: missing field 'when'",
        ),
    ],
)
def test_a_bad_document_is_refused_with_its_record_and_field(
    cli: Cli, tmp_path: Path, change: Any, message: str
) -> None:
    typed_diary(cli)
    path, doc = document(cli, tmp_path)
    change(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    fresh = cli.fresh()
    before = fingerprint(fresh.db_path)
    result = fresh("import", str(path))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert "Müller" not in result.stderr
    assert "Harbour" not in result.stderr
    assert fingerprint(fresh.db_path) == before


def test_invalid_json_is_one_line(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "migraine-diary",\n "version": 1,,}', encoding="utf-8")
    before = fingerprint(cli.db_path)  # none yet: the file is not even made
    result = cli("import", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"migraine: error: {path}: not valid JSON (line 2: ")
    assert fingerprint(cli.db_path) == before


def test_an_imported_attack_keeps_its_import_key(cli: Cli, tmp_path: Path) -> None:
    """Restored from the document, a Migraine Buddy attack is still recognised: importing
    the same Buddy file again adds nothing."""
    typed_diary(cli)
    path, doc = document(cli, tmp_path)
    doc["attacks"][0]["source"] = "Migraine Buddy"
    doc["attacks"][0]["import_key"] = "migraine-buddy:2026-11-04T07:00:00+00:00:5h:7"
    path.write_text(json.dumps(doc), encoding="utf-8")
    fresh = cli.fresh()
    fresh.ok("import", str(path))
    _, again = document(fresh, tmp_path, "again.json")
    assert again["attacks"][0]["import_key"] == doc["attacks"][0]["import_key"]
    doc["attacks"][1]["import_key"] = doc["attacks"][0]["import_key"]
    doc["attacks"][1]["id"] = 7
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = fresh("import", str(path))
    assert result.exit_code == 2
    assert "this imported attack is already in the diary as attack 1" in result.stderr


# ------------------------------------------------------------------ property: round trip

one_line = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=12
).filter(lambda t: t == " ".join(t.split()) and t and "\u061c" not in t)
notes = st.one_of(st.none(), st.text(min_size=1, max_size=40).filter(lambda t: t.strip()))


def _instant(day: int, minute: int) -> str:
    return f"2026-10-{day:02d}T{minute // 60:02d}:{minute % 60:02d}:00+00:00"


sessions = st.builds(
    lambda therapy, minutes, before, after, later, cents, provider, attack, text, day, minute: {
        "when": _instant(day, minute),
        "therapy": therapy,
        "minutes": minutes,
        "pain_before": before,
        "pain_after": after,
        "pain_later": later,
        "cost": f"{cents // 100}.{cents % 100:02d}",
        "provider": provider,
        "during_attack": attack,
        "notes": text,
    },
    one_line, st.integers(1, 600), st.integers(0, 10), st.integers(0, 10),
    st.one_of(st.none(), st.integers(0, 10)), st.integers(0, 10**6), st.one_of(st.none(), one_line),
    st.booleans(), notes, st.integers(1, 28), st.integers(0, 1439),
)  # fmt: skip
doses = st.lists(
    st.fixed_dictionaries(
        {
            "name": one_line,
            "helpfulness": st.sampled_from(["helpful", "somewhat", "unhelpful", "unsure", None]),
            "minute": st.one_of(st.none(), st.integers(0, 600)),
        }
    ),
    max_size=3,
)
attacks = st.builds(
    lambda day, length, peak, aura, meds, text, source: {
        "start": _instant(day, 60),
        "end": None if length is None else _instant(day, 60 + length),
        "peak": peak,
        "aura": aura,
        "medications": [
            {
                "name": m["name"],
                "helpfulness": m["helpfulness"],
                "taken_at": None if m["minute"] is None else _instant(day, 60 + m["minute"]),
            }
            for m in meds
        ],
        "notes": text,
        "source": source,
        "import_key": None,
    },
    st.integers(1, 28), st.one_of(st.none(), st.integers(0, 1300)), st.integers(0, 10),
    st.booleans(), doses, notes, st.sampled_from(["typed", "Migraine Buddy"]),
)  # fmt: skip
days = st.integers(1, 30).map(lambda d: f"2026-09-{d:02d}")


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(sessions, max_size=4),
    st.lists(attacks, max_size=3),
    st.sets(days, max_size=4),
    st.lists(st.tuples(days, days).map(lambda t: tuple(sorted(t))), max_size=2, unique=True),
    st.lists(
        st.tuples(st.sampled_from(["Migrastop", "Nurofen Plus", "Relpax"]), st.sampled_from(
            ["triptan", "other", "opioid"])), max_size=3, unique_by=lambda t: t[0]),
)  # fmt: skip
def test_export_import_export_gives_the_same_document(
    tmp_path_factory: pytest.TempPathFactory,
    new_diary: Callable[[], str],
    session_list: list[dict[str, Any]],
    attack_list: list[dict[str, Any]],
    checkins: set[str],
    kept: list[list[str]],
    classes: list[tuple[str, str]],
) -> None:
    folder = tmp_path_factory.mktemp("doc")
    given_doc = {
        "format": "migraine-diary",
        "version": 1,
        "exported_at": "2026-11-26T11:00:00+00:00",
        "sessions": [{"id": n + 1, **s} for n, s in enumerate(session_list)],
        "attacks": [{"id": n + 1, **a} for n, a in enumerate(attack_list)],
        "checkins": [{"day": d} for d in sorted(checkins)],
        "kept_ranges": [{"first": a, "last": b} for a, b in kept],
        "medication_classes": [{"name": n, "class": c} for n, c in classes],
    }
    source = folder / "given.json"
    source.write_text(json.dumps(given_doc), encoding="utf-8")
    first_diary = Cli(new_diary())
    first_diary.ok("import", str(source))
    exported, doc = document(first_diary, folder, "a.json")
    jsonschema.validate(doc, schema(first_diary))
    second = Cli(new_diary())
    second.ok("import", str(exported))
    _, again = document(second, folder, "b.json")
    assert without_moment(again) == without_moment(doc)
    assert len(doc["sessions"]) == len(session_list)
    assert len(doc["attacks"]) == len(attack_list)


def test_a_restored_migraine_buddy_import_is_still_recognised(cli: Cli, tmp_path: Path) -> None:
    from test_buddy_import import EXPORT

    export = tmp_path / "MigraineBuddy_export.csv"
    export.write_text("\n".join(EXPORT) + "\n", encoding="utf-8")
    cli.ok("import", "--format", "migraine-buddy", "--skip-bad", str(export))
    path, doc = document(cli, tmp_path)
    assert all(a["source"] != "typed" and a["import_key"] for a in doc["attacks"])
    fresh = cli.fresh()
    fresh.ok("import", str(path))
    again = fresh.ok("import", "--format", "migraine-buddy", "--skip-bad", str(export))
    assert again.stdout.startswith(f"Added 0 attacks from {export}; 4 already in the diary")
    assert fresh.json("attack", "list") == cli.json("attack", "list")
