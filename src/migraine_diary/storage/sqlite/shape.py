"""A diary's shape: the tables, indexes and triggers the migrations make for a schema version,
compared object by object with what a file holds."""

from __future__ import annotations

import shlex
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from migraine_diary.storage import schema

# Statistics SQLite keeps for its query planner (ANALYZE): they change no result.
PLANNER_TABLES = frozenset({"sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"})
Objects = dict[tuple[str, str], str | None]  # (type, name) -> the SQL that made it


@dataclass(frozen=True)
class Shape:
    """How a file's schema compares with what this version makes for its schema version."""

    wrong: list[str]  # objects missing or changed: the file is not a diary this version made
    unknown: list[tuple[str, str]]  # (type, name) of objects this version never makes
    foreign: bool  # none of the diary's own tables is there: another program's database


def expected(version: int) -> Objects:
    """The objects the migrations up to `version` make, built in memory (a millisecond)."""
    with closing(sqlite3.connect(":memory:")) as conn:
        for step in schema.MIGRATIONS[:version]:
            for statement in step:
                if _defines(statement) and not isinstance(statement, schema.PostgresOnly):
                    conn.execute(statement)
        return objects(conn)


def objects(conn: sqlite3.Connection) -> Objects:
    rows = conn.execute("SELECT type, name, sql FROM main.sqlite_master")
    return {(str(t), str(n)): s for t, n, s in rows if n not in PLANNER_TABLES}


def compare(found: Objects, version: int) -> Shape:
    made = expected(version)
    wrong = [
        f"{kind} {shown(name)} " + ("is missing" if (kind, name) not in found else "differs")
        for (kind, name), sql in made.items()
        if found.get((kind, name), "") != sql
    ]
    unknown = sorted(key for key in found if key not in made)
    own_tables = {name for kind, name in made if kind == "table"} - {"schema_version"}
    foreign = not any(("table", name) in found for name in own_tables if name != "sqlite_sequence")
    return Shape(wrong, unknown, foreign)


def named(unknown: list[tuple[str, str]]) -> str:
    """'trigger session_ai, view leak': what a refusal names."""
    return ", ".join(f"{kind} {shown(name)}" for kind, name in unknown)


def removal(path: Path, kind: str, name: str) -> str:
    """The command that removes one object this version does not make."""
    quoted = '"' + name.replace('"', '""') + '"'
    return f"sqlite3 {shlex.quote(str(path))} {shlex.quote(f'DROP {kind.upper()} {quoted}')}"


def shown(name: str) -> str:
    """A name from the file, printable and on one line whatever it holds."""
    return name if name.isprintable() and name.strip() == name and name else repr(name)


def temporary_tables(version: int) -> list[str] | None:
    """The later steps as empty temporary tables, so a read sees an older diary as the latest
    one without changing it; None when a later step does more than add tables, indexes and
    triggers (then only an upgrade, by a command that writes, can show the diary).

    The clients step is shown as it would leave the diary: its table with the implicit
    client, and client_id (that client) on each table it gives one, a temporary view over a
    stored table or a column of a temporary one (a temporary name hides the stored one).
    """
    tables: list[str] = []
    made: set[str] = set()
    for number, step in enumerate(schema.MIGRATIONS[version:], start=version):
        if number == schema.CLIENTS_STEP:
            tables += _clients_seen(made)
            continue
        if number == schema.OWNERS_STEP:
            # Names and import keys unique per owner: a read sees no difference, and a dry
            # run's inserts name no conflict target that only this step makes.
            continue
        for statement in step:
            words = statement.split(None, 2)
            if [w.upper() for w in words[:2]] == ["CREATE", "TABLE"] and " AS " not in statement:
                tables.append("CREATE TEMP TABLE " + words[2])
                made.add(words[2].split(None, 1)[0].split("(", 1)[0])
            elif [w.upper() for w in words[:2]] == ["CREATE", "TRIGGER"]:
                continue  # the audit's: a read writes nothing to audit
            elif [w.upper() for w in words[:2]] != ["CREATE", "INDEX"]:
                return None
    return tables


def _clients_seen(made: set[str]) -> list[str]:
    client = next(s for s in schema.MIGRATIONS[schema.CLIENTS_STEP] if s.startswith("CREATE TABLE"))
    seen = [
        "CREATE TEMP TABLE " + client.split(None, 2)[2],
        f"INSERT INTO temp.client (id) VALUES ({schema.IMPLICIT_CLIENT})",
    ]
    for table in schema.CLIENT_TABLES:
        if table in made:
            seen.append(
                f"ALTER TABLE temp.{table} ADD COLUMN client_id INTEGER NOT NULL"
                f" DEFAULT {schema.IMPLICIT_CLIENT}"
            )
        else:
            seen.append(
                f"CREATE TEMP VIEW {table} AS SELECT *,"
                f" {schema.IMPLICIT_CLIENT} AS client_id FROM main.{table}"
            )
    return seen


def _defines(statement: str) -> bool:
    return statement.lstrip().split(None, 1)[0].upper() in {"CREATE", "DROP", "ALTER"}
