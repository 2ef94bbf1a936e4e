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
from migraine_diary.domain.models import is_name

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
    shown = ("import_key", "mbs")  # beside `attack list --json`'s fields
    assert [{k: v for k, v in a.items() if k not in shown} for a in doc["attacks"]] == listed
    assert [a["mbs"] for a in doc["attacks"]] == [  # named as `attack show --json` names it
        cli.json("attack", "show", str(a["id"]))["mbs"] for a in doc["attacks"]
    ]
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
    assert result.stdout == f"Added 0 records from {path}; 8 already in the diary.\n"
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
        "migraine: error: 1 conflicting record; nothing was imported\n"
    )
    assert fingerprint(cli.db_path) == before


def test_update_changes_a_record_field_by_field(cli: Cli, tmp_path: Path) -> None:
    typed_diary(cli)
    path, doc = document(cli, tmp_path)
    doc["attacks"][0]["peak"] = 9
    # Doses in time order: Migrastop, taken with no time, counts from the attack's start.
    migrastop = doc["attacks"][0]["medications"][0]
    assert migrastop["name"] == "Migrastop"
    migrastop["helpfulness"] = "unhelpful"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = cli.ok("import", str(path), "--update")
    assert result.stdout.splitlines() == [
        "attack 1: peak 7 -> 9, medications 'Migrastop; sumatriptan 50mg @ "
        "2026-11-04T07:30:00+00:00 = helpful' -> 'Migrastop = unhelpful; sumatriptan 50mg @ "
        "2026-11-04T07:30:00+00:00 = helpful'",
        f"Added 0 records from {path}; 7 already in the diary; changed 1.",
    ]
    shown = cli.json("attack", "show", "1")
    assert shown["peak"] == 9
    assert shown["medications"][0]["helpfulness"] == "unhelpful"


def refused_import(
    cli: Cli, tmp_path: Path, change: Any, message: str, private: list[str]
) -> tuple[Cli, str | None]:
    """The diary's document, changed, imported into an empty diary: refused with exit code 2
    and `message`, no traceback, none of the `private` texts shown. Returns the empty diary
    and its fingerprint from before the import."""
    path, doc = document(cli, tmp_path)
    change(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    fresh = cli.fresh()
    before = fingerprint(fresh.db_path)
    result = fresh("import", str(path))
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    for text in private:
        assert text not in result.stderr
    return fresh, before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other"), "is not a migraine-diary document"),
        (lambda d: d.update(version=99), "was written by a newer migraine-diary"),
        (lambda d: d.update(moods=[]), "unknown record kind 'moods'"),
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
    fresh, before = refused_import(cli, tmp_path, change, message, ["Müller", "Harbour"])
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
).filter(lambda t: t == " ".join(t.split()) and t and is_name(t))
# Notes hold any character but NUL (which no diary takes: PostgreSQL cannot store it).
notes = st.one_of(
    st.none(),
    st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
        min_size=1,
        max_size=40,
    ).filter(lambda t: t.strip()),
)


def full_diary(cli: Cli) -> None:
    """typed_diary, with what later issues added: a plan with a filled slot and a reveal, an
    abandoned plan, ratings of doses and of a session, scores, and an attack's detail."""
    typed_diary(cli)
    cli.ok("attack", "edit", "1", "--mbs", "nausea")
    cli.ok("attack", "rate", "1", "--dose", "2", "--after", "2h", "--pain", "0", "--mbs-gone")
    cli.ok("attack", "rate", "1", "--dose", "1", "--at-dose", "5")
    cli.ok("attack", "log", "--when", "2026-11-10 08:00", "--hours", "6", "--peak", "6",
           "--trigger", "stress", "--trigger", "sleep; lack", "--symptom", "nausea")  # fmt: skip
    cli.log("acupuncture", when="2026-11-10 09:00", pain_before=6, pain_after=3, attack=True)
    cli.ok("attack", "rate", "3", "--session", "3", "--after", "24h", "--pain", "1")
    cli.ok("score", "midas", "--total", "12", "--date", "2026-11-01")
    cli.ok("score", "hit6", "--total", "58", "--date", "2026-11-02")
    cli.ok("score", "pgic", "craniosacral", "--value", "5")
    cli.ok("plan", "new", "craniosacral", "--compare", "45,30", "--seed", "7")
    cli.log("craniosacral", minutes=30)  # fills block 1, slot 1 (seed 7 draws 45 first)
    cli.ok("plan", "new", "acupuncture", "--periods", "14", "--seed", "9")
    cli.ok("plan", "abandon", "2", "--reason", "moved house")
    cli.ok("plan", "new", "massage", "--versus", "acupuncture", "--seed", "3", "--new-therapy")
    cli.ok("plan", "show", "3", "--reveal")


def test_what_is_typed_after_a_whole_diary_import_gets_new_ids(cli: Cli, tmp_path: Path) -> None:
    """The import keeps the document's ids; on PostgreSQL the next attack, score and plan
    collided with them ("duplicate key value violates unique constraint attack_pkey")."""
    full_diary(cli)
    path, doc = document(cli, tmp_path)
    fresh = cli.fresh()
    fresh.ok("import", str(path))
    fresh.ok("attack", "log", "--when", "2026-11-25 07:00", "--hours", "2", "--peak", "5")
    fresh.ok("score", "midas", "--total", "3", "--date", "2026-11-25")
    fresh.ok("plan", "new", "cst", "--compare", "45,30", "--seed", "1", "--new-therapy")
    fresh.log("cst", minutes=45)
    highest = {name: max(r["id"] for r in doc[name]) for name in ("attacks", "scores", "plans")}
    assert max(a["id"] for a in fresh.json("attack", "list")) == highest["attacks"] + 1
    assert max(s["id"] for s in fresh.json("score", "list")) == highest["scores"] + 1
    assert max(p["id"] for p in fresh.json("plan")) == highest["plans"] + 1


def test_plans_ratings_and_scores_carry_the_json_field_names(cli: Cli, tmp_path: Path) -> None:
    full_diary(cli)
    _, doc = document(cli, tmp_path)
    scores = {s["id"]: s for s in cli.json("score", "list")}
    assert doc["scores"] == [{k: scores[s["id"]][k] for k in s} for s in doc["scores"]]
    assert [s["kind"] for s in doc["scores"]] == ["midas", "hit6", "pgic"]
    shown = cli.json("attack", "show", "1")["ratings"]
    assert doc["ratings"][:2] == [
        {k: r[k] if k != "at_dose" else at for k in doc["ratings"][0]}
        for r, at in zip(shown, [5, None], strict=True)  # at_dose: only what was typed
    ]
    assert doc["ratings"][2] == {"attack": None, "dose": None, "session": 3, "at_dose": None,
                                 "pain_2h": None, "pain_24h": 1, "pain_48h": None,
                                 "mbs_gone_2h": None}  # fmt: skip
    plans = {p["id"]: p for p in cli.json("plan")}
    for plan in doc["plans"]:
        listed = plans[plan["id"]]
        same = [k for k in plan if k in listed and k not in ("blocks", "deviations")]
        assert {k: plan[k] for k in same} == {k: listed[k] for k in same}
        # The deviations recorded (a reveal); those a session makes are found again from it.
        assert all(d in listed["deviations"] for d in plan["deviations"])
        assert [b["block"] for b in plan["blocks"]] == [b["block"] for b in listed["blocks"]]
        for ours, theirs in zip(plan["blocks"], listed["blocks"], strict=True):
            assert ours["slots"] == [
                {k: slot.get(k) for k in ("slot", "arm", "session_id")} for slot in theirs["slots"]
            ]
    assert [len(p["blocks"]) for p in doc["plans"]] == [1, 4, 4]  # the future stays concealed
    assert doc["plans"][0]["blocks"][0]["slots"] == [{"slot": 1, "arm": 45, "session_id": 4}]
    assert doc["plans"][1]["reason"] == "moved house"
    assert doc["plans"][2]["versus"] == "acupuncture"
    assert doc["attacks"][1]["detail"]["triggers"] == ["stress", "sleep; lack"]  # by start
    jsonschema.Draft202012Validator(
        schema(cli), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(doc)


def test_plans_ratings_and_scores_come_back_exactly(cli: Cli, tmp_path: Path) -> None:
    full_diary(cli)
    path, doc = document(cli, tmp_path)
    fresh = cli.fresh()
    assert fresh.ok("import", str(path)).stdout == (
        f"Added 4 sessions, 3 attacks, 2 check-ins, 1 kept range, 1 medication class, 3 plans, "
        f"3 ratings, 3 scores from {path}.\n"
    )
    _, again = document(fresh, tmp_path, "again.json")
    assert without_moment(again) == without_moment(doc)
    for command in (("plan",), ("plan", "status", "1"), ("plan", "next", "1"), ("acute",),
                    ("score", "list"), ("attack", "show", "1"), ("attack", "show", "3"),
                    ("plan", "result", "3", "--interim")):  # fmt: skip
        assert fresh.json(*command) == cli.json(*command), command
    # The restored plan goes on allocating as the seed drew: the next session fills slot 2.
    for diary in (cli, fresh):
        diary.log("craniosacral", minutes=30)
    assert fresh.json("plan", "show", "1") == cli.json("plan", "show", "1")
    assert [s["session_id"] for s in fresh.json("plan", "show", "1")["blocks"][0]["slots"]] == [
        4,
        5,
    ]


def test_a_plan_s_sequence_cannot_change_with_update(cli: Cli, tmp_path: Path) -> None:
    full_diary(cli)
    path, doc = document(cli, tmp_path)
    doc["plans"][2]["blocks"][0]["slots"][0]["session_id"] = 1
    doc["plans"][2]["mid"] = 2.0
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = fingerprint(cli.db_path)
    result = cli("import", str(path), "--update")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "migraine: error: record plans[2]: plan 3: --update cannot change its mid, blocks: a "
        "plan's question and sequence are fixed when it is made (abandon it and make a new one)"
    )
    assert fingerprint(cli.db_path) == before


def test_update_changes_how_a_plan_ended_a_rating_and_a_score(cli: Cli, tmp_path: Path) -> None:
    full_diary(cli)
    path, doc = document(cli, tmp_path)
    doc["plans"][1]["reason"] = "moved to another town"
    doc["ratings"][1]["pain_2h"] = 1
    doc["scores"][0]["total"] = 14
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = cli.ok("import", str(path), "--update")
    assert result.stdout.splitlines()[:3] == [
        "plan 2: reason 'moved house' -> 'moved to another town'",
        "rating of attack 1 dose 2: pain_2h 0 -> 1",
        "score 1: total 12 -> 14",
    ]
    assert cli.json("plan", "show", "2")["reason"] == "moved to another town"
    assert cli.json("attack", "show", "1")["ratings"][1]["pain_2h"] == 1
    assert cli.json("score", "list")[0]["total"] == 14


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["plans"][2]["blocks"][0]["slots"][0].update(arm="craniosacral"),
            "record plans[2]: blocks: block 1, slot 1 is not the arm seed 3 draws there",
        ),
        (lambda d: d["plans"][0].update(algorithm="other"), "record plans[0]: algorithm must be"),
        (
            lambda d: d["ratings"][0].update(dose=7),
            "record ratings[0]: attack 1 has no dose 7 (it has 2)",
        ),
        (
            lambda d: d["ratings"][1].update(pain_2h=11),
            "record ratings[1]: pain_2h must be a whole number from 0 to 10, or empty (got 11)",
        ),
        (
            lambda d: d["scores"][1].update(total=35),
            "record scores[1]: total must be a whole number from 36 to 78 (HIT-6) (got 35)",
        ),
        (
            lambda d: d["attacks"][0].update(mbs="smell"),
            "record attacks[0]: mbs must be one of nausea, light, sound, other",
        ),
    ],
)
def test_bad_later_kinds_are_refused_with_their_record_and_field(
    cli: Cli, tmp_path: Path, change: Any, message: str
) -> None:
    full_diary(cli)
    fresh, before = refused_import(cli, tmp_path, change, message, ["moved house"])
    # Nothing written, and no new diary file left behind: a rating's dose is checked inside
    # the import's transaction, in the diary file made for it, which goes again.
    assert fingerprint(fresh.db_path) == before


def test_a_two_hour_rating_before_its_time_is_refused(cli: Cli, tmp_path: Path) -> None:
    cli.ok("attack", "log", "--when", "2026-11-26 11:00", "--ongoing", "--peak", "6",
           "--med", "naproxen@11:30")  # fmt: skip
    path, doc = document(cli, tmp_path)
    doc["ratings"] = [{"attack": 1, "dose": 1, "session": None, "at_dose": None, "pain_2h": 0,
                       "pain_24h": None, "pain_48h": None, "mbs_gone_2h": None}]  # fmt: skip
    path.write_text(json.dumps(doc), encoding="utf-8")
    fresh = cli.fresh()
    result = fresh("import", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        "migraine: error: record ratings[0]: pain_2h must be a time that has come: the rating "
        "is due from 2026-11-26 13:30\n"
    )


def test_a_dry_run_into_no_diary_yet_leaves_none(cli: Cli, tmp_path: Path) -> None:
    """A dry run checks against a diary it makes for the purpose, then removes it: a file
    that was not there is not there after it (on a server, nothing changes)."""
    full_diary(cli)
    path, _ = document(cli, tmp_path)
    fresh = cli.fresh()
    before = fingerprint(fresh.db_path)
    result = fresh.ok("import", str(path), "--dry-run")
    assert result.stdout.startswith("Would add 4 sessions, ")
    assert fingerprint(fresh.db_path) == before
    fresh.ok("import", str(path))
    assert fingerprint(fresh.db_path) != before


@pytest.mark.sqlite_only  # `demo` builds a diary file
def test_the_demo_diary_comes_back_whole(cli: Cli, tmp_path: Path) -> None:
    cli.ok("demo")
    cli.ok("score", "midas", "--total", "8")
    cli.ok("plan", "new", "craniosacral", "--compare", "45,30", "--seed", "11")
    cli.log("craniosacral", minutes=45)
    path, doc = document(cli, tmp_path)
    assert all(doc[name] for name in ("sessions", "attacks", "checkins", "plans", "scores"))
    fresh = cli.fresh()
    fresh.ok("import", str(path))
    _, again = document(fresh, tmp_path, "again.json")
    assert without_moment(again) == without_moment(doc)
    for command in (("stats",), ("verdict",), ("acute",), ("plan",), ("attack", "list")):
        assert fresh.json(*command) == cli.json(*command), command


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
maybe_pain = st.one_of(st.none(), st.integers(0, 10))
ratings = st.lists(
    st.fixed_dictionaries(
        {"at_dose": maybe_pain, "pain_2h": maybe_pain, "pain_24h": maybe_pain,
         "pain_48h": maybe_pain, "mbs_gone_2h": st.one_of(st.none(), st.booleans())}
    ),
    max_size=4,
)  # fmt: skip
scores = st.lists(
    st.one_of(
        st.builds(lambda t: ("midas", t, None), st.integers(0, 270)),
        st.builds(lambda t: ("hit6", t, None), st.integers(36, 78)),
        st.builds(lambda t, name: ("pgic", t, name), st.integers(1, 7), one_line),
    ),
    max_size=3,
)


def _plan(kind: str, therapy: str, other: str, minutes: list[int], design: str, blocks: int,
          seed: int, revealed: bool, reason: str | None, day: int) -> dict[str, Any]:  # fmt: skip
    arms: list[Any] = {"length": minutes, "therapies": [therapy, other], "periods": ["on", "off"]}[
        kind
    ]
    periods = kind == "periods"
    return {
        "therapy": therapy, "versus": other if kind == "therapies" else None, "kind": kind,
        "arms": arms, "design": design, "seed": seed, "algorithm": "python-random-shuffle-v1",
        "n_blocks": blocks * 2 if design == "abba" else blocks, "mid": 1.0,
        "created": _instant(day, 30), "start": f"2026-10-{day + 1:02d}" if periods else None,
        "period_days": 7 if periods else None, "washout_days": 2 if periods else None,
        "blocks_for_80_power": None, "power_basis": "an assumed spread", "revealed": revealed,
        "abandoned": _instant(day, 90) if reason else None, "reason": reason, "blocks": [],
        "deviations": [{"at": _instant(day, 60), "what": "the sequence was revealed before the "
                        "plan ended", "block": None, "slot": None, "session_id": None}]
        if revealed else [],
    }  # fmt: skip


plans = st.lists(
    st.builds(
        _plan,
        st.sampled_from(["length", "therapies", "periods"]),
        one_line,
        one_line,
        st.sampled_from([[45, 30], [30, 60], [20, 90]]),
        st.sampled_from(["pairs", "abba"]),
        st.integers(2, 4),
        st.integers(0, 2**63 - 1),
        st.booleans(),
        st.one_of(st.none(), one_line),
        st.integers(1, 20),
    ).filter(
        lambda p: p["kind"] != "therapies" or p["arms"][0].casefold() != p["arms"][1].casefold()
    ),
    max_size=2,
)


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
    plans,
    ratings,
    scores,
    st.lists(st.sampled_from(["nausea", "light", "sound", "other", None]), max_size=3),
)  # fmt: skip
def test_export_import_export_gives_the_same_document(
    tmp_path_factory: pytest.TempPathFactory,
    new_diary: Callable[[], str],
    session_list: list[dict[str, Any]],
    attack_list: list[dict[str, Any]],
    checkins: set[str],
    kept: list[list[str]],
    classes: list[tuple[str, str]],
    plan_list: list[dict[str, Any]],
    rating_list: list[dict[str, Any]],
    score_list: list[tuple[str, int, str | None]],
    mbs: list[str | None],
) -> None:
    folder = tmp_path_factory.mktemp("doc")
    for attack, chosen in zip(attack_list, mbs, strict=False):
        attack["mbs"] = chosen
    doses = [
        (n + 1, d + 1) for n, a in enumerate(attack_list) for d in range(len(a["medications"]))
    ]
    rated = [
        {"attack": attack, "dose": dose, "session": None, **values}
        for (attack, dose), values in zip(doses, rating_list, strict=False)
    ]
    given_doc = {
        "format": "migraine-diary",
        "version": 1,
        "exported_at": "2026-11-26T11:00:00+00:00",
        "sessions": [{"id": n + 1, **s} for n, s in enumerate(session_list)],
        "attacks": [{"id": n + 1, **a} for n, a in enumerate(attack_list)],
        "checkins": [{"day": d} for d in sorted(checkins)],
        "kept_ranges": [{"first": a, "last": b} for a, b in kept],
        "medication_classes": [{"name": n, "class": c} for n, c in classes],
        "plans": [{"id": n + 1, **p} for n, p in enumerate(plan_list)],
        "ratings": rated,
        "scores": [
            {"id": n + 1, "kind": kind, "date": "2026-10-01", "total": total, "therapy": therapy}
            for n, (kind, total, therapy) in enumerate(score_list)
        ],
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
    assert len(doc["plans"]) == len(plan_list)
    assert len(doc["ratings"]) == len(rated)
    assert len(doc["scores"]) == len(score_list)


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


def test_a_practice_is_exported_one_client_at_a_time(cli: Cli, tmp_path: Path) -> None:
    """A practice's records pooled into one diary would read as one person's: without
    --client every export is refused, naming the ways out; one client's document brings
    that client's records back whole; a personal diary exports as it always did."""
    cli.ok("export", "--all")  # a personal diary: no client to name
    for name, day in (("Anne B.", "2026-11-02"), ("Bo C.", "2026-11-03")):
        cli.ok("client", "add", name)
        cli.ok("--client", name, "log", "craniosacral", "-m", "45", "-b", "5", "-a", "3",
               "--when", f"{day} 10:00")  # fmt: skip
        cli.ok("--client", name, "attack", "log", "--when", f"{day} 08:00", "--hours", "5",
               "--peak", "6", "--med", "sumatriptan 50mg@08:30=helpful")  # fmt: skip
    for command in (("export", "--all"), ("export",), ("export", "--what", "attacks"),
                    ("export", "--format", "fhir")):  # fmt: skip
        refused = cli(*command, "--output", str(tmp_path / "pooled.json"))
        assert refused.exit_code == 1, command
        assert refused.stderr == (
            "migraine: error: export writes one person's diary and this one holds 2 clients: "
            "take one out with --client NAME or 'migraine client export NAME'; "
            "'migraine export --all-clients' writes every client's sessions for a "
            "spreadsheet, 'migraine backup FILE' copies the whole practice's file (on a "
            "server: the database's own dump)\n"
        )
        assert not (tmp_path / "pooled.json").exists()
    # A spreadsheet of the practice: each session led by its client; import refuses it (it
    # takes one client's diary at a time), as it refuses --all-clients beside another kind.
    sheet = tmp_path / "practice.csv"
    cli.ok("export", "--all-clients", "--output", str(sheet))
    rows = [line.split(",")[:4] for line in sheet.read_text().splitlines()]
    assert rows[0] == ["client", "id", "when", "therapy"]
    assert sorted(row[0] for row in rows[1:]) == ["Anne B.", "Bo C."]
    refused = cli("import", str(sheet))
    assert refused.exit_code == 2
    assert "holds a practice's sessions, each with its client" in refused.stderr
    assert cli("export", "--all-clients", "--what", "attacks").exit_code == 2
    assert cli("--client", "Bo C.", "export", "--all-clients").exit_code == 2
    path = tmp_path / "anne.json"
    cli.ok("--client", "Anne B.", "export", "--all", "--output", str(path))
    fresh = cli.fresh()
    fresh.ok("import", str(path))
    for listing in (("list",), ("attack", "list")):
        assert fresh.json(*listing) == cli.json("--client", "Anne B.", *listing)
    assert len(fresh.json("list")) == 1
    assert fresh.json("attack", "show", "1")["medications"][0]["helpfulness"] == "helpful"


@pytest.mark.sqlite_only  # refused before the diary is used: nothing for PostgreSQL
def test_a_document_holds_absolute_moments_and_the_schema_s_json_types(
    cli: Cli, tmp_path: Path
) -> None:
    """A file means the same on every import: `yesterday` is refused, as is a value of
    another JSON type than the shipped schema gives (what validates is what imports)."""
    typed_diary(cli)
    shipped = schema(cli)
    moment = "must be an ISO date or date and time such as 2026-11-20 or 2026-11-20T14:30:00+01:00"
    for change, message in (
        (lambda d: d["attacks"][0]["medications"][0].update(taken_at="yesterday"),
         f"record attacks[0]: taken_at {moment} (got yesterday)"),
        (lambda d: d["attacks"][1].update(start="yesterday 08:00"),
         f"record attacks[1]: start {moment} (got yesterday 08:00)"),
        (lambda d: d["sessions"][0].update(when="3 days ago"),
         f"record sessions[0]: when {moment} (got 3 days ago)"),
        (lambda d: d["attacks"][0].update(peak="7"),
         "record attacks[0]: peak must be a whole number (got text in quotes)"),
        (lambda d: d["sessions"][0].update(cost=85),
         "record sessions[0]: cost must be text in quotes (got a number)"),
        (lambda d: d["attacks"][0]["medications"][0].update(taken_at=20261104),
         "record attacks[0]: medications[0].taken_at must be text in quotes or null "
         "(got a number)"),
        (lambda d: d["sessions"][0].update(during_attack="false"),
         "record sessions[0]: during_attack must be true or false (got text in quotes)"),
    ):  # fmt: skip
        folder = tmp_path / str(len(list(tmp_path.iterdir())))
        folder.mkdir()
        fresh, _ = refused_import(cli, folder, change, message, ["Müller", "Harbour"])
        assert not Path(fresh.db_path).exists()
        doc = json.loads((folder / "all.json").read_text(encoding="utf-8"))
        if "ISO" not in message:  # the schema says no as well
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate(doc, shipped)


def test_a_removed_dose_names_the_rating_it_takes_with_it(cli: Cli, tmp_path: Path) -> None:
    """A rating goes with its dose: `import --update` and `attack edit --clear-meds` say so."""
    typed_diary(cli)
    for dose in ("1", "2"):  # 1: Migrastop (no time: the start), 2: sumatriptan at 08:30
        cli.ok("attack", "rate", "1", "--dose", dose, "--after", "2h", "--pain", "3")
    cli.ok("attack", "rate", "1", "--dose", "2", "--after", "24h", "--pain", "1")
    path, doc = document(cli, tmp_path)
    kept = [m for m in doc["attacks"][0]["medications"] if m["name"] == "Migrastop"]
    doc["attacks"][0]["medications"] = kept  # sumatriptan's dose goes
    path.write_text(json.dumps(doc), encoding="utf-8")
    changed = cli.ok("import", str(path), "--update").stdout.splitlines()[0]
    assert changed.startswith("attack 1: medications ")
    assert changed.endswith(
        "; dose 2 (sumatriptan 50mg 08:30) removed with its 2-hour and 24-hour ratings"
    )
    cleared = cli.ok("attack", "edit", "1", "--clear-meds").stdout
    assert "Dose 1 (Migrastop) removed with its 2-hour rating.\n" in cleared
    assert cli.json("attack", "show", "1")["medications"] == []
