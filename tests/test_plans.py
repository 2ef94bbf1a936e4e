"""Randomised N-of-1 plans through the real CLI: made in one command, each next slot told,
sessions logged normally fill it, deviations caught, and the result judged."""

from __future__ import annotations

import itertools
import random
import shutil
import sqlite3
from pathlib import Path

import pytest
import scipy.stats

from conftest import Cli, fingerprint
from migraine_diary.domain.dates import NOW_VAR

pytestmark = pytest.mark.both_engines

FIXTURES = Path(__file__).parent / "fixtures"


def at(monkeypatch: pytest.MonkeyPatch, moment: str) -> None:
    """Move the pinned 'now' (a plan lives over weeks)."""
    monkeypatch.setenv(NOW_VAR, moment)


def story(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user story: three 45-minute sessions, then four 30-minute ones with less relief."""
    for day, minutes, after in zip(
        ["01", "03", "06", "08", "10", "13", "15"], [45, 45, 45, 30, 30, 30, 30],
        [4, 4, 4, 5, 5, 5, 5], strict=True,
    ):  # fmt: skip
        at(monkeypatch, f"2026-11-{day} 18:00")
        cli.log(minutes=minutes, pain_after=after)
    at(monkeypatch, "2026-11-16 12:00")


def sequence(seed: int, blocks: int) -> list[list[int]]:
    """The README's rule, rebuilt: one Random(seed), per block a fresh [45, 30] shuffled."""
    rng = random.Random(seed)
    out = []
    for _ in range(blocks):
        arms = [45, 30]
        rng.shuffle(arms)
        out.append(arms)
    return out


def brute_p(diffs: list[float]) -> float:
    observed = abs(sum(diffs))
    flips = list(itertools.product((1, -1), repeat=len(diffs)))
    return sum(abs(sum(s * d for s, d in zip(f, diffs, strict=True))) >= observed - 1e-9
               for f in flips) / len(flips)  # fmt: skip


def test_the_user_story_settled_by_a_plan(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    story(cli, monkeypatch)
    made = cli.json("plan", "new", "craniosacral", "--compare", "45,30", "--seed", "7")
    assert made == {
        "id": 1,
        "therapy": "craniosacral",
        "kind": "length",
        "arms": [45, 30],
        "design": "pairs",
        "seed": 7,
        "n_blocks": 4,
        "mid": 1.0,
        "blocks_for_80_power": made["blocks_for_80_power"],
    }
    assert isinstance(made["blocks_for_80_power"], int)
    planned = sequence(7, 4)
    # Relief: 45 minutes gives 2 points, 30 minutes gives 1, except block 3's second slot.
    relief = {45: 2, 30: 1}
    notes = []
    for index, (block, slot) in enumerate(itertools.product(range(1, 5), (1, 2))):
        at(monkeypatch, f"2026-11-{17 + index} 18:00")
        told = cli.json("plan", "next")
        arm = planned[block - 1][slot - 1]
        assert told == {"plan": 1, "status": "active", "block": block, "slot": slot, "arm": arm}
        text = cli.ok("plan", "next").stdout
        assert (
            text == f"Plan 1, block {block}, session {slot} of 2: {arm} minutes of craniosacral\n"
        )
        minutes = arm
        if (block, slot) == (3, 2):
            minutes = 75 - arm  # the other length: a deviation
        result = cli.log(minutes=minutes, pain_after=5 - relief[minutes])
        notes.append(result.stderr.splitlines()[0])
    assert (
        notes[0] == f"migraine: note: plan 1, block 1, slot 1: {planned[0][0]} minutes as planned"
    )
    assert notes[5] == (
        f"migraine: note: plan 1, block 3, slot 2: {planned[2][1]} minutes planned, "
        f"{75 - planned[2][1]} given; kept as a deviation, analysed both ways"
    )
    at(monkeypatch, "2026-11-26 12:00")
    data = cli.json("plan", "result", "1")
    assert set(data) >= {"id", "therapy", "kind", "arms", "design", "seed", "blocks",
                         "difference", "verdict", "favoured_arm", "mid", "deviations",
                         "interim", "as_given"}  # fmt: skip
    diffs = []
    for block in data["blocks"]:
        by_arm = {s["arm"]: s["outcome"] for s in block["slots"]}
        diffs.append(by_arm[45] - by_arm[30])
        assert all(isinstance(s["session_id"], int) for s in block["slots"])
    assert diffs == [1.0, 1.0, 0.0, 1.0]  # block 3 had the same length twice
    ci = scipy.stats.ttest_1samp(diffs, 0).confidence_interval(0.95)
    assert data["difference"]["mean"] == pytest.approx(sum(diffs) / 4)
    assert data["difference"]["ci"] == pytest.approx([ci.low, ci.high])
    assert data["difference"]["p_randomisation"] == pytest.approx(brute_p(diffs))
    assert data["difference"]["n_blocks"] == 4
    assert data["as_given"]["n_blocks"] == 3
    assert data["as_given"]["blocks"] == [1, 2, 4]
    assert data["interim"] is False
    assert [d["block"] for d in data["deviations"]] == [3]
    assert data["blocks"][2]["slots"][1]["deviation"] is not None
    text = cli.ok("plan", "result", "1").stdout
    for words in ("Block differences", "95% t interval", "exact randomisation p",
                  "Verdict:", "Randomisation: seed 7", "Planned vs actual: 8 sessions planned",
                  "Deviations: block 3, slot 2", "Limitations: no blinding"):  # fmt: skip
        assert words in text
    # The finished plan comes first in stats, and the sequence is shown once it has ended.
    out = cli.ok("stats", "craniosacral").stdout
    assert out.startswith("Randomised plan 1 (pairs, seed 7)")
    shown = cli.json("plan", "show", "1")
    assert [[s["arm"] for s in b["slots"]] for b in shown["blocks"]] == planned
    assert shown["status"] == "finished"
    # The doctor's report has a section for the plan, with its result and CENT items.
    report = cli.ok("report", "--format", "md").stdout
    section = report.split("## Randomised plan 1 (finished): Do 45-minute craniosacral")[1]
    assert "- Verdict: " in section.split("## ")[0]
    assert "- Randomisation: seed 7" in section.split("## ")[0]


def test_a_clear_difference_favours_an_arm(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    at(monkeypatch, "2026-11-01 12:00")
    cli.ok("plan", "new", "craniosacral", "--compare", "45,30", "--seed", "3", "--blocks", "6",
           "--new-therapy")  # fmt: skip
    planned = sequence(3, 6)
    for index, arm in enumerate(a for block in planned for a in block):
        at(monkeypatch, f"2026-11-{2 + index:02d} 18:00")
        cli.log(minutes=arm, pain_before=6, pain_after=6 - (3 if arm == 45 else 1) - index % 2)
    data = cli.json("plan", "result", "1")
    assert data["verdict"] == "favours"
    assert data["favoured_arm"] == 45
    assert data["reaches_mid"] is True
    assert data["difference"]["p_randomisation"] == pytest.approx(2 / 64)


def test_the_result_is_withheld_until_every_block_is_done(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    story(cli, monkeypatch)
    cli.ok("plan", "new", "craniosacral", "--compare", "45,30", "--seed", "7")
    for index, (block, slot) in enumerate(itertools.product(range(1, 3), (1, 2))):
        at(monkeypatch, f"2026-11-{17 + index} 18:00")
        cli.log(minutes=sequence(7, 4)[block - 1][slot - 1], pain_after=3 + index % 2)
    early = cli.json("plan", "result", "1")
    assert early["verdict"] == "too_early"
    assert early["difference"] is None
    assert "withheld" in cli.ok("plan", "result", "1").stdout
    interim = cli.json("plan", "result", "1", "--interim")
    assert interim["interim"] is True
    assert interim["difference"]["n_blocks"] == 2
    assert cli.ok("plan", "result", "1", "--interim").stdout.startswith("INTERIM Result of plan 1")
    status = cli.json("plan", "status", "1")
    assert (status["slots_done"], status["slots_planned"]) == (4, 4)
    assert status["expected_end"] is not None
    # Before the end, show keeps the future concealed; --reveal shows it and says so.
    assert sum(len(b["slots"]) for b in cli.json("plan", "show", "1")["blocks"]) == 4
    revealed = cli.json("plan", "show", "1", "--reveal")
    assert sum(len(b["slots"]) for b in revealed["blocks"]) == 8
    assert revealed["deviations"][-1]["what"] == "the sequence was revealed before the plan ended"
    assert cli.json("plan", "status", "1")["deviations"][-1]["block"] is None


def test_not_in_plan_and_abandon(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    story(cli, monkeypatch)
    cli.ok("plan", "new", "craniosacral", "--compare", "45,30")
    at(monkeypatch, "2026-11-17 18:00")
    logged = cli.log(minutes=60, not_in_plan=True)
    assert "plan 1: logged outside the plan, as asked" in logged.stderr
    assert cli.json("plan", "next")["block"] == 1
    assert cli.json("plan", "next")["slot"] == 1
    cli.ok("plan", "abandon", "1", "--reason", "moved town")
    listed = cli.ok("plan").stdout
    assert listed.startswith("Abandoned:\n  plan 1: Do 45-minute craniosacral sessions")
    assert cli.json("plan", "show", "1")["reason"] == "moved town"
    # the therapy is free for a new plan; the seed is stored and shown even when drawn
    second = cli.json("plan", "new", "craniosacral", "--compare", "30,45", "--design", "abba")
    assert isinstance(second["seed"], int)
    assert second["design"] == "abba"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--compare", "45,30", "--blocks", "1"], 2,
         "blocks must be a whole number from 2 to 40 (got 1)"),
        (["--compare", "45,45"], 2,
         "compare must be two different session lengths in minutes from 1 to 600, such as "
         "45,30 (got 45,45)"),
        (["--compare", "45,30", "--design", "abba", "--blocks", "3"], 2,
         "blocks must be an even whole number from 2 to 40 for --design abba (got 3)"),
        (["--versus", "Craniosacral"], 2, "versus must name another therapy than 'craniosacral'"),
        (["--versus", "craniosacrl"], 1,
         "no therapy 'craniosacrl' in the diary; did you mean 'craniosacral'? (add --new-therapy "
         "if it is a new one)"),
        (["--versus", "massag"], 1,
         "no therapy 'massag' in the diary; did you mean 'massage'? (add --new-therapy if it is "
         "a new one)"),
        ([], 2, "give exactly one of --compare 45,30, --versus OTHER or --periods DAYS"),
        (["--compare", "45,30", "--periods", "14"], 2,
         "give exactly one of --compare 45,30, --versus OTHER or --periods DAYS (got --compare "
         "and --periods)"),
        (["--periods", "10"], 2,
         "periods of 10 days leave fewer than 7 days after the default washout of 7 days: give "
         "--washout from 0 to 3, or longer periods"),
        (["--compare", "45,30", "--mid", "0"], 2,
         "mid must be a number above 0 and at most 10 (points of relief) (got 0)"),
        (["--compare", "45,30", "--seed", "-1"], 2,
         "seed must be a whole number from 0 to 9223372036854775807 (got -1)"),
    ],
)  # fmt: skip
def test_plan_new_refusals(cli: Cli, args: list[str], code: int, message: str) -> None:
    cli.log("craniosacral")
    cli.log("massage")
    before = fingerprint(cli.db_path)
    result = cli("plan", "new", "craniosacral", *args)
    assert (result.exit_code, result.stderr) == (code, f"migraine: error: {message}\n")
    assert result.stdout == ""
    assert fingerprint(cli.db_path) == before


def test_a_second_active_plan_and_unknown_ids_are_refused(cli: Cli) -> None:
    cli.log("craniosacral")
    cli.log("massage")
    cli.ok("plan", "new", "craniosacral", "--compare", "45,30")
    before = fingerprint(cli.db_path)
    for args in (["craniosacral", "--compare", "60,30"], ["massage", "--versus", "craniosacral"]):
        result = cli("plan", "new", *args)
        assert (result.exit_code, result.stderr) == (
            1,
            f"migraine: error: {args[0]!r} already has an active plan (plan 1): finish it, or "
            "end it with 'migraine plan abandon 1 --reason TEXT'\n",
        )
    for command in (["show", "9"], ["status", "9"], ["result", "9"], ["next", "9"],
                    ["abandon", "9", "--reason", "x"], ["show", "9", "--reveal"]):  # fmt: skip
        result = cli("plan", *command)
        assert (result.exit_code, result.stderr) == (
            1,
            "migraine: error: no plan with id 9; see the plans with: migraine plan\n",
        )
    result = cli("plan", "show", "x")
    assert result.exit_code == 2
    assert fingerprint(cli.db_path) == before


def test_two_therapies_and_the_wrong_one_in_a_slot(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, "2026-11-01 12:00")
    cli.log("craniosacral")
    cli.log("massage")
    made = cli.json("plan", "new", "craniosacral", "--versus", "massage", "--seed", "5",
                    "--blocks", "2")  # fmt: skip
    assert made["arms"] == ["craniosacral", "massage"]
    rng = random.Random(5)
    planned = []
    for _ in range(2):
        arms = ["craniosacral", "massage"]
        rng.shuffle(arms)
        planned += arms
    for index, therapy in enumerate(planned):
        at(monkeypatch, f"2026-11-{2 + index:02d} 18:00")
        assert cli.json("plan", "next")["arm"] == therapy
        given = planned[1 - index] if index < 2 else therapy  # block 1 swapped
        result = cli.log(given)
        if index < 2:
            assert f"{therapy} planned, {given} given" in result.stderr
    data = cli.json("plan", "result", "1")
    assert data["difference"]["blocks"] == [1, 2]
    assert data["as_given"]["blocks"] == [2]


def day(start: str, offset: int) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(start) + dt.timedelta(days=offset)).isoformat()


def test_an_on_off_plan_is_judged_by_migraine_days(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    at(monkeypatch, "2026-09-30 12:00")
    cli.log("craniosacral")
    made = cli.json("plan", "new", "craniosacral", "--periods", "14", "--blocks", "2",
                    "--seed", "11")  # fmt: skip
    assert made["arms"] == ["on", "off"]
    rng = random.Random(11)
    planned = []
    for _ in range(2):
        arms = ["on", "off"]
        rng.shuffle(arms)
        planned += arms
    at(monkeypatch, "2026-10-03 12:00")
    told = cli.json("plan", "next")
    assert (told["block"], told["slot"], told["from"], told["to"]) == (1, 1, "2026-10-01",
                                                                       "2026-10-14")  # fmt: skip
    assert told["sessions_planned"] == (planned[0] == "on")
    assert "Washout until 2026-10-07" in cli.ok("plan", "next").stdout
    at(monkeypatch, "2026-11-26 12:00")
    # Periods of 14 days from 2026-10-01, each counted from its 8th day: 7 analysed days.
    migraine = {"on": 1, "off": 3}
    for period, arm in enumerate(planned):
        first = day("2026-10-01", 14 * period + 7)
        last = day("2026-10-01", 14 * period + 13)
        if period == 3:  # the last period: only 5 of its 7 days recorded (under 75%)
            first = day("2026-10-01", 14 * period + 9)
        cli.ok("kept", first, last)
        for n in range(migraine[arm]):
            cli.ok("attack", "log", "--when", f"{day(first, n)} 08:00", "--hours", "5",
                   "--peak", "6")  # fmt: skip
    # a session in an off period is a deviation
    off = planned.index("off")
    cli.log("craniosacral", when=f"{day('2026-10-01', 14 * off + 2)} 10:00")
    data = cli.json("plan", "result", "1")
    outcomes = [[s["outcome"] for s in b["slots"]] for b in data["blocks"]]
    expected = [migraine[a] / 7 * 28 for a in planned]
    assert outcomes[0] == pytest.approx(expected[:2])
    assert outcomes[1][1] is None  # too few days recorded: no outcome
    assert outcomes[1][0] == pytest.approx(expected[2])
    assert data["difference"]["n_blocks"] == 1
    assert data["missing_blocks"] == [2]
    assert data["deviations"][0]["block"] == off // 2 + 1
    assert (
        "Left out: the first 7 days of each period (washout)"
        in cli.ok("plan", "result", "1").stdout
    )


def test_reading_an_older_diary_lists_no_plans_and_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "diary-v1.db", path)
    cli = Cli(path)
    before = fingerprint(path)
    assert cli.ok("plan").stdout.startswith("No plans yet.")
    assert fingerprint(path) == before
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == 1


def test_abandoning_needs_a_reason_and_happens_once(cli: Cli) -> None:
    cli.log("craniosacral")
    cli.ok("plan", "new", "craniosacral", "--compare", "45,30")
    before = fingerprint(cli.db_path)
    result = cli("plan", "abandon", "1", "--reason", "  ")
    assert (result.exit_code, result.stderr) == (
        2,
        "migraine: error: reason must be text of 1 to 500 characters (got '  ')\n",
    )
    assert fingerprint(cli.db_path) == before
    cli.ok("plan", "abandon", "1", "--reason", "private words")
    result = cli("plan", "abandon", "1", "--reason", "again")
    assert (result.exit_code, result.stderr) == (
        1,
        "migraine: error: plan 1 was abandoned already\n",
    )


def test_a_plan_follows_its_therapy_when_merged(cli: Cli) -> None:
    cli.log("cst", new_therapy=True)
    cli.log("craniosacral", new_therapy=True)
    cli.ok("plan", "new", "cst", "--compare", "45,30")
    cli.ok("rename", "cst", "craniosacral")
    assert cli.json("plan", "show", "1")["therapy"] == "craniosacral"
    assert "plan 1, block 1, slot 1" in cli.log("craniosacral").stderr


def test_plan_help_imports_nothing_heavy() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from migraine_diary.cli.app import app\n"
        "for args in (['plan', '--help'], ['plan', 'new', '--help']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0\n"
        "print([m for m in ('sqlalchemy', 'scipy', 'numpy', 'migraine_diary.storage',"
        " 'migraine_diary.domain.models', 'migraine_diary.analysis.plans') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_plan_too_small_to_reach_five_percent_says_so(cli: Cli) -> None:
    cli.log("craniosacral", when="2026-11-01 16:30")
    few = cli.ok("plan", "new", "craniosacral", "--compare", "45,30", "--seed", "1").stdout
    assert "p can never fall below 0.125" in few
    enough = cli.ok("plan", "new", "massage", "--compare", "45,30", "--blocks", "6",
                    "--new-therapy", "--seed", "1").stdout  # fmt: skip
    assert "never fall below" not in enough
