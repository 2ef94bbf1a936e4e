"""`migraine export --format fhir`: an HL7 FHIR R4 Bundle of the demo diary plus typed and
imported attacks, validated with fhir.resources (R4B, wire-compatible with R4 for these
resources)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from conftest import Cli, private_environment
from health_export import headache, write_export

LOINC_PAIN = ("http://loinc.org", "72514-3")
SNOMED_HEADACHE = ("http://snomed.info/sct", "25064002")

pytestmark = pytest.mark.both_engines


@pytest.fixture(scope="module")
def demo_document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo diary as a whole-diary document, made once: `demo` writes only a new file,
    so a PostgreSQL diary gets the demo by importing it."""
    folder = tmp_path_factory.mktemp("demo")
    with private_environment(folder / "home"):
        sample = Cli(folder / "demo.db")
        sample.ok("demo")
        sample.ok("export", "--all", "--output", str(folder / "demo.json"))
    return folder / "demo.json"


@pytest.fixture
def diary(cli: Cli, tmp_path: Path, request: pytest.FixtureRequest) -> Cli:
    """The demo diary, an attack typed with detail, and one imported from Apple Health."""
    if cli.on_postgres:
        cli.ok("import", str(request.getfixturevalue("demo_document")))
    else:
        result = cli("demo", "--db", str(cli.db_path))
        assert result.exit_code == 0, result.stderr
    cli.ok(
        "attack", "log", "--when", "2026-11-25 07:00", "--hours", "3", "--peak", "6",
        "--med", "ibuprofen 400mg@07:30=somewhat", "--trigger", "stress", "--notes",
        "at Anna Schmidt's",
    )  # fmt: skip
    export = write_export(
        tmp_path / "export.xml",
        [headache("2024-06-12 07:00:00 +0200", "2024-06-12 08:30:00 +0200", "Severe", "Sam")],
    )
    cli.ok("import", "--format", "apple-health", str(export))
    return cli


def bundle_of(cli: Cli) -> dict[str, Any]:
    result = cli.ok("export", "--format", "fhir")
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def coded(concept: dict[str, Any]) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in concept.get("coding", [])}


def test_the_bundle_validates_as_fhir(diary: Cli) -> None:
    text = diary.ok("export", "--format", "fhir").stdout
    bundle = Bundle.model_validate_json(text)
    assert bundle.type == "collection"
    kinds = Counter(e.resource.get_resource_type() for e in bundle.entry)
    sessions = len(diary.json("list", "--limit", "100000"))
    attacks = diary.json("attack", "list", "--limit", "100000")
    doses = sum(len(a["medications"]) for a in attacks)
    assert kinds["Patient"] == 1
    assert kinds["Procedure"] == sessions
    assert kinds["MedicationStatement"] == doses
    headaches = [
        e.resource
        for e in bundle.entry
        if e.resource.get_resource_type() == "Observation"
        and SNOMED_HEADACHE in {(c.system, c.code) for c in e.resource.code.coding}
    ]
    assert len(headaches) == len(attacks)


def test_each_session_is_a_procedure_with_its_pain_observations(diary: Cli) -> None:
    entries = bundle_of(diary)["entry"]
    by_url = {e["fullUrl"]: e["resource"] for e in entries}
    first = diary.json("list", "--limit", "100000")[-1]  # the oldest session
    (procedure,) = [
        r
        for r in by_url.values()
        if r["resourceType"] == "Procedure" and r["identifier"][0]["value"] == str(first["id"])
    ]
    assert procedure["status"] == "completed"
    assert procedure["code"] == {"text": first["therapy"]}
    assert procedure["performedPeriod"]["start"] == first["when"]
    url = next(u for u, r in by_url.items() if r is procedure)
    pains = [
        r
        for r in by_url.values()
        if r["resourceType"] == "Observation"
        and any(p["reference"] == url for p in r.get("partOf", []))
    ]
    assert all(coded(p["code"]) == {LOINC_PAIN} for p in pains)
    values = {p["note"][0]["text"]: p["valueInteger"] for p in pains}
    assert values["pain before the session"] == first["pain_before"]
    assert values["pain after the session"] == first["pain_after"]
    if first["pain_later"] is None:
        assert "pain later that day" not in values
    else:
        assert values["pain later that day"] == first["pain_later"]
    later = [p for p in pains if p["note"][0]["text"] == "pain later that day"]
    assert all(len(p["effectiveDateTime"]) == 10 for p in later)  # a day: no time was kept


def test_an_attack_is_a_headache_observation_with_its_peak_and_doses(diary: Cli) -> None:
    entries = bundle_of(diary)["entry"]
    resources = [e["resource"] for e in entries]
    typed = next(a for a in diary.json("attack", "list") if a["detail"]["triggers"])
    (observation,) = [
        r
        for r in resources
        if r["resourceType"] == "Observation"
        and r.get("identifier", [{}])[0].get("value") == str(typed["id"])
        and SNOMED_HEADACHE in coded(r["code"])
    ]
    assert observation["effectivePeriod"] == {
        "start": "2026-11-25T06:00:00+00:00",  # 07:00 in Berlin
        "end": "2026-11-25T09:00:00+00:00",
    }
    components = {
        (c["code"].get("text"), next(v for k, v in c.items() if k.startswith("value")))
        for c in observation["component"]
        if LOINC_PAIN not in coded(c["code"])
    }
    assert ("trigger", "stress") in components
    (peak,) = [c for c in observation["component"] if LOINC_PAIN in coded(c["code"])]
    assert peak["valueInteger"] == 6
    url = next(e["fullUrl"] for e in entries if e["resource"] is observation)
    (dose,) = [
        r
        for r in resources
        if r["resourceType"] == "MedicationStatement"
        and r["reasonReference"][0]["reference"] == url
    ]
    assert dose["medicationCodeableConcept"] == {"text": "ibuprofen 400mg"}
    assert dose["effectiveDateTime"] == "2026-11-25T06:30:00+00:00"
    assert dose["status"] == "completed"
    # an imported attack keeps the offset its app recorded
    (imported,) = [
        r
        for r in resources
        if r["resourceType"] == "Observation"
        and r.get("effectivePeriod", {}).get("start") == "2024-06-12T07:00:00+02:00"
    ]
    assert imported["effectivePeriod"]["end"] == "2024-06-12T08:30:00+02:00"


def test_no_names_and_no_notes_leave_the_diary(diary: Cli) -> None:
    text = diary.ok("export", "--format", "fhir").stdout
    assert "Anna" not in text
    assert "Schmidt" not in text
    assert '"Sam"' not in text
    assert "Recorded with" not in text
    resources = [e["resource"] for e in json.loads(text)["entry"]]
    (patient,) = [r for r in resources if r["resourceType"] == "Patient"]
    assert set(patient) == {"resourceType", "id"}


def test_the_bundle_is_the_same_each_time_but_its_timestamp(diary: Cli) -> None:
    first, second = bundle_of(diary), bundle_of(diary)
    assert first["entry"] == second["entry"]
    ids = [e["resource"]["id"] for e in first["entry"]]
    assert len(ids) == len(set(ids))


def test_an_empty_or_missing_diary_gives_a_valid_bundle(cli: Cli) -> None:
    data = bundle_of(cli)
    assert [e["resource"]["resourceType"] for e in data["entry"]] == ["Patient"]
    Bundle.model_validate(data)


def test_output_file_is_private(cli: Cli, tmp_path: Path) -> None:
    cli.log("craniosacral", when="2026-11-01 16:30")
    target = tmp_path / "bundle.json"
    result = cli.ok("export", "--format", "fhir", "--output", str(target))
    assert result.stderr == f"Exported a FHIR bundle of 4 resources to {target}.\n"
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    Bundle.model_validate_json(target.read_text(encoding="utf-8"))
