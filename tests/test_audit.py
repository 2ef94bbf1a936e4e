"""The audit trail on both engines: every write recorded by triggers (ids only; on PostgreSQL
with the login role), append-only, read with `migraine audit`; a personal diary's says nothing
of clients."""

from __future__ import annotations

import sqlite3

import pytest

from conftest import Cli, raw
from postgres import OWNER

pytestmark = pytest.mark.both_engines


def refused_as_append_only(cli: Cli) -> type[Exception]:
    """What the engine raises when the audit's trigger refuses a change."""
    if cli.on_postgres:
        import psycopg.errors

        return psycopg.errors.InsufficientPrivilege
    return sqlite3.IntegrityError


def _written(cli: Cli) -> None:
    cli.log("craniosacral", when="2026-11-01 16:30", notes="private-note-31", provider="Dr Who")
    cli.log("massage", when="2026-11-03 10:00")
    cli.ok("edit", "1", "--minutes", "50")
    cli.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "5", "--peak", "7",
           "--med", "sumatriptan@08:30=helpful")  # fmt: skip
    cli.ok("delete", "2", "--yes")
    cli.ok("attack", "delete", "1", "--yes")


def test_every_write_is_in_the_audit_and_none_of_its_text(cli: Cli) -> None:
    _written(cli)
    entries = cli.json("audit")
    done = [(e["table"], e["record_id"], e["action"]) for e in entries]
    for expected in [("session", 1, "insert"), ("session", 2, "insert"), ("session", 1, "update"),
                     ("attack", 1, "insert"), ("medication", 1, "insert"),
                     ("session", 2, "delete"), ("attack", 1, "delete"),
                     ("therapy", 1, "insert")]:  # fmt: skip
        assert expected in done
    assert done.index(("session", 1, "update")) > done.index(("session", 1, "insert"))
    assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)
    text = cli.ok("audit").stdout
    if cli.on_postgres:  # a database is a practice: each entry names its login role and client
        assert {e["role"] for e in entries} == {OWNER}
        for entry in entries:
            assert set(entry) == {"id", "at", "role", "table", "record_id", "action",
                                  "client_id", "client"}  # fmt: skip
        assert "client" in text
        assert OWNER in text
        assert "erased" not in text  # the unnamed client's rows: it is there, not erased
    else:
        assert {e["role"] for e in entries} == {None}  # a diary file has no roles
        for entry in entries:  # a personal diary: no client in any output
            assert set(entry) == {"id", "at", "role", "table", "record_id", "action"}
        assert "client" not in text.lower()
        assert "role" not in text
    assert "session" in text
    assert "update" in text
    with raw(cli) as conn:
        stored = repr(conn.execute("SELECT * FROM audit").fetchall())
    for secret in ("private-note-31", "Dr Who", "craniosacral", "massage", "sumatriptan"):
        assert secret not in stored


def test_the_audit_is_append_only(cli: Cli) -> None:
    """Even the diary's owner (on PostgreSQL the database's, who holds every privilege on the
    table) cannot change or remove an entry: the trigger refuses."""
    cli.log("craniosacral", when="2026-11-01 16:30")
    with raw(cli) as conn:
        for sql in ("UPDATE audit SET action = 'insert'", "DELETE FROM audit"):
            with pytest.raises(refused_as_append_only(cli), match="append-only"):
                conn.execute(sql)
            conn.rollback()  # PostgreSQL's transaction ends with the refusal
        count = conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
    assert count == len(cli.json("audit")) > 0


def test_since_and_an_empty_audit(cli: Cli) -> None:
    assert cli.json("audit") == []  # no diary yet
    assert "Nothing in the audit yet." in cli.ok("audit").stdout
    cli.log("craniosacral", when="2026-11-01 16:30")
    with raw(cli) as conn:  # an old entry, as written a month ago
        conn.execute(
            'INSERT INTO audit ("at", table_name, record_id, action)'
            " VALUES ('2026-10-01T08:00:00+00:00', 'session', 99, 'insert')"
        )
    every = cli.json("audit")
    recent = cli.json("audit", "--since", "2026-11-01")
    assert len(every) == len(recent) + 1
    assert 99 not in [e["record_id"] for e in recent]
    bad = cli("audit", "--since", "someday")
    assert (bad.exit_code, bad.stderr.count("\n"), "since" in bad.stderr) == (2, 1, True)


def test_a_practice_names_clients_and_an_edit_keeps_its_client(cli: Cli) -> None:
    cli.ok("client", "add", "Anne B.")
    cli.ok("client", "add", "Carl D.")
    cli.ok("--client", "Anne B.", "log", "cst", "--minutes", "45", "--pain-before", "5",
           "--pain-after", "3", "--when", "2026-11-01 16:30")  # fmt: skip
    cli.ok("--client", "Anne B.", "edit", "1", "--minutes", "50")
    cli.ok("--client", "Anne B.", "attack", "log", "--when", "2026-11-04 08:00", "--hours", "5",
           "--peak", "7")  # fmt: skip
    cli.ok("--client", "Anne B.", "attack", "edit", "1", "--peak", "6")
    # The edits left both records with their client (they used to move to the implicit one).
    anne = next(c for c in cli.json("clients") if c["name"] == "Anne B.")
    assert (anne["sessions"], anne["attacks"]) == (1, 1)
    entries = cli.json("audit", "--client", "Anne B.")
    assert {(e["table"], e["action"]) for e in entries} >= {
        ("session", "insert"),
        ("session", "update"),
        ("attack", "update"),
        ("client", "insert"),
    }
    assert {e["client"] for e in entries} == {"Anne B."}
    assert cli.json("--client", "Carl D.", "audit") == [
        e for e in cli.json("audit") if e["client"] == "Carl D."
    ]
    assert "Anne B." in cli.ok("audit").stdout
    cli.ok("client", "erase", "Anne B.", "--yes")
    erased = [e for e in cli.json("audit") if e["action"] == "erase"]
    assert [(e["table"], e["client"]) for e in erased] == [("client", None)]
    assert erased[0]["client_id"] == anne_id(entries)
    assert f"#{anne_id(entries)} (erased)" in cli.ok("audit").stdout


def anne_id(entries: list[dict[str, object]]) -> object:
    return entries[0]["client_id"]


@pytest.mark.sqlite_only  # a diary file has no roles to share a client with
def test_sharing_needs_postgresql(cli: Cli) -> None:
    cli.ok("client", "add", "Anne B.")
    refused = cli("client", "share", "Anne B.", "--with", "bob")
    assert refused.exit_code == 1
    assert "sharing a client needs a practice on PostgreSQL" in refused.stderr


TABLES = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table'",
    "postgres": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
}
TRIGGERS = {  # the tables that have a trigger of their own
    "sqlite": "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'",
    "postgres": "SELECT tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal",
}


def test_every_table_is_audited_and_guarded_or_shared(cli: Cli) -> None:
    """A table added by a later step needs its audit triggers (SQLite's in its step, the
    AUDITED entry for PostgreSQL's) and row-level security, or a place among the shared."""
    from migraine_diary.storage import schema
    from migraine_diary.storage.postgres.security import DATA_TABLES, SHARED_TABLES

    cli.log("craniosacral", when="2026-11-01 16:30")
    engine = "postgres" if cli.on_postgres else "sqlite"
    with raw(cli) as conn:
        tables = {str(r[0]) for r in conn.execute(TABLES[engine]).fetchall()} - {
            "sqlite_sequence", "schema_version", "audit",
        }  # fmt: skip
        triggers = {str(r[0]) for r in conn.execute(TRIGGERS[engine]).fetchall()}
        guarded = set()
        if cli.on_postgres:
            guarded = {
                str(r[0])
                for r in conn.execute(
                    "SELECT relname FROM pg_class WHERE relkind = 'r'"
                    " AND relrowsecurity AND relforcerowsecurity"
                ).fetchall()
            }
    assert tables == set(schema.AUDITED) == set(DATA_TABLES)
    assert triggers == tables | {"audit"}
    assert set(schema.GUARDED_TABLES) == tables - set(SHARED_TABLES) | {"audit"}
    if cli.on_postgres:  # the policies hold on every guarded table, even for its owner
        assert guarded == set(schema.GUARDED_TABLES)
