"""A realistic sample diary, so a new user sees the product in one command."""

from __future__ import annotations

import os
import random
import tempfile
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from migraine_diary import storage as db
from migraine_diary.diary.attacks import add_history
from migraine_diary.diary.sessions import log_session
from migraine_diary.domain import dates
from migraine_diary.domain.models import AttackInput, validate_attack
from migraine_diary.errors import DiaryError

SEED = 20261126
# The craniosacral course began this many days before its second month ended, so the demo
# shows a finished preventive comparison, not "too early".
COURSE_SHIFT = 30


def _at(days_ago: int, hour: int, minute: int = 0) -> datetime:
    day = dates.current_day() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, minute)).astimezone().astimezone(UTC)


def sample_sessions() -> list[dict[str, Any]]:
    """The user story's craniosacral course (three 45-minute sessions one point lower, then
    four 30-minute sessions that brought nothing) and a few other therapies."""
    rng = random.Random(SEED)
    sessions: list[dict[str, Any]] = []
    cst_days = [d + COURSE_SHIFT for d in (40, 38, 35, 33, 31, 28, 26)]
    for number, days_ago in enumerate(cst_days):
        first_three = number < 3
        sessions.append(
            {
                "therapy": "craniosacral",
                "when": _at(days_ago, 16, 30),
                "minutes": 45 if first_three else 30,
                "pain_before": 5,
                "pain_after": 4 if first_three else 5,
                "pain_later": 4 if first_three else rng.choice([5, 5, 6]),
                "cost": "90" if first_three else "60",
                "provider": "Harbour Bodywork",
                "during_attack": number == 2,
                "notes": "Migraine gearing up to be a bad one; did not escalate."
                if number == 2
                else None,
            }
        )
    for week in range(8):
        before = rng.choice([3, 4, 5, 6, 6, 7])
        sessions.append(
            {
                "therapy": "acupuncture",
                "when": _at(120 - 7 * week, 10),
                "minutes": 60,
                "pain_before": before,
                "pain_after": max(0, before - rng.choice([0, 1, 1, 2, 2, 3])),
                "pain_later": None if week % 3 == 0 else max(0, before - rng.choice([0, 1, 2])),
                "cost": "85",
                "provider": "Dr. Lin, L.Ac.",
                "during_attack": before >= 6,
                "notes": None,
            }
        )
    for number, minutes in enumerate([60, 90, 60, 90]):
        before = rng.choice([2, 3, 4])
        sessions.append(
            {
                "therapy": "massage",
                "when": _at(75 - 10 * number, 18),
                "minutes": minutes,
                "pain_before": before,
                "pain_after": max(0, before - rng.choice([1, 1, 2])),
                "pain_later": None,
                "cost": "110.00" if minutes == 90 else "80.00",
                "provider": None,
                "during_attack": False,
                "notes": "Neck and shoulders, trigger points" if number == 0 else None,
            }
        )
    for number in range(6):
        before = [0, 3, 0, 4, 2, 3][number]
        sessions.append(
            {
                "therapy": "physiotherapy",
                "when": _at(20 - 3 * number, 8, 15),
                "minutes": 45,
                "pain_before": before,
                "pain_after": max(0, before - rng.choice([0, 1])),
                "pain_later": None,
                "cost": "70",
                "provider": "City Physio",
                "during_attack": False,
                "notes": None,
            }
        )
    return sessions


# The attack diary: (days ago, hour, hours lasted, peak, aura, medication), shifted with the
# course by COURSE_SHIFT. Medication is "suma" (sumatriptan 50mg, 45 minutes in), "ibu"
# (ibuprofen 400mg, 30 minutes in) or both (ibuprofen as a rescue dose 3 hours in). Eight
# recorded weeks before the craniosacral course (a paper diary, kept as a range): about 8
# migraine days per 28. The course and after (daily check-ins, a few days forgotten): a
# modest drop, the kind the placebo benchmark warns about.
BASELINE_ATTACKS: list[tuple[int, int, float, int, bool, str]] = [
    (95, 7, 9, 7, False, "suma"),
    (91, 15, 5, 6, False, "ibu"),
    (88, 20, 14, 8, True, "suma"),
    (84, 9, 6, 6, False, "suma"),
    (80, 13, 0.4, 3, False, ""),
    (78, 6, 10, 7, False, "suma+ibu"),
    (74, 17, 7, 6, False, "ibu"),
    (70, 22, 11, 8, False, "suma"),
    (66, 8, 5, 5, False, "ibu"),
    (63, 11, 30, 7, False, "suma+ibu"),
    (58, 14, 6, 6, True, "suma"),
    (55, 7, 8, 7, False, "suma"),
    (51, 19, 4, 5, False, "ibu"),
    (47, 10, 9, 7, False, "suma"),
    (43, 16, 6, 6, False, "ibu"),
]
COURSE_ATTACKS: list[tuple[int, int, float, int, bool, str]] = [
    (37, 18, 6, 6, False, "suma"),
    (35, 13, 5, 5, False, "ibu"),
    (29, 8, 7, 6, False, "suma"),
    (24, 21, 9, 7, False, "suma"),
    (19, 12, 0.3, 3, False, ""),
    (15, 9, 5, 5, False, "ibu"),
    (8, 15, 6, 6, True, "suma"),
    (4, 10, 4, 5, False, "ibu"),
    (-2, 7, 6, 6, False, "suma"),
    (-5, 16, 8, 7, False, "suma+ibu"),
    (-9, 12, 5, 5, False, "ibu"),
    (-13, 19, 7, 6, True, "suma"),
    (-18, 9, 6, 6, False, "suma"),
    (-23, 14, 5, 5, False, "ibu"),
]
BASELINE_DAYS = (96 + COURSE_SHIFT, 41 + COURSE_SHIFT)  # kept range, days ago
COURSE_DAYS = (40 + COURSE_SHIFT, 1)  # daily check-ins, days ago
FORGOTTEN_CHECKINS = {60, 52, 39, 30, 22, 9}


def sample_attacks() -> list[AttackInput]:
    """Attacks before and during the craniosacral course, with triptan and ibuprofen doses."""
    attacks = []
    for days_ago, hour, hours, peak, aura, meds in BASELINE_ATTACKS + COURSE_ATTACKS:
        start = _at(days_ago + COURSE_SHIFT, hour)
        doses = []
        if "suma" in meds:
            doses.append(
                {
                    "name": "sumatriptan 50mg",
                    "helpfulness": "helpful",
                    "taken_at": start + timedelta(minutes=45),
                }
            )
        if "ibu" in meds:
            rescue = "suma" in meds
            doses.append(
                {
                    "name": "ibuprofen 400mg",
                    "helpfulness": "somewhat",
                    "taken_at": start + (timedelta(hours=3) if rescue else timedelta(minutes=30)),
                }
            )
        attacks.append(
            validate_attack(
                {
                    "start": start,
                    "end": start + timedelta(hours=hours),
                    "peak": peak,
                    "aura": aura,
                    "medications": doses,
                }
            )
        )
    return attacks


def sample_recorded_days() -> tuple[list[date], list[tuple[date, date]]]:
    """Check-ins on the course's days without an attack, and the baseline's kept range."""
    today = dates.current_day()
    attack_days = {days_ago + COURSE_SHIFT for days_ago, *_ in COURSE_ATTACKS}
    checkins = [
        today - timedelta(days=days_ago)
        for days_ago in range(COURSE_DAYS[0], COURSE_DAYS[1] - 1, -1)
        if days_ago not in attack_days and days_ago not in FORGOTTEN_CHECKINS
    ]
    kept = [(today - timedelta(days=BASELINE_DAYS[0]), today - timedelta(days=BASELINE_DAYS[1]))]
    return checkins, kept


def fill_demo(path: Path | None) -> db.SqliteDiary:
    """Write the sample into a new diary: a temporary one, or `path` if nothing is there yet.

    Any existing file is refused, a diary with no sessions too: its attacks and check-ins are
    real, and the sample would be mixed in as if typed.
    """
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="migraine-demo-")) / "diary.db"
    if os.path.lexists(path):
        raise DiaryError(
            f"{path} already exists; the demo writes only to a new file, never into an existing one"
        )
    db.create_diary(path, only_new=True)
    diary = db.open_diary(path, write=True, create=False)
    assert diary is not None
    for session in sample_sessions():
        log_session(diary, session, new_therapy=True)
    checkins, kept = sample_recorded_days()
    add_history(diary, sample_attacks(), checkins, kept)
    return diary
