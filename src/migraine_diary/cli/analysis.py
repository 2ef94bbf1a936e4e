"""`migraine stats`: load the sessions once, let the pure `stats` module judge them, render.

Only typer is imported at module level: the database, numpy/scipy and Rich load inside the
command, so `--help` and Tab completion stay instant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from migraine_diary.cli.common import (
    Json,
    Since,
    Until,
    complete_therapy,
    counting_diary,
    one_person_diary,
    print_json,
    say,
    session_filters,
)
from migraine_diary.domain.hints import command_line

app = typer.Typer()

if TYPE_CHECKING:
    from migraine_diary.analysis.verdicts import TherapyVerdicts
    from migraine_diary.storage import Diary

# Indented JSON is written by Python's slow encoder: at 100,000 sessions it takes longer than
# the statistics. From this many sessions on, the same data is printed on one line.
COMPACT_JSON_FROM = 5000


StatsTherapy = Annotated[
    str | None,
    typer.Argument(
        help="Only this therapy (any case); default: every therapy.",
        show_default=False,
        autocompletion=complete_therapy,
    ),
]


AllClients = Annotated[
    bool,
    typer.Option(
        "--all-clients",
        help="Across clients: relief by session length and session number in one mixed "
        "model over every client (needs 5 clients with 5 sessions each; "
        "pip install 'migraine-diary[practice]').",
    ),
]


@app.command()
def stats(
    ctx: typer.Context,
    therapy: StatsTherapy = None,
    since: Since = None,
    until: Until = None,
    all_clients: AllClients = False,
    json: Json = False,
) -> None:
    """What your sessions can and cannot tell, per therapy: relief with its 95% interval, how
    often it helped, cost per point of relief, whether session length or the number of
    sessions goes with the relief, relief during attacks, and (with the attack diary) whether
    migraine days fell during the course. Says "not enough data" rather than guess.

    Example: migraine stats craniosacral --since 2026-09-01
    """
    diary = counting_diary(ctx) if all_clients else one_person_diary(ctx, "stats")
    if all_clients:
        across_clients(diary, therapy, since, until, json=json)
        return
    results = judged_therapies(diary, therapy, since, until)
    plans = finished_plans(diary, results)
    if json:
        from migraine_diary.render.json import stats_json

        data = stats_json(results, plans)
        if sum(r.stats.sessions for r in results) < COMPACT_JSON_FROM:
            print_json(data)
        else:
            print_json(data, indent=None, allow_nan=False)
        if not results:
            say(nothing_to_show(therapy, since, until), err=True)
        return
    from migraine_diary.render import stats as render_stats

    if not results:
        render_stats.say(nothing_to_show(therapy, since, until))
        return
    render_stats.therapy_sections(results, plans)


def across_clients(
    diary: Diary | None, therapy: str | None, since: str | None, until: str | None, *, json: bool
) -> None:
    """`stats --all-clients`: one mixed model per therapy over the practice's clients."""
    from migraine_diary.analysis.practice import analyse_practice
    from migraine_diary.diary.practice import client_series

    where = session_filters(diary, therapy, since, until)
    results = [analyse_practice(name, s) for name, s in client_series(diary, where).items()]
    if json:
        from migraine_diary.render.practice import practice_json

        print_json(practice_json(results))
        if not results:
            say(nothing_to_show(therapy, since, until), err=True)
        return
    from migraine_diary.render.practice import practice_sections
    from migraine_diary.render.stats import say as show

    if not results:
        show(nothing_to_show(therapy, since, until))
        return
    practice_sections(results)


def finished_plans(diary: Diary | None, results: list[TherapyVerdicts]) -> dict[str, list[Any]]:
    """Each shown therapy's finished randomised plans (diary.plans.PlanResult), by name: a
    plan's result comes before the unplanned analysis, since it answers by experiment."""
    from migraine_diary.diary.plans import finished_results
    from migraine_diary.domain.dates import now

    names = {r.stats.therapy.casefold(): r.stats.therapy for r in results}
    found: dict[str, list[Any]] = {}
    for result in finished_results(diary, now()) if names else []:
        arms = [result.plan.therapy, *(str(a) for a in result.plan.arms)]
        for name in dict.fromkeys(a.casefold() for a in arms):
            if name in names and (name == arms[0].casefold() or result.plan.kind == "therapies"):
                found.setdefault(names[name], []).append(result)
    return found


@app.command()
def verdict(ctx: typer.Context, json: Json = False) -> None:
    """One line per therapy: does a session ease the pain (acute), did migraine days fall
    during the course (preventive), and what it cost in all.

    Example: migraine verdict
    """
    results = judged_therapies(one_person_diary(ctx, "verdict"), None, None, None)
    if json:
        from migraine_diary.render.json import verdict_json

        print_json([verdict_json(r) for r in results])
        return
    from migraine_diary.render import stats as render_stats

    if not results:
        render_stats.say(nothing_to_show(None, None, None))
        return
    render_stats.verdict_table(results)


def judged_therapies(
    diary: Diary | None, therapy: str | None, since: str | None, until: str | None
) -> list[TherapyVerdicts]:
    """Every therapy's figures and verdicts from one read of the diary; most sessions first.

    Session figures cover --since/--until; the preventive verdict always looks at the whole
    course, since each course is judged against the days before it.
    """
    from migraine_diary.analysis.stats import acute_verdict, analyse_therapy
    from migraine_diary.analysis.verdicts import TherapyVerdicts
    from migraine_diary.diary.acute import therapy_endpoints
    from migraine_diary.diary.courses import judge
    from migraine_diary.domain.dates import now, parse_day
    from migraine_diary.domain.models import therapy_key

    where = session_filters(diary, therapy, since, until)
    first = parse_day(since, field="since") if since else None
    last = parse_day(until, field="until") if until else None
    moment = now()
    judged = judge(diary, where, today=moment.astimezone().date(), now=moment)
    endpoints = therapy_endpoints(diary, first, last)
    results = []
    for course in judged.courses:
        sessions = course.within(first, last)
        if sessions:
            results.append(
                TherapyVerdicts(
                    analyse_therapy(course.name, sessions),
                    acute_verdict(sessions),
                    judged.preventive.get(course.name, ()),
                    judged.attack_diary,
                    endpoints.get(therapy_key(course.name)),
                )
            )
    return results


def nothing_to_show(therapy: str | None, since: str | None, until: str | None) -> str:
    """Why there are no figures, in words: an empty result is an answer, not an error."""
    span = ""
    if since and until:
        span = f" from {since} to {until}"
    elif since:
        span = f" since {since}"
    elif until:
        span = f" up to {until}"
    if therapy is not None:
        return (
            f"Not enough data: no sessions of {therapy!r}{span}.\n"
            f"See the therapies in your diary with: {command_line('therapies')}"
        )
    if span:
        return f"Not enough data: no sessions{span}."
    return "Not enough data: no sessions yet.\nLog one with: " + command_line(
        "log THERAPY -m 45 -b 5 -a 4"
    )
