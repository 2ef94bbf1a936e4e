"""Queries about clients: naming them, counting their records, erasing one whole, and copying
a personal diary's every row into the practice under one of them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migraine_diary.domain.hints import command_line
from migraine_diary.errors import DiaryError
from migraine_diary.storage.schema import CLIENT_TABLES
from migraine_diary.storage.scope import own_client, shown_name_sql

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def named_clients(conn: Connection) -> list[tuple[str, int, str | None, bool]]:
    """(name, id, owner, whether one's own) of every named client this role sees (the
    implicit client of a personal diary has no name), by name and owner. A name is unique
    among one owner's clients only: on PostgreSQL another's client shared with this role may
    have the name of one's own."""
    from sqlalchemy import text

    rows = conn.execute(
        text(
            f"SELECT c.name, c.id, c.owner, {own_client(conn)} FROM client c"
            " WHERE c.name IS NOT NULL ORDER BY c.name, c.owner"
        )
    )
    return [(str(r[0]), int(r[1]), r[2], bool(r[3])) for r in rows]


def has_named_clients(conn: Connection) -> bool:
    from sqlalchemy import text

    sql = "SELECT 1 FROM client WHERE name IS NOT NULL LIMIT 1"
    return conn.execute(text(sql)).first() is not None


def client_rows(conn: Connection) -> list[tuple[Any, ...]]:
    """(id, name, sessions, attacks, last session, owner, whether one's own) of every named
    client, by name and owner; the counts use the (client_id, ...) indexes."""
    from sqlalchemy import text

    sql = (
        "SELECT c.id, c.name,"
        " (SELECT COUNT(*) FROM session s WHERE s.client_id = c.id),"
        " (SELECT COUNT(*) FROM attack a WHERE a.client_id = c.id),"
        ' (SELECT MAX(s."when") FROM session s WHERE s.client_id = c.id),'
        f" c.owner, {own_client(conn)}"
        " FROM client c WHERE c.name IS NOT NULL ORDER BY c.name, c.owner"
    )
    return [tuple(r) for r in conn.execute(text(sql))]


def add_client(conn: Connection, name: str, created_at: str) -> int | None:
    """A new client's id; None when the name is taken among the role's own clients (only
    there: another practitioner's client of that name neither blocks nor shows)."""
    from sqlalchemy import text

    row = conn.execute(
        text(
            "INSERT INTO client (name, created_at) VALUES (:name, :at)"
            " ON CONFLICT (COALESCE(owner, ''), name) DO NOTHING RETURNING id"
        ),
        {"name": name, "at": created_at},
    ).first()
    return int(row[0]) if row is not None else None


def rename_client(conn: Connection, client_id: int, name: str) -> None:
    from sqlalchemy import text

    changed = conn.execute(
        text("UPDATE client SET name = :name WHERE id = :id"), {"name": name, "id": client_id}
    )
    if not changed.rowcount:  # row-level security: a client shared with this role
        raise DiaryError(
            "only the client's owner (or the database's owner) may rename a client shared "
            "with you; nothing was changed"
        )


def client_labels(conn: Connection, table: str, ids: list[int]) -> dict[int, str | None]:
    """The client's name (`shown_name_sql`) of each record of `table` (session or attack) with
    these ids (None for a record of the implicit client)."""
    from sqlalchemy import bindparam, text

    if table not in ("session", "attack"):
        raise ValueError(table)
    found: dict[int, str | None] = {}
    query = text(
        f"SELECT r.id, {shown_name_sql(conn)} FROM {table} r JOIN client c ON c.id = r.client_id"
        " WHERE r.id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    for start in range(0, len(ids), 500):
        found.update(
            {int(r[0]): r[1] for r in conn.execute(query, {"ids": ids[start : start + 500]})}
        )
    return found


def holds_records(conn: Connection, client_id: int) -> bool:
    """Whether any record belongs to the client."""
    from sqlalchemy import text

    return any(
        conn.execute(
            text(f"SELECT 1 FROM {t} WHERE client_id = :c LIMIT 1"), {"c": client_id}
        ).first()
        is not None
        for t in CLIENT_TABLES
    )


# Erasing a client: children first where no ON DELETE CASCADE reaches them.
_ERASE_ORDER = ("addition", "plan", "session", "attack", "checkin", "kept_range", "score")


def erase_client(conn: Connection, client_id: int) -> dict[str, int]:
    """Remove every record of the client, and the client (the caller's transaction makes it
    all or nothing): rows removed per table. The records that hang off them (medications,
    ratings, plan slots, ...) go with them through ON DELETE CASCADE."""
    from sqlalchemy import text

    assert set(_ERASE_ORDER) == set(CLIENT_TABLES)
    removed = {}
    for table in _ERASE_ORDER:
        result = conn.execute(text(f"DELETE FROM {table} WHERE client_id = :c"), {"c": client_id})
        removed[table] = int(result.rowcount)
    conn.execute(text("DELETE FROM client WHERE id = :c"), {"c": client_id})
    record_erasure(conn, client_id)
    return removed


def record_erasure(conn: Connection, client_id: int) -> None:
    """The audit's trigger on the client table has recorded the erasure (one `erase` row, the
    client's id, never what they held); this checks, in the same transaction, that it was
    whole."""
    from migraine_diary.storage.audit import check_erased

    check_erased(conn, client_id)


# A personal diary's tables in the order their rows can be copied (a row after the rows it
# refers to), each with the columns that refer to another table's id.
_COPY: dict[str, dict[str, str]] = {
    "therapy": {},
    "medication_class": {},
    "session": {"therapy_id": "therapy"},
    "attack": {},
    "medication": {"attack_id": "attack"},
    "attack_detail": {"attack_id": "attack"},
    "attack_origin": {"attack_id": "attack"},
    "attack_mbs": {"attack_id": "attack"},
    "acute_rating": {"medication_id": "medication", "session_id": "session"},
    "checkin": {},
    "kept_range": {},
    "addition": {"session_id": "session", "attack_id": "attack"},
    "plan": {"therapy_id": "therapy", "other_therapy_id": "therapy"},
    "plan_slot": {"plan_id": "plan", "session_id": "session"},
    "plan_deviation": {"plan_id": "plan", "session_id": "session"},
    "score": {},
}
# Tables whose new ids later rows need; the others are copied without their ids.
_REFERRED = {"session", "attack", "medication", "plan"}
# The audit is the practice's own record of its writes; shares are between its roles.
_NOT_COPIED = {"schema_version", "client", "sqlite_sequence", "audit", "client_share"}


@contextmanager
def personal_diary(path: Path) -> Iterator[sqlite3.Connection]:
    """A personal diary file opened to be copied: read only (seen as the latest schema, an
    older one unchanged); a file that is no diary, or a practice's, is refused."""
    from migraine_diary.storage.sqlite.connections import read_connection
    from migraine_diary.storage.sqlite.errors import database_errors
    from migraine_diary.storage.sqlite.files import inspect_file

    if not path.exists():
        raise DiaryError(f"there is no diary at {path}; nothing was imported")
    version = inspect_file(path)
    if version is None:
        raise DiaryError(f"{path} is not a diary; nothing was imported")
    with database_errors(path), closing(read_connection(path, version)) as reader:
        named = reader.execute("SELECT COUNT(*) FROM client WHERE name IS NOT NULL").fetchone()
        if named[0]:
            raise DiaryError(
                f"the diary at {path} holds clients of its own; export each one with "
                f"'{command_line('client export NAME')}' instead; nothing was imported"
            )
        yield reader


def import_diary(conn: Connection, source: sqlite3.Connection, client_id: int) -> dict[str, int]:
    """Every row of a personal diary (a read-only sqlite3 connection, seen as the latest
    schema) into this diary under one client, ids renumbered; rows copied per table. The
    caller's transaction makes it all or nothing. Therapies and medication classes are the
    practice's own: one of the same key is used, not copied again."""
    from sqlalchemy import text

    present = {
        str(r[0])
        for r in source.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')"
            " UNION SELECT name FROM sqlite_temp_master WHERE type IN ('table', 'view')"
        )
    }
    unknown = sorted(t for t in present - set(_COPY) - _NOT_COPIED if _has_rows(source, t))
    if unknown:  # a table this version does not copy: refuse rather than lose its rows
        raise DiaryError(
            f"the diary to import holds records this version cannot copy ({', '.join(unknown)}); "
            "nothing was imported"
        )
    keys = [
        str(r[0])
        for r in source.execute("SELECT import_key FROM attack WHERE import_key IS NOT NULL")
    ]
    from migraine_diary.storage.attacks import attack_ids_by_import_key

    if keys and attack_ids_by_import_key(conn, keys, client_id):
        raise DiaryError(
            "some of the diary's imported attacks are in this diary already (the same app "
            "export imported twice); nothing was imported"
        )
    new_ids: dict[str, dict[Any, int]] = {table: {} for table in _COPY}
    copied: dict[str, int] = {}
    booleans = _boolean_columns()
    for table, refers in _COPY.items():
        cursor = source.execute(f'SELECT * FROM "{table}"')
        columns = [d[0] for d in cursor.description]
        count = 0
        for row in cursor:
            values = dict(zip(columns, row, strict=True))
            old_id = values.get("id")
            for column, target in refers.items():
                if values.get(column) is not None:
                    values[column] = new_ids[target][values[column]]
            for column in booleans.get(table, ()):
                if values.get(column) is not None:
                    values[column] = bool(values[column])
            if "client_id" in values:
                values["client_id"] = client_id
            if table == "therapy":
                new_ids[table][old_id] = _therapy(conn, values["name"], values["key"])
            elif table == "medication_class":
                conn.execute(
                    text(
                        'INSERT INTO medication_class (key, name, "class")'
                        " VALUES (:key, :name, :class) ON CONFLICT (key) DO NOTHING"
                    ),
                    values,
                )
            else:
                values.pop("id", None)
                names = ", ".join(f'"{c}"' for c in values)
                marks = ", ".join(f":{c}" for c in values)
                sql = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
                if table in _REFERRED:
                    new = conn.execute(text(sql + " RETURNING id"), values).scalar_one()
                    new_ids[table][old_id] = int(new)
                else:
                    conn.execute(text(sql), values)
            count += 1
        copied[table] = count
    return copied


def _has_rows(source: sqlite3.Connection, table: str) -> bool:
    quoted = '"' + table.replace('"', '""') + '"'
    return source.execute(f"SELECT 1 FROM {quoted} LIMIT 1").fetchone() is not None


def _therapy(conn: Connection, name: str, key: str) -> int:
    from migraine_diary.storage.sessions import add_therapy

    return add_therapy(conn, name, key)


def _boolean_columns() -> dict[str, list[str]]:
    """Columns stored as 0/1 in SQLite that PostgreSQL keeps as true/false."""
    import sqlalchemy as sa
    from sqlmodel import SQLModel

    from migraine_diary.storage import tables  # noqa: F401  (registers the models)

    return {
        name: [c.name for c in table.columns if isinstance(c.type, sa.Boolean)]
        for name, table in SQLModel.metadata.tables.items()
    }
