"""Bring a Migraine Buddy export into the diary: read it, check every attack against the
diary's rules, then store the good ones once (`migraine import --format migraine-buddy`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from migraine_diary import storage as db
from migraine_diary.diary import attacks, medclass
from migraine_diary.domain.buddy import BuddyResult, RowError
from migraine_diary.domain.models import AttackInput, validate_attack
from migraine_diary.errors import InputError
from migraine_diary.transfer.lines import import_lines
from migraine_diary.transfer.migraine_buddy import (
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


def buddy_inputs(
    parsed: BuddyImport, source: str, now: dt.datetime
) -> tuple[list[AttackInput], list[RowError]]:
    """Check every read attack against the diary's own rules; a failure is a bad row."""
    good: list[AttackInput] = []
    bad = list(parsed.errors)
    for attack in parsed.attacks:
        data = {
            "start": attack.start,
            "end": attack.end,
            "peak": attack.peak,
            "aura": attack.aura,
            "notes": attack.notes,
            "source": source,
            "import_key": dedupe_key(attack),
            "mbs": attack.mbs,
            "medications": [
                {"name": m.name, "helpfulness": m.helpfulness} for m in attack.medications
            ],
        }
        try:
            good.append(validate_attack(data, now=now))
        except InputError as error:
            bad.append(RowError(attack.line, "", error.message))
    bad.sort(key=lambda e: e.line)
    return good, bad


@dataclass(frozen=True)
class BuddyPlan:
    """A checked export: the attacks to store and the rows that could not be read."""

    good: list[AttackInput]
    bad: list[RowError]
    ongoing_skipped: int


def check_buddy(path: Path, *, skip_bad: bool, now: dt.datetime, max_shown: int = 20) -> BuddyPlan:
    """Read and check a Migraine Buddy export before the diary is opened. With bad rows this
    refuses the whole file (listing them) unless `skip_bad`."""
    parsed = read_buddy(path)
    good, bad = buddy_inputs(parsed, f"{BUDDY_SOURCE}:{path.name}", now)
    if bad and not skip_bad:
        shown = [str(e) for e in bad[:max_shown]]
        more = len(bad) - len(shown)
        lines = len({e.line for e in bad})
        raise InputError(
            "\n".join(
                [
                    *shown,
                    *([f"... and {more} more problem(s)"] if more else []),
                    f"{lines} bad row(s) in {path}; nothing was imported "
                    "(--skip-bad imports the good rows)",
                ]
            )
        )
    return BuddyPlan(good, bad, parsed.ongoing_skipped)


def import_buddy(diary: db.Diary | None, plan: BuddyPlan, *, dry_run: bool) -> BuddyResult:
    """Store the checked attacks in one transaction; an attack imported before (same start,
    end and peak) is not added again. `diary` None: a dry run with no
    diary yet, where everything would be new."""
    if diary is None:
        added, already, ended = len(plan.good), 0, 0
    else:
        added, already, ended = attacks.add_attacks(diary, plan.good, dry_run=dry_run)
    classes = medclass.classes(diary)
    unclassified = sorted(
        {m.name for a in plan.good for m in a.medications if classes.of(m.name) is None},
        key=str.casefold,
    )
    return BuddyResult(
        added,
        already,
        plan.bad,
        plan.ongoing_skipped,
        sum(1 for a in plan.good if a.end is None),
        ended,
        unclassified,
        dry_run,
    )
