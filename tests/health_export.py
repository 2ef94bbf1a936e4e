# ruff: noqa: E501  (the export's own lines, as the Health app writes them)
"""A real-shaped Apple Health export, made here: the DOCTYPE with its element and attribute
declarations as the Health app writes it, records of many types, workouts, activity
summaries, and headaches among them."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

PROLOG = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE HealthData [
<!-- HealthKit Export Version: 14 -->
<!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord|Audiogram|VisionPrescription)*)>
<!ATTLIST HealthData
  locale CDATA #REQUIRED
>
<!ELEMENT ExportDate EMPTY>
<!ATTLIST ExportDate
  value CDATA #REQUIRED
>
<!ELEMENT Me EMPTY>
<!ATTLIST Me
  HKCharacteristicTypeIdentifierDateOfBirth         CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBiologicalSex       CDATA #REQUIRED
  HKCharacteristicTypeIdentifierBloodType           CDATA #REQUIRED
  HKCharacteristicTypeIdentifierFitzpatrickSkinType CDATA #REQUIRED
  HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse CDATA #IMPLIED
>
<!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
<!ATTLIST Record
  type          CDATA #REQUIRED
  unit          CDATA #IMPLIED
  value         CDATA #IMPLIED
  sourceName    CDATA #REQUIRED
  sourceVersion CDATA #IMPLIED
  device        CDATA #IMPLIED
  creationDate  CDATA #IMPLIED
  startDate     CDATA #REQUIRED
  endDate       CDATA #REQUIRED
>
<!ELEMENT MetadataEntry EMPTY>
<!ATTLIST MetadataEntry
  key   CDATA #REQUIRED
  value CDATA #REQUIRED
>
<!ELEMENT Workout ((MetadataEntry|WorkoutEvent|WorkoutRoute|WorkoutStatistics)*)>
<!ATTLIST Workout
  workoutActivityType   CDATA #REQUIRED
  duration              CDATA #IMPLIED
  durationUnit          CDATA #IMPLIED
  sourceName            CDATA #REQUIRED
  startDate             CDATA #REQUIRED
  endDate               CDATA #REQUIRED
>
]>
<HealthData locale="de_DE">
 <ExportDate value="2026-11-25 20:00:00 +0100"/>
 <Me HKCharacteristicTypeIdentifierDateOfBirth="1984-03-02" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale" HKCharacteristicTypeIdentifierBloodType="HKBloodTypeNotSet" HKCharacteristicTypeIdentifierFitzpatrickSkinType="HKFitzpatrickSkinTypeNotSet" HKCharacteristicTypeIdentifierCardioFitnessMedicationsUse="None"/>
"""
EPILOGUE = "</HealthData>\n"
DEVICE = (
    "&lt;&lt;HKDevice: 0x283a4c0f0&gt;, name:Apple Watch, manufacturer:Apple Inc., "
    "model:Watch, hardware:Watch6,2, software:10.1&gt;"
)
HEADACHE = "HKCategoryTypeIdentifierHeadache"


def stamp(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S %z")


def headache(start: str, end: str, severity: str = "Moderate", source: str = "Health") -> str:
    value = (
        severity
        if severity.startswith("HK") or not severity
        else ("HKCategoryValueSeverity" + severity)
    )
    return (
        f' <Record type="{HEADACHE}" sourceName="{source}" sourceVersion="17.1"'
        f' creationDate="{end}" startDate="{start}" endDate="{end}" value="{value}">\n'
        '  <MetadataEntry key="HKTimeZone" value="Europe/Berlin"/>\n'
        " </Record>\n"
    )


def filler(day: dt.datetime, n: int) -> Iterator[str]:
    """A day of the other data a phone and a watch record."""
    for minute in range(0, n):
        at = stamp(day + dt.timedelta(minutes=minute * 7))
        yield (
            ' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Sam\u2019s Apple Watch"'
            f' sourceVersion="10.1" device="{DEVICE}" unit="count/min" creationDate="{at}"'
            f' startDate="{at}" endDate="{at}" value="{60 + minute % 40}">\n'
            '  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n'
            " </Record>\n"
        )
        yield (
            ' <Record type="HKQuantityTypeIdentifierStepCount" sourceName="Sam\u2019s iPhone"'
            f' unit="count" creationDate="{at}" startDate="{at}" endDate="{at}" value="{minute}"/>\n'
        )
    start = stamp(day + dt.timedelta(hours=7))
    end = stamp(day + dt.timedelta(hours=7, minutes=40))
    yield (
        f' <Workout workoutActivityType="HKWorkoutActivityTypeRunning" duration="40"'
        f' durationUnit="min" sourceName="Sam\u2019s Apple Watch" startDate="{start}"'
        f' endDate="{end}">\n'
        '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n'
        '  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="' + start + '"/>\n'
        '  <WorkoutRoute sourceName="Sam\u2019s Apple Watch">\n'
        '   <FileReference path="/workout-routes/route_2024-01-05_7.40am.gpx"/>\n'
        "  </WorkoutRoute>\n"
        " </Workout>\n"
    )
    yield (
        f' <ActivitySummary dateComponents="{day:%Y-%m-%d}" activeEnergyBurned="412"'
        ' activeEnergyBurnedGoal="500" appleExerciseTime="41" appleStandHours="11"/>\n'
    )
    yield (
        ' <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Sam\u2019s iPhone"'
        f' startDate="{stamp(day)}" endDate="{stamp(day + dt.timedelta(hours=6))}"'
        ' value="HKCategoryValueSleepAnalysisAsleepCore"/>\n'
    )


def write_export(
    path: Path,
    headaches: Sequence[str],
    *,
    filler_days: int = 0,
    per_day: int = 40,
    as_zip: bool = False,
) -> Path:
    """An export.xml (or export.zip) with the headaches spread among the filler days."""
    first = dt.datetime(2024, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))

    def parts() -> Iterator[str]:
        yield PROLOG
        spread = max(1, filler_days // max(1, len(headaches)))
        left = list(headaches)
        for n in range(filler_days):
            yield from filler(first + dt.timedelta(days=n), per_day)
            if left and n % spread == 0:
                yield left.pop(0)
        yield from left
        yield EPILOGUE

    if as_zip:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            with archive.open("apple_health_export/export_cda.xml", "w") as cda:
                cda.write(b"<ClinicalDocument/>")
            with archive.open("apple_health_export/export.xml", "w") as member:
                for part in parts():
                    member.write(part.encode())
    else:
        with path.open("w", encoding="utf-8") as out:
            for part in parts():
                out.write(part)
    path.chmod(0o600)
    return path
