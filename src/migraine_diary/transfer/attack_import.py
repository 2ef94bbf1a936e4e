"""The one path every import of attacks from another app takes: check each attack read against
the diary's rules, refuse the whole file on a bad one (unless --skip-bad), store the rest once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from migraine_diary import storage as db
from migraine_diary.diary import attacks, medclass
from migraine_diary.domain.buddy import BuddyResult, RowError
from migraine_diary.domain.models import AttackInput, validate_attack
from migraine_diary.domain.words import noun, plural
from migraine_diary.errors import InputError


def offset_minutes(moment: dt.datetime) -> int:
    """The UTC offset a file recorded for a moment, in minutes east."""
    offset = moment.utcoffset()
    assert offset is not None
    return int(offset.total_seconds() // 60)


@dataclass(frozen=True)
class ImportPlan:
    """A checked file: the attacks to store and the rows (or records) that could not be read;
    `ongoing_skipped` counts events the file holds that are not imported (no end yet),
    `not_attacks` records that say there was no attack."""

    good: list[AttackInput]
    bad: list[RowError]
    ongoing_skipped: int = 0
    unit: str = "row"
    not_attacks: int = 0


def check_attacks(
    name: str,
    read: Iterable[tuple[int, dict[str, Any]]],
    errors: Iterable[RowError],
    *,
    skip_bad: bool,
    now: dt.datetime,
    unit: str = "row",
    ongoing_skipped: int = 0,
    not_attacks: int = 0,
    max_shown: int = 20,
) -> ImportPlan:
    """Validate every attack read from file `name` (its line or record number, its fields);
    with bad ones this refuses the whole file (listing them) unless `skip_bad`."""
    good: list[AttackInput] = []
    bad = list(errors)
    for number, data in read:
        try:
            good.append(validate_attack(data, now=now))
        except InputError as error:
            bad.append(RowError(number, "", error.message, unit if unit != "row" else "line"))
    bad.sort(key=lambda e: e.line)
    if bad and not skip_bad:
        shown = [str(e) for e in bad[:max_shown]]
        more = len(bad) - len(shown)
        count = len({e.line for e in bad})
        raise InputError(
            "\n".join(
                [
                    *shown,
                    *([f"... and {more} more {noun(more, 'problem')}"] if more else []),
                    f"{plural(count, f'bad {unit}')} in {name}; nothing was imported "
                    f"(--skip-bad imports the good {unit}s)",
                ]
            )
        )
    return ImportPlan(good, bad, ongoing_skipped, unit, not_attacks)


def store_attacks(diary: db.Diary | None, plan: ImportPlan, *, dry_run: bool) -> BuddyResult:
    """Store the checked attacks in one transaction; an attack imported before (same start,
    end and peak) is not added again. `diary` None: a dry run with no diary yet, where
    everything would be new."""
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
        plan.unit,
        plan.not_attacks,
    )
