"""Speed and scale benchmark for `migraine` (issue 4): whole processes, against baselines
measured in the same run. Run by hand, never from the test suite.

Usage (from the repository, with the virtualenv's Python so `migraine` is the installed one):

    .venv/bin/python benchmarks/run.py                       # full run: 10k, 100k and 1M sessions
    .venv/bin/python benchmarks/run.py --sizes 10k --runs 2  # quick check, under a minute
    .venv/bin/python benchmarks/run.py --json results.json   # also save every timing as JSON
    .venv/bin/python benchmarks/run.py --keep /tmp/bench     # keep (and next time reuse) diaries
    .venv/bin/python benchmarks/run.py --sizes 10k --runs 3 --postgres   # + PostgreSQL, 1M

Options: --sizes (comma list; 10k, 100k, 1m or plain numbers), --runs N timed runs per
command (default 5), --large-runs N for sizes of 1M and more (default 3), --json FILE,
--keep DIR (diaries are built there and reused when present; `log` adds a few rows each run),
--postgres (also the PostgreSQL rows, below; off by default), --pg-sessions N (default 1m),
--pg-no-stats (leave out `stats --all-clients`, about 20 s a run at 1M).

PostgreSQL rows (issue 19, --postgres): a throwaway server from tests/postgres.py (initdb in a
temporary folder, Unix socket only; a line says why when none can start), a database made by
`migraine upgrade`, filled by COPY with N sessions (synthetic_rows' mix, 30/45/60 minutes)
over 500 clients `client-001`... with skewed shares, then VACUUM ANALYZE. Timed as the owner,
who sees every client: `export --format csv` (row count checked) against psql's COPY of the
same columns, `summary` against psql's GROUP BY, `stats --all-clients craniosacral`, and
`log` in rounds: one alone, then 8 at once (`--client client-001` to `-008`), checking that
none failed and every row arrived. The fill writes no audit rows (triggers off).

What it does: builds synthetic diaries (created by `migraine_diary.storage.create_diary`, so the
schema is the real one, then filled in one transaction with a fixed seed and a skewed mix of
therapies, lengths, pains, costs, providers and notes), then times each command as users run
it: the `migraine` console script next to sys.executable, with `--db` pointing at the diary.
Each command gets one untimed warm-up run (which also checks its output), then the timed runs;
the table shows the median, min-max, and the peak resident memory of the command's process.
Runs go in rounds (one run of each command of a group, then the next round), so a burst of
load hits a command and its baseline alike. Children get a private HOME and a bytecode cache
in the scratch folder (PYTHONPYCACHEPREFIX), so imports are as fast as an installed package's
and nothing is written into the source tree or the user's data folder; MIGRAINE_DIARY_DB,
PYTHONDONTWRITEBYTECODE and PYTHONUNBUFFERED are removed from their environment.

Peak memory comes from os.wait4 in a tiny launcher process (`python -I -S`) that starts each
command: a child's ru_maxrss starts from the memory of the process that spawned it, so it is
measured from a small launcher, never from this (large) process. The launcher's own size is
a floor under every peak (the `/bin/true` row shows it, about 8 MiB).

Baselines, in the same run: `python -c pass`, `python -c "import typer"`,
`python -c "import sqlmodel"`, and on each diary the sqlite3 shell's `-csv -header` export of
the same columns in the same order as `migraine export`, a GROUP BY doing the same sums as
`migraine summary`, and a plain Python sqlite3 + csv export (used in place of the shell where
the shell is missing). The targets of issue 4 are checked as ratios of medians, PASS or MISS.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from postgres import PostgresServer  # tests/postgres.py

SEED = 20261001
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
LARGE = 1_000_000
TIMEOUT_S = 900.0

# Starts one command, waits for it with wait4 and writes "seconds maxrss exitcode" to a file.
# Run as `python -I -S -c LAUNCHER result-file argv...`: no site, so it stays small.
LAUNCHER = """
import os, sys, time
result, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
elapsed = time.perf_counter() - start
with open(result, "w") as handle:
    handle.write(f"{elapsed!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""

# Same columns, order and text as `migraine export` (db/sessions.py EXPORT_SQL), without the
# formula neutralising: what a person would type into the sqlite3 shell.
EXPORT_BASELINE_SQL = (
    'SELECT s.id AS id, s."when" AS "when", t.name AS therapy, s.minutes AS minutes,'
    " s.pain_before AS pain_before, s.pain_after AS pain_after, s.pain_later AS pain_later,"
    " printf('%d.%02d', s.cost_cents / 100, s.cost_cents % 100) AS cost,"
    " s.provider AS provider,"
    " CASE WHEN s.during_attack THEN 'true' ELSE 'false' END AS during_attack,"
    " s.notes AS notes"
    ' FROM session s JOIN therapy t ON t.id = s.therapy_id ORDER BY s."when", s.id'
)

# The sums `migraine summary` asks for (db/sessions.py SUMMARY_SQL), unfiltered.
SUMMARY_BASELINE_SQL = (
    "SELECT t.name, COUNT(*), SUM(s.minutes), SUM(s.cost_cents),"
    " SUM(CASE WHEN s.pain_before = 0 THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN s.pain_before > 0 THEN s.pain_before ELSE 0 END),"
    " SUM(CASE WHEN s.pain_before > 0 THEN s.pain_after ELSE 0 END),"
    " SUM(CASE WHEN s.pain_before > 0 AND s.pain_before - s.pain_after >= 1 THEN 1 ELSE 0 END),"
    " SUM(CASE WHEN s.pain_before > 0 THEN s.cost_cents ELSE 0 END)"
    " FROM session s JOIN therapy t ON t.id = s.therapy_id"
    " GROUP BY t.id, t.name ORDER BY COUNT(*) DESC, t.name"
)

PYTHON_EXPORT = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
writer = csv.writer(sys.stdout)
cursor = conn.execute(sys.argv[2])
writer.writerow([column[0] for column in cursor.description])
cursor.arraysize = 2000
while rows := cursor.fetchmany():
    writer.writerows(rows)
"""

PYTHON_GROUP_BY = """
import sqlite3, sys
for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
    print(*row, sep="|")
"""

# A typical `log` right after an appointment; every run adds one session.
LOG_ARGS = [
    "craniosacral",
    "-m",
    "45",
    "-b",
    "5",
    "-a",
    "4",
    "-c",
    "90",
    "--when",
    "2026-10-01 16:30",
    "--provider",
    "Harbour Bodywork",
]

# ---------------------------------------------------------------------------- synthetic diaries

# name, share of sessions, providers
THERAPIES = [
    ("craniosacral", 30, ["Harbour Bodywork", "Dr. Lina Petersen"]),
    ("acupuncture", 20, ["Jade Clinic", "M. Okafor"]),
    ("physiotherapy", 15, ["PhysioPlus", "Anna Berg", "City Physio"]),
    ("massage", 12, ["Harbour Bodywork", "Kai"]),
    ("osteopathy", 8, ["Osteo am Markt"]),
    ("sumatriptan", 6, ["Apotheke Nord"]),
    ("chiropractic", 4, ["Back in Line"]),
    ("Yoga Therapy", 3, ["Studio Prana"]),
    ("biofeedback", 2, ["Neuro Lab"]),
]
COMMON_MINUTES = [30, 45, 60, 90]
PAIN_WEIGHTS = [3, 3, 5, 10, 16, 18, 16, 12, 8, 5, 4]  # before, 0-10: mostly 3-7
RELIEF = [-2, -1, 0, 1, 2, 3, 4, 5]
RELIEF_WEIGHTS = [3, 7, 25, 30, 20, 9, 4, 2]  # after = before - relief; some sessions worse
NOTES = [
    "Felt lighter afterwards",
    "Neck stiff, shoulders better",
    'Therapist said "release" twice, no idea',
    "Started during aura\nslept 2 h after",
    "=SUM(A1:A3) is not a formula here",
    "-2 after lunch, then back",
    "+ tea, dark room",
    "@home visit",
    "Kopfschmerz besser, Übelkeit weg",
    "Parking 4.50, not in cost",
    "Line one\r\nline two, with comma",
]
SPAN_DAYS = 3650


def therapy_key(name: str) -> str:
    """As models.therapy_key, without importing the models (SQLModel) into the builder."""
    return " ".join(name.casefold().split())


def synthetic_rows(count: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    """Sessions in roughly the order they were logged, over ten years, in batches."""
    start = datetime(2016, 1, 4, tzinfo=UTC)
    therapy_ids = list(range(1, len(THERAPIES) + 1))
    weights = [share for _, share, _ in THERAPIES]
    batch = 50_000
    for first in range(0, count, batch):
        n = min(batch, count - first)
        therapy = rng.choices(therapy_ids, weights, k=n)
        before = rng.choices(range(11), PAIN_WEIGHTS, k=n)
        relief = rng.choices(RELIEF, RELIEF_WEIGHTS, k=n)
        for i in range(n):
            day = (first + i) * SPAN_DAYS / count
            when = start + timedelta(days=int(day), minutes=rng.randrange(7 * 60, 19 * 60))
            minutes = rng.choice(COMMON_MINUTES) if rng.random() < 0.8 else rng.randrange(15, 121)
            pain_before = before[i]
            pain_after = min(10, max(0, pain_before - relief[i]))
            later = None
            if rng.random() < 0.4:
                later = min(10, max(0, pain_after + rng.choice((-1, 0, 0, 1, 2))))
            roll = rng.random()
            if roll < 0.1:
                cost = 0
            elif roll < 0.75:
                cost = rng.randrange(20, 201, 5) * 100
            else:
                cost = rng.randrange(0, 20_001)
            providers = THERAPIES[therapy[i] - 1][2]
            provider = rng.choice(providers) if rng.random() < 0.85 else None
            attack = 1 if rng.random() < 0.12 else 0
            notes = rng.choice(NOTES) if rng.random() < 0.05 else None
            yield (
                therapy[i],
                when.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                minutes,
                pain_before,
                pain_after,
                later,
                cost,
                provider,
                attack,
                notes,
            )


def build_diary(path: Path, count: int) -> float:
    """Create the diary through the real code path, then bulk-insert; returns seconds."""
    from migraine_diary.storage import create_diary

    begin = time.perf_counter()
    create_diary(path)
    rng = random.Random(SEED + count)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO therapy (name, key) VALUES (?, ?)",
            [(name, therapy_key(name)) for name, _, _ in THERAPIES],
        )
        conn.executemany(
            'INSERT INTO session (therapy_id, "when", minutes, pain_before, pain_after,'
            " pain_later, cost_cents, provider, during_attack, notes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            synthetic_rows(count, rng),
        )
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return time.perf_counter() - begin


def session_count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM session").fetchone()[0])


# ---------------------------------------------------------------------------- measuring


@dataclass
class Result:
    name: str
    size: int | None
    times: list[float] = field(default_factory=list)
    peaks_kib: list[int] = field(default_factory=list)
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def peak_mib(self) -> float:
        return max(self.peaks_kib) / 1024

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "size": self.size}
        if self.times:
            data |= {
                "median_s": round(self.median, 4),
                "min_s": round(min(self.times), 4),
                "max_s": round(max(self.times), 4),
                "peak_mib": round(self.peak_mib, 1),
                "times_s": [round(t, 4) for t in self.times],
            }
        if self.note:
            data["note"] = self.note
        return data


class CommandFailed(RuntimeError):
    pass


@dataclass
class Runner:
    workdir: Path
    env: dict[str, str]

    def once(
        self,
        argv: list[str],
        *,
        env: dict[str, str] | None = None,
        capture: bool = False,
        slot: str = "",
    ) -> tuple[float, int, str]:
        """One run through the launcher: (seconds, peak KiB, stdout if captured); `slot`
        names its own result files, so runs at the same time keep theirs apart."""
        result = self.workdir / f"launcher-result{slot}"
        out_path = self.workdir / f"stdout{slot}"
        err_path = self.workdir / f"stderr{slot}"
        launcher = [sys.executable, "-I", "-S", "-c", LAUNCHER, str(result), *argv]
        with (
            open(out_path if capture else os.devnull, "wb") as out,
            open(err_path, "wb") as err,
        ):
            proc = subprocess.Popen(
                launcher,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=env or self.env,
                start_new_session=True,
            )
            try:
                proc.wait(timeout=TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                raise CommandFailed(f"{' '.join(argv)} took over {TIMEOUT_S:.0f} s") from None
        stderr = err_path.read_text(errors="replace").strip()
        if proc.returncode != 0:
            raise CommandFailed(f"the launcher failed ({proc.returncode}): {stderr}")
        elapsed, maxrss, code = result.read_text().split()
        if int(code) != 0:
            raise CommandFailed(f"{' '.join(argv)} exited with {code}: {stderr[-2000:]}")
        kib = int(maxrss) // 1024 if sys.platform == "darwin" else int(maxrss)  # macOS: bytes
        output = out_path.read_text(errors="replace") if capture else ""
        return float(elapsed), kib, output

    def measure(self, specs: list[Spec], runs: int) -> list[Result]:
        """One checked warm-up run of each command, then `runs` rounds of one run each.

        Rounds rather than all runs of one command in a row: a burst of load on the machine
        then hits a command and its baseline alike, so the ratios stay fair.
        """
        results: list[Result] = []
        active: list[tuple[Spec, Result]] = []
        for spec in specs:
            result = Result(spec.name, spec.size)
            results.append(result)
            try:
                _, _, output = self.once(spec.argv, env=spec.env, capture=spec.check is not None)
                if spec.check is not None:
                    spec.check(output)
            except CommandFailed as error:
                if not spec.optional:
                    raise
                result.note = f"skipped: {error}"
                print(f"  {spec.name} {fmt_size(spec.size)}: {result.note}", flush=True)
                continue
            active.append((spec, result))
        for _ in range(runs):
            for spec, result in list(active):
                try:
                    elapsed, kib, _ = self.once(spec.argv, env=spec.env)
                except CommandFailed as error:
                    if not spec.optional:
                        raise
                    result.note = f"failed in a timed run: {error}"
                    result.times.clear()
                    result.peaks_kib.clear()
                    active.remove((spec, result))
                    print(f"  {spec.name} {fmt_size(spec.size)}: {result.note}", flush=True)
                    continue
                result.times.append(elapsed)
                result.peaks_kib.append(kib)
        for _, result in active:
            print(
                f"  {result.name:<44} {fmt_size(result.size):>5} {fmt_time(result.median):>9}"
                f"  {result.peak_mib:6.1f} MiB",
                flush=True,
            )
        return results


@dataclass
class Spec:
    """A command to time; `check` sees the warm-up run's output; `optional` may be skipped."""

    name: str
    size: int | None
    argv: list[str]
    env: dict[str, str] | None = None
    check: Callable[[str], None] | None = None
    optional: bool = False


def fmt_size(size: int | None) -> str:
    if size is None:
        return "-"
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    if size % 1000 == 0:
        return f"{size // 1000}k"
    return str(size)


def fmt_time(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_spread(low: float, high: float) -> str:
    if high < 1:
        return f"{low * 1000:.0f}-{high * 1000:.0f} ms"
    return f"{low:.2f}-{high:.2f} s"


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    factor = 1
    if text.endswith("k"):
        factor, text = 1000, text[:-1]
    elif text.endswith("m"):
        factor, text = 1_000_000, text[:-1]
    try:
        value = int(float(text) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 10k, 100000, 1m)") from None
    if value < 1:
        raise argparse.ArgumentTypeError("sizes must be at least 1")
    return value


def completion_check(output: str) -> None:
    candidates = output.split()
    if "list" not in candidates or "log" not in candidates:
        raise CommandFailed(
            "completion of `migraine l<Tab>` did not offer list and log; it printed: "
            + repr(output[:300])
        )


def therapy_completion_check(output: str) -> None:
    if "craniosacral" not in output.split():
        raise CommandFailed(
            "completion of `migraine log c<Tab>` did not offer craniosacral; it printed: "
            + output[:200]
        )


def csv_rows_check(expected: int) -> Callable[[str], None]:
    def check(output: str) -> None:
        rows = sum(1 for _ in csv.reader(output.splitlines(keepends=True))) - 1
        if rows != expected:
            raise CommandFailed(f"export wrote {rows} rows, the diary holds {expected}")

    return check


def nonempty_check(output: str) -> None:
    if not output.strip():
        raise CommandFailed("the command printed nothing")


# ---------------------------------------------------------------------------- targets


@dataclass
class Target:
    """A limit of issue 4: `factor` times a baseline's median, or a fixed `limit`."""

    text: str
    measured: float | None
    baseline: float | None = None
    basis: str = ""
    factor: float | None = None
    fixed: float | None = None
    strict: bool = False  # "under" rather than "at most"
    unit: str = "s"

    @property
    def limit(self) -> float | None:
        if self.fixed is not None:
            return self.fixed
        if self.baseline is None or self.factor is None:
            return None
        return self.baseline * self.factor

    @property
    def ratio(self) -> float | None:
        if self.measured is None or self.baseline is None:
            return None
        return self.measured / self.baseline

    @property
    def verdict(self) -> str:
        limit = self.limit
        if self.measured is None or limit is None:
            return "n/a"
        ok = self.measured < limit if self.strict else self.measured <= limit
        return "PASS" if ok else "MISS"

    def to_json(self) -> dict[str, Any]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 4)

        return {
            "target": self.text,
            "unit": self.unit,
            "measured": rounded(self.measured),
            "baseline": rounded(self.baseline),
            "basis": self.basis or None,
            "ratio": rounded(self.ratio),
            "allowed_ratio": self.factor,
            "limit": rounded(self.limit),
            "verdict": self.verdict,
        }


def targets(results: dict[tuple[str, int | None], Result], sizes: list[int]) -> list[Target]:
    def median(name: str, size: int | None = None) -> float | None:
        found = results.get((name, size))
        return found.median if found and found.times else None

    typer_s = median("python -c 'import typer'")
    sqlmodel_s = median("python -c 'import sqlmodel'")
    big = LARGE if LARGE in sizes else max(sizes)
    mid = 100_000 if 100_000 in sizes else max(s for s in sizes if s <= big)
    shell_export = "sqlite3 -csv export" if shutil.which("sqlite3") else "python sqlite3+csv export"
    shell_group = "sqlite3 GROUP BY" if shutil.which("sqlite3") else "python sqlite3 GROUP BY"
    group_s = median(shell_group, big)
    found: list[Target] = [
        Target(
            "--help <= 1.5x import typer",
            median("migraine --help"),
            typer_s,
            "import typer",
            factor=1.5,
        ),
        Target(
            "completion <= 1.5x import typer",
            median("migraine l<Tab> (completion)"),
            typer_s,
            "import typer",
            factor=1.5,
        ),
        Target(
            "log --help <= 1.5x import typer",
            median("migraine log --help"),
            typer_s,
            "import typer",
            factor=1.5,
        ),
        Target(
            f"therapy completion @{fmt_size(min(sizes))} <= 1.5x import typer",
            median("migraine log c<Tab> (therapy names)", min(sizes)),
            typer_s,
            "import typer",
            factor=1.5,
        ),
        Target(
            f"log @{fmt_size(mid)} <= 1.3x import sqlmodel",
            median("migraine log", mid),
            sqlmodel_s,
            "import sqlmodel",
            factor=1.3,
        ),
        Target(
            f"summary @{fmt_size(big)} <= 2x (GROUP BY + sqlmodel)",
            median("migraine summary", big),
            None if group_s is None or sqlmodel_s is None else group_s + sqlmodel_s,
            f"{shell_group} + import sqlmodel",
            factor=2.0,
        ),
        Target(
            f"list --limit 20 @{fmt_size(big)} < 1.2x import sqlmodel",
            median("migraine list --limit 20", big),
            sqlmodel_s,
            "import sqlmodel",
            factor=1.2,
            strict=True,
        ),
        Target(
            f"export csv @{fmt_size(big)} <= 3x {shell_export}",
            median("migraine export --format csv", big),
            median(shell_export, big),
            shell_export,
            factor=3.0,
        ),
    ]
    for size in sizes:
        export = results.get(("migraine export --format csv", size))
        found.append(
            Target(
                f"export csv @{fmt_size(size)} peak < 100 MiB",
                export.peak_mib if export and export.times else None,
                fixed=100.0,
                strict=True,
                unit="MiB",
            )
        )
    found.append(
        Target(
            f"stats @{fmt_size(mid)} < 3 s", median("migraine stats", mid), fixed=3.0, strict=True
        )
    )
    return found


def pg_targets(results: dict[tuple[str, int | None], Result], size: int, cpus: int) -> list[Target]:
    """The PostgreSQL rows against baselines of the same run on the same server."""

    def median(name: str, at: int | None = size) -> float | None:
        found = results.get((name, at))
        return found.median if found and found.times else None

    group_s = median("pg psql GROUP BY")
    sqlmodel_s = median("python -c 'import sqlmodel'", None)
    single_s = median("pg migraine log (1 writer)")
    # 8 processes on fewer CPUs share them: a log then takes 8/CPUs times as long at best.
    share = PG_WRITERS / min(PG_WRITERS, cpus)
    export = results.get(("pg migraine export --all-clients", size))
    return [
        Target(
            f"pg summary @{fmt_size(size)} <= 2x (GROUP BY + sqlmodel)",
            median("pg migraine summary"),
            None if group_s is None or sqlmodel_s is None else group_s + sqlmodel_s,
            "psql GROUP BY + import sqlmodel",
            factor=2.0,
        ),
        Target(
            f"pg export csv @{fmt_size(size)} <= 3x psql COPY",
            median("pg migraine export --all-clients"),
            median("pg psql COPY csv export"),
            "psql COPY csv export",
            factor=3.0,
        ),
        Target(
            f"pg export csv @{fmt_size(size)} peak < 100 MiB",
            export.peak_mib if export and export.times else None,
            fixed=100.0,
            strict=True,
            unit="MiB",
        ),
        Target(
            f"pg log, {PG_WRITERS} writers <= 1.5x (1 writer x {share:g})",
            median(f"pg migraine log ({PG_WRITERS} writers at once)"),
            None if single_s is None else single_s * share,
            f"pg migraine log (1 writer) x {PG_WRITERS}/{min(PG_WRITERS, cpus)} CPUs",
            factor=1.5,
        ),
    ]


# ---------------------------------------------------------------------------- report


def print_table(results: list[Result]) -> None:
    print()
    print(f"{'command':<44} {'size':>5} {'median':>9} {'min-max':>13} {'runs':>4} {'peak MiB':>9}")
    for r in results:
        if not r.times:
            print(f"{r.name:<44} {fmt_size(r.size):>5}  {r.note}")
            continue
        spread = fmt_spread(min(r.times), max(r.times))
        print(
            f"{r.name:<44} {fmt_size(r.size):>5} {fmt_time(r.median):>9} {spread:>13}"
            f" {len(r.times):>4} {r.peak_mib:>9.1f}"
        )


def print_targets(found: list[Target]) -> None:
    print()
    print(
        f"{'target':<48} {'measured':>9} {'baseline':>9} {'ratio':>6} {'allowed':>8}"
        f"  verdict  baseline"
    )
    for t in found:
        if t.measured is None or t.limit is None:
            print(f"{t.text:<48} {'-':>9} {'-':>9} {'-':>6} {'-':>8}  n/a      not measured")
            continue
        measured = f"{t.measured:.1f} MiB" if t.unit == "MiB" else fmt_time(t.measured)
        sign = "<" if t.strict else "<="
        if t.factor is not None and t.baseline is not None:
            baseline, ratio = fmt_time(t.baseline), f"{t.measured / t.baseline:.2f}x"
            allowed = f"{sign}{t.factor:g}x"
        else:
            baseline, ratio = "-", "-"
            allowed = f"{sign}{t.fixed:g} {t.unit}"
        print(
            f"{t.text:<48} {measured:>9} {baseline:>9} {ratio:>6} {allowed:>8}  {t.verdict:<7}"
            f"  {t.basis}"
        )


def machine() -> dict[str, Any]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    shell = shutil.which("sqlite3")
    shell_version = ""
    if shell:
        run = subprocess.run([shell, "--version"], capture_output=True, text=True, check=False)
        shell_version = run.stdout.split(" ")[0]
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "sqlite_library": sqlite3.sqlite_version,
        "sqlite_shell": shell_version or None,
        "load_average": [round(x, 2) for x in os.getloadavg()]
        if hasattr(os, "getloadavg")
        else None,
    }


# ---------------------------------------------------------------------------- PostgreSQL

PG_CLIENTS = 500
PG_MINUTES = (30, 45, 60)
PG_WRITERS = 8
PG_THERAPY = "craniosacral"  # the therapy with the most sessions in THERAPIES
SESSION_COLUMNS = (
    'id, client_id, therapy_id, "when", minutes, pain_before, pain_after, pain_later,'
    " cost_cents, provider, during_attack, notes"
)

# The export's columns and text as psql's COPY writes them (PostgreSQL has no printf).
# The practice's spreadsheet (`export --all-clients`): each session led by its client's name.
PG_EXPORT_BASELINE_SQL = (
    "COPY ("
    + EXPORT_BASELINE_SQL.replace(
        "printf('%d.%02d', s.cost_cents / 100, s.cost_cents % 100)",
        "(s.cost_cents / 100) || '.' || lpad((s.cost_cents % 100)::text, 2, '0')",
    )
    .replace("SELECT ", "SELECT c.name AS client, ", 1)
    .replace(
        " ON t.id = s.therapy_id", " ON t.id = s.therapy_id JOIN client c ON c.id = s.client_id", 1
    )
    + ") TO STDOUT WITH (FORMAT csv, HEADER)"
)


def client_name(number: int) -> str:
    return f"client-{number:03d}"


def practice_rows(count: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    """synthetic_rows' sessions, each given to one of PG_CLIENTS clients (ids 2 on; 1 is the
    implicit client) with skewed shares, and lasting 30, 45 or 60 minutes."""
    shares = [rng.lognormvariate(0, 0.8) for _ in range(PG_CLIENTS)]
    client_ids = list(range(2, PG_CLIENTS + 2))
    picks: list[int] = []
    for number, row in enumerate(synthetic_rows(count, rng), start=1):
        if not picks:
            picks = rng.choices(client_ids, shares, k=50_000)
        therapy, when, _, before, after, later, cost, provider, attack, notes = row
        minutes = PG_MINUTES[number % 3] if rng.random() < 0.1 else rng.choice(PG_MINUTES)
        yield (
            number, picks.pop(), therapy, when, minutes, before, after, later, cost, provider,
            bool(attack), notes,
        )  # fmt: skip


def build_practice(server: PostgresServer, migraine: Path, env: dict[str, str], count: int) -> str:
    """A database made by `migraine upgrade`, filled by COPY with `count` sessions over
    PG_CLIENTS clients, then VACUUM ANALYZE; returns the owner's URL. The fill runs as the
    test server's superuser with triggers off (replica role), so it writes no audit rows."""
    import psycopg

    from postgres import OWNER, SUPERUSER

    name = f"practice_{count}"
    server.admin(f"CREATE DATABASE {name} OWNER {OWNER}")
    url = server.url(name)
    upgrade = subprocess.run(
        [str(migraine), "--db", url, "upgrade"], env=env, capture_output=True, text=True
    )
    if upgrade.returncode != 0:
        raise CommandFailed(f"migraine upgrade failed: {upgrade.stderr.strip()}")
    rng = random.Random(SEED + count)
    with psycopg.connect(server.url(name, SUPERUSER)) as conn:
        conn.execute("SET session_replication_role = replica")
        with conn.cursor() as cursor:
            with cursor.copy("COPY client (id, name, created_at, owner) FROM STDIN") as copy:
                for number in range(1, PG_CLIENTS + 1):
                    copy.write_row(
                        (number + 1, client_name(number), "2016-01-04T09:00:00+00:00", OWNER)
                    )
            with cursor.copy("COPY therapy (id, name, key) FROM STDIN") as copy:
                for number, (therapy, _, _) in enumerate(THERAPIES, start=1):
                    copy.write_row((number, therapy, therapy_key(therapy)))
            with cursor.copy(f"COPY session ({SESSION_COLUMNS}) FROM STDIN") as copy:
                for row in practice_rows(count, rng):
                    copy.write_row(row)
            for table in ("client", "therapy", "session"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT max(id) FROM {table}))".encode()
                )
    with psycopg.connect(server.url(name, SUPERUSER), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    return url


def pg_session_counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT c.name, COUNT(s.id) FROM client c LEFT JOIN session s ON s.client_id = c.id"
            " WHERE c.name IS NOT NULL GROUP BY c.name"
        ).fetchall()
    return {str(name): int(n) for name, n in rows}


def time_writers(runner: Runner, migraine: Path, url: str, size: int, runs: int) -> list[Result]:
    """Rounds of one `log` alone, then PG_WRITERS `log`s started at once (client-001 to
    -008, one each); the first round is an untimed warm-up. Checks that none failed and
    that every client gained exactly its rows."""

    def log(number: int, slot: str) -> tuple[float, int, str]:
        argv = [str(migraine), "--db", url, "--client", client_name(number), "log", *LOG_ARGS]
        return runner.once(argv, slot=slot)

    alone = Result("pg migraine log (1 writer)", size)
    together = Result(f"pg migraine log ({PG_WRITERS} writers at once)", size)
    rounds = Result(f"pg {PG_WRITERS} logs at once, whole round", size)
    lone_writer = PG_WRITERS + 1
    before = pg_session_counts(url)
    failures: list[str] = []
    for round_number in range(runs + 1):
        elapsed, kib, _ = log(lone_writer, "")
        start_line = threading.Barrier(PG_WRITERS)

        def writer(number: int, start_line: threading.Barrier) -> tuple[float, int, str]:
            start_line.wait()
            return log(number, f"-writer{number}")

        begin = time.perf_counter()
        with ThreadPoolExecutor(PG_WRITERS) as pool:
            futures = [pool.submit(writer, n, start_line) for n in range(1, PG_WRITERS + 1)]
            outcomes: list[tuple[float, int, str]] = []
            for future in futures:
                try:
                    outcomes.append(future.result())
                except CommandFailed as error:
                    failures.append(str(error))
        wall = time.perf_counter() - begin
        if round_number == 0:
            continue
        alone.times.append(elapsed)
        alone.peaks_kib.append(kib)
        together.times += [seconds for seconds, _, _ in outcomes]
        together.peaks_kib += [peak for _, peak, _ in outcomes]
        rounds.times.append(wall)
        rounds.peaks_kib.append(max((peak for _, peak, _ in outcomes), default=0))
    after = pg_session_counts(url)
    gained = {name: after[name] - before.get(name, 0) for name in after}
    expected = {client_name(n): runs + 1 for n in range(1, lone_writer + 1)}
    wrong = {name: n for name, n in gained.items() if n != expected.get(name, 0)}
    logs = PG_WRITERS * (runs + 1)
    if failures:
        together.note = f"{len(failures)} of {logs} logs failed, first: {failures[0][:300]}"
    elif wrong:
        together.note = f"rows missing or extra: {wrong}"
    verdict = together.note or f"none failed, every row arrived ({sum(gained.values())} new)"
    print(
        f"  {PG_WRITERS} writers x {runs + 1} rounds ({logs} logs, {runs + 1} more alone):"
        f" {verdict}",
        flush=True,
    )
    if together.note:
        together.times.clear()
        together.peaks_kib.clear()
    results = [alone, together, rounds]
    for result in results:
        if result.times:
            print(
                f"  {result.name:<44} {fmt_size(result.size):>5} {fmt_time(result.median):>9}"
                f"  {result.peak_mib:6.1f} MiB",
                flush=True,
            )
    return results


def measure_postgres(
    runner: Runner, migraine: Path, env: dict[str, str], size: int, runs: int, *, stats: bool
) -> tuple[list[Result], str]:
    """The PostgreSQL rows on a throwaway server; ([], why) when none can start."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    try:
        from postgres import PostgresServer

        server = PostgresServer()
    except (ImportError, RuntimeError, OSError, subprocess.SubprocessError) as error:
        return [], f"PostgreSQL rows skipped: {error}"
    try:
        version = subprocess.run(
            [str(server.bin / "postgres"), "--version"], capture_output=True, text=True
        ).stdout.strip()
        print(f"\nPostgreSQL ({version}): {size:,} sessions over {PG_CLIENTS} clients")
        print("  building with COPY ... ", end="", flush=True)
        begin = time.perf_counter()
        url = build_practice(server, migraine, env, size)
        print(f"{time.perf_counter() - begin:.1f} s", flush=True)
        db = [str(migraine), "--db", url]
        rows_check = csv_rows_check(sum(pg_session_counts(url).values()))
        psql = server.bin / "psql"
        specs = [
            Spec(
                "pg migraine export --all-clients",
                size,
                [*db, "export", "--all-clients"],
                check=rows_check,
            )
        ]
        if psql.exists():
            specs.append(
                Spec(
                    "pg psql COPY csv export",
                    size,
                    [str(psql), "-X", "-q", url, "-c", PG_EXPORT_BASELINE_SQL],
                    check=rows_check,
                )
            )
        specs.append(Spec("pg migraine summary", size, [*db, "summary"], check=nonempty_check))
        if psql.exists():
            specs.append(
                Spec(
                    "pg psql GROUP BY",
                    size,
                    [str(psql), "-X", "-A", "-t", url, "-c", SUMMARY_BASELINE_SQL],
                    check=nonempty_check,
                )
            )
        if stats:
            specs.append(
                Spec(
                    f"pg migraine stats --all-clients {PG_THERAPY}",
                    size,
                    [*db, "stats", "--all-clients", PG_THERAPY],
                    check=nonempty_check,
                    optional=True,
                )
            )
        print(f"  ({runs} runs each)", flush=True)
        results = runner.measure(specs, runs)
        results += time_writers(runner, migraine, url, size, runs)
        return results, version
    finally:
        server.stop()


# ---------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time migraine against baselines on synthetic diaries (issue 4).",
        epilog="Example: .venv/bin/python benchmarks/run.py --sizes 10k --runs 2",
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: [parse_size(part) for part in text.split(",") if part.strip()],
        default=list(DEFAULT_SIZES),
        help="diary sizes in sessions, comma separated (default: 10k,100k,1m)",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (default 5)")
    parser.add_argument(
        "--large-runs", type=int, default=3, help="timed runs at 1M sessions and more (default 3)"
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results here")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="build the diaries here, keep and reuse them"
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="also time a practice on a throwaway PostgreSQL server (tests/postgres.py)",
    )
    parser.add_argument(
        "--pg-sessions",
        type=parse_size,
        default=LARGE,
        metavar="N",
        help=f"sessions of the PostgreSQL practice, over {PG_CLIENTS} clients (default 1m)",
    )
    parser.add_argument(
        "--pg-no-stats",
        action="store_true",
        help="leave out stats --all-clients (at 1M: about 20 s and 360 MiB a run)",
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.large_runs < 1:
        parser.error("--runs and --large-runs must be at least 1")
    sizes: list[int] = sorted(set(args.sizes))

    migraine = Path(sys.executable).parent / "migraine"
    if not migraine.exists():
        parser.error(
            f"no `migraine` console script next to {sys.executable}; run this with the "
            "virtualenv's Python: .venv/bin/python benchmarks/run.py"
        )
    python = sys.executable
    shell = shutil.which("sqlite3")
    true = shutil.which("true") or "/bin/true"

    with tempfile.TemporaryDirectory(prefix="migraine-bench-") as scratch:
        scratch_dir = Path(scratch)
        home = scratch_dir / "home"
        home.mkdir()
        # A user's shell sets none of these; PYTHONUNBUFFERED alone slows a 1M-row export.
        skip = {"MIGRAINE_DIARY_DB", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED"}
        env = {k: v for k, v in os.environ.items() if k not in skip}
        env |= {
            # Bytecode is cached as an installed package's is (the warm-up writes it), but
            # outside the source tree.
            "PYTHONPYCACHEPREFIX": str(scratch_dir / "pycache"),
            "HOME": str(home),  # never the user's own diary or config
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "COLUMNS": "120",
        }
        runner = Runner(scratch_dir, env)
        diaries_dir = args.keep or scratch_dir
        diaries_dir.mkdir(
            mode=0o700, parents=True, exist_ok=True
        )  # migraine refuses shared folders
        info = machine()
        print(
            f"migraine benchmark: {info['cpus']} CPUs ({info['cpu']}), Python {info['python']},"
            f" SQLite {info['sqlite_library']} (shell {info['sqlite_shell'] or 'missing'}),"
            f" load average {info['load_average']}"
        )

        diaries: dict[int, Path] = {}
        for size in sizes:
            path = diaries_dir / f"diary-{fmt_size(size)}.db"
            if path.exists() and args.keep:
                print(f"reusing {path} ({session_count(path):,} sessions)")
            else:
                path.unlink(missing_ok=True)
                print(f"building {path.name}: {size:,} sessions ... ", end="", flush=True)
                print(f"{build_diary(path, size):.1f} s", flush=True)
            diaries[size] = path

        results: list[Result] = []
        runs = args.runs
        complete_env = env | {
            "_MIGRAINE_COMPLETE": "complete_bash",
            "COMP_WORDS": "migraine l",
            "COMP_CWORD": "1",
        }
        print(f"\nstartup ({runs} runs each)")
        results += runner.measure(
            [
                Spec("/bin/true (launcher floor)", None, [true]),
                Spec("python -c pass", None, [python, "-c", "pass"]),
                Spec("python -c 'import typer'", None, [python, "-c", "import typer"]),
                Spec("python -c 'import sqlmodel'", None, [python, "-c", "import sqlmodel"]),
                Spec("migraine --help", None, [str(migraine), "--help"], check=nonempty_check),
                Spec(
                    "migraine log --help",
                    None,
                    [str(migraine), "log", "--help"],
                    check=nonempty_check,
                ),
                Spec(
                    "migraine l<Tab> (completion)",
                    None,
                    [str(migraine)],
                    env=complete_env,
                    check=completion_check,
                ),
            ],
            runs,
        )

        stats_help = subprocess.run(
            [str(migraine), "stats", "--help"], env=env, capture_output=True, check=False
        )
        has_stats = stats_help.returncode == 0
        if not has_stats:
            print("\nnote: `migraine stats --help` fails, so stats is skipped in this run")

        smallest = min(sizes)
        print(f"\ncompletion from the diary, {smallest:,} sessions ({runs} runs)")
        therapy_env = env | {
            "_MIGRAINE_COMPLETE": "complete_bash",
            "COMP_WORDS": f"migraine --db {diaries[smallest]} log c",
            "COMP_CWORD": "4",
        }
        results += runner.measure(
            [
                Spec(
                    "migraine log c<Tab> (therapy names)",
                    smallest,
                    [str(migraine)],
                    env=therapy_env,
                    check=therapy_completion_check,
                )
            ],
            runs,
        )

        for size in sizes:
            path = diaries[size]
            db = ["--db", str(path)]
            size_runs = min(runs, args.large_runs) if size >= LARGE else runs
            print(f"\n{size:,} sessions ({size_runs} runs each)")
            rows_check = csv_rows_check(session_count(path))
            specs = [
                Spec(
                    "migraine export --format csv",
                    size,
                    [str(migraine), *db, "export", "--format", "csv"],
                    check=rows_check,
                )
            ]
            if shell:
                specs.append(
                    Spec(
                        "sqlite3 -csv export",
                        size,
                        [shell, "-csv", "-header", str(path), EXPORT_BASELINE_SQL],
                        check=rows_check,
                    )
                )
            specs.append(
                Spec(
                    "python sqlite3+csv export",
                    size,
                    [python, "-c", PYTHON_EXPORT, str(path), EXPORT_BASELINE_SQL],
                    check=rows_check,
                )
            )
            specs.append(
                Spec(
                    "migraine summary",
                    size,
                    [str(migraine), *db, "summary"],
                    check=nonempty_check,
                )
            )
            if shell:
                specs.append(
                    Spec(
                        "sqlite3 GROUP BY",
                        size,
                        [shell, str(path), SUMMARY_BASELINE_SQL],
                        check=nonempty_check,
                    )
                )
            else:
                specs.append(
                    Spec(
                        "python sqlite3 GROUP BY",
                        size,
                        [python, "-c", PYTHON_GROUP_BY, str(path), SUMMARY_BASELINE_SQL],
                        check=nonempty_check,
                    )
                )
            specs.append(
                Spec(
                    "migraine list --limit 20",
                    size,
                    [str(migraine), *db, "list", "--limit", "20"],
                    check=nonempty_check,
                )
            )
            if has_stats:
                specs.append(
                    Spec(
                        "migraine stats",
                        size,
                        [str(migraine), *db, "stats"],
                        check=nonempty_check,
                        optional=True,
                    )
                )
            specs.append(
                Spec(
                    "migraine log",
                    size,
                    [str(migraine), *db, "log", *LOG_ARGS],
                    check=nonempty_check,
                )
            )
            results += runner.measure(specs, size_runs)

        pg_version = ""
        if args.postgres:
            size = args.pg_sessions
            size_runs = min(runs, args.large_runs) if size >= LARGE else runs
            pg_results, pg_version = measure_postgres(
                runner, migraine, env, size, size_runs, stats=not args.pg_no_stats
            )
            if not pg_results:
                print(f"\n{pg_version}")
            elif size not in sizes:
                pg_results.append(
                    Result(
                        "sqlite (same commands, same size)",
                        size,
                        note=f"not in this run: --sizes {fmt_size(size).lower()} adds it",
                    )
                )
            results += pg_results

    by_key = {(r.name, r.size): r for r in results}
    found = targets(by_key, sizes)
    if args.postgres:
        found += pg_targets(by_key, args.pg_sessions, info["cpus"] or 1)
    print_table(results)
    print_targets(found)
    load = [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None
    print(
        f"\n{info['cpus']} CPUs, {info['cpu']}; Python {info['python']}; SQLite"
        f" {info['sqlite_library']}; {pg_version or 'no PostgreSQL'}; runs {args.runs}"
        f" (at 1M+: {min(args.runs, args.large_runs)});"
        f" load average {info['load_average']} at start, {load} at end"
    )
    cpus = info["cpus"] or 1
    if load and info["load_average"]:
        # This benchmark itself keeps about one CPU busy; more than that is someone else.
        others = max(info["load_average"][0], load[0] - 1)
        if others > cpus / 2:
            print(
                f"warning: other work was running (load average about {others:.1f} besides"
                f" this run, on {cpus} CPUs): timings are noisy; re-run on a quiet machine"
                " before quoting them"
            )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "command": " ".join(["benchmarks/run.py", *(argv or sys.argv[1:])]),
                    "machine": info,
                    "runs": args.runs,
                    "large_runs": args.large_runs,
                    "sizes": sizes,
                    "postgres": pg_version or None,
                    "results": [r.to_json() for r in results],
                    "targets": [t.to_json() for t in found],
                },
                indent=2,
            )
            + "\n"
        )
        print(f"results written to {args.json}")
    misses = [t for t in found if t.verdict == "MISS"]
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
