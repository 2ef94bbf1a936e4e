"""Commands of acute outcomes and questionnaires: `acute` and `score midas|hit6|pgic|list`.

Only typer is imported at module level: `--help` and Tab completion stay instant.
"""

from __future__ import annotations

from typing import Annotated

import typer

from migraine_diary.cli.common import (
    Json,
    Since,
    Until,
    complete_medicine,
    diary_from,
    print_json,
    say,
    writable_diary,
)

app = typer.Typer()
score_app = typer.Typer(no_args_is_help=True)
app.add_typer(
    score_app,
    name="score",
    help="Questionnaire totals you computed on the official forms: MIDAS, HIT-6, PGIC.\n\n"
    "Example: migraine score midas --total 14",
)

Total = Annotated[
    str | None, typer.Option("--total", help="The total from the official form.", metavar="N")
]
Day = Annotated[
    str | None,
    typer.Option("--date", help="The day you filled it in (default today).", metavar="D"),
]


@app.command("acute")
def acute_(
    ctx: typer.Context,
    since: Since = None,
    until: Until = None,
    compare: Annotated[
        list[str] | None,
        typer.Option(
            "--compare",
            help="Two treatments to compare (pain-free at 2 h); give it twice. Default: the "
            "two medicines, when exactly two were used.",
            metavar="NAME",
            autocompletion=complete_medicine,
        ),
    ] = None,
    json: Json = False,
) -> None:
    """Acute treatments the way trials measure them: pain-free and relief at 2 hours,
    sustained pain freedom to 24 and 48 hours, most bothersome symptom, rescue.

    Example: migraine acute --since 2026-01-01
    """
    from migraine_diary.diary import acute
    from migraine_diary.domain import dates

    since_day = dates.parse_day(since, field="since") if since else None
    until_day = dates.parse_day(until, field="until") if until else None
    report = acute.acute_report(diary_from(ctx, write=False), since_day, until_day, compare or ())
    if json:
        from migraine_diary.render.json import acute_outcomes_json

        print_json(
            acute_outcomes_json(
                report.rows,
                report.comparison,
                report.doses,
                report.unrated_doses,
                report.untimed_doses,
            )
        )
        return
    from migraine_diary.render import acute as render_acute

    render_acute.acute_table(
        report.rows, report.comparison, report.doses, report.unrated_doses, report.untimed_doses
    )


def _record(ctx: typer.Context, kind: str, total: str | None, day: str | None,
            therapy: str | None = None) -> None:  # fmt: skip
    from migraine_diary.diary import acute
    from migraine_diary.domain.acute import SCORE_RANGES
    from migraine_diary.errors import InputError
    from migraine_diary.render import acute as render_acute

    if total is None:
        option = "--value" if kind == "pgic" else "--total"
        low, high = SCORE_RANGES[kind]
        raise InputError(f"missing {option}: a whole number from {low} to {high}")
    acute.parse_total(kind, total)  # refused before the diary is opened
    score = acute.add_score(writable_diary(ctx), kind, total, day, therapy)
    say(render_acute.score_line(score))


@score_app.command("midas")
def midas(
    ctx: typer.Context,
    total: Total = None,
    day: Day = None,
    prefill: Annotated[
        bool,
        typer.Option("--prefill", help="Print what the diary knows of the last 3 months."),
    ] = False,
) -> None:
    """Record a MIDAS total (0-270): grade I 0-5, II 6-10, III 11-20, IV 21 and over.

    Example: migraine score midas --total 14 --date 2026-11-20
    """
    if prefill:
        from migraine_diary.diary import acute
        from migraine_diary.domain import dates
        from migraine_diary.render.acute import prefill_text

        say(prefill_text(acute.midas_prefill(diary_from(ctx, write=False), dates.now())))
        if total is None:
            return
    _record(ctx, "midas", total, day)


@score_app.command("hit6")
def hit6(ctx: typer.Context, total: Total = None, day: Day = None) -> None:
    """Record a HIT-6 total (36-78): 49 or less, 50-55, 56-59, 60 and over.

    Example: migraine score hit6 --total 58
    """
    _record(ctx, "hit6", total, day)


@score_app.command("pgic")
def pgic(
    ctx: typer.Context,
    therapy: Annotated[str, typer.Argument(help="The therapy whose course it judges.")],
    value: Annotated[
        str | None, typer.Option("--value", help="Your impression of change, 1-7.", metavar="N")
    ] = None,
    day: Day = None,
) -> None:
    """Record your global impression of change (1-7) at the end of a therapy's course.

    Example: migraine score pgic acupuncture --value 5
    """
    _record(ctx, "pgic", value, day, therapy)


@score_app.command("list")
def list_(ctx: typer.Context, json: Json = False) -> None:
    """Every score, oldest first, with its grade and the change since the previous one.

    Example: migraine score list
    """
    from migraine_diary.diary import acute

    scores = acute.list_scores(diary_from(ctx, write=False))
    if json:
        from migraine_diary.render.json import scores_json

        print_json(scores_json(scores))
        return
    from migraine_diary.render import acute as render_acute

    render_acute.scores_table(scores)
