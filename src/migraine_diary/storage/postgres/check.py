"""`migraine check` on a PostgreSQL diary: schema version, rows per table, row-level security
on every client table and the practitioners' privileges; read only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from migraine_diary.storage import schema
from migraine_diary.storage.postgres.diary import connect_raw, schema_version
from migraine_diary.storage.postgres.errors import UPGRADE_HINT, server_errors
from migraine_diary.storage.postgres.security import ROLE, expected_privileges
from migraine_diary.storage.where import Server

if TYPE_CHECKING:
    import psycopg


@dataclass(frozen=True)
class ServerHealth:
    """What `migraine check` found in a database; each problem says how to fix it."""

    server: Server
    schema_version: int
    tables: dict[str, int]
    problems: list[str]
    guarded: list[str] = field(default_factory=list)  # RLS enabled and forced on each
    privileges: dict[str, list[str]] = field(default_factory=dict)  # the practitioners' role
    engine: Literal["postgresql"] = "postgresql"

    @property
    def healthy(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "database": str(self.server),
            "engine": "postgresql",
            "healthy": self.healthy,
            "schema_version": self.schema_version,
            "latest_schema_version": schema.LATEST,
            "tables": self.tables,
            "row_level_security": self.guarded,
            "practitioner_privileges": self.privileges,
            "problems": self.problems,
        }


def check_server(server: Server) -> ServerHealth:
    """Schema version and rows per table of the diary's tables, in one read-only transaction."""
    version = schema_version(server)
    problems = []
    if version < schema.LATEST:
        problems.append(
            f"the schema is {version}, this version needs {schema.LATEST}: {UPGRADE_HINT}"
        )
    with server_errors(server):
        conn = connect_raw(server, read_only=True)
        try:
            names = [
                str(r[0])
                for r in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                    " ORDER BY tablename"
                )
            ]
            tables = {}
            for name in names:
                quoted = '"' + name.replace('"', '""') + '"'
                row = conn.execute(f"SELECT COUNT(*) FROM {quoted}".encode()).fetchone()
                tables[name] = int(row[0]) if row else 0
            guarded = _guarded(conn, problems) if version >= schema.LATEST else []
            privileges = _privileges(conn, problems) if version >= schema.LATEST else {}
        finally:
            conn.close()
    return ServerHealth(server, version, tables, problems, guarded, privileges)


def _guarded(conn: psycopg.Connection[Any], problems: list[str]) -> list[str]:
    """The client tables with row-level security enabled and forced; a problem for each
    without."""
    rows = conn.execute(
        "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class"
        " WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r'"
    ).fetchall()
    found = {str(r[0]): bool(r[1]) and bool(r[2]) for r in rows}
    missing = [t for t in schema.GUARDED_TABLES if not found.get(t)]
    if missing:
        problems.append(
            "row-level security is not enabled and forced on "
            f"{', '.join(missing)}: {UPGRADE_HINT} to restore it"
        )
    return [t for t in schema.GUARDED_TABLES if found.get(t)]


_KINDS = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")


def _privileges(conn: psycopg.Connection[Any], problems: list[str]) -> dict[str, list[str]]:
    """What the practitioners' role may do to each table, against what it should."""
    role = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,)).fetchone()
    if role is None:
        problems.append(f"there is no role {ROLE}: {UPGRADE_HINT} to make it")
        return {}
    expected = expected_privileges()
    held: dict[str, list[str]] = {}
    for table in sorted(expected):
        held[table] = [
            kind
            for kind in _KINDS
            if conn.execute(
                "SELECT has_table_privilege(%s, %s, %s)", (ROLE, table, kind)
            ).fetchone()
            == (True,)
        ]
    wrong = sorted(t for t, kinds in held.items() if set(kinds) != expected[t])
    if wrong:
        problems.append(
            f"{ROLE} does not hold exactly the privileges practitioners need on "
            f"{', '.join(wrong)}: {UPGRADE_HINT} to set them"
        )
    return held
