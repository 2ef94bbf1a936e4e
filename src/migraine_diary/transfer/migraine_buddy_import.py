"""Bring a Migraine Buddy export into the diary: read it, then check and store its attacks
through the shared import path (`migraine import --format migraine-buddy`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from migraine_diary.domain.models import MAX_DETAIL, is_name
from migraine_diary.errors import InputError
from migraine_diary.transfer.attack_import import ImportPlan, check_attacks, offset_minutes
from migraine_diary.transfer.lines import import_lines
from migraine_diary.transfer.migraine_buddy import (
    BuddyAttack,
    BuddyImport,
    NotMigraineBuddyExport,
    dedupe_key,
    parse_migraine_buddy,
)

BUDDY_SOURCE = "migraine-buddy"


def read_buddy(path: Path) -> BuddyImport:
    """Read and parse an export as it is read; a file that cannot be read or is not an export
    is refused."""
    with import_lines(path) as lines:
        try:
            return parse_migraine_buddy(lines)
        except NotMigraineBuddyExport as error:
            raise InputError(f"{path}: {error}") from None


def _values(items: Iterable[str]) -> list[str]:
    """The items that can be detail values: one that cannot (too long, control characters)
    stays in the notes only, rather than making its whole row bad."""
    return [i for i in items if 0 < len(i) <= MAX_DETAIL and is_name(i)]


def attack_data(attack: BuddyAttack, source: str) -> dict[str, Any]:
    """The fields of one read attack, for the diary's own rules to check."""
    return {
        "start": attack.start,
        "end": attack.end,
        "peak": attack.peak,
        "aura": attack.aura,
        "notes": attack.notes,
        "source": source,
        "import_key": dedupe_key(attack),
        "mbs": attack.mbs,
        "medications": [{"name": m.name, "helpfulness": m.helpfulness} for m in attack.medications],
        "triggers": _values(attack.triggers),
        "symptoms": _values(attack.symptoms),
        "pain_positions": _values(attack.pain_positions),
        "most_bothersome": next(iter(_values([attack.most_bothersome or ""])), None),
        "relief": [
            {"method": r.name, "helpfulness": r.helpfulness}
            for r in attack.relief
            if _values([r.name])
        ],
        "start_offset": offset_minutes(attack.start),
        "end_offset": offset_minutes(attack.end) if attack.end is not None else None,
    }


def check_buddy(path: Path, *, skip_bad: bool, now: dt.datetime, max_shown: int = 20) -> ImportPlan:
    """Read and check a Migraine Buddy export before the diary is opened. With bad rows this
    refuses the whole file (listing them) unless `skip_bad`."""
    parsed = read_buddy(path)
    source = f"{BUDDY_SOURCE}:{path.name}"
    return check_attacks(
        str(path),
        ((a.line, attack_data(a, source)) for a in parsed.attacks),
        parsed.errors,
        skip_bad=skip_bad,
        now=now,
        ongoing_skipped=parsed.ongoing_skipped,
        max_shown=max_shown,
    )
