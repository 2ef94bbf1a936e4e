"""Nothing lost, nothing leaked (the fast part): backups, the health check, hostile files,
hostile input, read-only diaries, a full disk, locks, and no network. The slow trials (many
writers at once, SIGKILL at random points) are in test_torture.py."""

from __future__ import annotations

import contextlib
import csv
import ctypes
import io
import json
import os
import random
import resource
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import typer.main
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import migraine_diary.storage.sqlite.connections
import migraine_diary.storage.sqlite.errors
import migraine_diary.storage.sqlite.files
import migraine_diary.storage.sqlite.migrate  # noqa: F401  (db.sqlite.* below: the façade is lazy)
from buddy_format import BUDDY_COLUMNS
from conftest import Cli, fingerprint
from migraine_diary import storage as db
from migraine_diary.cli.app import app
from migraine_diary.domain.dates import current_day
from migraine_diary.domain.session import FIELDS

pytestmark = pytest.mark.both_engines

FIXTURES = Path(__file__).parent / "fixtures"
INJECTION = "'; DROP TABLE session; --"
DISK_FULL = (
    "could not be written: the disk is full (or a file size limit was reached); "
    "nothing was written",
    "could not be read or written: disk I/O error (is the disk full or failing?); the change "
    "was not saved",
)


# ---------------------------------------------------------------------------- helpers


def migraine(
    path: Path, *args: str, preexec: Callable[[], None] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The real program in a child process (`python -m migraine_diary --db PATH ...`)."""
    return subprocess.run(
        [sys.executable, "-m", "migraine_diary", "--db", str(path), *args],
        capture_output=True,
        text=True,
        preexec_fn=preexec,
        timeout=timeout,
        check=False,
    )


def one_line_error(stderr: str) -> str:
    """The single `migraine: error: ...` line every refusal prints; its text."""
    assert "Traceback" not in stderr
    assert stderr.count("\n") == 1, stderr
    assert stderr.startswith("migraine: error: "), stderr
    return stderr.removeprefix("migraine: error: ").rstrip("\n")


def dump(path: Path) -> list[str]:
    """The diary's whole content as SQL: equal before and after means nothing was stored, even
    where a failed write left unused pages in the write-ahead log."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return list(conn.iterdump())


def integrity(path: Path) -> str:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return "\n".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))


def scalar(path: Path, sql: str) -> Any:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        return conn.execute(sql).fetchone()[0]


def with_file_size_limit(limit: int) -> Callable[[], None]:
    """A child whose files cannot grow past `limit` bytes: a disk that fills up mid-write.

    It holds for root too (CI runs as root), unlike file permissions. Python ignores SIGXFSZ,
    so the write fails with EFBIG instead of killing the process.
    """

    def limit_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_files


def obey_file_permissions() -> Callable[[], None] | None:
    """A preexec function after which even root obeys file permissions, or None when the
    tests do not run as root. Root reads and writes anything through the capabilities
    CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and CAP_FOWNER; dropping them from the child's
    bounding set before exec gives a root-owned file's mode bits their meaning again."""
    if os.geteuid() != 0:
        return None

    def drop() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        for capability in (1, 2, 3):  # DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER
            if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    return drop


@pytest.fixture
def obeying(tmp_path: Path) -> Callable[[], None] | None:
    """The preexec function for a child that obeys file permissions; skips where there is no
    way to get one (root without the right to drop capabilities)."""
    preexec = obey_file_permissions()
    probe = tmp_path / "probe"
    probe.write_text("x")
    probe.chmod(0o400)
    try:
        result = subprocess.run(
            [sys.executable, "-c", f"open({str(probe)!r}, 'a')"],
            preexec_fn=preexec,
            capture_output=True,
            check=False,
        )
    except subprocess.SubprocessError:
        pytest.skip("running as root and cannot drop CAP_DAC_OVERRIDE for a child process")
    if result.returncode == 0:
        pytest.skip("a read-only file is writable here (root with permission overrides)")
    return preexec


@pytest.fixture
def diary(cli: Cli) -> Path | str:
    """A diary with three sessions and one attack: its file, or on PostgreSQL its URL."""
    cli.log("craniosacral", when="2026-11-01 16:30", cost=90, notes="first")
    cli.log("craniosacral", when="2026-11-03 16:30", cost=90)
    cli.log("acupuncture", when="2026-11-05 10:00", minutes=60, pain_before=6, pain_after=4)
    cli.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "5", "--peak", "7")
    return cli.db_path


def write_sessions_csv(path: Path, rows: int, *, marker: str = "row") -> Path:
    """An import file of `rows` valid sessions, each with a unique note."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["when", "therapy", "minutes", "pain_before", "pain_after", "notes"])
        for n in range(rows):
            day = f"20{10 + n % 15}-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:00:00+00:00"
            writer.writerow(
                [day, ("cst", "acupuncture", "massage")[n % 3], 45, 5, 4, f"{marker} {n}"]
            )
    return path


# ---------------------------------------------------------------------------- backup


@pytest.mark.sqlite_only  # a backup is a copy of the diary file
def test_backup_is_a_private_copy_that_opens_as_a_diary(
    cli: Cli, diary: Path, tmp_path: Path
) -> None:
    before = fingerprint(diary)
    copy = tmp_path / "copies" / "diary-copy.db"
    copy.parent.mkdir(mode=0o700)
    result = cli("backup", str(copy))
    assert result.exit_code == 0, result.stderr
    size = f"{copy.stat().st_size / 1024:.0f} KiB"  # one page per table and index of the schema
    assert result.stdout == f"Backed up the diary to {copy} (3 sessions, 1 attack; {size}).\n"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert fingerprint(diary) == before
    assert Cli(copy).json("list") == cli.json("list")
    assert Cli(copy).json("attack", "list") == cli.json("attack", "list")
    assert sorted(p.name for p in copy.parent.iterdir()) == ["diary-copy.db"]


@pytest.mark.sqlite_only  # a backup is a copy of the diary file
def test_backup_never_replaces_a_file(cli: Cli, diary: Path, tmp_path: Path) -> None:
    existing = tmp_path / "taken.db"
    existing.write_text("my other file")
    dangling = tmp_path / "link.db"
    dangling.symlink_to(tmp_path / "elsewhere.db")
    for target in (existing, dangling, diary):
        result = cli("backup", str(target))
        assert result.exit_code == 1
        assert one_line_error(result.stderr) == (
            f"{target} already exists; a backup never replaces a file, so give a new name"
        )
    assert existing.read_text() == "my other file"
    assert not (tmp_path / "elsewhere.db").exists()


@pytest.mark.sqlite_only  # a backup is a copy of the diary file
def test_backup_without_a_diary_or_into_a_missing_folder(
    cli: Cli, db_path: Path, tmp_path: Path
) -> None:
    result = cli("backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 1
    assert one_line_error(result.stderr) == (
        f"there is no diary at {db_path} yet; nothing to back up"
    )
    cli.log(when="2026-11-01")
    target = tmp_path / "missing" / "copy.db"
    result = cli("backup", str(target))
    assert result.exit_code == 1
    assert one_line_error(result.stderr) == (
        f"cannot write the backup {target}: No such file or directory; the diary is unchanged"
    )


def test_backup_of_an_old_diary_copies_it_as_it_is(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "diary-v1.db", old)
    old.chmod(0o600)  # git checks files out 0644
    before = fingerprint(old)
    result = Cli(old)("backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 0, result.stderr
    assert fingerprint(old) == before  # not upgraded by a backup
    assert scalar(tmp_path / "copy.db", "SELECT version FROM schema_version") == 1
    assert not list(tmp_path.glob("old-backup-*"))


# ---------------------------------------------------------------------------- check


@pytest.mark.sqlite_only  # the file, its folder, its journal (PostgreSQL's: test_engines, test_rls)
def test_check_reports_a_healthy_diary(cli: Cli, diary: Path) -> None:
    before = fingerprint(diary)
    result = cli("check")
    assert result.exit_code == 0, result.stderr
    size = f"{diary.stat().st_size / 1024:.0f} KiB"  # one page per table and index
    assert result.stdout.splitlines() == [
        f"diary       {diary} ({size})",
        "integrity   ok",
        f"schema      {db.LATEST} (current)",
        "rows        acute_rating 0, addition 4, attack 1, attack_detail 0, attack_mbs 0, "
        "attack_origin 0, audit 10, checkin 0, client 1, client_share 0, kept_range 0, "
        "medication 0, medication_class 0, plan 0, plan_deviation 0, plan_slot 0, "
        "schema_version 1, score 0, session 3, therapy 2",
        "file        0600",
        f"folder      0700 {diary.parent}",
        "journal     wal, nothing waiting",
        "Verdict: healthy.",
    ]
    assert fingerprint(diary) == before
    assert sorted(p.name for p in diary.parent.iterdir() if p.name.startswith("diary")) == [
        "diary.db"
    ]


@pytest.mark.sqlite_only  # the file, its folder and its journal
def test_check_json(cli: Cli, diary: Path) -> None:
    data = cli.json("check")
    assert data == {
        "path": str(diary),
        "healthy": True,
        "integrity": ["ok"],
        "schema_version": db.LATEST,
        "latest_schema_version": db.LATEST,
        "tables": {
            "acute_rating": 0,
            "addition": 4,  # the records typed, for undo
            "attack": 1,
            "attack_detail": 0,
            "attack_mbs": 0,
            "attack_origin": 0,
            "audit": 10,  # every insert: 3 sessions, 1 attack, 2 therapies, 4 for undo
            "checkin": 0,
            "client": 1,  # a personal diary's one, unnamed
            "client_share": 0,
            "kept_range": 0,
            "medication": 0,
            "medication_class": 0,
            "plan": 0,
            "plan_deviation": 0,
            "plan_slot": 0,
            "schema_version": 1,
            "score": 0,
            "session": 3,
            "therapy": 2,
        },
        "file_mode": "0600",
        "folder": str(diary.parent),
        "folder_mode": "0700",
        "journal_mode": "wal",
        "wal_bytes": 0,
        "size_bytes": diary.stat().st_size,
        "problems": [],
    }


@pytest.mark.sqlite_only  # the file's and the folder's permissions
def test_check_finds_a_diary_others_can_read_or_change(cli: Cli, diary: Path) -> None:
    diary.chmod(0o644)
    result = cli("check")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-2:] == [
        f"problem: {diary} can be read by other users; fix it with: chmod 600 '{diary}'",
        "Verdict: NOT healthy (1 problem above).",
    ]
    diary.chmod(0o600)
    diary.parent.chmod(0o777)
    try:
        data = json.loads(cli("check", "--json").stdout)
    finally:
        diary.parent.chmod(0o700)
    assert data["healthy"] is False
    assert data["problems"] == [
        f"the folder {diary.parent} can be changed by other users, who could replace the "
        f"diary; fix it with: chmod go-w '{diary.parent}'"
    ]


@pytest.mark.sqlite_only  # scribbles on the file's pages
def test_check_finds_damage_and_changes_nothing(cli: Cli, db_path: Path) -> None:
    for n in range(60):
        cli.log(when=f"2026-10-{1 + n % 28:02d} {n % 24:02d}:00", notes="x" * 400)
    page_size = scalar(db_path, "PRAGMA page_size")
    root = scalar(db_path, "SELECT rootpage FROM sqlite_master WHERE name = 'session'")
    data = bytearray(db_path.read_bytes())
    start = (root - 1) * page_size
    data[start + 8 : start + 40] = b"\xff" * 32  # scribble over the table's root page
    db_path.write_bytes(bytes(data))
    before = fingerprint(db_path)
    result = cli("check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[1].startswith("integrity   ")
    assert lines[1] != "integrity   ok"
    assert lines[-2:] == [
        "problem: the integrity check found damage; restore the diary from a backup (a "
        "backup taken now, with migraine backup, keeps what is still readable)",
        "Verdict: NOT healthy (1 problem above).",
    ]
    assert fingerprint(db_path) == before
    listing = cli("list")  # the other commands say it is damaged, in one line
    assert listing.exit_code == 1
    assert one_line_error(listing.stderr).startswith(f"the diary at {db_path} is damaged (")
    assert fingerprint(db_path) == before


def test_check_does_not_upgrade_an_old_diary(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "diary-v1.db", old)
    old.chmod(0o600)  # git checks files out 0644
    before = fingerprint(old)
    result = Cli(old)("check")
    assert result.exit_code == 0, result.stderr
    assert (
        f"schema      1 (upgraded to {db.LATEST} by the next command that writes, after a backup)"
        in (result.stdout)
    )
    assert fingerprint(old) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("old")) == ["old.db"]


@pytest.mark.sqlite_only  # a diary file not there yet
def test_check_without_a_diary(cli: Cli, db_path: Path) -> None:
    result = cli("check")
    assert result.exit_code == 1
    assert one_line_error(result.stderr) == (
        f"there is no diary at {db_path} yet; logging a session creates it"
    )
    assert not db_path.exists()


# ---------------------------------------------------------------------------- hostile files


def _real_diary(path: Path, sessions: int = 1) -> Path:
    db.create_diary(path)
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("INSERT INTO therapy (name, key) VALUES ('cst', 'cst')")
        conn.executemany(
            'INSERT INTO session (therapy_id, "when", minutes, pain_before, pain_after, notes)'
            " VALUES (1, ?, 45, 5, 4, ?)",
            [(f"2026-01-01T00:{n % 60:02d}:00Z", "n" * 200) for n in range(sessions)],
        )
    return path


def _truncated(path: Path) -> Path:
    _real_diary(path, sessions=300)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _other_program(path: Path) -> Path:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, file TEXT)")
        conn.execute("INSERT INTO photos (file) VALUES ('holiday.jpg')")
    path.chmod(0o600)
    return path


def _newer(path: Path) -> Path:
    _real_diary(path)
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE schema_version SET version = ?", (db.LATEST + 1,))
    return path


def _loop(path: Path) -> Path:
    other = path.with_name("loop-other.db")
    path.symlink_to(other)
    other.symlink_to(path)
    return path


def _file(content: bytes) -> Callable[[Path], Path]:
    def make(path: Path) -> Path:
        path.write_bytes(content)
        path.chmod(0o600)
        return path

    return make


def _folder(path: Path) -> Path:
    path.mkdir()
    (path / "inside.txt").write_text("keep me")
    return path


def _broken_link(path: Path) -> Path:
    path.symlink_to(path.with_name("missing") / "diary.db")
    return path


def _fifo(path: Path) -> Path:
    os.mkfifo(path, 0o600)
    return path


HOSTILE_FILES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "truncated diary": (_truncated, "is damaged (database disk image is malformed)"),
    "random bytes": (
        _file(random.Random(7).randbytes(8192)),
        "is not a migraine diary (not an SQLite database); left untouched",
    ),
    "SQLite header, then random bytes": (
        _file(db.sqlite.files.SQLITE_HEADER + random.Random(8).randbytes(8192)),
        "is damaged (",
    ),
    "SQLite file of another program": (
        _other_program,
        "is an SQLite database of another program, not a migraine diary; left untouched",
    ),
    "diary from a newer version": (_newer, "was written by a newer migraine-diary"),
    "empty file": (_file(b""), "is not a migraine diary (not an SQLite database)"),
    "header only": (_file(db.sqlite.files.SQLITE_HEADER), "is damaged: it ends after 16 bytes"),
    "directory": (_folder, "is a folder, not a diary file; give a file path with --db"),
    "symlink loop": (_loop, "Too many levels of symbolic links"),
    "broken symlink": (_broken_link, "is a broken symbolic link, not a diary"),
    "named pipe": (_fifo, "is not a regular file, so it cannot be a diary"),
}
COMMANDS: dict[str, list[str]] = {
    "log": ["log", "cst", "-m", "45", "-b", "5", "-a", "4", "--new-therapy"],
    "list": ["list"],
    "summary": ["summary"],
    "export": ["export"],
    "check": ["check"],
    "backup": ["backup", "BACKUP"],
    "import": ["import", "CSV"],
    "stats": ["stats"],
    "attack log": ["attack", "log", "--hours", "2", "--peak", "5"],
    "calendar": ["calendar"],
}


def _state(folder: Path) -> dict[str, str | None]:
    """Every entry of a folder with its bytes' hash (links by target): what a refusal must
    leave exactly as it was."""
    state: dict[str, str | None] = {}
    for entry in sorted(folder.rglob("*")):
        if entry.is_symlink():
            state[str(entry)] = "-> " + os.readlink(entry)
        elif entry.is_file():
            state[str(entry)] = fingerprint(entry)
        else:
            state[str(entry)] = "folder" if entry.is_dir() else "other"
    return state


@pytest.mark.parametrize("kind", HOSTILE_FILES)
def test_hostile_files_are_refused_and_left_untouched(tmp_path: Path, kind: str) -> None:
    make, message = HOSTILE_FILES[kind]
    place = tmp_path / "place"
    place.mkdir(mode=0o700)
    path = make(place / "diary.db")
    csv_file = write_sessions_csv(tmp_path / "in.csv", 2)
    backup = tmp_path / "copy.db"
    before = _state(place)
    for name, command in COMMANDS.items():
        args = [{"BACKUP": str(backup), "CSV": str(csv_file)}.get(arg, arg) for arg in command]
        result = Cli(path)(*args)
        assert result.exit_code == 1, (name, result.stdout, result.stderr)
        assert message in one_line_error(result.stderr), name
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert _state(place) == before, name
        assert not backup.exists()


def test_sqlite_file_of_another_program_stays_byte_for_byte(tmp_path: Path) -> None:
    path = _other_program(tmp_path / "photos.db")
    before = fingerprint(path)
    for args in COMMANDS.values():
        Cli(path)(*[a.replace("BACKUP", str(tmp_path / "b.db")) for a in args])
    assert fingerprint(path) == before
    assert scalar(path, "SELECT file FROM photos") == "holiday.jpg"


# ---------------------------------------------------------------------------- where it lives


def test_default_diary_that_links_out_of_the_data_folder_is_refused(
    private_home: Path, tmp_path: Path
) -> None:
    data = private_home / ".local" / "share"
    folder = data / "migraine-diary"
    folder.mkdir(parents=True, mode=0o700)
    outside = tmp_path / "outside"
    outside.mkdir(mode=0o700)
    (folder / "diary.db").symlink_to(outside / "diary.db")
    result = CliRunner().invoke(app, ["log", "cst", "-m", "45", "-b", "5", "-a", "4"])
    assert result.exit_code == 1
    assert one_line_error(result.stderr) == (
        f"{folder / 'diary.db'} leads out of your data folder {data} through a symbolic link "
        f"(to {outside / 'diary.db'}), so it is not used; to keep the diary there, name it "
        "with --db or MIGRAINE_DIARY_DB"
    )
    assert list(outside.iterdir()) == []


def test_default_folder_that_links_out_of_the_data_folder_is_refused(
    private_home: Path, tmp_path: Path
) -> None:
    data = private_home / ".local" / "share"
    data.mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir(mode=0o700)
    (data / "migraine-diary").symlink_to(outside)
    result = CliRunner().invoke(app, ["log", "cst", "-m", "45", "-b", "5", "-a", "4"])
    assert result.exit_code == 1
    assert "leads out of your data folder" in one_line_error(result.stderr)
    assert list(outside.iterdir()) == []
    # Named on purpose, the same place is used.
    result = CliRunner().invoke(
        app, ["--db", str(outside / "diary.db"), "log", "cst", "-m", "45", "-b", "5", "-a", "4"]
    )
    assert result.exit_code == 0, result.stderr


def test_links_inside_the_data_folder_are_fine(private_home: Path) -> None:
    data = private_home / ".local" / "share"
    real = data / "diaries"
    real.mkdir(parents=True, mode=0o700)
    (data / "migraine-diary").symlink_to(real)
    result = CliRunner().invoke(app, ["log", "cst", "-m", "45", "-b", "5", "-a", "4"])
    assert result.exit_code == 0, result.stderr
    assert (real / "diary.db").is_file()


def test_a_folder_others_can_change_is_refused_with_the_fix(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    result = Cli(shared / "diary.db")("log", "cst", "-m", "45", "-b", "5", "-a", "4")
    assert result.exit_code == 1
    assert one_line_error(result.stderr) == (
        f"the folder {shared} can be changed by other users, who could replace the diary; "
        f"fix it with: chmod go-w '{shared}'"
    )
    assert list(shared.iterdir()) == []
    shared.chmod(0o1777)  # like /tmp: sticky, meant to be shared
    result = Cli(shared / "diary.db")("list")
    assert result.exit_code == 0  # no diary there: nothing to refuse yet
    result = Cli(shared / "diary.db")("log", "cst", "-m", "45", "-b", "5", "-a", "4")
    assert "keep the diary in a folder of your own (e.g. made with: mkdir -m 700 FOLDER)" in (
        one_line_error(result.stderr)
    )
    shared.chmod(0o700)
    Cli(shared / "diary.db").log()
    shared.chmod(0o707)
    before = fingerprint(shared / "diary.db")
    result = Cli(shared / "diary.db")("list")
    assert result.exit_code == 1
    assert "can be changed by other users" in one_line_error(result.stderr)
    assert fingerprint(shared / "diary.db") == before


def test_group_writable_is_fine_only_for_a_private_group(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many Linux systems give each user a group of their own and a umask of 002, so folders
    are group-writable by that one user; a group shared with others is refused."""
    folder = tmp_path / "group"
    folder.mkdir(mode=0o700)
    Cli(folder / "diary.db").log()
    folder.chmod(0o770)
    monkeypatch.setattr(db.sqlite.files, "_private_group", lambda gid: True)
    assert Cli(folder / "diary.db")("list").exit_code == 0
    monkeypatch.setattr(db.sqlite.files, "_private_group", lambda gid: False)
    result = Cli(folder / "diary.db")("list")
    assert result.exit_code == 1
    assert one_line_error(result.stderr) == (
        f"the folder {folder} can be changed by other users, who could replace the diary; "
        f"fix it with: chmod go-w '{folder}'"
    )


# ---------------------------------------------------------------------------- read-only


def test_read_only_diary_reads_but_refuses_writes(
    tmp_path: Path, obeying: Callable[[], None] | None
) -> None:
    path = tmp_path / "ro" / "diary.db"
    path.parent.mkdir(mode=0o700)
    Cli(path).log(when="2026-11-01", notes="kept")
    path.chmod(0o400)
    before = dump(path)
    listing = migraine(path, "list", "--json", preexec=obeying)
    assert listing.returncode == 0, listing.stderr
    assert json.loads(listing.stdout)[0]["notes"] == "kept"
    assert migraine(path, "check", preexec=obeying).returncode == 0
    for args in (
        ["log", "cst", "-m", "45", "-b", "5", "-a", "4"],
        ["edit", "1", "--later", "3"],
        ["attack", "log", "--hours", "2", "--peak", "5"],
    ):
        result = migraine(path, *args, preexec=obeying)
        assert result.returncode == 1, result.stderr
        assert one_line_error(result.stderr) == (
            f"the diary at {path} is read-only for you (the file or its folder cannot be "
            "written); nothing was written"
        )
    assert dump(path) == before


def test_read_only_folder_reads_but_refuses_writes(
    tmp_path: Path, obeying: Callable[[], None] | None
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o700)
    path = folder / "diary.db"
    Cli(path).log(when="2026-11-01", notes="kept")
    folder.chmod(0o500)
    try:
        before = fingerprint(path)
        listing = migraine(path, "list", "--json", preexec=obeying)
        assert listing.returncode == 0, listing.stderr
        assert json.loads(listing.stdout)[0]["notes"] == "kept"
        exported = migraine(path, "export", preexec=obeying)
        assert exported.returncode == 0, exported.stderr
        assert migraine(path, "check", preexec=obeying).returncode == 0
        copy = tmp_path / "copy.db"
        assert migraine(path, "backup", str(copy), preexec=obeying).returncode == 0
        result = migraine(path, "log", "cst", "-m", "45", "-b", "5", "-a", "4", preexec=obeying)
        assert result.returncode == 1
        assert "is read-only for you" in one_line_error(result.stderr)
        new = migraine(
            folder / "new.db", "log", "cst", "-m", "4", "-b", "5", "-a", "4", preexec=obeying
        )
        assert one_line_error(new.stderr) == (
            f"cannot create the diary at {folder / 'new.db'}: Permission denied"
        )
        assert fingerprint(path) == before
        assert sorted(p.name for p in folder.iterdir()) == ["diary.db"]
    finally:
        folder.chmod(0o700)
    assert dump(copy) == dump(path)


# ---------------------------------------------------------------------------- full disk


@pytest.mark.sqlite_only  # a file size limit under the diary file
def test_disk_full_while_importing_stores_nothing(cli: Cli, diary: Path, tmp_path: Path) -> None:
    rows = write_sessions_csv(tmp_path / "many.csv", 20_000)
    before = dump(diary)
    limit = diary.stat().st_size + 256 * 1024
    result = migraine(diary, "import", str(rows), preexec=with_file_size_limit(limit))
    assert result.returncode == 1, result.stderr
    message = one_line_error(result.stderr)
    assert message.startswith(f"the diary at {diary} "), message
    assert message.endswith(DISK_FULL), message
    assert integrity(diary) == "ok"
    assert dump(diary) == before
    again = migraine(diary, "import", str(rows))  # with room again, the same import works
    assert again.returncode == 0, again.stderr
    assert scalar(diary, "SELECT COUNT(*) FROM session") == 20_003


def test_disk_full_while_creating_leaves_no_diary(tmp_path: Path) -> None:
    path = tmp_path / "new" / "diary.db"
    path.parent.mkdir(mode=0o700)
    result = migraine(
        path, "log", "cst", "-m", "45", "-b", "5", "-a", "4", preexec=with_file_size_limit(8192)
    )
    assert result.returncode == 1
    assert one_line_error(result.stderr).startswith(f"cannot create the diary at {path}: ")
    assert list(path.parent.iterdir()) == []


@pytest.mark.sqlite_only  # a file size limit; a backup is the file's copy
def test_disk_full_while_exporting_or_backing_up_leaves_no_half_file(
    cli: Cli, db_path: Path, tmp_path: Path
) -> None:
    cli.ok("import", str(write_sessions_csv(tmp_path / "in.csv", 2000)))
    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    limit = with_file_size_limit(64 * 1024)
    exported = migraine(db_path, "export", "--output", str(out / "all.csv"), preexec=limit)
    assert exported.returncode == 1
    assert one_line_error(exported.stderr) == f"cannot write {out / 'all.csv'}: File too large"
    copied = migraine(db_path, "backup", str(out / "copy.db"), preexec=limit)
    assert copied.returncode == 1
    message = one_line_error(copied.stderr)
    assert message.startswith(f"cannot write the backup {out / 'copy.db'}: "), message
    assert message.endswith("; the diary is unchanged")
    assert list(out.iterdir()) == []
    assert integrity(db_path) == "ok"


def test_disk_full_during_an_upgrade_leaves_the_old_diary(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "diary-v1.db", old)
    old.chmod(0o600)  # git checks files out 0644
    before = fingerprint(old)
    # Room for the diary's shared memory and its backup, not for the upgrade's changes.
    result = migraine(
        old, "checkin", "--date", "2026-11-01", preexec=with_file_size_limit(36 * 1024)
    )
    assert result.returncode == 1
    assert one_line_error(result.stderr) in (
        f"could not upgrade the diary at {old}: the disk is full (or a file size limit was "
        "reached); it is unchanged",
        f"could not upgrade the diary at {old}: disk I/O error (is the disk full or failing?); "
        "it is unchanged",
    )
    assert fingerprint(old) == before
    assert scalar(old, "SELECT version FROM schema_version") == 1
    (backup,) = tmp_path.glob("old-backup-*")
    assert dump(backup) == dump(old)
    assert not list(tmp_path.glob(".*"))  # no half-written copy left


# ---------------------------------------------------------------------------- locks


@pytest.mark.sqlite_only  # SQLite's write lock on the file
def test_a_diary_locked_too_long_is_one_line_without_the_data(
    cli: Cli, diary: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db.sqlite.connections, "BUSY_TIMEOUT_S", 0.2)
    before = dump(diary)
    with closing(sqlite3.connect(diary, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        result = cli("log", "cst", "-m", "45", "-b", "5", "-a", "4", "--notes", "SECRET note")
        other.execute("ROLLBACK")
    assert result.exit_code == 1
    assert one_line_error(result.stderr) == (
        f"the diary at {diary} is busy: another program kept it locked for over 0 seconds; "
        "nothing was written, try again"
    )
    assert "SECRET" not in result.stderr + result.stdout
    assert dump(diary) == before


def test_database_errors_become_one_line_without_sql_or_parameters(tmp_path: Path) -> None:
    from sqlalchemy import text

    from migraine_diary.errors import DiaryError

    path = _real_diary(tmp_path / "d.db")
    diary = db.open_diary(path, write=True)
    assert diary is not None
    with pytest.raises(DiaryError) as raised, diary.transaction() as conn:
        conn.execute(
            text(
                'INSERT INTO session (therapy_id, "when", minutes, pain_before, pain_after, '
                "notes) VALUES (1, 'x', 0, 5, 4, :notes)"
            ),
            {"notes": "SECRET health detail"},
        )
    assert raised.value.message == (
        f"the diary at {path} could not be used: CHECK constraint failed: minutes BETWEEN 1 AND 600"
    )
    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorname = "SQLITE_IOERR_WRITE"  # type: ignore[attr-defined]
    assert db.sqlite.errors.sqlite_error(path, error).message == (
        f"the diary at {path} could not be read or written: disk I/O error (is the disk full "
        "or failing?); the change was not saved"
    )


def test_database_errors_on_postgresql_are_one_line_without_sql_or_parameters(
    postgres_diary: Callable[[], str],
) -> None:
    from sqlalchemy import text

    from migraine_diary.diary.files import open_for
    from migraine_diary.errors import DiaryError

    url = postgres_diary()
    Cli(url).log("cst", when="2026-11-01")
    diary = open_for(url, write=True).diary
    assert diary is not None
    with pytest.raises(DiaryError) as raised, diary.transaction() as conn:
        conn.execute(
            text(
                'INSERT INTO session (therapy_id, "when", minutes, pain_before, pain_after, '
                "notes, client_id) VALUES (1, 'x', 0, 5, 4, :notes, 1)"
            ),
            {"notes": "SECRET health detail"},
        )
    assert raised.value.message.startswith(f"the database at {db.Server(url)} could not be used: ")
    assert "check constraint" in raised.value.message
    for leak in ("SECRET", "INSERT", "\n"):
        assert leak not in raised.value.message


def test_edits_of_different_fields_at_once_are_both_kept(
    cli: Cli, diary: Path | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit read the session, another process changed a field, and the first edit wrote
    every field back: the other change was lost. Both now survive (SQLite's write lock, or
    PostgreSQL's row lock, makes the other edit wait)."""
    from migraine_diary.diary import sessions as use_cases

    validate = use_cases.validate_session
    other: list[subprocess.Popen[str]] = []

    def validate_while_another_edit_runs(*args: Any, **kwargs: Any) -> Any:
        if not other:  # a second process edits the notes while this edit is under way
            other.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "migraine_diary",
                        "--db",
                        str(diary),
                        "edit",
                        "1",
                        "--notes",
                        "from the other terminal",
                    ],
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
            with contextlib.suppress(subprocess.TimeoutExpired):
                other[0].wait(timeout=2)  # it finishes here only if nothing holds the lock
        return validate(*args, **kwargs)

    monkeypatch.setattr(use_cases, "validate_session", validate_while_another_edit_runs)
    cli.ok("edit", "1", "--later", "3")
    assert other[0].wait(timeout=60) == 0, other[0].stderr.read() if other[0].stderr else ""
    shown = cli.json("show", "1")
    assert (shown["pain_later"], shown["notes"]) == (3, "from the other terminal")


def test_an_interrupted_upgrade_can_be_retried_the_same_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "diary-v1.db", old)
    old.chmod(0o600)  # git checks files out 0644

    def interrupted(conn: sqlite3.Connection, current: int) -> None:
        raise sqlite3.OperationalError("interrupted")

    with monkeypatch.context() as patch:
        patch.setattr(db.sqlite.migrate, "_steps", interrupted)
        result = Cli(old)("checkin", "--date", "2026-11-01")
    assert result.exit_code == 1  # the backup it took is kept, as it should be
    assert one_line_error(result.stderr) == (
        f"could not upgrade the diary at {old}: interrupted; it is unchanged"
    )
    result = Cli(old)("checkin", "--date", "2026-11-01")
    assert result.exit_code == 0, result.stderr
    assert len(Cli(old).json("list")) == 3
    backups = {p.name for p in tmp_path.glob("old-backup-*")}
    day = current_day().isoformat()
    v = db.LATEST
    assert backups == {f"old-backup-{day}-v1-to-v{v}.db", f"old-backup-{day}-v1-to-v{v}-2.db"}


def test_two_processes_upgrading_at_once_upgrade_once(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "diary-v1.db", old)
    old.chmod(0o600)  # git checks files out 0644
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "migraine_diary", "--db", str(old), "checkin", "-d", "today"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], outputs
    assert len(Cli(old).json("list")) == 3
    assert sum("Upgraded the diary" in err for _, err in outputs) == 1
    assert len(list(tmp_path.glob("old-backup-*"))) == 1
    assert scalar(old, "SELECT version FROM schema_version") == db.LATEST


# ---------------------------------------------------------------------------- hostile input


def _commands() -> list[tuple[list[str], Any]]:
    """Every command of the app, subcommands included: new commands are fuzzed too."""
    found: list[tuple[list[str], Any]] = []

    def walk(prefix: list[str], command: Any) -> None:
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                walk([*prefix, name], sub)
        else:
            found.append((prefix, command))

    walk([], typer.main.get_command(app))
    return found


COMMAND_LIST = _commands()
ODD_TEXT = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        "11",
        "1e309",
        "nan",
        "-inf",
        "99999999999999999999999",
        "2026-11-20",
        "2026-02-30",
        "yesterday 17:00",
        "9999-12-31 23:59",
        "0001-01-01",
        INJECTION,
        "Robert'); DROP TABLE attack;--",
        "[bold]x[/bold] :smile:",
        "x" * 6000,
        "\x00",
        "a\x00b",
        "line\nbreak",
        "\r\n",
        "\udce9",  # a Latin-1 byte in a UTF-8 command line
        "-",
        "--help",
        "../../etc/passwd",
        "1",
        "2",
    ]
)
ARG_TEXT = st.one_of(ODD_TEXT, st.text(max_size=40))


def _draw_args(data: st.DataObject, command: Any, sandbox: Path) -> list[str]:
    """Arbitrary text for every argument and option of one command. Paths are kept inside
    the sandbox (the text becomes a file name there), so no example writes elsewhere."""
    args: list[str] = []
    for param in command.params:
        if getattr(param, "name", None) == "help":
            continue
        descriptor = getattr(param, "type_descriptor", None)
        is_path = "Path" in repr(getattr(descriptor, "annotation", None) or param.type)
        if param.param_type_name == "argument":
            value = data.draw(ARG_TEXT)
            args.append(str(sandbox / value.replace("/", "_")) if is_path else value)
            continue
        if not data.draw(st.booleans()):
            continue
        option = data.draw(st.sampled_from(list(param.opts)))
        if getattr(param, "is_flag", False):
            args.append(data.draw(st.sampled_from([option, *param.secondary_opts])))
            continue
        for _ in range(data.draw(st.integers(1, 2)) if param.multiple else 1):
            value = data.draw(ARG_TEXT)
            args += [option, str(sandbox / value.replace("/", "_")) if is_path else value]
    return data.draw(st.permutations(args)) if data.draw(st.booleans()) else args


FUZZ = {"examples": 6}


@pytest.mark.parametrize(
    ("words", "command"), COMMAND_LIST, ids=[" ".join(w) for w, _ in COMMAND_LIST]
)
def test_any_text_for_any_command_is_handled(
    words: list[str],
    command: Any,
    seeded: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    run_fuzz(words, command, seeded, tmp_path, monkeypatch, FUZZ["examples"])


def run_fuzz(
    words: list[str],
    command: Any,
    seeded: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    examples: int,
) -> None:
    """Never a traceback, exit code 0, 1 or 2, and a refused command leaves the diary as it
    was (file, log, and the folder around it)."""
    import tempfile
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    runner = CliRunner()
    counter = iter(range(10**9))

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        sandbox = tmp_path / f"case-{next(counter)}"
        sandbox.mkdir(mode=0o700)
        path = sandbox / "diary.db"
        shutil.copy(seeded, path)
        args = _draw_args(data, command, sandbox)
        before = _state(sandbox)
        result = runner.invoke(app, ["--db", str(path), *words, *args], input="")
        shown = f"{words} {args!r}: {result.exit_code} {result.stdout[-300:]!r}"
        shown += f" {result.stderr[-300:]!r}"
        assert result.exit_code in (0, 1, 2), shown
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            shown,
            result.exception,
        )
        assert "Traceback" not in result.stdout + result.stderr, shown
        if result.exit_code != 0:
            assert _state(sandbox) == before, shown
            assert result.stderr.startswith("migraine: error: "), shown
        assert integrity(path) == "ok"

    check()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", ""], "session ID must be a whole number, 1 or more (got '')"),
        (["edit", "x", "--later", "3"], "session ID must be a whole number, 1 or more (got 'x')"),
        (["list", "--limit", "0"], "limit must be a whole number, 1 or more (got '0')"),
    ],
)  # fmt: skip
@pytest.mark.sqlite_only  # refused by Typer before any diary is opened: nothing of the engine
def test_values_typer_cannot_convert_are_one_line_exit_2(
    cli: Cli, diary: Path, args: list[str], message: str
) -> None:
    """These printed a two-page traceback: Typer's own conversion errors were re-raised."""
    before = fingerprint(diary)
    result = cli(*args)
    assert result.exit_code == 2
    assert one_line_error(result.stderr) == message
    assert fingerprint(diary) == before


def test_text_that_is_not_utf8_is_refused_or_shown_escaped(cli: Cli, diary: Path | str) -> None:
    """A byte of another encoding on the command line reaches Python as a lone surrogate: it
    cannot be stored, and printing it must not fail after the work is done."""
    before = fingerprint(diary)
    for args in (
        ["attack", "log", "--hours", "2", "--peak", "5", "--notes", "caf\udce9"],
        ["log", "cst", "-m", "45", "-b", "5", "-a", "4", "--notes", "caf\udce9"],
    ):
        result = cli(*args)
        assert result.exit_code == 2
        assert one_line_error(result.stderr) == (
            "notes must be UTF-8 text: it holds a byte from another encoding (check the "
            "terminal's or the file's encoding)"
        )
    result = cli("list", "--therapy", "caf\udce9")  # no rule to check: refused at storage
    assert result.exit_code == 2
    assert one_line_error(result.stderr) == (
        "some of the text given is not valid UTF-8 (a byte from another encoding? check the "
        "terminal's or the file's encoding); nothing was written"
    )
    assert fingerprint(diary) == before


@pytest.mark.sqlite_only  # a backup is a copy of the diary file
def test_a_backup_name_that_is_not_utf8_is_shown_escaped(
    cli: Cli, diary: Path, tmp_path: Path
) -> None:
    target = tmp_path / "caf\udce9.db"
    result = cli("backup", str(target))
    assert result.exit_code == 0, result.stderr
    assert "caf\\udce9.db" in result.stdout
    assert target.exists()


# A right-to-left override is no longer a name at all (issue 12): refused in
# test_ranges.py::test_bidi_and_control_characters_are_refused_in_names.
INJECTION_NAMES = [INJECTION, "Robert'); DROP TABLE attack;--", '" OR 1=1 --']


@pytest.mark.parametrize("name", INJECTION_NAMES)
def test_sql_in_names_is_stored_as_text(cli: Cli, name: str) -> None:
    cli.ok(
        "log",
        name,
        "-m",
        "45",
        "-b",
        "5",
        "-a",
        "4",
        "--new-therapy",
        "--provider",
        name,
        "--notes",
        name,
    )
    cli.ok(
        "attack", "log", "--hours", "2", "--peak", "5", "--med", f"{name}=helpful", "--notes", name
    )
    (session,) = cli.json("list")
    assert (session["therapy"], session["provider"], session["notes"]) == (name, name, name)
    (attack,) = cli.json("attack", "list")
    assert attack["notes"] == name
    assert [m["name"] for m in attack["medications"]] == [name]
    assert cli.ok("check").stdout.endswith("Verdict: healthy.\n")


# ---------------------------------------------------------------------------- hostile CSV

CELL = st.one_of(
    st.sampled_from(
        [
            "",
            "5",
            "45",
            "0",
            "11",
            "-1",
            "2026-11-01",
            "2026-11-01T10:00:00+00:00",
            "11/16/24 13:12",
            "01h 00m",
            "true",
            "no",
            "90.00",
            "cst",
            INJECTION,
            "Sumatriptan 50mg",
            "No medication",
            '"',
            'a"b',
            "=cmd|' /C calc'!A0",
        ]
    ),
    st.text(max_size=20),
)


@st.composite
def hostile_csv(draw: st.DrawFn, columns: list[str]) -> bytes:
    """A CSV that is nearly right, or not at all: shuffled, duplicate and missing columns,
    ragged rows, odd cells, quotes left open, random bytes, any encoding and line end."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300))
    header = draw(st.lists(st.sampled_from([*columns, "extra", ""]), max_size=len(columns) + 2))
    if draw(st.booleans()):
        header = list(columns)
    rows = draw(st.lists(st.lists(CELL, max_size=len(header) + 1), max_size=5))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
    if draw(st.booleans()):
        writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    if draw(st.integers(0, 5)) == 0:
        text = text[: draw(st.integers(0, len(text)))] + '"open quote'
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


SPECIAL_CSV = [
    b"",
    b"\xef\xbb\xbf",
    b"when,therapy,minutes,pain_before,pain_after\r\n",
    b"when,when,therapy,minutes,pain_before,pain_after\n2026-11-01,2026-11-01,cst,45,5,4\n",
    b"therapy,minutes\ncst,45\n",
    "when,therapy,minutes,pain_before,pain_after\n2026-11-01,caf\xe9,45,5,4\n".encode("latin-1"),
    b'when,therapy,minutes,pain_before,pain_after\n2026-11-01,"cst,45,5,4\n',
    b"when,therapy,minutes,pain_before,pain_after,notes\n2026-11-01,cst,45,5,4,"
    + b"x" * (10 * 1024 * 1024)
    + b"\n",
    b'"#","Started","Lasted"\n"1","' + b"y" * (10 * 1024 * 1024) + b'","01h 00m"\n',
    b"\x00\x01\x02\xff\xfe",
]


def _import_checked(cli: Cli, db_path: Path, file: Path, args: list[str]) -> None:
    before = fingerprint(db_path)
    result = cli("import", *args, str(file))
    shown = (args, result.exit_code, result.stdout[-300:], result.stderr[-300:])
    assert result.exit_code in (0, 1, 2), shown
    assert result.exception is None or isinstance(result.exception, SystemExit), shown
    assert "Traceback" not in result.stdout + result.stderr, shown
    if result.exit_code != 0 or "--dry-run" in args:
        assert fingerprint(db_path) == before, shown


@pytest.mark.parametrize("content", SPECIAL_CSV, ids=range(len(SPECIAL_CSV)))
@pytest.mark.parametrize("fmt", ["csv", "migraine-buddy"])
@pytest.mark.sqlite_only  # files refused while read, before the diary; 20 diaries on PostgreSQL
def test_special_import_files(
    cli: Cli, diary: Path, tmp_path: Path, content: bytes, fmt: str
) -> None:
    file = tmp_path / "in.csv"
    file.write_bytes(content)
    for extra in ([], ["--dry-run"], ["--skip-bad"] if fmt != "csv" else []):
        _import_checked(cli, diary, file, ["--format", fmt, *extra])
    assert integrity(diary) == "ok"


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    content=st.one_of(hostile_csv(list(FIELDS)), hostile_csv(BUDDY_COLUMNS)),
    fmt=st.sampled_from(["csv", "migraine-buddy"]),
    dry_run=st.booleans(),
)
def test_any_import_file_is_handled(
    tmp_path_factory: pytest.TempPathFactory, seeded: Path, content: bytes, fmt: str, dry_run: bool
) -> None:
    folder = tmp_path_factory.mktemp("csv")
    path = folder / "diary.db"
    shutil.copy(seeded, path)
    file = folder / "in.csv"
    file.write_bytes(content)
    _import_checked(Cli(path), path, file, ["--format", fmt, *(["--dry-run"] if dry_run else [])])


# ---------------------------------------------------------------------------- privacy


def test_no_socket_can_be_opened_in_tests(no_network: list[str]) -> None:
    with pytest.raises(OSError, match="network access in a test"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(OSError, match="network access in a test"):
        socket.create_connection(("example.org", 443))
    left, right = socket.socketpair()  # local pairs are not network
    left.close()
    right.close()
    assert len(no_network) == 2
    no_network.clear()


@pytest.mark.sqlite_only  # backup and the file's check; libpq's socket is out of Python's sight
def test_main_commands_open_no_network(
    cli: Cli, diary: Path, tmp_path: Path, no_network: list[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    for args in (
        ["list"],
        ["summary"],
        ["stats"],
        ["therapies"],
        ["attack", "list"],
        ["calendar"],
        ["meds"],
        ["export", "--output", str(out / "s.csv")],
        ["export", "--format", "json", "--output", str(out / "s.json")],
        ["import", str(write_sessions_csv(out / "in.csv", 3))],
        ["backup", str(out / "copy.db")],
        ["check"],
        ["report", "--format", "md"],
        ["report", "--output", str(out / "r.html")],
    ):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
    assert no_network == []


def test_exports_and_backups_are_private(cli: Cli, diary: Path | str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    cli.ok("export", "--output", str(out / "s.csv"))
    cli.ok("export", "--format", "json", "--output", str(out / "s.json"))
    expected = {"s.csv": 0o600, "s.json": 0o600}
    if not cli.on_postgres:  # a backup copies a diary file (a database has pg_dump)
        cli.ok("backup", str(out / "copy.db"))
        expected["copy.db"] = 0o600
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert modes == expected


def test_error_messages_never_echo_a_note(cli: Cli, diary: Path | str, tmp_path: Path) -> None:
    note = "SECRET about my health " + "x" * 5000
    rule = (
        "notes must be text of at most 5000 characters without NUL characters, or empty "
        "(got 5023 characters; "
    )
    for args in (
        ["log", "cst", "-m", "45", "-b", "5", "-a", "4", "--notes", note],
        ["edit", "1", "--notes", note],
        ["attack", "log", "--hours", "2", "--peak", "5", "--notes", note],
    ):
        result = cli(*args)
        assert result.exit_code == 2
        assert one_line_error(result.stderr).startswith(rule)
        assert "SECRET" not in result.stderr + result.stdout
    file = tmp_path / "in.csv"
    file.write_text(
        f"when,therapy,minutes,pain_before,pain_after,notes\n2026-11-01,cst,45,5,4,{note}\n"
    )
    result = cli("import", str(file))
    assert result.exit_code == 2
    assert f"line 2: {rule}" in result.stderr
    assert "SECRET" not in result.stderr
