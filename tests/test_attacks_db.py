"""Storage of the attack diary: the schema, its table models, and the upgrade of old diaries."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import Cli, fingerprint
from migraine_diary import storage as db

pytestmark = pytest.mark.both_engines

FIXTURES = Path(__file__).parent / "fixtures"
ATTACK_TABLES = ("attack", "medication", "medication_class", "checkin", "kept_range")


def test_schema_matches_the_attack_table_models(tmp_path: Path) -> None:
    from migraine_diary.storage.tables import (
        AttackDetailRow,
        AttackOriginRow,
        AttackRow,
        CheckinRow,
        KeptRangeRow,
        MedicationClassRow,
        MedicationRow,
    )

    path = tmp_path / "d.db"
    db.create_diary(path)
    with sqlite3.connect(path) as conn:
        for model in (
            AttackRow,
            MedicationRow,
            MedicationClassRow,
            CheckinRow,
            KeptRangeRow,
            AttackDetailRow,
            AttackOriginRow,
        ):
            table = model.__tablename__
            stored = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            assert stored == [c.name for c in model.__table__.columns]  # type: ignore[attr-defined]
        indexes = {r[1] for r in conn.execute("PRAGMA index_list(attack)")}
    assert "ix_attack_start" in indexes


def test_version_1_diary_is_upgraded_keeping_its_rows(tmp_path: Path) -> None:
    copy = tmp_path / "old.db"
    shutil.copy(FIXTURES / "diary-v1.db", copy)
    copy.chmod(0o600)
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == 1
    old = Cli(copy)
    before = fingerprint(copy)
    listed = old("attack", "list", "--json")  # read as the latest schema, not upgraded
    assert (listed.exit_code, listed.stdout, listed.stderr) == (0, "[]\n", "")
    assert fingerprint(copy) == before
    result = old("checkin", "--date", "2026-11-01")
    assert result.exit_code == 0, result.stderr
    assert f"Upgraded the diary from schema 1 to {db.LATEST}" in result.stderr
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == db.LATEST
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert conn.execute("SELECT COUNT(*) FROM session").fetchone()[0] == 3
    assert set(ATTACK_TABLES) <= tables
    assert [s["therapy"] for s in old.json("list")] == ["acupuncture", "cst", "cst"]
    (backup,) = tmp_path.glob(f"old-backup-*-v1-to-v{db.LATEST}.db")
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    with sqlite3.connect(backup) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == 1
        backup_tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "attack" not in backup_tables
    # the upgraded diary takes attacks, and sessions mark their days
    old.ok("attack", "log", "--when", "2026-11-01 08:00", "--hours", "3", "--peak", "6")
    assert old.json("attack", "show", "1")["peak"] == 6


def test_the_database_refuses_what_the_rules_refuse(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    db.create_diary(path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA foreign_keys = ON")
        good = (
            "INSERT INTO attack (start, \"end\", peak) VALUES ('2026-11-01T08:00:00+00:00', ?, ?)"
        )
        for end, peak in (("2026-11-01T09:00:00+00:00", 11), ("2026-11-01T07:00:00+00:00", 5)):
            with pytest.raises(sqlite3.IntegrityError):
                conn.execute(good, (end, peak))
        attack_id = conn.execute(good + " RETURNING id", (None, 5)).fetchone()[0]
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO medication (attack_id, name, helpfulness) VALUES (?, 'x', 'great')",
                (attack_id,),
            )
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                "INSERT INTO medication_class (key, name, \"class\") VALUES ('x', 'x', 'vitamin')"
            )
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("INSERT INTO kept_range (first, last) VALUES ('2026-11-02', '2026-11-01')")
        conn.execute(
            "INSERT INTO medication (attack_id, name) VALUES (?, 'ibuprofen')", (attack_id,)
        )
        conn.execute("DELETE FROM attack WHERE id = ?", (attack_id,))
        assert conn.execute("SELECT COUNT(*) FROM medication").fetchone()[0] == 0


def test_a_refused_edit_changes_nothing(cli: Cli) -> None:
    cli.ok("attack", "log", "--when", "2026-11-01 08:00", "--hours", "3", "--peak", "6")
    before = fingerprint(cli.db_path)
    result = cli("attack", "edit", "1", "--med", "ibuprofen", "--peak", "12")
    assert result.exit_code == 2
    assert result.stderr == "migraine: error: peak must be a whole number from 0 to 10 (got 12)\n"
    assert fingerprint(cli.db_path) == before
