"""SQLite's part of the shared queries: a write transaction holds the whole diary's lock
(BEGIN IMMEDIATE), and AUTOINCREMENT follows explicit ids by itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


# The role connected, in SQL: SQLite has none (a client's owner is NULL).
CURRENT_ROLE = "NULL"


def row_lock(alias: str) -> str:
    """Nothing: a write transaction already holds the diary's write lock before it reads."""
    return ""


def contains_casefolded(column: str, needle: str) -> str:
    """The condition "the column's text, casefolded, holds the parameter `needle`" (already
    casefolded): casefold is Python's str.casefold, registered on every connection."""
    return f"instr(casefold({column}), :{needle}) > 0"


def next_free_id(conn: Connection, table: str) -> int | None:
    """The id to give a new row when AUTOINCREMENT has none left, else None.

    An older version let a file bring in id 2^63-1: SQLite then fails every insert with
    SQLITE_FULL ("the disk is full"), even once that row is deleted. Such a diary goes on
    with the ids below the ones a file may bring in (`MAX_IMPORTED_ID`).
    """
    from sqlalchemy import text

    from migraine_diary.domain.models import MAX_IMPORTED_ID

    used = conn.execute(
        text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table}
    ).scalar()
    if used is None or used <= MAX_IMPORTED_ID:
        return None
    below = conn.execute(
        text(f'SELECT MAX(id) FROM "{table}" WHERE id <= :top'), {"top": MAX_IMPORTED_ID}
    ).scalar()
    return int(below or 0) + 1


def before_explicit_ids(conn: Connection, table: str) -> None:
    """Nothing to do: the transaction holds the write lock."""


def after_explicit_ids(conn: Connection, table: str) -> None:
    """Nothing to do: sqlite_sequence follows the largest id inserted."""


def is_taken_id(error: Exception, table: str) -> bool:
    """Whether an insert failed on the table's id being taken."""
    return f"UNIQUE constraint failed: {table}.id" in str(getattr(error, "orig", error))
