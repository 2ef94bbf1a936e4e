"""Acute outcomes in the words of the IHS trial guidelines: pain levels, the most bothersome
symptom, ratings after a dose, and the questionnaire grades."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from migraine_diary.domain.dates import to_storage

# The guidelines' 4-level scale from a 0-10 score: none 0, mild 1-3, moderate 4-6, severe 7-10.
LEVELS = ("none", "mild", "moderate", "severe")


def level(pain: int) -> str:
    """The 4-level pain of a 0-10 score (the one map every figure uses)."""
    if pain <= 0:
        return "none"
    if pain <= 3:
        return "mild"
    if pain <= 6:
        return "moderate"
    return "severe"


MBS = ("nausea", "light", "sound", "other")  # most bothersome symptom
MBS_WORDS = "one of nausea, light, sound, other"
AFTER = {"2h": 2, "24h": 24, "48h": 48}  # hours after the dose a rating is for
AFTER_WORDS = "one of 2h, 24h, 48h"
RESCUE_WINDOW = dt.timedelta(hours=24)

# Questionnaire totals the user computed on the official forms (their wording is not ours).
SCORE_RANGES = {"midas": (0, 270), "hit6": (36, 78), "pgic": (1, 7)}
SCORE_NAMES = {"midas": "MIDAS", "hit6": "HIT-6", "pgic": "PGIC"}
MIDAS_GRADES = ((5, "I"), (10, "II"), (20, "III"), (270, "IV"))
HIT6_GRADES = (
    (49, "little or no impact"),
    (55, "some impact"),
    (59, "substantial impact"),
    (78, "severe impact"),
)
PGIC_WORDS = {1: "no change", 7: "a great deal better"}


def grade(kind: str, total: int) -> str | None:
    """MIDAS I 0-5, II 6-10, III 11-20, IV 21+; HIT-6 <=49, 50-55, 56-59, 60+; PGIC none."""
    table = {"midas": MIDAS_GRADES, "hit6": HIT6_GRADES}.get(kind)
    if table is None:
        return None
    return next(name for high, name in table if total <= high)


@dataclass(frozen=True)
class Treatment:
    """One acute dose (or a session during an attack) with its ratings.

    `taken_at` is the dose's time, the attack's start for a dose logged without one (`timed`
    False: it numbers the doses, but cannot place this one in time for rescue or relapse);
    `at_dose` is the pain when it was taken (typed, else the attack's peak; a session's pain
    before).
    """

    attack_id: int
    number: int  # the attack's N-th dose in time order; 0 for a session
    kind: str  # "medication" or "session"
    name: str
    med_class: str | None
    taken_at: dt.datetime
    at_dose: int
    pain_2h: int | None = None
    pain_24h: int | None = None
    pain_48h: int | None = None
    mbs: str | None = None  # the attack's most bothersome symptom
    mbs_gone: bool | None = None  # gone at 2 hours
    session_id: int | None = None
    timed: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "attack": self.attack_id,
            "dose": self.number if self.kind == "medication" else None,
            "session": self.session_id,
            "kind": self.kind,
            "name": self.name,
            "class": self.med_class,
            "taken_at": to_storage(self.taken_at),
            "at_dose": self.at_dose,
            "at_dose_level": level(self.at_dose),
            "pain_2h": self.pain_2h,
            "pain_24h": self.pain_24h,
            "pain_48h": self.pain_48h,
            "mbs": self.mbs,
            "mbs_gone_2h": self.mbs_gone,
        }


@dataclass(frozen=True)
class Score:
    """A questionnaire total as the user computed it, with its grade and the change since the
    previous score of the same kind (for PGIC, of the same therapy). A PGIC's `course` is the
    first and last session day of the therapy's course it judges: the one it falls in, or the
    last one before it (None before the therapy's first session)."""

    id: int
    kind: str
    day: dt.date
    total: int
    therapy: str | None = None
    change: int | None = None
    course: tuple[dt.date, dt.date] | None = None

    @property
    def course_text(self) -> str:
        """``course 2026-09-10 to 2026-09-20``; empty when no course can be told."""
        if self.course is None:
            return ""
        return f"course {self.course[0].isoformat()} to {self.course[1].isoformat()}"

    @property
    def grade(self) -> str | None:
        return grade(self.kind, self.total)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "date": self.day.isoformat(),
            "total": self.total,
            "grade": self.grade,
            "therapy": self.therapy,
            "change": self.change,
            "course": None
            if self.course is None
            else {"first": self.course[0].isoformat(), "last": self.course[1].isoformat()},
        }


@dataclass(frozen=True)
class Prefill:
    """What the diary knows of the last 3 months, to help fill in the MIDAS form: its figures
    rest on the recorded days only (a day not recorded may have had a headache)."""

    first: dt.date
    last: dt.date
    headache_days: int
    attacks: int
    average_peak: float | None
    recorded_days: int = 0

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1
