"""Commands about treatment sessions: log, list, show, edit, delete, therapies, rename, summary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from datetime import datetime

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
    SessionId,
    Since,
    TherapyArg,
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

app = typer.Typer()


@app.command()
def log(
    ctx: typer.Context,
    therapy: TherapyArg,
    minutes: Minutes = None,
    pain_before: PainBefore = None,
    pain_after: PainAfter = None,
    cost: Cost = None,
    when: When = None,
    later: Later = None,
    provider: Provider = None,
    attack: Annotated[
        bool, typer.Option("--attack", help="Taken during a migraine attack (acute use).")
    ] = False,
    notes: Notes = None,
    new_therapy: NewTherapy = False,
) -> None:
    """Log a treatment session, right after the appointment.

    Example: migraine log craniosacral -m 45 -b 5 -a 4 -c 90 --when 'yesterday 17:00'
    """
    from migraine_diary.diary.sessions import log_session
    from migraine_diary.domain.dates import now, parse_when
    from migraine_diary.render import sessions as render

    data = {
        "therapy": therapy,
        "minutes": ask(minutes, "--minutes", "Minutes"),
        "pain_before": ask(pain_before, "--pain-before", "Pain before (0-10)"),
        "pain_after": ask(pain_after, "--pain-after", "Pain after (0-10)"),
        "when": parse_when(when) if when else now(),
        "pain_later": later,
        "cost": cost if cost is not None else "0",
        "provider": provider,
        "during_attack": attack,
        "notes": notes,
    }
    from migraine_diary.domain.models import validate_session

    validate_session(data, label=CLI_LABELS)  # refuse bad input before the diary is touched
    diary = writable_diary(ctx)
    session = log_session(diary, data, new_therapy=new_therapy, label=CLI_LABELS)
    render.console.print(render.session_line(session, "Logged"))
    _how_to_record(diary, session.when)


def _how_to_record(diary: Diary, when: datetime) -> None:
    """A session says nothing about the rest of its day: one line on how to record the day."""
    from migraine_diary.diary.days import day_status
    from migraine_diary.domain.dates import format_local, local_day, now

    day = local_day(when)
    status = day_status(diary, day, now())
    if status.recorded:
        return
    if status.attack:  # a session during an attack, and no attack record
        hint = (
            f"the attack itself is not in the diary: log it with 'migraine attack log --when "
            f'"{format_local(when)}" --hours H --peak P\''
        )
    else:
        hint = f"if it had no migraine, record it with 'migraine checkin --date {day}'"
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
    json: Json = False,
) -> None:
    """List sessions, newest first.

    Example: migraine list --therapy craniosacral --since 2026-11-01
    """
    from migraine_diary.diary.sessions import list_sessions, stream_sessions

    where = session_filters(therapy, since, until)
    count = list_limit(limit, json=json)
    diary = diary_from(ctx, write=False)
    if json and count is None:
        print_json_list(s.to_json() for s in stream_sessions(diary, where))
        return
    sessions, total = list_sessions(diary, where, count)
    if json:
        print_json([s.to_json() for s in sessions])
        return
    from migraine_diary.render import sessions as render

    render.sessions_table(sessions, total)


@app.command()
def show(ctx: typer.Context, session_id: SessionId, json: Json = False) -> None:
    """Show one session.

    Example: migraine show 7
    """
    from migraine_diary.diary.sessions import get_session

    session = get_session(diary_from(ctx, write=False), id_of(session_id, "session id"))
    if json:
        print_json(session.to_json())
        return
    from migraine_diary.render import sessions as render

    render.session_detail(session)


@app.command()
def edit(
    ctx: typer.Context,
    session_id: SessionId,
    therapy: Annotated[str | None, typer.Option("--therapy", "-t", help="Therapy name.")] = None,
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

    number = id_of(session_id, "session id")
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
    render.console.print(render.session_line(session, "Updated"))


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

    number = id_of(session_id, "session id")
    diary = existing_diary(ctx)
    session = get_session(diary, number)
    if not yes:
        if not common.on_terminal():
            from migraine_diary.errors import InputError

            raise InputError("delete asks for confirmation: add --yes when not on a terminal")
        typer.confirm(render.session_line(session, "Delete") + "?", abort=True)
    delete_session(diary, number)
    render.console.print(f"Deleted session {number}.")


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
    old: Annotated[str, typer.Argument(help="The name in use.", show_default=False)],
    new: Annotated[str, typer.Argument(help="The name to use from now on.", show_default=False)],
) -> None:
    """Rename a therapy, or merge two spellings into one.

    Example: migraine rename 'cranio sacral' craniosacral
    """
    from migraine_diary.diary.sessions import rename_therapy

    say(rename_therapy(existing_diary(ctx), old, new))


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

    result = summarize(diary_from(ctx, write=False), session_filters(therapy, since, until))
    if json:
        print_json(result.to_json())
        return
    from migraine_diary.render import sessions as render

    render.summary_table(result)
