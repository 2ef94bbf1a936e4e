"""Records read from a file, into the diary: all of them or none, in one transaction.

A record whose key is already stored with the same values is skipped (a file imported twice
adds nothing); with other values it is a conflict, or with `update` a correction, listed
field by field. The same rule for every kind (`transfer.kinds`), from CSV or the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from migraine_diary import storage as db
from migraine_diary.domain.words import plural
from migraine_diary.errors import InputError
from migraine_diary.transfer.kinds import Item, Kind, doses_cell, list_cell, relief_cell

MAX_SHOWN = 20


@dataclass
class KindResult:
    """What an import did (or, in a dry run, would do) with one kind of record."""

    kind: Kind
    read: int = 0
    added: int = 0
    already_there: int = 0
    changes: list[str] = field(default_factory=list)  # one line per changed record


@dataclass(frozen=True)
class ImportResult:
    kinds: list[KindResult]
    dry_run: bool
    update: bool


def problems_error(problems: list[str], summary: str) -> InputError:
    """Every problem on its line (the first MAX_SHOWN of them), then what it means."""
    shown = problems[:MAX_SHOWN]
    more = len(problems) - len(shown)
    return InputError("\n".join([*shown, *([f"... and {more} more"] if more else []), summary]))


def import_items(
    diary: db.Diary,
    batches: list[tuple[Kind, list[Item]]],
    *,
    update: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Store every batch, in KINDS' order, in one transaction; a dry run rolls it back."""
    results = []
    with diary.transaction() as conn:
        conflicts: list[str] = []
        plans = []
        for kind, items in batches:
            result = KindResult(kind, read=len(items))
            new, changed = _sort(conn, kind, items, result, conflicts, update=update)
            plans.append((kind, new, changed))
            results.append(result)
        if conflicts:
            raise problems_error(
                conflicts, f"{plural(len(conflicts), 'conflicting record')}; nothing was imported"
            )
        for (kind, new, changed), result in zip(plans, results, strict=True):
            kind.add(conn, new)
            for item in changed:
                kind.change(conn, item)
            result.added = len(new)
        if dry_run:
            conn.rollback()
    return ImportResult(results, dry_run, update)


def _sort(
    conn: Any,
    kind: Kind,
    items: list[Item],
    result: KindResult,
    conflicts: list[str],
    *,
    update: bool,
) -> tuple[list[Item], list[Item]]:
    """Which items are new, which change a stored record; the rest are already there."""
    stored = kind.stored(conn, [item.key for item in items if item.key is not None])
    seen: set[Any] = set()
    new: list[Item] = []
    changed: list[Item] = []
    for item in items:
        if item.key is None:
            new.append(item)
            continue
        if item.key in seen:
            conflicts.append(f"{item.where}: {kind.label(item.key)} appears twice in the file")
            continue
        seen.add(item.key)
        old = stored.get(item.key)
        if old is None:
            new.append(item)
            continue
        differences = _differences(kind, old, item.record)
        before, after = kind.compared(old), kind.compared(item.record)
        fixed = [name for name in kind.fixed if before.get(name) != after.get(name)]
        if not differences:
            result.already_there += 1
        elif update and fixed:
            conflicts.append(
                f"{item.where}: {kind.label(item.key)}: --update cannot change its "
                f"{', '.join(fixed)}: {kind.fixed_why}"
            )
        elif update:
            changed.append(item)
            lost = "".join(f"; {line}" for line in kind.losses(conn, item))
            result.changes.append(f"{kind.singular} {_key_text(item.key)}: {differences}{lost}")
        else:
            conflicts.append(
                f"{item.where}: {kind.label(item.key)} is already in the diary with other "
                "values (add --update to change it to the file's values)"
            )
    return new, changed


def _differences(kind: Kind, old: dict[str, Any], new: dict[str, Any]) -> str:
    """`provider 'Harbour Bodywrok' -> 'Harbour Bodywork', minutes 45 -> 50`, or '' when
    the two are the same record."""
    before, after = kind.compared(old), kind.compared(new)
    old_row, new_row = kind.row(old), kind.row(new)
    return ", ".join(
        f"{name} {_shown(name, old_row.get(name, before.get(name)))} -> "
        f"{_shown(name, new_row.get(name, after.get(name)))}"
        for name in after
        if before.get(name) != after[name]
    )


def _shown(name: str, value: object) -> str:
    if value is None:
        return "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if name == "medications" and isinstance(value, list):
        return repr(doses_cell(value)) if value else "(none)"
    if name == "relief" and isinstance(value, list):
        return repr(relief_cell(value)) if value else "(none)"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return repr(list_cell(value)) if value else "(none)"
    if isinstance(value, str):
        return repr(value)
    return str(value)


def _key_text(key: Any) -> str:
    return " to ".join(key) if isinstance(key, tuple) else str(key)
