"""The diary as an HL7 FHIR R4 Bundle (`migraine export --format fhir`), for health records
and apps that read FHIR: sessions, their pain ratings, attacks and their medication.

The bundle is streamed one resource at a time (sessions in constant memory). Ids are
name-based UUIDs of the records' ids, so exporting the same diary twice gives the same
bundle but for its timestamp. No name of the person, no free-text notes (they may name
anyone), nothing from the network: the Patient is an empty, anonymous resource.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import IO, Any

from migraine_diary import storage as db
from migraine_diary.diary import attacks as attack_diary
from migraine_diary.diary.sessions import session_from_row
from migraine_diary.domain.attack import Attack, Dose
from migraine_diary.domain.dates import local_day, to_storage
from migraine_diary.domain.session import Session

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
PAIN_CODE = {
    "coding": [
        {
            "system": LOINC,
            "code": "72514-3",
            "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
        }
    ],
    "text": "Pain severity 0-10",
}
HEADACHE_CODE = {
    "coding": [{"system": SNOMED, "code": "25064002", "display": "Headache"}],
    "text": "Migraine attack",
}
SURVEY = [
    {
        "coding": [
            {
                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                "code": "survey",
                "display": "Survey",
            }
        ]
    }
]
# One namespace for this program's resources: uuid5(NAMESPACE, "session/9") is session 9's.
NAMESPACE = uuid.UUID("6f1f9a52-3c1e-5b8e-9d4a-6d2b1c0e7a41")


def resource_id(kind: str, key: object) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{key}"))


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def _ref(resource_type: str, kind: str, key: object) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource_id(kind, key)}", "type": resource_type}


PATIENT_ID = resource_id("patient", "self")
PATIENT_REF = {"reference": f"urn:uuid:{PATIENT_ID}", "type": "Patient"}


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def session_resources(session: Session) -> list[dict[str, Any]]:
    """A session as a Procedure, with its pain before, after and later that day as
    Observations that are part of it."""
    end = session.when + dt.timedelta(minutes=session.minutes)
    procedure: dict[str, Any] = {
        "resourceType": "Procedure",
        "id": resource_id("session", session.id),
        "identifier": [{"system": "urn:migraine-diary:session", "value": str(session.id)}],
        "status": "completed",
        "code": {"text": session.therapy},
        "subject": PATIENT_REF,
        "performedPeriod": {"start": to_storage(session.when), "end": to_storage(end)},
    }
    if session.provider:
        procedure["performer"] = [{"actor": {"display": session.provider}}]
    if session.during_attack:
        procedure["reasonCode"] = [{"text": "during a migraine attack"}]
    ratings: list[tuple[str, int | None, str]] = [
        ("before", session.pain_before, to_storage(session.when)),
        ("after", session.pain_after, to_storage(end)),
        # later that day: no time was recorded, so the day alone
        ("later", session.pain_later, local_day(session.when).isoformat()),
    ]
    observations = [
        {
            "resourceType": "Observation",
            "id": resource_id(f"session/{session.id}/pain", moment),
            "status": "final",
            "category": SURVEY,
            "code": PAIN_CODE,
            "subject": PATIENT_REF,
            "partOf": [_ref("Procedure", "session", session.id)],
            "effectiveDateTime": when,
            "valueInteger": pain,
            "note": [{"text": f"pain {moment} the session"}]
            if moment != "later"
            else [{"text": "pain later that day"}],
        }
        for moment, pain, when in ratings
        if pain is not None
    ]
    return [procedure, *observations]


def _component(text: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"code": {"text": text}, **value}


def attack_resources(attack: Attack) -> list[dict[str, Any]]:
    """An attack as an Observation of a headache over its time, its peak pain a component;
    each dose a MedicationStatement whose reason is the attack."""
    start = attack.local_start or attack.start
    period = {"start": _iso(start)}
    if attack.end is not None:
        period["end"] = _iso(attack.local_end or attack.end)
    detail = attack.detail
    components = [
        {"code": PAIN_CODE, "valueInteger": attack.peak},
        _component("aura", {"valueBoolean": attack.aura}),
        *(_component("trigger", {"valueString": t}) for t in detail.triggers),
        *(_component("symptom", {"valueString": s}) for s in detail.symptoms),
        *(_component("pain position", {"valueString": p}) for p in detail.pain_positions),
    ]
    observation = {
        "resourceType": "Observation",
        "id": resource_id("attack", attack.id),
        "identifier": [{"system": "urn:migraine-diary:attack", "value": str(attack.id)}],
        "status": "final" if attack.end is not None else "preliminary",
        "code": HEADACHE_CODE,
        "subject": PATIENT_REF,
        "effectivePeriod": period,
        "component": components,
    }
    return [observation, *(_dose(attack, n, dose) for n, dose in enumerate(attack.medications))]


def _dose(attack: Attack, number: int, dose: Dose) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "id": resource_id(f"attack/{attack.id}/dose", number),
        "status": "completed",
        "medicationCodeableConcept": {"text": dose.name},
        "subject": PATIENT_REF,
        "effectiveDateTime": _iso(dose.taken_at or attack.start),
        "reasonReference": [_ref("Observation", "attack", attack.id)],
    }
    if dose.helpfulness:
        statement["note"] = [{"text": f"helpfulness: {dose.helpfulness}"}]
    return statement


def write_bundle(diary: db.Diary | None, out: IO[str], *, now: dt.datetime) -> int:
    """Write the Bundle (type collection), one entry at a time; returns how many resources
    it holds."""
    head = {
        "resourceType": "Bundle",
        "id": resource_id("bundle", to_storage(now)),
        "type": "collection",
        "timestamp": to_storage(now),
    }
    out.write(json.dumps(head)[:-1] + ', "entry": [')
    count = 0

    def write(resource: dict[str, Any]) -> None:
        nonlocal count
        out.write(",\n  " if count else "\n  ")
        out.write(json.dumps(_entry(resource), ensure_ascii=False))
        count += 1

    write({"resourceType": "Patient", "id": PATIENT_ID})
    if diary is not None:
        with diary.stream(db.RAW_SQL) as rows:
            for row in rows:
                for resource in session_resources(session_from_row(row)):
                    write(resource)
        found, _ = attack_diary.list_attacks(diary, None, None, None)
        for attack in reversed(found):  # oldest first, as the sessions
            for resource in attack_resources(attack):
                write(resource)
    out.write("\n]}\n")
    return count
