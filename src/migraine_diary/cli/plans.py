"""Commands of randomised N-of-1 plans: `plan [new|next|show|status|abandon|result]`.

Only typer is imported at module level: `--help` and Tab completion stay instant.
"""

from __future__ import annotations

from typing import Annotated

import typer

from migraine_diary.cli.common import (
    Json,
    TherapyArg,
    complete_plan,
    complete_therapy,
    diary_from,
    existing_diary,
    id_of,
    print_json,
    say,
    writable_diary,
)
from migraine_diary.domain.hints import command_line

app = typer.Typer()
plan_app = typer.Typer(invoke_without_command=True)
app.add_typer(
    plan_app,
    name="plan",
    help="Randomised N-of-1 plans: settle a question (session length, two therapies, on/off) "
    "by experiment. Alone: list the plans.\n\n"
    "Example: migraine plan new craniosacral --compare 45,30 --blocks 4",
)

PlanId = Annotated[
    str,
    typer.Argument(
        help="Plan id (see `migraine plan`).",
        show_default=False,
        metavar="ID",
        autocompletion=complete_plan,
    ),
]


def _lines(lines: list[str]) -> None:
    for line in lines:
        say(line)


@plan_app.callback()
def plans(ctx: typer.Context, json: Json = False) -> None:
    """List the plans: active, finished, abandoned."""
    if ctx.invoked_subcommand is not None:
        return
    from migraine_diary.diary.plans import list_plans
    from migraine_diary.domain.dates import local_day, now
    from migraine_diary.render.plans import list_lines

    moment = now()
    found = list_plans(diary_from(ctx, write=False), moment)
    today = local_day(moment)
    if json:
        from migraine_diary.render.json import plan_json

        print_json([plan_json(p, p.shown_slots(today), p.status(today)) for p in found])
        return
    _lines(list_lines(found, today))


@plan_app.command()
def new(
    ctx: typer.Context,
    therapy: TherapyArg,
    compare: Annotated[
        str | None,
        typer.Option("--compare", help="Two session lengths to compare: 45,30.", metavar="A,B"),
    ] = None,
    versus: Annotated[
        str | None,
        typer.Option(
            "--versus",
            help="Another therapy to compare with.",
            metavar="OTHER",
            autocompletion=complete_therapy,
        ),
    ] = None,
    periods: Annotated[
        str | None,
        typer.Option(
            "--periods",
            help="On/off periods of this many days (is it preventive?).",
            metavar="DAYS",
        ),
    ] = None,
    washout: Annotated[
        str | None,
        typer.Option(
            "--washout",
            help="Days left out at the start of each period (default 7).",
            metavar="DAYS",
        ),
    ] = None,
    blocks: Annotated[
        str | None,
        typer.Option("--blocks", help="Blocks of one slot per arm (default 4).", metavar="N"),
    ] = None,
    design: Annotated[
        str,
        typer.Option("--design", help="pairs (each block drawn alone) or abba.", metavar="D"),
    ] = "pairs",
    seed: Annotated[
        str | None,
        typer.Option(
            "--seed", help="Seed of the draw (default: a random one, shown).", metavar="N"
        ),
    ] = None,
    mid: Annotated[
        str | None,
        typer.Option(
            "--mid",
            help="Smallest difference that matters (default 1 point of relief, 2 migraine "
            "days per 28).",
            metavar="POINTS",
        ),
    ] = None,
    new_therapy: Annotated[
        bool, typer.Option("--new-therapy", help="Plan a therapy not logged yet.")
    ] = False,
    json: Json = False,
) -> None:
    """Make a randomised plan; the whole sequence is drawn now and locked with its seed.

    Example: migraine plan new craniosacral --compare 45,30 --blocks 4
    """
    from migraine_diary.diary.plans import create_plan
    from migraine_diary.domain.dates import now
    from migraine_diary.domain.plan import plan_spec

    spec = plan_spec(
        therapy,
        compare=compare,
        versus=versus,
        periods=periods,
        washout=washout,
        blocks=blocks,
        design=design,
        seed=seed,
        mid=mid,
    )
    created = create_plan(writable_diary(ctx), spec, now(), new_therapy=new_therapy)
    if json:
        from migraine_diary.render.json import plan_created_json

        print_json(plan_created_json(created.plan))
        return
    from migraine_diary.render.plans import created_lines

    _lines(created_lines(created.plan, created.power))


@plan_app.command("next")
def next_(
    ctx: typer.Context,
    plan_id: Annotated[
        str | None, typer.Argument(help="Plan id (default: the only active plan).")
    ] = None,
    json: Json = False,
) -> None:
    """The next slot only: which arm comes next (for periods: the period running now).

    Example: migraine plan next
    """
    from migraine_diary.diary.plans import current_plan
    from migraine_diary.domain.dates import local_day, now

    moment = now()
    wanted = None if plan_id is None else id_of(plan_id, "plan ID")
    plan = current_plan(diary_from(ctx, write=False), wanted, moment)
    if json:
        from migraine_diary.render.json import plan_next_json

        print_json(plan_next_json(plan, local_day(moment)))
        return
    from migraine_diary.render.plans import next_lines

    _lines(next_lines(plan, local_day(moment)))


@plan_app.command()
def show(
    ctx: typer.Context,
    plan_id: PlanId,
    reveal: Annotated[
        bool,
        typer.Option("--reveal", help="Show the whole sequence now (recorded as a deviation)."),
    ] = False,
    json: Json = False,
) -> None:
    """Show a plan: the slots so far (all of them once it has ended), and its deviations.

    Example: migraine plan show 1
    """
    from migraine_diary.diary.plans import get_plan
    from migraine_diary.diary.plans import reveal as reveal_plan
    from migraine_diary.domain.dates import local_day, now

    moment = now()
    number = id_of(plan_id, "plan ID")
    if reveal:
        plan = reveal_plan(existing_diary(ctx), number, moment)
    else:
        plan = get_plan(diary_from(ctx, write=False), number, moment)
    today = local_day(moment)
    from migraine_diary.render.plans import show_lines

    if json:
        from migraine_diary.render.json import plan_json

        print_json(plan_json(plan, plan.shown_slots(today, reveal), plan.status(today)))
        return
    _lines(show_lines(plan, today, reveal=reveal))


@plan_app.command()
def status(ctx: typer.Context, plan_id: PlanId, json: Json = False) -> None:
    """Slots done and planned, deviations, missing outcomes, expected end at the current pace.

    Example: migraine plan status 1
    """
    from migraine_diary.diary.plans import expected_end, get_plan
    from migraine_diary.domain.dates import local_day, now

    moment = now()
    plan = get_plan(diary_from(ctx, write=False), id_of(plan_id, "plan ID"), moment)
    today = local_day(moment)
    end = expected_end(plan, today)
    if json:
        from migraine_diary.render.json import plan_status_json

        print_json(plan_status_json(plan, today, end))
        return
    from migraine_diary.render.plans import deviation_lines, status_lines

    _lines(status_lines(plan, today, end) + deviation_lines(plan)[1:])


@plan_app.command()
def abandon(
    ctx: typer.Context,
    plan_id: PlanId,
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            help="Why the plan ends early (kept with it).",
            metavar="TEXT",
            show_default=False,
        ),
    ],
) -> None:
    """End a plan early; it is kept, with the reason. A plan is never edited.

    Example: migraine plan abandon 1 --reason 'moved away from the therapist'
    """
    from migraine_diary.diary.plans import abandon as abandon_plan
    from migraine_diary.domain.dates import now

    plan = abandon_plan(existing_diary(ctx), id_of(plan_id, "plan ID"), reason, now())
    say(
        f"Plan {plan.id} abandoned; it is kept with its reason. See it with "
        f"'{command_line(f'plan show {plan.id}')}'."
    )


@plan_app.command()
def result(
    ctx: typer.Context,
    plan_id: PlanId,
    interim: Annotated[
        bool,
        typer.Option("--interim", help="Judge the complete blocks so far, labelled interim."),
    ] = False,
    json: Json = False,
) -> None:
    """The result: block differences, mean with its 95% t interval, the exact randomisation
    p-value, the verdict and the CENT items. Withheld until every block is complete.

    Example: migraine plan result 1
    """
    from migraine_diary.diary.plans import plan_result
    from migraine_diary.domain.dates import now
    from migraine_diary.render.plans import cent_items, result_lines

    found = plan_result(
        diary_from(ctx, write=False), id_of(plan_id, "plan ID"), now(), interim=interim
    )
    if json:
        from migraine_diary.render.json import plan_result_json

        print_json(
            plan_result_json(found.plan, found.outcome, cent_items(found.plan, found.outcome))
        )
        return
    _lines(result_lines(found.plan, found.outcome))
