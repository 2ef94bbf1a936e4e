"""A realistic sample diary, so a new user sees the product in one command."""

from __future__ import annotations

import random
import tempfile
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from migraine_diary import db
from migraine_diary.diary import log_session
from migraine_diary.errors import DiaryError

SEED = 20261126


def _at(days_ago: int, hour: int, minute: int = 0) -> datetime:
    day = datetime.now().date() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour, minute)).astimezone().astimezone(UTC)


def sample_sessions() -> list[dict[str, Any]]:
    """The user story's craniosacral course (three 45-minute sessions one point lower, then
    four 30-minute sessions that brought nothing) and a few other therapies."""
    rng = random.Random(SEED)
    sessions: list[dict[str, Any]] = []
    cst_days = [40, 38, 35, 33, 31, 28, 26]
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


def fill_demo(path: Path | None) -> db.Diary:
    """Write the sample into a new temporary diary, or into `path` if it has no sessions yet."""
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="migraine-demo-")) / "diary.db"
    diary = db.open_diary(path, write=True)
    assert diary is not None
    with diary.connect() as conn:
        if db.count_sessions(conn, db.Filters()):
            raise DiaryError(
                f"{path} already holds sessions; the demo only writes to a new or empty diary"
            )
    for session in sample_sessions():
        log_session(diary, session, new_therapy=True)
    return diary
