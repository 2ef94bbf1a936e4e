"""What Tab completion offers from the diary: therapy and medicine names, attack and plan ids,
read with sqlite3
alone (no SQLAlchemy, no models), never writing a byte, so that a Tab stays instant."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from migraine_diary.storage.sqlite.connections import read_connection

# A Tab waits this long at most for a diary another program holds locked.
WAIT_MS = 250
SQLITE_HEADER = b"SQLite format 3\x00"

THERAPY_SQL = (
    "SELECT t.name FROM therapy t"
    " WHERE EXISTS (SELECT 1 FROM session s WHERE s.therapy_id = t.id) ORDER BY t.name"
)
ATTACK_SQL = "SELECT id FROM attack ORDER BY id DESC LIMIT 200"
PLAN_SQL = "SELECT id FROM plan ORDER BY id DESC LIMIT 200"  # none in a diary older than plans
MEDICINE_SQL = "SELECT DISTINCT name FROM medication ORDER BY name LIMIT 500"


def _rows(path: Path, sql: str) -> list[str]:
    """The first column of each row as text; nothing for a file that is not a diary."""
    try:
        with path.open("rb") as file:
            if file.read(16) != SQLITE_HEADER:
                return []
        with closing(read_connection(path)) as conn:
            conn.execute(f"PRAGMA busy_timeout = {WAIT_MS}")
            return [str(row[0]) for row in conn.execute(sql)]
    except (OSError, sqlite3.Error):
        return []


def therapy_names(path: Path) -> list[str]:
    """The therapies that have sessions, by name."""
    return _rows(path, THERAPY_SQL)


def attack_ids(path: Path) -> list[str]:
    """The newest attacks' ids, newest first."""
    return _rows(path, ATTACK_SQL)


def plan_ids(path: Path) -> list[str]:
    """The newest randomised plans' ids, newest first."""
    return _rows(path, PLAN_SQL)


def medicine_names(path: Path) -> list[str]:
    """The medicines taken for attacks, by name as typed (a dose in it, if one was typed)."""
    return _rows(path, MEDICINE_SQL)


# Each kind of value completion can offer.
KINDS: dict[str, Callable[[Path], list[str]]] = {
    "therapy": therapy_names,
    "attack": attack_ids,
    "plan": plan_ids,
    "medicine": medicine_names,
}
