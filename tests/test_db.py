"""Opening, creating, refusing and upgrading diaries."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, fingerprint, raw
from migraine_diary import storage as db

pytestmark = pytest.mark.both_engines

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.sqlite_only  # the file's mode, its journal and its leftovers
def test_new_diary_is_private_wal_and_versioned(cli: Cli, db_path: Path) -> None:
    cli.log(when="2026-11-01")
    assert oct(db_path.stat().st_mode & 0o777) == "0o600"
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == db.LATEST
    assert not list(db_path.parent.glob(".diary.db.new-*"))


def test_version_1_fixture_opens_with_every_row(tmp_path: Path) -> None:
    copy = tmp_path / "old.db"
    shutil.copy(FIXTURES / "diary-v1.db", copy)
    copy.chmod(0o600)
    other = Cli(copy)
    sessions = other.json("list")
    assert [s["therapy"] for s in sessions] == ["acupuncture", "cst", "cst"]
    assert sessions[0]["cost"] == "85.50"
    assert sessions[0]["during_attack"] is True
    assert sessions[2]["notes"] == "first"


def test_version_1_fixture_on_postgresql_upgrades_with_every_row(
    postgres_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The oldest fixture's rows, as schema 1 held them on PostgreSQL, through every later
    migration: none lost, none changed, and the next id after them."""
    import psycopg

    url = postgres_server.database(upgraded=False)
    cli = Cli(url)
    with monkeypatch.context() as patch:  # the oldest schema, as the first version made it
        patch.setattr(db.schema, "MIGRATIONS", db.MIGRATIONS[:1])
        patch.setattr(db.schema, "LATEST", 1)
        cli.ok("upgrade")
    with closing(sqlite3.connect(FIXTURES / "diary-v1.db")) as old, psycopg.connect(url) as new:
        for table in ("therapy", "session"):  # parents first
            cursor = old.execute(f"SELECT * FROM {table} ORDER BY id")
            names = [d[0] for d in cursor.description]
            flags = {
                r[0]
                for r in new.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
                    " AND data_type = 'boolean'",
                    (table,),
                )
            }
            rows = [
                [bool(v) if n in flags else v for n, v in zip(names, row, strict=True)]
                for row in cursor
            ]
            columns = ", ".join(f'"{n}"' for n in names)
            marks = ", ".join(["%s"] * len(names))
            with new.cursor() as insert:
                insert.executemany(
                    f"INSERT INTO {table} ({columns}) OVERRIDING SYSTEM VALUE VALUES ({marks})",
                    rows,
                )
    upgraded = cli.ok("upgrade")
    assert f"from schema 1 to {db.LATEST}" in upgraded.stdout
    sessions = cli.json("list")
    assert [s["therapy"] for s in sessions] == ["acupuncture", "cst", "cst"]
    assert sessions[0]["cost"] == "85.50"
    assert sessions[0]["during_attack"] is True
    assert sessions[2]["notes"] == "first"
    assert cli.json("show", "2")["pain_later"] == 6
    cli.log("cst", when="2026-11-02")
    assert [s["id"] for s in cli.json("list")] == [4, 3, 2, 1]


def test_older_schema_is_upgraded_with_a_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "old.db"
    shutil.copy(FIXTURES / "diary-v1.db", copy)
    copy.chmod(0o600)
    extra = ["CREATE TABLE upgrade_probe (x INTEGER)"]
    monkeypatch.setattr(db.schema, "MIGRATIONS", [*db.MIGRATIONS, extra])
    monkeypatch.setattr(db.schema, "LATEST", len(db.MIGRATIONS) + 1)
    before = fingerprint(copy)
    listed = Cli(copy)("list", "--json")  # a read shows it as it is and never upgrades it
    assert listed.exit_code == 0, listed.stderr
    assert (len(json.loads(listed.stdout)), listed.stderr) == (3, "")
    assert fingerprint(copy) == before
    result = Cli(copy)("checkin", "--date", "2026-11-01")  # a command that writes upgrades it
    assert result.exit_code == 0, result.stderr
    assert "Upgraded the diary from schema 1" in result.stderr
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == db.schema.LATEST
        assert conn.execute("SELECT COUNT(*) FROM session").fetchone()[0] == 3
    (backup,) = tmp_path.glob("old-backup-*-v1-to-v*.db")
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == 1


def test_failed_upgrade_leaves_the_diary_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "old.db"
    shutil.copy(FIXTURES / "diary-v1.db", copy)
    copy.chmod(0o600)
    broken = ["CREATE TABLE fine (x INTEGER)", "THIS IS NOT SQL"]
    monkeypatch.setattr(db.schema, "MIGRATIONS", [*db.MIGRATIONS, broken])
    monkeypatch.setattr(db.schema, "LATEST", len(db.MIGRATIONS) + 1)
    listed = Cli(copy)("list")  # a later step that is not a new table: reads need an upgrade
    assert listed.exit_code == 1
    assert listed.stderr == (
        f"migraine: error: the diary at {copy} has schema 1, which this version reads only "
        f"after upgrading it to {db.schema.LATEST}; a command that writes (e.g. migraine log) "
        "upgrades it, after a backup; nothing was changed\n"
    )
    result = Cli(copy)("checkin", "--date", "2026-11-01")
    assert result.exit_code == 1
    assert "could not upgrade the diary" in result.stderr
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == 1
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "fine" not in tables


def _refused(path: Path) -> str:
    before = fingerprint(path) if path.is_file() else None
    result = Cli(path)("log", "cst", "-m", "45", "-b", "5", "-a", "4")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    if path.is_file():
        assert fingerprint(path) == before
    return result.stderr


def test_not_a_diary_is_refused_and_untouched(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("my private notes")
    assert "is not a migraine diary (not an SQLite database)" in _refused(text)
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert "is not a migraine diary" in _refused(empty)
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER)")
    other.chmod(0o600)
    assert "SQLite database of another program" in _refused(other)
    folder = tmp_path / "folder"
    folder.mkdir()
    assert "is a folder, not a diary file" in _refused(folder)


def test_newer_diary_is_refused(cli: Cli) -> None:
    cli.log(when="2026-11-01")
    with raw(cli) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    before = fingerprint(cli.db_path)
    result = cli("log", "cst", "-m", "45", "-b", "5", "-a", "4")
    assert (result.exit_code, result.stderr.count("\n")) == (1, 1)
    assert f"newer migraine-diary (schema 99; this version reads up to {db.LATEST})" in (
        result.stderr
    )
    assert fingerprint(cli.db_path) == before


@pytest.mark.sqlite_only  # the file's permissions
def test_diary_writable_by_others_is_refused_with_the_fix(cli: Cli, db_path: Path) -> None:
    cli.log(when="2026-11-01")
    db_path.chmod(0o666)
    assert f"fix it with: chmod 600 '{db_path}'" in _refused(db_path)


def test_broken_symlink_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "link.db"
    link.symlink_to(tmp_path / "missing" / "target.db")
    assert "broken symbolic link" in _refused(link)
    assert not (tmp_path / "missing").exists()


def test_creating_never_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "diary.db"
    db.create_diary(path)
    first = fingerprint(path)
    db.create_diary(path)  # a second creator finds the first one's diary and keeps it
    assert fingerprint(path) == first
    assert not list(tmp_path.glob(".diary.db.new-*"))


def test_locate_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(db.ENV_VAR, str(tmp_path / "env.db"))
    assert db.locate(tmp_path / "opt.db") == tmp_path / "opt.db"
    assert db.locate(None) == tmp_path / "env.db"
    monkeypatch.delenv(db.ENV_VAR)
    assert db.locate(None).name == "diary.db"
    assert "migraine-diary" in db.locate(None).parts


def test_open_for_reading_does_not_create(tmp_path: Path) -> None:
    assert db.open_diary(tmp_path / "none.db", write=False) is None
    assert not (tmp_path / "none.db").exists()


def test_two_writers_at_once_both_succeed(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "shared.db"
    args = [
        sys.executable,
        "-m",
        "migraine_diary",
        "--db",
        str(path),
        "log",
        "cst",
        "-m",
        "45",
        "-b",
        "5",
        "-a",
        "4",
        "--new-therapy",
    ]
    env = {**os.environ}
    procs = [subprocess.Popen(args, env=env, stderr=subprocess.PIPE) for _ in range(4)]
    errors = [p.communicate()[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM session").fetchone()[0] == 4


COLUMNS = {  # a table's columns in their order, on each engine
    "sqlite": "SELECT name FROM pragma_table_info('{table}') ORDER BY cid",
    "postgres": "SELECT column_name FROM information_schema.columns"
    " WHERE table_schema = current_schema() AND table_name = '{table}' ORDER BY ordinal_position",
}


def test_schema_matches_the_table_models(cli: Cli) -> None:
    from migraine_diary.storage.tables import SessionRow, Therapy

    cli.ok("upgrade")  # the schema as the migrations make it (a diary file: created)
    engine = "postgres" if cli.on_postgres else "sqlite"
    with raw(cli) as conn:
        for model in (Therapy, SessionRow):
            table = model.__tablename__
            sql = COLUMNS[engine].format(table=table)
            stored = [r[0] for r in conn.execute(sql).fetchall()]
            assert stored == [c.name for c in model.__table__.columns]  # type: ignore[attr-defined]


def test_after_a_document_import_new_records_get_new_ids(cli: Cli, tmp_path: Path) -> None:
    """A whole-diary document brings attacks, scores and plans with their ids: the next one
    typed gets an id after them (PostgreSQL's sequences had stayed at 1: a unique violation)."""
    cli.log("craniosacral", when="2026-11-01 16:30")
    cli.log("acupuncture", when="2026-11-02 16:30")
    cli.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "5", "--peak", "7")
    cli.ok("attack", "log", "--when", "2026-11-05 08:00", "--hours", "2", "--peak", "4")
    cli.ok("score", "midas", "--total", "12", "--date", "2026-11-01")
    cli.ok("plan", "new", "craniosacral", "--compare", "45,30", "--seed", "7")
    document = tmp_path / "all.json"
    cli.ok("export", "--all", "--output", str(document))
    other = cli.fresh()
    other.ok("import", str(document))
    other.ok("attack", "log", "--when", "2026-11-06 08:00", "--hours", "2", "--peak", "4")
    assert sorted(a["id"] for a in other.json("attack", "list")) == [1, 2, 3]
    other.ok("score", "hit6", "--total", "58", "--date", "2026-11-02")
    other.ok("plan", "new", "acupuncture", "--periods", "14", "--seed", "9")
    everything = json.loads(other.ok("export", "--all").stdout)
    assert sorted(p["id"] for p in everything["plans"]) == [1, 2]
    assert sorted(s["id"] for s in everything["scores"]) == [1, 2]


def test_the_owners_step_remakes_all_that_client_and_attack_had() -> None:
    """The step that makes client and attack again (SQLite) lists their columns, indexes and
    triggers itself: each one a step before it made must be there after it (a guard for a
    step added before it later, which this one would otherwise silently drop)."""
    from contextlib import closing

    step = db.schema.OWNERS_STEP

    def built(upto: int) -> tuple[set[tuple[str, str]], dict[str, list[str]]]:
        with closing(sqlite3.connect(":memory:")) as conn:
            for statements in db.MIGRATIONS[:upto]:
                for statement in statements:
                    if not isinstance(statement, db.schema.PostgresOnly):
                        conn.execute(statement)
            names = {
                (str(kind), str(name))
                for kind, name in conn.execute("SELECT type, name FROM sqlite_master")
                if not str(name).startswith("sqlite_autoindex_")
            }
            columns = {
                table: [str(r[1]) for r in conn.execute(f"PRAGMA table_info({table})")]
                for table in ("client", "attack")
            }
            return names, columns

    before, after = built(step), built(step + 1)
    assert before[0] - after[0] == set()
    assert before[1] == after[1]
