"""Commands about treatment sessions: log, list, show, edit, delete, therapies, rename, summary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from migraine_diary.domain.hints import command_line

if TYPE_CHECKING:
    from datetime import datetime

    from migraine_diary.domain.session import Session
    from migraine_diary.storage import Diary

from migraine_diary.cli import common
from migraine_diary.cli.common import (
    CLI_LABELS,
    PROG,
    Cost,
    Json,
    Later,
    Minutes,
    NewTherapy,
    Notes,
    PainAfter,
    PainBefore,
    Provider,
    Search,
    SessionId,
    Since,
    TherapyFilter,
    Until,
    When,
    ask,
    diary_from,
    existing_diary,
    id_of,
    list_limit,
    print_json,
    print_json_list,
    say,
    session_filters,
    writable_diary,
)
from migraine_diary.domain.words import plural

app = typer.Typer()


@app.command()
def log(
    ctx: typer.Context,
    therapy: Annotated[
        str | None,
        typer.Argument(
            help="Therapy name, e.g. craniosacral (asked for on a terminal).",
            show_default=False,
            autocompletion=common.complete_therapy,
        ),
    ] = None,
    minutes: Minutes = None,
    pain_before: PainBefore = None,
    pain_after: PainAfter = None,
    cost: Annotated[
        str | None,
        typer.Option(
            "--cost",
            "-c",
            help="Amount paid, e.g. 90 or 89.50 (on a terminal asked for, offering this "
            "therapy's last cost; without one: 0).",
            metavar="X",
        ),
    ] = None,
    when: Annotated[
        str | None,
        typer.Option(
            "--when",
            "-w",
            help="When it began: 2026-11-20, '2026-11-20 14:30', 17:00, 'yesterday 17:00', "
            "'3 days ago', 'last monday 9:30' (default: now).",
            metavar="W",
        ),
    ] = None,
    later: Later = None,
    provider: Provider = None,
    attack: Annotated[
        bool, typer.Option("--attack", help="Taken during a migraine attack (acute use).")
    ] = False,
    notes: Notes = None,
    new_therapy: NewTherapy = False,
    again: Annotated[
        bool,
        typer.Option(
            "--again",
            help="Minutes, cost and provider as in this therapy's last session (options given "
            "win).",
        ),
    ] = False,
    json: Annotated[bool, typer.Option("--json", help="Print the stored session as JSON.")] = False,
    not_in_plan: Annotated[
        bool,
        typer.Option("--not-in-plan", help="Log it outside the therapy's active plan."),
    ] = False,
) -> None:
    """Log a treatment session, right after the appointment.

    On a terminal, what is missing is asked for (bare `migraine log` asks for everything),
    each answer checked as it is given; the defaults offered are the therapy's last session's.

    Example: migraine log craniosacral -m 45 -b 5 -a 4 -c 90 --when 'yesterday 17:00'
    """
    from migraine_diary.diary.sessions import log_session
    from migraine_diary.domain.dates import local_day, now, parse_when
    from migraine_diary.render import sessions as render
    from migraine_diary.render.terminal import console

    moment = parse_when(when) if when else now()  # a bad moment before any question
    interview = therapy is None
    # On a terminal the cost is asked for too (default: the therapy's last cost); a script
    # that leaves it out stores 0, as it always has.
    asked = (minutes, pain_before, pain_after, cost)
    prompting = common.on_terminal() and (interview or None in asked)
    if therapy is None and not prompting:
        raise common.missing("THERAPY", "therapy")
    last = None
    if prompting or again:
        reading = _reading(ctx)
        if therapy is None:
            therapy, new_therapy = _ask_therapy(reading)
        last = _last_session(reading, therapy, again=again)
    if again and last is not None:
        reused = [
            name
            for name, given in (("minutes", minutes), ("cost", cost), ("provider", provider))
            if given is None and (name != "provider" or last.provider is not None)
        ]
        minutes = minutes if minutes is not None else str(last.minutes)
        cost = cost if cost is not None else f"{last.cost:.2f}"
        provider = provider if provider is not None else last.provider
        if reused:
            from migraine_diary.render.format import money

            shown = {"minutes": f"minutes {last.minutes}", "cost": f"cost {money(last.cost)}"}
            words = [shown.get(name, "the same provider") for name in reused]
            listed = ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]
            typer.echo(
                f"{PROG}: note: reused from session {last.id} ({local_day(last.when)}): {listed}",
                err=True,
            )
    data: dict[str, object] = {
        "therapy": therapy,
        "minutes": ask(
            minutes,
            "--minutes",
            "Minutes",
            common.session_check("minutes"),
            default=str(last.minutes) if last else None,
        ),
        "pain_before": ask(
            pain_before, "--pain-before", "Pain before (0-10)", common.session_check("pain_before")
        ),
        "pain_after": ask(
            pain_after, "--pain-after", "Pain after (0-10)", common.session_check("pain_after")
        ),
        "when": moment,
        "pain_later": later,
        "cost": cost,
        "provider": provider,
        "during_attack": attack,
        "notes": notes,
    }
    if prompting and cost is None:
        default = f"{last.cost:.2f}" if last else "0"
        data["cost"] = common.answer("Cost", common.session_check("cost"), default=default)
    if interview:
        _ask_optional(data, last, provider_given=provider is not None)
    if data["cost"] is None:
        data["cost"] = "0"
    from migraine_diary.domain.models import validate_session

    validate_session(data, label=CLI_LABELS)  # refuse bad input before the diary is touched
    diary = writable_diary(ctx)
    session = log_session(
        diary, data, new_therapy=new_therapy, label=CLI_LABELS, in_plan=not not_in_plan
    )
    if json:
        print_json(session.to_json())
    else:
        console.print(render.session_line(session, "Logged"))
    _how_to_record(diary, session.when)


def _reading(ctx: typer.Context) -> Diary | None:
    """The diary as it is, read quietly before logging (None when there is none yet)."""
    from migraine_diary.diary import files

    return files.open_for(
        common.diary_option(ctx), write=False, create=False, client=common.client_option(ctx)
    ).diary


def _last_session(diary: Diary | None, therapy: str, *, again: bool) -> Session | None:
    from migraine_diary.diary.sessions import check_therapy, last_session

    if again:
        check_therapy(diary, therapy)
    return last_session(diary, therapy)


def _ask_therapy(diary: Diary | None) -> tuple[str, bool]:
    """The therapy, from the names in use or a new one (confirmed, a near miss named):
    the name, and whether it is new."""
    from migraine_diary.diary.sessions import in_use
    from migraine_diary.diary.therapies import close_therapy
    from migraine_diary.domain.models import therapy_key

    known = in_use(diary)
    names = list(known.values())
    offered = f" ({', '.join(names[:8])}{', ...' if len(names) > 8 else ''})" if names else ""
    while True:
        name = common.answer(f"Therapy{offered}", common.session_check("therapy"))
        if therapy_key(name) in known:
            return name, False
        close = close_therapy(name, known)
        like = f" (did you mean {close!r}?)" if close else ""
        if typer.confirm(
            f"{name.strip()!r} is not in the diary yet{like}. Add it as a new therapy?",
            default=False,
        ):
            return name, True


def _ask_optional(data: dict[str, object], last: Session | None, *, provider_given: bool) -> None:
    """The questions a session may leave blank, asked when logging by prompts alone."""
    if data["pain_later"] is None:
        data["pain_later"] = common.answer(
            "Pain later that day (0-10, blank if not yet)",
            common.session_check("pain_later"),
            default="",
        )
    if not provider_given:
        offered = last.provider if last and last.provider else ""
        # Enter keeps the provider offered: "-" is how to say there was none this time.
        data["provider"] = common.answer(
            "Provider (- for none)" if offered else "Provider (blank for none)",
            common.session_check("provider"),
            default=offered,
        )
        if data["provider"] == "-":
            data["provider"] = ""
    if not data["during_attack"]:
        data["during_attack"] = typer.confirm("During a migraine attack?", default=False)
    if data["notes"] is None:
        data["notes"] = common.answer(
            "Notes (blank for none)", common.session_check("notes"), default=""
        )


def _how_to_record(diary: Diary, when: datetime) -> None:
    """A session says nothing about the rest of its day: one line on how to record the day."""
    from migraine_diary.diary.days import day_status
    from migraine_diary.domain.dates import format_local, local_day, now

    day = local_day(when)
    status = day_status(diary, day, now())
    if status.recorded:
        return
    if status.attack:  # a session during an attack, and no attack record
        log = command_line(f'attack log --when "{format_local(when)}" --hours H --peak P')
        hint = f"the attack itself is not in the diary: log it with '{log}'"
    else:
        hint = f"if it had no migraine, record it with '{command_line(f'checkin --date {day}')}'"
    typer.echo(f"{PROG}: note: {day} is not recorded as a day yet; {hint}", err=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    therapy: TherapyFilter = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[
        str | None,
        typer.Option(
            "--limit",
            help="How many sessions to show, newest first (default: 50; with --json, all).",
            metavar="N",
            show_default=False,
        ),
    ] = None,
    search: Search = None,
    json: Json = False,
) -> None:
    """List sessions, newest first.

    Example: migraine list --therapy craniosacral --since 2026-11-01 --search neck
    """
    from migraine_diary.diary.clients import labelled_json, labels
    from migraine_diary.diary.sessions import list_sessions, stream_sessions

    count = list_limit(limit, json=json)
    diary = diary_from(ctx, write=False)
    where = session_filters(diary, therapy, since, until, search)
    if json and count is None:
        print_json_list(labelled_json(diary, "session", stream_sessions(diary, where)))
        return
    sessions, total = list_sessions(diary, where, count)
    if json:
        print_json(list(labelled_json(diary, "session", sessions)))
        return
    from migraine_diary.render import sessions as render

    render.sessions_table(sessions, total, labels(diary, "session", [s.id for s in sessions]))


@app.command()
def show(ctx: typer.Context, session_id: SessionId, json: Json = False) -> None:
    """Show one session.

    Example: migraine show 7
    """
    from migraine_diary.diary.sessions import get_session

    number = id_of(session_id, "session ID")  # a typo refused before the diary is opened
    session = get_session(diary_from(ctx, write=False), number)
    if json:
        print_json(session.to_json())
        return
    from migraine_diary.render import sessions as render

    render.session_detail(session)


@app.command()
def edit(
    ctx: typer.Context,
    session_id: SessionId,
    therapy: Annotated[
        str | None,
        typer.Option(
            "--therapy", "-t", help="Therapy name.", autocompletion=common.complete_therapy
        ),
    ] = None,
    minutes: Minutes = None,
    pain_before: PainBefore = None,
    pain_after: PainAfter = None,
    cost: Cost = None,
    when: When = None,
    later: Annotated[
        str | None,
        typer.Option(
            "--later", "-l", help="Pain later that day, 0-10 ('' clears it).", metavar="0-10"
        ),
    ] = None,
    provider: Annotated[
        str | None, typer.Option("--provider", "-p", help="Who treated you ('' clears it).")
    ] = None,
    attack: Annotated[
        bool | None, typer.Option("--attack/--no-attack", help="Taken during an attack or not.")
    ] = None,
    notes: Annotated[
        str | None, typer.Option("--notes", "-n", help="Notes ('' clears them).")
    ] = None,
    new_therapy: NewTherapy = False,
) -> None:
    """Change fields of a logged session; the rest stay as they are.

    Example: migraine edit 7 --later 4   (in the evening, pain later that day)
    """
    from migraine_diary.diary.sessions import edit_session
    from migraine_diary.domain.dates import parse_when
    from migraine_diary.render import sessions as render
    from migraine_diary.render.terminal import console

    number = id_of(session_id, "session ID")
    given = {
        "therapy": therapy,
        "minutes": minutes,
        "pain_before": pain_before,
        "pain_after": pain_after,
        "cost": cost,
        "when": parse_when(when) if when else None,
        "pain_later": later,
        "provider": provider,
        "during_attack": attack,
        "notes": notes,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    if not changes:
        from migraine_diary.errors import InputError

        raise InputError("nothing to change: give at least one option, e.g. --later 4")
    session = edit_session(
        existing_diary(ctx), number, changes, new_therapy=new_therapy, label=CLI_LABELS
    )
    console.print(render.session_line(session, "Updated"))


@app.command()
def delete(
    ctx: typer.Context,
    session_id: SessionId,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a session (asks first unless --yes).

    Example: migraine delete 7 --yes
    """
    from migraine_diary.diary.sessions import delete_session, get_session
    from migraine_diary.render import sessions as render
    from migraine_diary.render.terminal import console

    number = id_of(session_id, "session ID")
    diary = existing_diary(ctx)
    session = get_session(diary, number)
    if not yes and not common.confirm_change(render.session_line(session, "Delete") + "?"):
        return
    delete_session(diary, number)
    console.print(f"Deleted session {number}.")


@app.command()
def therapies(ctx: typer.Context, json: Json = False) -> None:
    """List the therapy names in use, with their number of sessions.

    Example: migraine therapies
    """
    from migraine_diary.diary.sessions import therapies as names

    rows = names(diary_from(ctx, write=False))
    if json:
        print_json([{"therapy": name, "sessions": n} for name, n in rows])
        return
    from migraine_diary.render import sessions as render

    render.therapies_table(rows)


@app.command()
def rename(
    ctx: typer.Context,
    old: Annotated[
        str,
        typer.Argument(
            help="The name in use.", show_default=False, autocompletion=common.complete_therapy
        ),
    ],
    new: Annotated[str, typer.Argument(help="The name to use from now on.", show_default=False)],
) -> None:
    """Rename a therapy, or merge two spellings into one.

    Example: migraine rename 'cranio sacral' craniosacral
    """
    from migraine_diary.diary.sessions import rename_therapy

    before, after, moved = rename_therapy(existing_diary(ctx), old, new)
    if moved is None:
        say(f"Renamed {before!r} to {after!r}.")
    else:
        say(f"Merged {before!r} into {after!r}: {plural(moved, 'session')} moved.")


@app.command()
def summary(
    ctx: typer.Context,
    therapy: TherapyFilter = None,
    since: Since = None,
    until: Until = None,
    json: Json = False,
) -> None:
    """One row per therapy: sessions, minutes, pain, relief, cost per point of relief.

    Example: migraine summary --since 2026-09-01
    """
    from migraine_diary.diary.sessions import summarize

    diary = diary_from(ctx, write=False)
    result = summarize(diary, session_filters(diary, therapy, since, until))
    if json:
        print_json(result.to_json())
        return
    from migraine_diary.render import sessions as render

    render.summary_table(result)
