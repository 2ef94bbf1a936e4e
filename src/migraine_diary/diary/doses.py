"""What removing an attack's doses takes with it: their acute ratings, named before they go."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from migraine_diary import storage as db
from migraine_diary.diary.acute import numbered_doses
from migraine_diary.domain.dates import LOCAL, from_storage

# A rating's times after the dose, as a person calls them.
RATED_AFTER = (("pain_2h", "2-hour"), ("pain_24h", "24-hour"), ("pain_48h", "48-hour"))


def lost_ratings(conn: Any, attack_id: int, kept: Sequence[tuple[str, str | None]]) -> list[str]:
    """One line for each rated dose of the attack that goes when only the `kept` doses
    ((name, stored taken_at), matched as storage.replace_medications matches them) stay:
    `dose 2 (sumatriptan 09:00) removed with its 2-hour rating`. The rating goes with its
    dose, so the change list says so rather than letting it vanish."""
    numbers = numbered_doses(conn, attack_id) or {}
    staying = list(kept)
    lines = []
    for medication_id, name, taken_at in db.attack_doses(conn, attack_id):
        if (name, taken_at) in staying:
            staying.remove((name, taken_at))
            continue
        rating = db.rating_of(conn, medication_id=medication_id)
        if rating is None:
            continue
        times = [label for column, label in RATED_AFTER if rating[column] is not None]
        rated = (" and ".join(times) + " rating" + ("s" if len(times) > 1 else "")) or "rating"
        when = f" {from_storage(taken_at).astimezone(LOCAL):%H:%M}" if taken_at else ""
        number = numbers[medication_id][0]
        lines.append(f"dose {number} ({name}{when}) removed with its {rated}")
    return lines


def cleared_ratings(diary: db.Diary, attack_id: int) -> list[str]:
    """`lost_ratings` of clearing every dose (`attack edit --clear-meds`)."""
    with diary.connect() as conn:
        return lost_ratings(conn, attack_id, [])
