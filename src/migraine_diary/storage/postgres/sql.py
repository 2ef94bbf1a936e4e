"""PostgreSQL's part of the shared queries: row locks, and identity sequences kept ahead of ids
given explicitly (an import keeps a file's ids; the sequence does not see them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


# The role connected, in SQL (a client's owner by default).
CURRENT_ROLE = "current_user"


def row_lock(alias: str) -> str:
    """Appended to a SELECT that reads a row to change it: a concurrent change waits, then is
    seen."""
    return f" FOR UPDATE OF {alias}"


def contains_casefolded(column: str, needle: str) -> str:
    """The condition "the column's text, casefolded, holds the parameter `needle`" (already
    casefolded by Python's str.casefold): the text columns sort as "C", whose lower() folds
    only ASCII, so lower() here uses ICU's root locale, and the two folds casefold adds to
    lowercase in running text (sharp s to ss, final sigma to sigma) follow."""
    folded = f"replace(lower({column} COLLATE \"und-x-icu\"), 'ß', 'ss')"
    return f"strpos(translate({folded}, '\u03c2', '\u03c3'), :{needle}) > 0"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def advance_sql(table: str, column: str = "id") -> str:
    """Move the sequence of table.column past its largest value, never back (an id once given
    is never given again, as with SQLite's AUTOINCREMENT)."""
    literal = "'" + _quoted(table).replace("'", "''") + "'"
    sequence = f"pg_get_serial_sequence({literal}, '{column.replace(chr(39), chr(39) * 2)}')"
    top = f"(SELECT MAX({_quoted(column)}) FROM {_quoted(table)})"
    last = f"pg_sequence_last_value({sequence})"
    return (
        f"SELECT setval({sequence}, GREATEST({top}, {last}, 1),"
        f" GREATEST({top}, {last}) IS NOT NULL)"
    )


def next_free_id(conn: Connection, table: str) -> int | None:
    """Identity columns never run out below 2^63 here: the sequence gives the id."""
    return None


def before_explicit_ids(conn: Connection, table: str) -> None:
    """Rows with their own ids are coming: hold other writers of the table until commit, so no
    one takes an id from the sequence between the insert and the sequence's move past it."""
    from sqlalchemy import text

    conn.execute(text(f"LOCK TABLE {_quoted(table)} IN SHARE ROW EXCLUSIVE MODE"))


def after_explicit_ids(conn: Connection, table: str) -> None:
    from sqlalchemy import text

    conn.execute(text(advance_sql(table)))


def is_taken_id(error: Exception, table: str) -> bool:
    """Whether an insert failed on the table's id being taken (its primary key)."""
    orig = getattr(error, "orig", error)
    diag = getattr(orig, "diag", None)
    constraint = getattr(diag, "constraint_name", None)
    return getattr(orig, "sqlstate", None) == "23505" and constraint == f"{table}_pkey"
