"""Opening a diary (issue 12): only a file this version made is a diary; reads change nothing;
planted objects, foreign write-ahead logs and impossible versions are refused; a full disk or a
leftover read-only file is named."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from conftest import Cli, fingerprint
from migraine_diary import storage as db
from test_reliability import (
    _real_diary,
    _state,
    dump,
    migraine,
    one_line_error,
    scalar,
    with_file_size_limit,
)
from test_reliability import obeying as obeying

FIXTURES = Path(__file__).parent / "fixtures"
LOG = ["log", "cst", "-m", "45", "-b", "5", "-a", "4"]
# A program that changes the diary and dies before closing it: its change stays in the log.
CRASHING_WRITER = (
    "import os, sqlite3, sys\n"
    "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "conn.execute(sys.argv[2])\n"
    "os._exit(0)\n"
)


def crash_after(path: Path, sql: str) -> None:
    subprocess.run([sys.executable, "-c", CRASHING_WRITER, str(path), sql], check=True)
    assert Path(f"{path}-wal").stat().st_size > 0


def refused_everywhere(path: Path, tmp_path: Path, message: str) -> None:
    """Every command, reading or writing, refuses with the one line and changes nothing."""
    before = _state(path.parent)
    for args in (LOG, ["list"], ["check"], ["export"], ["backup", str(tmp_path / "copy.db")]):
        result = Cli(path)(*args)
        assert result.exit_code == 1, (args, result.stdout)
        assert message in one_line_error(result.stderr), args
        assert _state(path.parent) == before, args
    assert not (tmp_path / "copy.db").exists()


def test_another_programs_file_with_a_schema_version_is_not_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "place" / "photos.db"
    path.parent.mkdir(mode=0o700)
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO schema_version VALUES (1)")
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, file TEXT)")
    path.chmod(0o600)
    refused_everywhere(path, tmp_path, "is an SQLite database of another program")
    assert scalar(path, "SELECT version FROM schema_version") == 1


def test_a_diary_whose_tables_differ_is_refused(tmp_path: Path) -> None:
    path = _real_diary(tmp_path / "place" / "diary.db")
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("ALTER TABLE session ADD COLUMN sent INTEGER")
    refused_everywhere(
        path,
        tmp_path,
        f"does not have the tables migraine-diary makes for schema {db.LATEST} (table session "
        "differs), so it is not a diary it can use; left untouched",
    )


def test_a_view_in_place_of_schema_version_is_refused(tmp_path: Path) -> None:
    path = _real_diary(tmp_path / "place" / "diary.db")
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("DROP TABLE schema_version")
        conn.execute(f"CREATE VIEW schema_version AS SELECT {db.LATEST} AS version")
    refused_everywhere(path, tmp_path, "is an SQLite database of another program")


def test_reads_of_an_older_diary_change_nothing(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "diary-v1.db", old)
    old.chmod(0o600)
    before = _state(tmp_path)
    for args in (["list"], ["attack", "list"], ["calendar"], ["check"], ["export"], ["stats"]):
        result = Cli(old)(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert "Upgraded" not in result.stderr
        assert _state(tmp_path) == before, args
    assert scalar(old, "SELECT version FROM schema_version") == 1


@pytest.mark.parametrize("version", [0, -1])
def test_a_schema_version_below_1_is_refused_without_backups(tmp_path: Path, version: int) -> None:
    path = _real_diary(tmp_path / "place" / "diary.db")
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE schema_version SET version = ?", (version,))
    message = (
        f"{path} has schema version {version}, which no migraine-diary writes (the first is "
        "1), so it is not a usable diary; left untouched"
    )
    for _ in range(2):
        refused_everywhere(path, tmp_path, message)
    assert sorted(p.name for p in path.parent.iterdir()) == ["diary.db"]


def _planted(tmp_path: Path) -> Path:
    path = _real_diary(tmp_path / "place" / "diary.db")
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE exfil (data TEXT)")
        conn.execute(
            "CREATE TRIGGER session_ai AFTER INSERT ON session BEGIN DELETE FROM attack; "
            "UPDATE session SET pain_after = 0; "
            "INSERT INTO exfil SELECT group_concat(notes) FROM session; END"
        )
    return path


def test_a_planted_trigger_is_refused_by_writes_and_named_by_check(tmp_path: Path) -> None:
    path = _planted(tmp_path)
    before = dump(path)
    result = Cli(path)(*LOG)
    assert result.exit_code == 1
    assert one_line_error(result.stderr) == (
        f"the diary at {path} holds table exfil, trigger session_ai, which migraine-diary does "
        "not make (another program put it there, and it could change or copy your records), so "
        "nothing was written; migraine check says how to remove it"
    )
    copy = tmp_path / "copy.db"
    backup = Cli(path)("backup", str(copy))
    assert backup.exit_code == 1
    assert "holds table exfil, trigger session_ai" in one_line_error(backup.stderr)
    assert not copy.exists()
    assert dump(path) == before
    assert len(Cli(path).json("list")) == 1  # a read runs no trigger: the records can be seen
    check = Cli(path)("check")
    assert check.exit_code == 1
    problems = [line for line in check.stdout.splitlines() if line.startswith("problem: ")]
    fixes = [
        f"""sqlite3 {path} 'DROP {kind} "{name}"'"""
        for kind, name in (("TABLE", "exfil"), ("TRIGGER", "session_ai"))
    ]
    assert problems == [
        f"problem: the diary holds {what}, which migraine-diary does not make (another program "
        f"put it there, and it could change or copy your records); remove it with: {fix}"
        for what, fix in zip(("table exfil", "trigger session_ai"), fixes, strict=True)
    ]
    assert dump(path) == before
    with closing(sqlite3.connect(path)) as conn, conn:  # the fixes check gives, done
        conn.execute('DROP TABLE "exfil"')
        conn.execute('DROP TRIGGER "session_ai"')
    Cli(path).ok(*LOG)
    assert scalar(path, "SELECT COUNT(*) FROM session WHERE pain_after = 4") == 2


def test_check_and_reads_leave_a_pending_log_as_it_is(tmp_path: Path) -> None:
    path = _real_diary(tmp_path / "place" / "diary.db")
    crash_after(path, "UPDATE session SET notes = 'pending'")
    files = [path, Path(f"{path}-wal")]  # (SQLite may rebuild its index in the -shm)
    before = [fingerprint(file) for file in files]
    result = Cli(path)("check")
    assert result.exit_code == 0, result.stdout
    assert [fingerprint(file) for file in files] == before  # not written back, log kept
    assert Cli(path).json("list")[0]["notes"] == "pending"  # the change is read
    assert [fingerprint(file) for file in files] == before
    Cli(path).ok(*LOG)  # a write keeps it and writes it back
    assert scalar(path, "SELECT COUNT(*) FROM session WHERE notes = 'pending'") == 1


def _other_diarys_log(tmp_path: Path) -> tuple[Path, Path]:
    """A diary, and another one's log with changes that were never written back."""
    path = _real_diary(tmp_path / "place" / "diary.db")
    other = _real_diary(tmp_path / "other" / "diary.db")
    crash_after(other, "UPDATE session SET notes = 'from the other diary'")
    return path, Path(f"{other}-wal")


def test_a_log_copied_from_another_diary_is_refused(tmp_path: Path) -> None:
    path, log = _other_diarys_log(tmp_path)
    shutil.copy(log, f"{path}-wal")
    refused_everywhere(
        path,
        tmp_path,
        f"{path}-wal is a write-ahead log that does not belong to the diary (it holds changes, "
        "but no shared-memory file is beside the diary",
    )
    with closing(sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True)) as conn:
        assert conn.execute("SELECT notes FROM session").fetchone()[0] == "n" * 200


def test_a_log_swapped_under_a_diarys_own_shared_memory_is_refused(tmp_path: Path) -> None:
    path, log = _other_diarys_log(tmp_path)
    crash_after(path, "UPDATE session SET minutes = 50")  # its own -shm and -wal
    shutil.copy(log, f"{path}-wal")
    refused_everywhere(
        path, tmp_path, "(it is not the log the diary's shared-memory file describes)"
    )


@pytest.mark.parametrize(
    "content", [b"garbage" * 100, b"\x37\x7f\x06\x82" + bytes(60)], ids=["garbage", "bad header"]
)
def test_a_log_that_is_not_valid_is_refused(tmp_path: Path, content: bytes) -> None:
    path = _real_diary(tmp_path / "place" / "diary.db")
    Path(f"{path}-wal").write_bytes(content)
    refused_everywhere(path, tmp_path, "is a write-ahead log that does not belong to the diary")


def test_reads_work_on_a_completely_full_disk(tmp_path: Path) -> None:
    diary = _real_diary(tmp_path / "place" / "diary.db", sessions=3)
    before = fingerprint(diary)
    full = with_file_size_limit(0)  # no file can grow by a byte: no shared memory either
    listed = migraine(diary, "list", "--json", preexec=full)
    assert listed.returncode == 0, listed.stderr
    for args in (["check"], ["export"], ["summary"], ["attack", "list"]):
        result = migraine(diary, *args, preexec=full)
        assert result.returncode == 0, (args, result.stderr)
    assert fingerprint(diary) == before
    # SQLite may have made its empty log files before finding no room: nothing is in them.
    assert all(p.stat().st_size == 0 for p in diary.parent.iterdir() if p != diary)
    logged = migraine(diary, *LOG, preexec=full)
    assert logged.returncode == 1
    assert one_line_error(logged.stderr).startswith(f"the diary at {diary} ")


def test_a_leftover_read_only_shared_memory_file_is_named(
    tmp_path: Path, obeying: Callable[[], None] | None
) -> None:
    path = tmp_path / "place" / "diary.db"
    path.parent.mkdir(mode=0o700)
    Cli(path).log(notes="kept")
    path.chmod(0o400)
    # How older versions (and other programs) read it: SQLite makes the -shm with the
    # diary's mode, and a read-only connection leaves it behind.
    with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        conn.execute("SELECT COUNT(*) FROM session").fetchone()
    shm = Path(f"{path}-shm")
    assert oct(shm.stat().st_mode & 0o777) == "0o400"
    path.chmod(0o600)
    before = dump(path)
    result = migraine(path, *LOG, preexec=obeying)
    assert result.returncode == 1
    assert one_line_error(result.stderr) == (
        f"the diary at {path} cannot be written: its shared-memory file {shm} is read-only for "
        f"you (left from a time the diary was read-only?); fix it with: chmod 600 '{shm}'; "
        "nothing was written"
    )
    check = migraine(path, "check", preexec=obeying)
    assert check.returncode == 1
    assert (
        f"problem: its shared-memory file {shm} is read-only for you, so nothing can be "
        f"written; fix it with: chmod 600 '{shm}'"
    ) in check.stdout.splitlines()
    assert dump(path) == before
    shm.chmod(0o600)
    assert migraine(path, *LOG, preexec=obeying).returncode == 0


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs chown")
def test_backup_refuses_a_diary_of_another_user(tmp_path: Path) -> None:
    path = _real_diary(tmp_path / "place" / "diary.db")
    os.chown(path, 4321, 4321)
    result = Cli(path)("backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 1
    assert one_line_error(result.stderr) == (
        f"{path} belongs to another user (uid 4321), who can change it; keep your diary in a "
        "file of your own"
    )
    assert not (tmp_path / "copy.db").exists()
