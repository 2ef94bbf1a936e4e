"""`attack rate`, `attack due` and `migraine acute` through the real CLI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from scipy.stats import binomtest

from migraine_diary.analysis.acute import ENDPOINTS

pytestmark = pytest.mark.both_engines

SUMA = [0, 0, 0, 0, 2, 3, None]  # 2-hour pain of attacks 1-7; the last dose is never rated
RIZA = [0, 0, 3, 4, None]  # attacks 8-12


def diary_of_twelve(cli: Any) -> None:
    """12 attacks treated with two medicines, most doses rated at 2 h, a rescue dose (attack
    5) and a relapse (attack 1: pain-free at 2 h, pain 3 at 24 h). Three days apart from
    2026-10-01: no attack starts within 48 hours of the one before (that would be a relapse)."""
    for n, pain in enumerate(SUMA + RIZA, start=1):
        name = "sumatriptan" if n <= len(SUMA) else "rizatriptan"
        meds = ["--med", f"{name}@08:30"]
        if n == 5:
            meds += ["--med", "sumatriptan@14:00"]
        day = dt.date(2026, 10, 1) + dt.timedelta(days=3 * (n - 1))
        cli.ok("attack", "log", "--when", f"{day} 08:00", "--hours", "10",
               "--peak", "7", *meds)  # fmt: skip
        if pain is not None:
            cli.ok("attack", "rate", str(n), "--after", "2h", "--pain", str(pain))
    cli.ok("attack", "rate", "1", "--after", "24h", "--pain", "3")


def exact(k: int, n: int) -> list[float]:
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="exact")
    return [ci.low, ci.high]


def test_acute_json_gives_counts_shares_and_exact_intervals(cli: Any) -> None:
    diary_of_twelve(cli)
    found = cli.json("acute")
    rows = {(r["kind"], r["name"]): r for r in found["treatments"]}
    suma, riza = rows[("medicine", "sumatriptan")], rows[("medicine", "rizatriptan")]
    assert (suma["attacks"], suma["unrated_2h"]) == (7, 1)
    assert (riza["attacks"], riza["unrated_2h"]) == (5, 1)
    free = suma["pain_free_2h"]
    assert (free["k"], free["n"], free["share"]) == (4, 6, pytest.approx(4 / 6))
    assert free["ci"] == pytest.approx(exact(4, 6), abs=1e-12)
    assert (riza["pain_free_2h"]["k"], riza["pain_free_2h"]["n"]) == (2, 4)
    assert riza["pain_free_2h"]["ci"] == pytest.approx(exact(2, 4), abs=1e-12)
    relief = suma["relief_2h"]  # all began severe (peak 7): pain 0-3 at 2 h is relief
    assert (relief["k"], relief["n"]) == (6, 6)
    rescue = suma["rescue"]
    assert (rescue["k"], rescue["n"]) == (1, 7)
    assert rescue["ci"] == pytest.approx(exact(1, 7), abs=1e-12)
    assert suma["relapse"] == 1  # attack 1: pain-free at 2 h, pain 3 at 24 h
    sustained = suma["sustained_24h"]  # 1 relapsed, 5 and 6 not pain-free; 2-4 not rated at 24 h
    assert (sustained["k"], sustained["n"]) == (0, 3)
    assert rows[("class", "triptan")]["attacks"] == 12
    assert found["doses"] == 13
    assert found["doses_without_2h_rating"] == 3
    for row in found["treatments"]:  # every exact interval, whatever the row and endpoint
        for name in ENDPOINTS:
            ep = row[name]
            if ep["ci"] is not None:
                assert ep["ci"] == pytest.approx(exact(ep["k"], ep["n"]), abs=1e-12), name
    comparison = found["comparison"]
    assert (comparison["first"], comparison["second"]) == ("sumatriptan", "rizatriptan")
    assert "not randomised" in comparison["caution"]
    # Newcombe (1998) method 10 by hand, sumatriptan 4/6 minus rizatriptan 2/4 pain-free:
    # Wilson 4/6 is 0.299993-0.903229, 2/4 is 0.150039-0.849961; d = 1/6, and
    # d - sqrt((4/6 - 0.299993)^2 + (0.849961 - 2/4)^2) = -0.340208,
    # d + sqrt((0.903229 - 4/6)^2 + (2/4 - 0.150039)^2) = 0.589081.
    assert comparison["pain_free_2h_difference"] == pytest.approx(0.166667, abs=5e-7)
    assert comparison["ci"] == pytest.approx([-0.340208, 0.589081], abs=5e-7)
    text = cli.ok("acute").stdout
    assert "67% 4/6" in text
    assert "without a 2-hour rating" in text
    # Per treatment: attacks, unrated, ..., rescue 1/7 (exact 0.36%-58%: not "0%"), relapse.
    suma_line = next(line for line in text.splitlines() if line.startswith("sumatriptan "))
    cells = suma_line.split()
    assert cells[1:3] == ["7", "1"]
    assert " ".join(cells[-5:]) == "- 14% 1/7 (<1%-58%) 1"  # MBS-free: none chosen
    assert "not randomised" in text


def test_too_few_rated_says_so(cli: Any) -> None:
    cli.ok("attack", "log", "--when", "2026-11-20 08:00", "--hours", "4", "--peak", "6",
           "--med", "naproxen@08:30")  # fmt: skip
    cli.ok("attack", "rate", "1", "--after", "2h", "--pain", "0")
    row = cli.json("acute")["treatments"][0]
    assert row["pain_free_2h"]["share"] is None
    assert row["pain_free_2h"]["too_few"]
    text = cli.ok("acute").stdout
    assert "too few" in text
    assert "class: simple analgesic" in " ".join(text.split())


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["attack", "rate", "1", "--after", "2h", "--pain", "11"], 2, "pain must be"),
        (["attack", "rate", "1", "--at-dose", "-1"], 2, "at-dose must be"),
        (["attack", "rate", "1", "--dose", "3", "--after", "2h", "--pain", "1"], 1, "no dose 3"),
        (["attack", "rate", "9", "--after", "2h", "--pain", "1"], 1, "no attack with id 9"),
        (["attack", "rate", "2", "--after", "2h", "--pain", "0"], 2, "due from"),
        (["attack", "rate", "1", "--after", "3h", "--pain", "0"], 2, "after must be"),
        (["attack", "rate", "1", "--after", "2h", "--pain", "0", "--mbs-gone"], 1, "bothersome"),
        (["attack", "log", "--hours", "2", "--peak", "5", "--mbs", "smell"], 2, "mbs must be"),
    ],
)
def test_bad_ratings_get_one_line_and_write_nothing(
    cli: Any, unchanged_after: Callable[[], Callable[[], None]], args: list[str], code: int,
    words: str,
) -> None:  # fmt: skip
    cli.ok("attack", "log", "--when", "2026-11-20 08:00", "--hours", "4", "--peak", "6",
           "--med", "naproxen@08:30")  # fmt: skip
    cli.ok("attack", "log", "--when", "today 11:00", "--hours", "1", "--peak", "6",
           "--med", "naproxen@11:00")  # fmt: skip
    check = unchanged_after()
    result = cli(*args)
    assert result.exit_code == code, result.stderr
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    check()


@pytest.fixture
def unchanged_after(cli: Any) -> Callable[[], Callable[[], None]]:
    from tests.conftest import fingerprint

    def start() -> Callable[[], None]:
        before = fingerprint(cli.db_path)

        def check() -> None:
            assert fingerprint(cli.db_path) == before

        return check

    return start


def test_log_says_when_the_rating_is_due_and_due_lists_it(cli: Any) -> None:
    out = cli.ok("attack", "log", "--when", "today 11:00", "--hours", "1", "--peak", "6",
                 "--med", "naproxen@11:00", "--mbs", "light").stdout  # fmt: skip
    assert "due at 2026-11-26 13:00: migraine attack rate 1 --dose 1 --after 2h --pain P" in out
    due = cli.json("attack", "due")
    assert [d["command"] for d in due["due"]] == [
        "migraine attack rate 1 --dose 1 --after 2h --pain P"
    ]
    assert "due 2026-11-26 13:00" in cli.ok("attack", "due").stdout


def test_mbs_gone_is_recorded_at_two_hours(cli: Any) -> None:
    for day in ("10", "11", "12"):
        cli.ok("attack", "log", "--when", f"2026-11-{day} 08:00", "--hours", "4", "--peak", "8",
               "--med", "eletriptan@08:15", "--mbs", "nausea")  # fmt: skip
    cli.ok("attack", "rate", "1", "--after", "2h", "--pain", "2", "--mbs-gone")
    cli.ok("attack", "rate", "2", "--after", "2h", "--pain", "1", "--mbs-gone")
    cli.ok("attack", "rate", "3", "--at-dose", "5")
    cli.ok("attack", "rate", "3", "--after", "2h", "--pain", "4")
    row = cli.json("acute")["treatments"][0]
    assert (row["mbs_free_2h"]["k"], row["mbs_free_2h"]["n"]) == (2, 3)
    assert row["mbs_free_2h"]["ci"] == pytest.approx(exact(2, 3), abs=1e-12)
    assert (row["relief_2h"]["k"], row["relief_2h"]["n"]) == (2, 3)


def test_a_session_during_an_attack_uses_its_pain_before(cli: Any) -> None:
    cli.ok("attack", "log", "--when", "2026-11-20 08:00", "--hours", "8", "--peak", "8")
    cli.log("acupuncture", when="2026-11-20 10:00", pain_before=6, pain_after=4, attack=True)
    cli.ok("attack", "rate", "1", "--session", "1", "--after", "2h", "--pain", "3")
    refused = cli("attack", "rate", "1", "--session", "1", "--at-dose", "5")
    assert refused.exit_code == 2
    row = next(r for r in cli.json("acute")["treatments"] if r["kind"] == "therapy")
    assert row["name"] == "acupuncture"
    assert (row["relief_2h"]["k"], row["relief_2h"]["n"]) == (1, 1)  # began moderate (6)


def test_a_kept_dose_keeps_its_rating_when_the_attack_is_edited(cli: Any) -> None:
    cli.ok("attack", "log", "--when", "2026-11-20 08:00", "--hours", "4", "--peak", "6",
           "--med", "naproxen@08:30")  # fmt: skip
    cli.ok("attack", "rate", "1", "--after", "2h", "--pain", "0")
    cli.ok("attack", "edit", "1", "--med", "naproxen@12:00", "--peak", "7")
    found = cli.json("acute")
    assert found["doses"] == 2
    assert found["doses_without_2h_rating"] == 1
    assert found["treatments"][0]["pain_free_2h"]["k"] == 1


def sessions_during_attacks(cli: Any, pains: list[int | None]) -> None:
    """One attack a day from Nov 10, each with an acupuncture session rated at 2 h."""
    for n, pain in enumerate(pains, start=1):
        day = f"2026-11-{9 + n:02d}"
        cli.ok("attack", "log", "--when", f"{day} 08:00", "--hours", "8", "--peak", "7")
        cli.log("acupuncture", when=f"{day} 09:00", pain_before=6, pain_after=3, attack=True)
        if pain is not None:
            cli.ok("attack", "rate", str(n), "--session", str(n), "--after", "2h",
                   "--pain", str(pain))  # fmt: skip


def test_stats_shows_the_endpoints_of_sessions_during_attacks(cli: Any) -> None:
    sessions_during_attacks(cli, [0, 0, 2, 4, None])
    text = cli.ok("stats", "acupuncture").stdout
    assert "Sessions during attacks, as acute-treatment trials measure them" in text
    assert "5 attacks treated, 1 without a 2-hour rating" in text
    low, high = exact(2, 4)
    line = next(x for x in text.splitlines() if "pain-free at 2 h" in x)
    assert line.split() == [*["pain-free", "at", "2", "h", "2/4", "50%"], f"{100 * low:.0f}%", "to",
                            f"{100 * high:.0f}%"]  # fmt: skip
    found = cli.json("stats", "acupuncture")["therapies"][0]["acute_endpoints"]
    assert (found["attacks"], found["unrated_2h"]) == (5, 1)
    assert (found["pain_free_2h"]["k"], found["pain_free_2h"]["n"]) == (2, 4)
    assert found["pain_free_2h"]["ci"] == pytest.approx(exact(2, 4), abs=1e-12)


def test_stats_says_not_enough_data_below_three_rated_attacks(cli: Any) -> None:
    sessions_during_attacks(cli, [0, 3])
    text = cli.ok("stats", "acupuncture").stdout
    assert "not enough data (needs 3 rated)" in text
    found = cli.json("stats")["therapies"][0]["acute_endpoints"]
    assert found["pain_free_2h"]["share"] is None


def test_verdict_rests_on_pain_freedom_at_two_hours_once_rated(cli: Any) -> None:
    sessions_during_attacks(cli, [0, 0, 2, 4])
    text = cli.ok("verdict").stdout
    assert "nothing to compare with, pain-free 2h 50% (2/4)" in " ".join(text.split())
    acute = cli.json("verdict")[0]["acute"]
    assert acute["source"] == "pain_free_2h"
    assert (acute["pain_free_2h"]["k"], acute["pain_free_2h"]["n"]) == (2, 4)
    # Verdict, message and source agree; a share pain-free has no untreated attacks to be
    # compared with, so it never reads as an effect however far its interval is from none.
    assert acute["verdict"] == "uncontrolled"
    assert "does not show that the sessions helped" in acute["message"]
    assert acute["message"].startswith("Pain-free 2 hours after the session in 2 of 4 attacks")
    assert "7% to 93%" in acute["message"]


def test_no_attack_pain_free_at_two_hours_is_no_clear_effect(cli: Any) -> None:
    sessions_during_attacks(cli, [3, 2, 4])
    acute = cli.json("verdict")[0]["acute"]
    assert (acute["source"], acute["verdict"]) == ("pain_free_2h", "no_clear_effect")
    assert "0 of 3 attacks" in acute["message"]
    assert "no clear effect, pain-free 2h 0% (0/3)" in " ".join(cli.ok("verdict").stdout.split())


def test_verdict_falls_back_to_session_relief_without_ratings(cli: Any) -> None:
    sessions_during_attacks(cli, [0, None, None])
    text = cli.ok("verdict").stdout
    assert "no clear effect +3.0 (n 3)" in text
    assert "pain-free 2h" not in text.split("\n\n")[0]
    acute = cli.json("verdict")[0]["acute"]
    assert acute["source"] == "session_relief"
    assert (acute["pain_free_2h"]["k"], acute["pain_free_2h"]["n"]) == (1, 1)


def test_attack_show_gives_the_mbs_each_dose_s_ratings_and_what_follows(cli: Any) -> None:
    cli.ok("attack", "log", "--when", "2026-11-20 08:00", "--hours", "30", "--peak", "7",
           "--med", "sumatriptan@08:30", "--med", "naproxen@13:00", "--mbs", "light")  # fmt: skip
    cli.ok("attack", "rate", "1", "--after", "2h", "--pain", "0", "--mbs-gone")
    cli.ok("attack", "rate", "1", "--dose", "2", "--after", "2h", "--pain", "4")
    found = cli.json("attack", "show", "1")
    assert found["mbs"] == "light"
    first, second = found["ratings"]
    assert (first["name"], first["pain_2h"], first["mbs_gone_2h"]) == ("sumatriptan", 0, True)
    assert (first["rescue_needed"], first["rescue_dose"], first["relapse_24h"]) == (
        True, False, True,
    )  # fmt: skip
    assert (second["dose"], second["pain_2h"], second["rescue_dose"]) == (2, 4, True)
    text = " ".join(cli.ok("attack", "show", "1").stdout.split())
    assert "most bothersome light" in text
    assert "sumatriptan: at dose 7 (severe), 2 h 0, 24 h -" in text.replace("—", "-")
    assert "rescue needed, relapse within 24 h" in text
    assert "a rescue dose" in text


def test_the_report_holds_the_acute_table_the_scores_and_pgic(cli: Any, tmp_path: Any) -> None:
    diary_of_twelve(cli)
    cli.log("acupuncture", when="2026-10-02 09:00", pain_before=6, pain_after=4)
    cli.ok("score", "midas", "--total", "25", "--date", "2026-10-01")
    cli.ok("score", "midas", "--total", "14", "--date", "2026-11-20")
    cli.ok("score", "hit6", "--total", "58")
    cli.ok("score", "pgic", "acupuncture", "--value", "5")
    low, high = (f"{100 * x:.0f}" for x in exact(4, 6))
    md = cli.ok("report", "--format", "md", "--since", "2026-10-01").stdout
    assert "## Acute treatment (trial endpoints)" in md
    suma = next(line for line in md.splitlines() if line.startswith("| sumatriptan |"))
    assert suma.split(" | ")[1:4] == ["7", "1", f"67% 4/6 ({low}%-{high}%)"]
    assert suma.split(" | ")[-2:] == ["14% 1/7 (<1%-58%)", "1 |"]  # rescue, then relapse
    assert "13 doses in the period, 3 without a 2-hour rating" in md
    assert "MIDAS 14 on 2026-11-20, grade III, -11 since the previous" in md
    assert "HIT-6 58 on 2026-11-26, grade substantial impact, the first recorded" in md
    assert "PGIC for acupuncture: 5 of 7 on 2026-11-26" in md
    page = tmp_path / "report.html"
    cli.ok("report", "--since", "2026-10-01", "--output", str(page))
    html = page.read_text()
    assert "Acute treatment (trial endpoints)" in html
    assert f"67% 4/6 ({low}%-{high}%)" in html
    assert "MIDAS 14 on 2026-11-20, grade III, -11 since the previous" in html
    assert "PGIC for acupuncture: 5 of 7" in html


def test_an_untimed_dose_is_no_rescue_and_acute_counts_it_apart(cli: Any) -> None:
    # Issue 18: Migrastop without a time stood at the attack's start, which made the timed
    # sumatriptan a "rescue"; it cannot be placed in time, so it is left out of rescue.
    cli.ok("attack", "log", "--when", "2026-11-20 08:00", "--hours", "6", "--peak", "7",
           "--med", "Migrastop", "--med", "sumatriptan@09:00")  # fmt: skip
    found = cli.json("acute")
    assert found["doses_untimed"] == 1
    suma = next(r for r in found["treatments"] if r["name"] == "sumatriptan")
    assert (suma["rescue"]["k"], suma["rescue"]["n"]) == (0, 1)
    text = cli.ok("acute").stdout
    assert "1 dose without a time, left out of rescue and relapse" in " ".join(text.split())


def test_a_new_attack_soon_after_is_a_relapse_or_a_rescue(cli: Any) -> None:
    # Attack 1 pain-free at 2 h, attack 2 with a dose 12 hours later: relapse, no rescue.
    # Attack 3 not pain-free at 2 h, attack 4's dose 12 hours later: a rescue for attack 3.
    for n, (when, pain) in enumerate(
        [("2026-11-10 08:00", 0), ("2026-11-10 20:00", None),
         ("2026-11-20 08:00", 5), ("2026-11-20 20:00", None)], start=1,
    ):  # fmt: skip
        cli.ok("attack", "log", "--when", when, "--hours", "3", "--peak", "7",
               "--med", f"naproxen@{when[11:]}")  # fmt: skip
        if pain is not None:
            cli.ok("attack", "rate", str(n), "--after", "2h", "--pain", str(pain))
    found = cli.json("acute", "--until", "2026-11-10")
    row = found["treatments"][0]
    assert row["relapse"] == 1
    assert (row["sustained_24h"]["k"], row["sustained_24h"]["n"]) == (0, 1)
    assert (row["rescue"]["k"], row["rescue"]["n"]) == (0, 2)
    row = cli.json("acute", "--since", "2026-11-20")["treatments"][0]
    assert (row["rescue"]["k"], row["rescue"]["n"]) == (1, 2)
    assert cli.json("attack", "show", "1")["ratings"][0]["relapse_24h"] is True


def test_the_report_takes_scores_up_to_its_end_and_pgic_beside_each_course(cli: Any) -> None:
    # Two courses of acupuncture (a gap of over 28 days), a PGIC at the end of each.
    for day in ("2026-01-10", "2026-01-20", "2026-09-10", "2026-09-20"):
        cli.log("acupuncture", when=f"{day} 09:00")
    cli.ok("score", "pgic", "acupuncture", "--value", "6", "--date", "2026-01-25")
    cli.ok("score", "pgic", "acupuncture", "--value", "3", "--date", "2026-09-25")
    cli.ok("score", "midas", "--total", "24", "--date", "2026-08-20")
    cli.ok("score", "midas", "--total", "14", "--date", "2026-11-20")
    md = cli.ok("report", "-f", "md", "--since", "2026-08-01", "--until", "2026-09-30").stdout
    assert "MIDAS 24 on 2026-08-20, grade IV, the first recorded" in md
    assert "2026-11-20" not in md
    treatments = md.split("## Treatments")[1].split("\n## ")[0]
    assert "PGIC for acupuncture: 3 of 7 on 2026-09-25 (course 2026-09-10 to 2026-09-20)" in (
        treatments
    )
    whole = cli.ok("report", "-f", "md", "--since", "2026-01-01").stdout
    treatments = whole.split("## Treatments")[1].split("\n## ")[0]
    assert "6 of 7 on 2026-01-25 (course 2026-01-10 to 2026-01-20)" in treatments
    assert "3 of 7 on 2026-09-25 (course 2026-09-10 to 2026-09-20)" in treatments
    listed = cli.json("score", "list")
    courses = [s["course"] for s in listed if s["kind"] == "pgic"]
    assert courses == [
        {"first": "2026-01-10", "last": "2026-01-20"},
        {"first": "2026-09-10", "last": "2026-09-20"},
    ]
    assert "course 2026-09-10 to 2026-09-20" in " ".join(cli.ok("score", "list").stdout.split())


def test_midas_prefill_says_what_its_figures_rest_on(cli: Any) -> None:
    empty = " ".join(cli.ok("score", "midas", "--prefill").stdout.split())
    assert "not enough data" in empty
    assert "average peak pain -" not in empty
    cli.ok("attack", "log", "--when", "2026-11-20 08:00", "--hours", "4", "--peak", "6")
    cli.ok("checkin", "--date", "2026-11-21")
    text = " ".join(cli.ok("score", "midas", "--prefill").stdout.split())
    assert "1 day with headache of 2 recorded days (1 attack), average peak pain 6.0" in text
    assert "89 of the 91 days are not recorded" in text


def test_a_bound_near_none_or_all_is_not_printed_as_none_or_all() -> None:
    from migraine_diary.render.format import percent

    assert [percent(x) for x in (0.0, 0.0042, 0.5, 0.996, 1.0)] == [
        "0%", "<1%", "50%", ">99%", "100%",
    ]  # fmt: skip


def test_doses_are_listed_in_the_time_order_they_are_numbered_in(cli: Any) -> None:
    out = cli.ok("attack", "log", "--when", "2026-11-20 08:00", "--hours", "10", "--peak", "6",
                 "--med", "ibuprofen@15:00", "--med", "sumatriptan@09:00").stdout  # fmt: skip
    text = " ".join(out.split())
    assert text.index("sumatriptan") < text.index("ibuprofen")
    assert [d["name"] for d in cli.json("attack", "show", "1")["medications"]] == [
        "sumatriptan", "ibuprofen",
    ]  # fmt: skip
    shown = cli.ok("attack", "show", "1").stdout
    assert shown.index("sumatriptan") < shown.index("ibuprofen")


def test_due_leaves_out_doses_without_a_time_and_counts_them(cli: Any) -> None:
    cli.ok("attack", "log", "--when", "2026-11-25 08:00", "--hours", "6", "--peak", "7",
           "--med", "Migrastop", "--med", "sumatriptan@09:00")  # fmt: skip
    due = cli.json("attack", "due")
    assert [(d["dose"], d["name"]) for d in due["due"]] == [(2, "sumatriptan")]
    assert due["untimed_unrated"] == 1
    text = " ".join(cli.ok("attack", "due").stdout.split())
    assert "1 dose without a time, never due by the clock" in text
    assert "migraine attack rate 1 --dose 1 --after 2h --pain P" in text


def test_one_recorded_day_is_one_day(cli: Any) -> None:
    cli.ok("checkin", "--date", "2026-11-10")
    cli.log("acupuncture", when="2026-11-20 09:00")
    assert "has 1 recorded day of the 21 needed" in " ".join(cli.ok("stats").stdout.split())
    md = cli.ok("report", "-f", "md", "--since", "2026-11-01").stdout
    assert "has 1 recorded day of the 21 needed" in " ".join(md.split())
