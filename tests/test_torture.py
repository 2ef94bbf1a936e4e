"""Nothing lost (the slow part): many writers at once, SIGKILL at random points during a
100,000-row import and during an upgrade, a disk that fills up at random sizes, backups taken
while another process writes, and a longer run of the hostile-input fuzzing.

Run alone with `python -m pytest -m slow -s -n 0` (the -s shows the figures each test
measures); CI runs them with everything else. The trials assert only what must hold (nothing
inconsistent, nothing lost); how many kills landed on time depends on the machine's load, so a
trial whose child ended before its kill retries a few times, then reports what it achieved.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli
from migraine_diary import storage as db
from test_reliability import (
    COMMAND_LIST,
    DISK_FULL,
    FIXTURES,
    dump,
    integrity,
    migraine,
    one_line_error,
    run_fuzz,
    scalar,
    with_file_size_limit,
    write_sessions_csv,
)

pytestmark = pytest.mark.slow
# One xdist worker runs the timed trials one after another: each keeps both cores busy.
one_at_a_time = pytest.mark.xdist_group("torture")
SEED = 20261126
# Large enough that the import's phases (start-up, reading and checking every row, writing,
# commit) each last long enough to be killed in; more rows only make each phase longer.
IMPORT_ROWS = 30_000
KILL_TRIALS = 12  # per crash test, half of them at any moment, half while it writes
KILL_TRIES = 4  # a trial whose child ended before the kill tries again, with half the delay

# A worker process: imports the program once, then runs each command in a forked child, so
# every command is its own process with its own connection, exit code and stderr (as
# `python -m migraine_diary` would be) without paying the interpreter's start-up 400 times.
WORKER = r"""
import json, os, sys, time
import migraine_diary.cli.app as cli
import migraine_diary.diary.attacks, migraine_diary.diary.sessions  # warm imports
import migraine_diary.transfer.sessions
import migraine_diary.render.sessions, migraine_diary.render.attacks
import migraine_diary.storage.sqlite.care

commands, folder = json.loads(sys.argv[1]), sys.argv[2]
results = []
for n, args in enumerate(commands):
    err = os.path.join(folder, f"err-{os.getpid()}-{n}")
    pid = os.fork()
    if pid == 0:
        fd = os.open(err, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, 2)
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        sys.argv = ["migraine", *args]
        code = 0
        try:
            cli.main()
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
        except BaseException:
            code = 99
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    with open(err) as handle:
        results.append([args, os.waitstatus_to_exitcode(status), handle.read()])
    os.unlink(err)
print(json.dumps(results))
"""


def problems(stderr: str) -> str:
    """What a command said on stderr besides its notes (`migraine: note: ...`, e.g. how to
    record the day of a session): a note is advice, not something gone wrong."""
    return "".join(
        line for line in stderr.splitlines(keepends=True) if not line.startswith("migraine: note: ")
    )


def run_workers(plans: list[list[list[str]]], folder: Path) -> tuple[list[Any], float]:
    """Start one worker per plan at once; their results, and the wall time until all end."""
    start = time.monotonic()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, json.dumps(plan), str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for plan in plans
    ]
    outputs = [p.communicate(timeout=600) for p in procs]
    elapsed = time.monotonic() - start
    assert [p.returncode for p in procs] == [0] * len(procs), [err for _, err in outputs]
    return [r for out, _ in outputs for r in json.loads(out)], elapsed


def when(n: int) -> str:
    return f"2026-{1 + n % 10:02d}-{1 + n % 28:02d} {n % 24:02d}:{n % 60:02d}"


def log_args(db_path: Path, therapy: str, note: str, n: int) -> list[str]:
    return ["--db", str(db_path), "log", therapy, "-m", "45", "-b", "5", "-a", "4",
            "--when", when(n), "--notes", note, "--new-therapy"]  # fmt: skip


# ---------------------------------------------------------------------------- writers


WRITES = 28  # per writer (a multiple of 4): every pair of writers collides many times


@one_at_a_time
def test_four_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    seed = Cli(path)
    for n in range(2):
        seed.log("cst", when=when(n), notes=f"seed {n}")
    d = ["--db", str(path)]
    plans: list[list[list[str]]] = [[], [], [], []]
    expected_notes = {"seed 1"}
    for i in range(WRITES):
        plans[0].append(log_args(path, "cst", f"w0 {i}", i))
        plans[1].append(log_args(path, f"therapy {i % 7}", f"w1 {i}", i))
        expected_notes |= {f"w0 {i}", f"w1 {i}"}
    for i in range(WRITES // 2):
        plans[2].append(log_args(path, "acupuncture", f"w2 {i}", i))
        expected_notes.add(f"w2 {i}")
        if i % 2:
            plans[2].append([*d, "edit", "1", "--later", str(i % 11)])
        else:
            # Two writers log attacks at the same moments: overlaps on purpose.
            plans[2].append([*d, "attack", "log", "--when", when(i), "--hours", "2",
                             "--peak", "5", "--notes", f"w2 attack {i}",
                             "--allow-overlap"])  # fmt: skip
    for i in range(WRITES // 4):
        rows = write_sessions_csv(tmp_path / f"import-{i}.csv", 5, marker=f"w3 import {i}")
        expected_notes |= {f"w3 import {i} {r}" for r in range(5)}
        plans[3] += [
            [*d, "import", str(rows)],
            [*d, "edit", "1", "--notes", f"w3 edit {i}"],
            [*d, "attack", "log", "--when", when(i), "--hours", "3", "--peak", "6",
             "--notes", f"w3 attack {i}", "--allow-overlap"],
            [*d, *(["list"], ["summary"], ["check"], ["attack", "list"], ["export"])[i % 5]],
        ]  # fmt: skip
    results, elapsed = run_workers(plans, tmp_path)

    codes = Counter(code for _, code, _ in results)
    messages = [problems(err) for _, _, err in results if problems(err)]
    with closing(sqlite3.connect(path)) as conn:
        notes = Counter(r[0] for r in conn.execute("SELECT notes FROM session"))
        attack_notes = Counter(r[0] for r in conn.execute("SELECT notes FROM attack"))
        later, last_note = conn.execute(
            "SELECT pain_later, notes FROM session WHERE id = 1"
        ).fetchone()
    print(
        f"\n[writers] 4 processes, {len(results)} commands ({sum(len(p) for p in plans)} "
        f"planned), {sum(notes.values())} sessions and {sum(attack_notes.values())} attacks "
        f"stored, exit codes {dict(codes)}, stderr lines {len(messages)}, {elapsed:.1f} s"
        + "".join(
            f"\n  {args[2:]}: exit {code}, {err!r}" for args, code, err in results if problems(err)
        )
    )
    assert codes == {0: 4 * WRITES}, messages[:5]
    assert messages == []  # no "database is locked", nor anything else, reached a user
    last_edit = f"w3 edit {WRITES // 4 - 1}"
    expected_notes.add(last_edit)  # session 1 kept both concurrent edits' last values
    assert notes == Counter(expected_notes)  # every row present exactly once
    assert (later, last_note) == ((WRITES // 2 - 1) % 11, last_edit)
    assert attack_notes == Counter(
        [f"w2 attack {i}" for i in range(0, WRITES // 2, 2)]
        + [f"w3 attack {i}" for i in range(WRITES // 4)]
    )
    assert integrity(path) == "ok"
    assert Cli(path).ok("check").stdout.endswith("Verdict: healthy.\n")


@one_at_a_time
def test_four_real_processes_logging_at_once(tmp_path: Path) -> None:
    """The same with the interpreter started for every command, as a person runs it."""
    path = tmp_path / "shared.db"
    start = time.monotonic()
    procs = [
        [subprocess.Popen([sys.executable, "-m", "migraine_diary",
                           *log_args(path, "cst", f"p{p} {i}", i)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
         for p in range(4)]
        for i in range(3)
    ]  # fmt: skip
    errors = [problems(proc.communicate(timeout=600)[1]) for batch in procs for proc in batch]
    elapsed = time.monotonic() - start
    print(f"\n[real processes] 12 `python -m migraine_diary log`, 4 at a time: {elapsed:.1f} s")
    assert [proc.returncode for batch in procs for proc in batch] == [0] * 12, errors
    assert errors == [""] * 12
    assert scalar(path, "SELECT COUNT(DISTINCT notes) FROM session") == 12
    assert integrity(path) == "ok"


BACKUP_WRITES = 30  # time for hundreds of backups, each at a different moment


@one_at_a_time
def test_backups_taken_while_another_process_writes_are_consistent(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    Cli(path).log("cst", when=when(0), notes="w 0")
    writer = subprocess.Popen(
        [sys.executable, "-c", WORKER,
         json.dumps([log_args(path, "cst", f"w {i}", i) for i in range(1, BACKUP_WRITES)]),
         str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    copies: list[int] = []
    n = 0
    while writer.poll() is None or not copies:  # at least one copy, however fast it writes
        target = tmp_path / f"copy-{n}.db"
        result = Cli(path)("backup", str(target))
        assert result.exit_code == 0, result.stderr
        assert integrity(target) == "ok"
        with closing(sqlite3.connect(target)) as conn:
            taken = {r[0] for r in conn.execute("SELECT notes FROM session")}
        # One consistent moment: the writer logs in order, so a copy holds w 0 ... w k-1.
        assert taken == {f"w {i}" for i in range(len(taken))}
        copies.append(len(taken))
        n += 1
    out, err = writer.communicate()
    assert all(code == 0 and not problems(stderr) for _, code, stderr in json.loads(out)), err
    report = (
        f"[backup] {len(copies)} backups during {BACKUP_WRITES - 1} writes, each one "
        f"consistent moment (sessions in them: {copies[0]} to {copies[-1]})"
    )
    print("\n" + report)
    if len(set(copies)) < 3:  # the machine was too busy for backups between the writes
        warnings.warn(f"only {len(set(copies))} distinct moments copied: {report}", stacklevel=1)
    assert copies == sorted(copies)
    assert scalar(path, "SELECT COUNT(*) FROM session") == BACKUP_WRITES


# ---------------------------------------------------------------------------- crashes


@pytest.fixture(scope="module")
def big_import(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    return write_sessions_csv(folder / "big.csv", IMPORT_ROWS, marker="crash")


def _kill(argv: list[str], started: Callable[[], bool], delay: float) -> tuple[bool, float | None]:
    """Run a child; once `started()` says the phase under test has begun (polled every 2 ms),
    wait `delay` seconds more and SIGKILL it. Returns (killed, seconds from the start of the
    phase to the child's own end when it was not killed)."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while proc.poll() is None and not started():
        time.sleep(0.002)
    began = time.monotonic()
    while proc.poll() is None and time.monotonic() - began < delay:
        time.sleep(0.002)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=600)
    return killed, None if killed else time.monotonic() - began


Attempt = Callable[[int], tuple[list[str], Callable[[], bool]]]


def _kill_trial(attempt: Attempt, delay: float) -> list[bool]:
    """One trial: prepare a fresh copy (`attempt(n)` gives the child's argv and its start
    test) and kill the child `delay` seconds into the phase. A child that ended first (a busy
    machine stretches everything but the delay) leaves a finished copy, also checked, and the
    trial tries again with half the delay, at most KILL_TRIES times. Whether each try was
    killed."""
    tries: list[bool] = []
    for n in range(KILL_TRIES):
        argv, started = attempt(n)
        killed, _ = _kill(argv, started, delay)
        tries.append(killed)
        if killed:
            break
        delay /= 2
    return tries


def _in_pairs(trials: list[Callable[[], Any]]) -> list[Any]:
    """Two trials at a time (CI has 2 cores): each is a child process and a timer."""
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda trial: trial(), trials))


def _report_kills(name: str, results: list[list[bool]], wanted: int, summary: str) -> None:
    """Print what the trials achieved; warn when fewer kills landed than the trial aims at.
    This is the machine's load, not the program's fault, so it never fails the test."""
    killed = sum(any(tries) for tries in results)
    retries = sum(len(tries) - 1 for tries in results)
    line = f"[crash: {name}] {len(results)} trials, {killed} killed ({retries} retries), {summary}"
    print("\n" + line)
    if killed < wanted:
        warnings.warn(f"fewer kills than the {wanted} aimed at: {line}", stacklevel=1)


def _writing(wal: Path) -> Callable[[], bool]:
    """Whether the write-ahead log holds changes: the import has begun writing."""

    def check() -> bool:
        try:
            return wal.stat().st_size > 0
        except FileNotFoundError:  # not yet, or the child has ended and tidied it away
            return False

    return check


def _import_command(path: Path, csv_file: Path) -> list[str]:
    return [sys.executable, "-m", "migraine_diary", "--db", str(path), "import", str(csv_file)]


@one_at_a_time
def test_import_killed_at_random_points_is_all_or_nothing(tmp_path: Path, big_import: Path) -> None:
    base = tmp_path / "base.db"
    for n in range(3):
        Cli(base).log("cst", when=when(n), notes=f"before {n}")
    full = tmp_path / "full.db"
    shutil.copy(base, full)

    # The whole run and its writing phase, measured once: the range the kills are drawn from.
    start = time.monotonic()
    killed, write_time = _kill(
        _import_command(full, big_import), _writing(Path(f"{full}-wal")), float("inf")
    )
    whole = time.monotonic() - start
    assert not killed
    assert write_time is not None
    assert scalar(full, "SELECT COUNT(*) FROM session") == 3 + IMPORT_ROWS

    rng = random.Random(SEED)
    paths: list[Path] = []

    def attempt(trial: int, anywhere: bool) -> Attempt:
        def prepare(n: int) -> tuple[list[str], Callable[[], bool]]:
            path = tmp_path / f"trial-{trial}-{n}.db"
            shutil.copy(base, path)
            paths.append(path)
            started = (lambda: True) if anywhere else _writing(Path(f"{path}-wal"))
            return _import_command(path, big_import), started

        return prepare

    trials = []
    for trial in range(KILL_TRIALS):
        # Odd trials: anywhere in the run, from the interpreter's start on. Even ones: while
        # it writes (the short end of the run, after every row is checked).
        anywhere = bool(trial % 2)
        delay = rng.uniform(0.05, whole) if anywhere else rng.uniform(0, write_time)
        trials.append(partial(_kill_trial, attempt(trial, anywhere), delay))
    start = time.monotonic()
    results = _in_pairs(trials)
    outcomes: Counter[str] = Counter()
    for n, path in enumerate(sorted(paths)):
        assert integrity(path) == "ok", path.name
        count = scalar(path, "SELECT COUNT(*) FROM session")
        assert count in (3, 3 + IMPORT_ROWS), (path.name, count)
        outcomes["all" if count > 3 else "none"] += 1
        if n < 4:  # and it opens as a diary, fit for the next command
            assert Cli(path).ok("check").stdout.endswith("Verdict: healthy.\n")
            assert len(Cli(path).json("list", "--limit", "5")) == min(count, 5)
    while_writing = sum(any(tries) for n, tries in enumerate(results) if n % 2 == 0)
    _report_kills(
        "import",
        results,
        KILL_TRIALS * 5 // 6,
        f"{while_writing} while writing; full import of {IMPORT_ROWS} rows {whole:.1f} s "
        f"(writing {write_time:.1f} s); {len(paths)} copies, outcomes {dict(outcomes)}, "
        f"0 inconsistent, {time.monotonic() - start:.1f} s",
    )
    if while_writing < KILL_TRIALS // 2 * 5 // 6:
        warnings.warn(f"only {while_writing} kills while writing", stacklevel=1)


HEAVY_STEP = [
    "CREATE TABLE churn AS SELECT * FROM session",
    "UPDATE session SET notes = coalesce(notes, '') || ''",
    "CREATE INDEX ix_churn_notes ON churn (notes)",
]
PATCHED_CHILD = (
    "import sys\n"
    "import migraine_diary.storage.schema as schema\n"
    f"schema.MIGRATIONS.append({HEAVY_STEP!r})\n"
    "schema.LATEST = len(schema.MIGRATIONS)\n"
    "from migraine_diary.cli.app import main\n"
    "sys.argv = ['migraine', '--db', sys.argv[1], 'checkin', '--date', '2026-11-01']\n"
    "main()\n"
)
UPGRADE_ROWS = 20_000  # makes the backup and the extra step each long enough to be killed in


@one_at_a_time
def test_upgrade_killed_at_random_points_is_old_or_new(tmp_path: Path) -> None:
    """A v1 diary of 20,000 sessions, upgraded by the real migrations plus a slow extra step
    (so that there is a 'halfway' to kill it at), from the start of its backup on."""
    old = tmp_path / "old.db"
    shutil.copy(FIXTURES / "diary-v1.db", old)
    with closing(sqlite3.connect(old)) as conn, conn:
        conn.executemany(
            'INSERT INTO session (therapy_id, "when", minutes, pain_before, pain_after, notes)'
            " VALUES (1, ?, 45, 5, 4, ?)",
            [
                (f"2025-01-01T00:00:{n % 60:02d}Z", f"old {n} " + "n" * 200)
                for n in range(UPGRADE_ROWS)
            ],
        )
    rows = scalar(old, "SELECT COUNT(*) FROM session")
    original = dump(old)
    latest = db.LATEST + 1

    def upgrading(folder: Path) -> Callable[[], bool]:
        return lambda: any(folder.glob(".old-backup-*"))

    full = tmp_path / "full" / "old.db"
    full.parent.mkdir(mode=0o700)
    shutil.copy(old, full)
    argv = [sys.executable, "-c", PATCHED_CHILD]
    # Measure the window to kill in: from the backup's first byte to the upgrade's commit.
    child = subprocess.Popen([*argv, str(full)], stdout=subprocess.DEVNULL)
    while child.poll() is None and not upgrading(full.parent)():
        time.sleep(0.001)
    began = time.monotonic()
    while scalar(full, "SELECT version FROM schema_version") != latest:
        time.sleep(0.001)
    upgrade_time = time.monotonic() - began
    assert child.wait(timeout=600) == 0

    rng = random.Random(SEED)
    folders: list[Path] = []

    def attempt(trial: int) -> Attempt:
        def prepare(n: int) -> tuple[list[str], Callable[[], bool]]:
            folder = tmp_path / f"trial-{trial}-{n}"
            folder.mkdir(mode=0o700)
            shutil.copy(old, folder / "old.db")
            folders.append(folder)
            return [*argv, str(folder / "old.db")], upgrading(folder)

        return prepare

    trials = []
    for trial in range(KILL_TRIALS):
        delay = rng.uniform(0, 2 * upgrade_time)  # two run at once: each takes longer
        trials.append(partial(_kill_trial, attempt(trial), delay))
    start = time.monotonic()
    results = _in_pairs(trials)
    outcomes: Counter[str] = Counter()
    leftovers = retried = 0
    for folder in sorted(folders):
        path = folder / "old.db"
        assert integrity(path) == "ok", folder.name
        version = scalar(path, "SELECT version FROM schema_version")
        if version == 1:
            assert dump(path) == original, folder.name  # the old diary, every row, nothing else
            # With the backup complete, the kill came while the migrations ran.
            outcomes[
                "old, during the migrations"
                if any(folder.glob("old-backup-*"))
                else "old, during the backup"
            ] += 1
        else:
            assert version == latest, folder.name
            assert scalar(path, "SELECT COUNT(*) FROM churn") == rows
            assert scalar(path, "SELECT COUNT(*) FROM attack") == 0
            outcomes["new"] += 1
        for backup in folder.glob("old-backup-*"):  # a backup is whole, or not there
            assert dump(backup) == original, (folder.name, backup)
        leftovers += len(list(folder.glob(".old-backup-*")))
        if version == 1 and retried < 3:  # the real program then upgrades it as usual
            result = migraine(path, "checkin", "--date", "2026-11-01")  # reads never upgrade
            assert result.returncode == 0, result.stderr
            assert scalar(path, "SELECT version FROM schema_version") == db.LATEST
            assert not list(folder.glob(".*"))  # and tidies an unfinished copy away
            retried += 1
    _report_kills(
        "upgrade",
        results,
        KILL_TRIALS * 3 // 4,
        f"upgrade of {rows} sessions (backup and migrations) {upgrade_time:.2f} s; "
        f"{len(folders)} copies, outcomes {dict(outcomes)}, 0 inconsistent, {leftovers} "
        f"unfinished backup copies left (hidden), {time.monotonic() - start:.1f} s",
    )
    old_outcomes = outcomes["old, during the backup"] + outcomes["old, during the migrations"]
    if old_outcomes < KILL_TRIALS // 4:
        warnings.warn(f"only {old_outcomes} kills left the old diary", stacklevel=1)


@one_at_a_time
def test_disk_full_at_random_sizes_during_a_big_import(tmp_path: Path, big_import: Path) -> None:
    base = tmp_path / "base.db"
    Cli(base).log("cst", when=when(0), notes="before")
    before = dump(base)
    rng = random.Random(SEED)
    start = time.monotonic()
    # Every limit lies below what the rows need (about 120 bytes each), so each import fills
    # the "disk" somewhere between its first write and its commit.
    sizes = sorted(rng.randrange(base.stat().st_size, 120 * IMPORT_ROWS) for _ in range(4))

    def import_with_limit(size: int) -> subprocess.CompletedProcess[str]:
        path = tmp_path / f"limit-{size}.db"
        shutil.copy(base, path)
        return migraine(path, "import", str(big_import), preexec=with_file_size_limit(size))

    results = _in_pairs([partial(import_with_limit, size) for size in sizes])
    for size, result in zip(sizes, results, strict=True):
        path = tmp_path / f"limit-{size}.db"
        assert result.returncode == 1, (size, result.stderr)
        assert one_line_error(result.stderr).endswith(DISK_FULL), size
        assert integrity(path) == "ok"
        assert dump(path) == before
    print(
        f"\n[full disk] {len(sizes)} file-size limits from {sizes[0]} to {sizes[-1]} bytes "
        f"during a {IMPORT_ROWS}-row import: 0 partial writes, {time.monotonic() - start:.1f} s"
    )


# ---------------------------------------------------------------------------- hostile input


@pytest.mark.parametrize(
    ("words", "command"), COMMAND_LIST, ids=[" ".join(w) for w, _ in COMMAND_LIST]
)
def test_any_text_for_any_command_longer_run(
    words: list[str], command: Any, seeded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_fuzz(words, command, seeded, tmp_path, monkeypatch, examples=25)
