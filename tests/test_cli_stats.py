"""`migraine stats` through the real CLI: the user story's verdict, advice and chart, the reference
values in --json, "not enough data" instead of errors, filters, and a fast --help."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import Cli, fingerprint
from migraine_diary.cli.app import app
from migraine_diary.domain.dates import to_storage as stored

pytestmark = pytest.mark.both_engines

TOL = 1e-6
STORY_DAYS = ["01", "03", "06", "08", "10", "13", "15"]
STORY_AFTER = [4, 4, 4, 5, 5, 5, 5]
STORY_MINUTES = [45, 45, 45, 30, 30, 30, 30]
STORY_COST = [90, 90, 90, 60, 60, 60, 60]
ADVICE = (
    "To tell length from session number, follow a randomised plan: let a coin pick the length "
    "of each of the next sessions (30 or 45 minutes, at least four of each), so that the "
    "session number cannot stand in for the length. This command draws and keeps such a plan: "
    "migraine plan new craniosacral --compare 45,30"
)
NO_SESSIONS = (
    "Not enough data: no sessions yet.\nLog one with: migraine log THERAPY -m 45 -b 5 -a 4"
)


def log_story(cli: Cli, therapy: str = "craniosacral") -> None:
    """The user story: three 45-minute sessions one point lower, four 30-minute ones without."""
    for day, after, minutes, cost in zip(
        STORY_DAYS, STORY_AFTER, STORY_MINUTES, STORY_COST, strict=True
    ):
        cli.log(
            therapy,
            minutes=minutes,
            pain_before=5,
            pain_after=after,
            cost=cost,
            when=f"2024-10-{day} 16:30",
        )


def no_nan(text: str) -> Any:
    def refuse(name: str) -> None:
        raise AssertionError(f"{name} in JSON")

    return json.loads(text, parse_constant=refuse)


def close(got: float | None, want: float) -> bool:
    return got is not None and abs(got - want) < TOL


@pytest.fixture
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """An 80-column terminal: in a file or a pipe (no COLUMNS) prose is not wrapped at all."""
    monkeypatch.setenv("COLUMNS", "80")


def lines_fit(text: str) -> None:
    """80 columns on an 80-column terminal, and no trailing blanks in a pasted copy."""
    for line in text.splitlines():
        assert len(line) <= 80, line
        assert line == line.rstrip(), repr(line)


# --- the user story ---------------------------------------------------------------------------


@pytest.mark.usefixtures("eighty_columns")
def test_user_story_text_gives_the_verdict_the_advice_and_the_chart(cli: Cli) -> None:
    log_story(cli)
    out = cli.ok("stats", "craniosacral").stdout
    assert out.startswith("craniosacral: 7 sessions, 2024-10-01 to 2024-10-15\n")
    assert "  mean    +0.4  95% interval -0.2 to +1.1  n 7\n" in out
    words = " ".join(out.split())  # the note wraps at the terminal width
    assert (
        "allows for a lag-1 correlation of 0.15: it counts the 7 sessions as 5.2 independent"
        in words
    )
    assert "any relief (1 point or more)      3/7    43%    10% to 82%\n" in out
    assert "clear relief (2+ points or 30%+)  0/7     0%     0% to 41%\n" in out
    assert "30 min     4          0.0\n45 min     3         +1.0\n" in out
    chart = [
        "#1  2024-10-01   45m  │██ +1",
        "#2  2024-10-03   45m  │██ +1",
        "#3  2024-10-06   45m  │██ +1",
        "#4  2024-10-08   30m  │ 0",
        "#5  2024-10-10   30m  │ 0",
        "#6  2024-10-13   30m  │ 0",
        "#7  2024-10-15   30m  │ 0",
    ]
    assert "\n".join(chart) in out
    assert "Session length or session number? can't tell them apart\n" in out
    assert "cannot_separate" not in out  # codes are for --json
    assert "(r = -0.87, 7" in out
    assert "'Shorter sessions help less', 'the effect wore off after session" in out
    flat = " ".join(out.split())
    assert f"Next step: {ADVICE}" in flat
    assert flat.count("follow a randomised plan") == 1  # message, step, note once
    assert "or neither: the difference could be chance" in flat
    assert flat.count("migraine pain changes by itself over time") == 1
    assert "per point of relief            170.00  range 68.06 to no upper limit, n 7" in out
    assert "total                          510.00  7 sessions" in out
    # The one p-value shown is the exact permutation test of the two lengths (issue 14).
    assert flat.count("p =") == 1
    assert "exact permutation p = 0.029" in flat
    lines_fit(out)


def test_user_story_json_has_the_reference_values(cli: Cli) -> None:
    log_story(cli)
    result = cli.ok("stats", "craniosacral", "--json")
    (story,) = no_nan(result.stdout)["therapies"]
    assert story["therapy"] == "craniosacral"
    assert story["sessions"] == 7
    assert story["excluded_no_pain"] == 0
    relief = story["relief"]
    assert close(relief["mean"], 0.428571)
    assert close(relief["ci"][0], -0.213293)
    assert close(relief["ci"][1], 1.070436)
    share = story["shares"]["any_relief"]
    assert (share["k"], share["n"]) == (3, 7)
    assert close(share["ci"][0], 0.098988)
    assert close(share["ci"][1], 0.815948)
    important = story["shares"]["important_relief"]
    assert (important["k"], important["n"]) == (0, 7)
    assert close(important["ci"][0], 0.0)
    assert close(important["ci"][1], 0.409616)
    lvn = story["length_vs_number"]
    assert lvn["verdict"] == "cannot_separate"
    assert close(lvn["r"], -0.866025)
    assert ADVICE in lvn["message"]
    cost = story["cost"]
    assert cost["total"] == "510.00"
    assert close(cost["per_relief_point"], 170.0)
    low, high = cost["per_relief_point_range"]
    assert close(low, 68.063049)
    assert high is None
    assert [p["relief"] for p in story["points"]] == [1, 1, 1, 0, 0, 0, 0]
    assert [g["n"] for g in story["by_session_number"]] == [1] * 7


def test_therapy_is_matched_without_regard_to_case(cli: Cli) -> None:
    log_story(cli)
    out = cli.ok("stats", "  CranioSacral ").stdout
    assert out.startswith("craniosacral: 7 sessions")


@pytest.mark.usefixtures("eighty_columns")
def test_demo_diary_prints_the_user_story(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    runner = CliRunner()
    assert runner.invoke(app, ["demo", "--db", str(path)]).exit_code == 0
    result = runner.invoke(app, ["--db", str(path), "stats", "craniosacral"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("craniosacral: 7 sessions")
    assert "can't tell them apart" in out
    assert "cannot_separate" not in out
    assert ADVICE in " ".join(out.split())
    bars = [line for line in out.splitlines() if "│" in line]
    assert len(bars) == 7
    assert all(line.endswith("45m  │██ +1") for line in bars[:3])
    assert all(line.endswith("30m  │ 0") for line in bars[3:])
    lines_fit(out)


@pytest.mark.usefixtures("eighty_columns")
def test_every_therapy_most_sessions_first_and_json_is_finite(tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    runner = CliRunner()
    assert runner.invoke(app, ["demo", "--db", str(path)]).exit_code == 0
    out = runner.invoke(app, ["--db", str(path), "stats"]).stdout
    headers = [line.split(":")[0] for line in out.splitlines() if " sessions, " in line]
    assert headers == ["acupuncture", "craniosacral", "physiotherapy", "massage"]
    assert "2 sessions began at pain 0 and cannot show relief" in out
    assert "│ . began at pain 0, left out" in out
    lines_fit(out)
    data = no_nan(runner.invoke(app, ["--db", str(path), "stats", "--json"]).stdout)
    assert [t["therapy"] for t in data["therapies"]] == headers
    assert [t["sessions"] for t in data["therapies"]] == [8, 7, 6, 4]


# --- not enough data --------------------------------------------------------------------------


@pytest.mark.sqlite_only  # a diary file not there yet
def test_no_diary_is_not_enough_data_and_creates_nothing(cli: Cli, db_path: Path) -> None:
    result = cli("stats")
    assert result.exit_code == 0
    assert result.stdout == NO_SESSIONS + "\n"
    assert result.stderr == f"There is no diary at {db_path} yet; logging a session creates it.\n"
    assert not db_path.exists()
    result = cli("stats", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"therapies": []}
    assert NO_SESSIONS in result.stderr


def test_empty_diary_is_not_enough_data(cli: Cli) -> None:
    cli.log()
    cli.ok("delete", "1", "--yes")
    result = cli.ok("stats")
    assert result.stdout == NO_SESSIONS + "\n"
    assert result.stderr == ""


def test_one_session_says_not_enough_data(cli: Cli) -> None:
    cli.log("cst", minutes=45, pain_before=5, pain_after=4, cost=90, when="2024-10-01 16:30")
    out = cli.ok("stats").stdout
    assert out.startswith("cst: 1 session, 2024-10-01\n")
    flat = " ".join(out.split())
    assert (
        "Not enough data for an interval: that needs at least 3 sessions that began with pain, "
        "you have 1." in flat
    )
    assert "every session the same length" in out
    assert "one_length" not in out
    assert "Not enough data for a trend over the sessions either" in flat
    assert "#1  2024-10-01   45m  │██ +1" in out
    (only,) = cli.json("stats")["therapies"]
    assert only["relief"]["ci"] is None
    assert only["relief"]["mean"] == 1.0


def test_unknown_therapy_is_refused_with_the_name_it_looks_like(cli: Cli) -> None:
    """Issue 17: a typo said "not enough data", exit 0, as if the therapy had no sessions."""
    log_story(cli)
    before = fingerprint(cli.db_path)
    for args in (["stats", "reiki"], ["stats", "reiki", "--json"]):
        result = cli(*args)
        assert result.exit_code == 1
        assert result.stderr == (
            "migraine: error: no therapy 'reiki' in the diary; see the names with: "
            "migraine therapies\n"
        )
        assert result.stdout == ""
    result = cli("stats", "craniosacrl")
    assert result.exit_code == 1
    assert result.stderr == (
        "migraine: error: no therapy 'craniosacrl' in the diary; did you mean 'craniosacral'?\n"
    )
    assert fingerprint(cli.db_path) == before


def test_known_therapy_without_sessions_in_the_span_is_not_enough_data(cli: Cli) -> None:
    log_story(cli)
    result = cli("stats", "craniosacral", "--since", "2026-01-01")
    assert result.exit_code == 0
    assert result.stdout == (
        "Not enough data: no sessions of 'craniosacral' since 2026-01-01.\n"
        "See the therapies in your diary with: migraine therapies\n"
    )
    result = cli("stats", "craniosacral", "--since", "2026-01-01", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"therapies": []}
    assert "no sessions of 'craniosacral'" in result.stderr


def test_all_sessions_at_pain_zero(cli: Cli) -> None:
    for day in ("01", "02"):
        cli.log("yoga", minutes=60, pain_before=0, pain_after=0, when=f"2024-10-{day}")
    out = cli.ok("stats").stdout
    flat = " ".join(out.split())
    assert "2 sessions began at pain 0 and cannot show relief" in flat
    assert "Not enough data: none of your 2 sessions began with pain" in flat
    assert "too few sessions to tell" in out
    assert "too_few" not in out
    assert "  per point of relief     -  no session began with pain\n" in out
    assert "per session with clear relief" not in out


# --- filters, chart, refusals -----------------------------------------------------------------


def test_since_and_until(cli: Cli) -> None:
    log_story(cli)
    later = cli.ok("stats", "--since", "2024-10-08").stdout
    assert later.startswith("craniosacral: 4 sessions, 2024-10-08 to 2024-10-15")
    assert "every session the same length" in later
    first = cli.json("stats", "--until", "2024-10-06")["therapies"][0]
    assert first["sessions"] == 3
    assert first["cost"]["total"] == "270.00"
    both = cli.json("stats", "--since", "2024-10-03", "--until", "2024-10-08")["therapies"][0]
    assert [p["minutes"] for p in both["points"]] == [45, 45, 30]
    result = cli.ok("stats", "--since", "2025-01-01", "--until", "2025-01-31")
    assert result.stdout == "Not enough data: no sessions from 2025-01-01 to 2025-01-31.\n"


@pytest.mark.sqlite_only  # refused in parsing, before any storage
def test_bad_day_is_one_line_exit_2(cli: Cli) -> None:
    log_story(cli)
    before = fingerprint(cli.db_path)
    result = cli("stats", "--since", "last week")
    assert result.exit_code == 2
    assert result.stderr == (
        "migraine: error: since must be a date such as 2026-11-20, today or yesterday "
        "(got last week)\n"
    )
    assert result.stdout == ""
    assert fingerprint(cli.db_path) == before


def test_stats_writes_nothing(cli: Cli) -> None:
    log_story(cli)
    before = fingerprint(cli.db_path)
    cli.ok("stats")
    cli.ok("stats", "--json")
    assert fingerprint(cli.db_path) == before


@pytest.mark.sqlite_only  # about the chart: rendering, no storage
def test_worse_afterwards_is_drawn_left_of_the_axis(cli: Cli) -> None:
    for day, before, after in (("01", 5, 7), ("02", 0, 0), ("03", 4, 3)):
        cli.log("tens", minutes=30, pain_before=before, pain_after=after, when=f"2024-10-{day}")
    out = cli.ok("stats").stdout
    assert "#1  2024-10-01   30m  ░░░░│ -2\n" in out
    assert "#2  2024-10-02   30m      │ . began at pain 0, left out\n" in out
    assert "#3  2024-10-03   30m      │██ +1\n" in out
    assert "██ 1 point of relief   ░░ 1 point worse   . began at pain 0, left out" in out


def bulk_sessions(cli: Cli, count: int) -> None:
    """A long diary quickly: one session through the CLI creates it, the rest go in directly
    (on either engine: its own placeholders)."""
    cli.log("acupuncture", minutes=60, pain_before=5, pain_after=3, when="2020-01-01 10:00")
    start = datetime(2020, 1, 1, 10, tzinfo=UTC)
    rows = [
        (stored(start + timedelta(minutes=10 * i)), [30, 60][i % 2], 5, 5 - i % 4)
        for i in range(1, count)
    ]
    insert = (
        'INSERT INTO session (therapy_id, "when", minutes, pain_before, pain_after, cost_cents)'
        " VALUES (1, {0}, {0}, {0}, {0}, 8500)"
    )
    if cli.on_postgres:
        import psycopg

        with psycopg.connect(str(cli.db_path)) as pg:
            pg.cursor().executemany(insert.format("%s"), rows)
        return
    with sqlite3.connect(cli.db_path) as conn:
        conn.executemany(insert.format("?"), rows)
    conn.close()


@pytest.mark.usefixtures("eighty_columns")
def test_a_long_course_draws_its_first_and_last_sessions(cli: Cli) -> None:
    bulk_sessions(cli, 50)
    out = cli.ok("stats").stdout
    bars = [line for line in out.splitlines() if "│" in line]
    assert len(bars) == 40
    assert bars[0].startswith(" #1  ")
    assert bars[-1].startswith("#50  ")
    assert "     ... 10 sessions not drawn (--json lists them all)\n" in out
    assert len(cli.json("stats")["therapies"][0]["points"]) == 50
    lines_fit(out)


def test_a_large_diary_prints_compact_json(cli: Cli) -> None:
    bulk_sessions(cli, 5000)
    result = cli.ok("stats", "--json")
    assert result.stdout.count("\n") == 1
    (course,) = no_nan(result.stdout)["therapies"]
    assert course["sessions"] == 5000
    assert len(course["points"]) == 5000


def test_help_does_not_import_heavy_modules() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from migraine_diary.cli.app import app\n"
        "r = CliRunner().invoke(app, ['stats', '--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "assert 'Example: migraine stats' in r.stdout\n"
        "heavy = [m for m in ('sqlalchemy', 'sqlmodel', 'scipy', 'numpy',"
        " 'migraine_diary.domain.models', 'migraine_diary.storage',"
        " 'migraine_diary.analysis.stats',"
        " 'migraine_diary.render.sessions', 'migraine_diary.render.stats') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_session_numbers_cost_no_numpy_call_each(monkeypatch: pytest.MonkeyPatch) -> None:
    """100,000 sessions must take under 3 s: the per-number figures once called numpy's mean
    for every session, which was most of the time."""
    from migraine_diary.analysis import stats

    calls = 0
    real = stats._mean

    def counting(values: Any) -> float | None:
        nonlocal calls
        calls += 1
        return real(values)

    monkeypatch.setattr(stats, "_mean", counting)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    points = [
        stats.SessionPoint(i, start + timedelta(days=i), 45, 5, 5 - i % 3, None, Decimal(50), False)
        for i in range(1, 301)
    ]
    result = stats.analyse_therapy("cst", points)
    assert [g.mean_relief for g in result.by_session_number[:3]] == [1.0, 2.0, 0.0]
    assert calls < 20


# --- across clients (stats --all-clients) ------------------------------------------------------


def practice_series(clients: int, seed: int = 4) -> list[Any]:
    """A practice of `clients` clients with 5-8 sessions each, relief with noise."""
    import numpy as np

    from migraine_diary.analysis.practice import ClientSeries, ClientSession

    rng = np.random.default_rng(seed)
    start = datetime(2026, 6, 1, 17, tzinfo=UTC)
    out = []
    for c in range(clients):
        level = 2 + rng.normal()
        sessions = []
        for i in range(int(rng.integers(5, 9))):
            minutes = int(rng.choice([30, 45, 60]))
            relief = int(np.clip(round(level + 0.4 * (minutes - 45) / 15 + rng.normal()), 0, 7))
            when = start + timedelta(days=7 * i, hours=c)
            sessions.append(ClientSession(when, minutes, 8, 8 - relief))
        out.append(ClientSeries(f"client {c + 1}", tuple(sessions)))
    # one who came twice, long before the practice's last session
    gone = start - timedelta(days=120)
    out.append(ClientSeries("gone", (ClientSession(gone, 45, 7, 5), ClientSession(gone, 60, 7, 4))))
    return out


def test_all_clients_on_a_personal_diary_is_one_client_so_not_enough(cli: Cli) -> None:
    log_story(cli)
    result = cli.ok("stats", "--all-clients")
    assert "craniosacral across clients" in result.stdout
    assert "needs at least 5 clients with at least 5 sessions" in result.stdout
    assert "1 of 1 client has that many" in result.stdout
    assert "Per client" not in result.stdout  # one implicit client: no table of one
    data = cli.json("stats", "--all-clients", "craniosacral")
    (therapy,) = data["across_clients"]
    assert set(therapy) == {
        "therapy", "model", "verdict", "message", "gate", "fit", "clients", "sensitivity"
    }  # fmt: skip
    assert therapy["verdict"] == "not_enough_data"
    assert therapy["fit"] is None
    assert therapy["gate"] == {"min_clients": 5, "min_sessions": 5, "eligible_clients": 1}
    (client,) = therapy["clients"]
    assert client["sessions"] == 7
    assert client["in_model"] is False


def test_all_clients_unknown_therapy_and_empty_diary(cli: Cli) -> None:
    result = cli("stats", "--all-clients")
    assert result.exit_code == 0
    assert result.stdout == NO_SESSIONS + "\n"
    log_story(cli)
    result = cli("stats", "--all-clients", "craniosacrl")
    assert result.exit_code == 1
    assert "did you mean 'craniosacral'?" in result.stderr
    assert result.stdout == ""


@pytest.mark.sqlite_only  # the clients' series is stubbed: no storage to prove
def test_all_clients_full_result_in_text_and_json(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from migraine_diary.diary import practice as seam

    log_story(cli)
    monkeypatch.setattr(
        seam, "client_series", lambda diary, where: {"craniosacral": practice_series(7)}
    )
    text = cli.ok("stats", "--all-clients").stdout
    assert "craniosacral across clients: 7 clients," in text
    assert "longer sessions: " in text
    assert "later sessions: " in text
    assert "points per 15 minutes" in text
    assert "Sensitivity: 1 client stopped before the course ended" in text
    assert "Per client (8 clients; 1 is not in the model" in text
    assert "stopped early" in text
    data = cli.json("stats", "--all-clients")
    (therapy,) = data["across_clients"]
    fit = therapy["fit"]
    assert therapy["verdict"] == "estimated"
    assert fit["clients"] == 7
    assert fit["method"] in ("mixed", "client_fixed_effects")
    assert len(fit["per_15_min"]["ci"]) == 2
    assert fit["per_15_min"]["verdict"] in ("more_relief", "less_relief", "no_clear_effect")
    assert therapy["sensitivity"]["stopped_early"] == ["gone"]
    assert therapy["sensitivity"]["fit"]["clients"] == 8
    assert len(therapy["clients"]) == 8


@pytest.mark.sqlite_only  # the clients' series is stubbed: no storage to prove
def test_all_clients_without_statsmodels_says_what_to_install(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from migraine_diary.diary import practice as seam

    log_story(cli)
    monkeypatch.setattr(
        seam, "client_series", lambda diary, where: {"craniosacral": practice_series(6)}
    )
    monkeypatch.setitem(sys.modules, "statsmodels.regression.mixed_linear_model", None)
    result = cli("stats", "--all-clients")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "migraine: error: the model across clients needs statsmodels: "
        "pip install 'migraine-diary[practice]'"
    ]
