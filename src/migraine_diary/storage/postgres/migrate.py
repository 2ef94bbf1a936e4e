"""Creating or upgrading the schema in a PostgreSQL database (`migraine upgrade`, run as the
database's owner): the same migrations as SQLite's, translated, then the practitioners' role,
row-level security and the audit's triggers, in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from migraine_diary.errors import DiaryError
from migraine_diary.storage import schema
from migraine_diary.storage.postgres.ddl import translate
from migraine_diary.storage.postgres.diary import connect_raw
from migraine_diary.storage.postgres.errors import server_errors
from migraine_diary.storage.postgres.security import ensure_role, secure
from migraine_diary.storage.postgres.sql import advance_sql
from migraine_diary.storage.where import Server

if TYPE_CHECKING:
    import psycopg

# Two upgrades at once: the second waits for the first, then finds nothing to do.
_LOCK = "SELECT pg_advisory_xact_lock(hashtext('migraine-diary schema'))"


def upgrade_server(server: Server) -> tuple[int, int]:
    """(version before, version now); a crash or an error at any point changes nothing."""
    with server_errors(server):
        conn = connect_raw(server)
        try:
            with conn.transaction():
                conn.execute(_LOCK)
                ensure_role(conn, str(server))
                current = _current(conn)
                if current > schema.LATEST:
                    raise DiaryError(
                        f"the database at {server} was written by a newer migraine-diary "
                        f"(schema {current}); upgrade migraine-diary first; nothing was changed"
                    )
                if current < schema.LATEST:
                    for step in schema.MIGRATIONS[current:]:
                        for statement in step:
                            translated = translate(statement)
                            if translated:
                                conn.execute(translated.encode())
                    conn.execute("UPDATE schema_version SET version = %s", (schema.LATEST,))
                    advance_sequences(conn)
                if schema.LATEST > schema.PRACTICE_STEP:  # every time: this version's
                    secure(conn)
        finally:
            conn.close()
    return current, schema.LATEST


def _current(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if row is None or not row[0]:
        return 0
    found = conn.execute("SELECT version FROM schema_version").fetchall()
    if len(found) != 1 or not isinstance(found[0][0], int):
        raise DiaryError("the database's schema_version table is not a diary's; nothing changed")
    version: int = found[0][0]
    return version


def advance_sequences(conn: psycopg.Connection[Any]) -> None:
    """Every identity column's next value past the largest id stored (a step that copies rows
    with their ids would otherwise leave it behind, and the next insert would collide)."""
    rows = conn.execute(
        "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        " WHERE a.attidentity <> '' AND c.relnamespace = current_schema()::regnamespace"
    ).fetchall()
    for table, column in rows:
        conn.execute(advance_sql(table, column).encode())
