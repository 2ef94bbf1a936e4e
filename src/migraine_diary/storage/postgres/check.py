"""`migraine check` on a PostgreSQL diary: schema version and rows per table, read only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from migraine_diary.storage import schema
from migraine_diary.storage.postgres.diary import connect_raw, schema_version
from migraine_diary.storage.postgres.errors import UPGRADE_HINT, server_errors
from migraine_diary.storage.where import Server


@dataclass(frozen=True)
class ServerHealth:
    """What `migraine check` found in a database; each problem says how to fix it."""

    server: Server
    schema_version: int
    tables: dict[str, int]
    problems: list[str]
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
        finally:
            conn.close()
    return ServerHealth(server, version, tables, problems)
