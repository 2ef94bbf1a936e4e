"""What every command shares: option types, opening the diary, prompts, JSON printing."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from migraine_diary.errors import DiaryError
from migraine_diary.render.format import inert_json, visible

if TYPE_CHECKING:
    from collections.abc import Iterable
    from contextlib import AbstractContextManager
    from datetime import date

    from migraine_diary.storage import Diary, Filters

PROG = "migraine"
# Option names as the user types them, for error messages about those fields.
CLI_LABELS = {
    "therapy": "THERAPY",
    "when": "when",
    "minutes": "minutes",
    "pain_before": "pain-before",
    "pain_after": "pain-after",
    "pain_later": "later",
    "cost": "cost",
    "provider": "provider",
    "notes": "notes",
}


@dataclass
class State:
    db: Path | None


def diary_from(ctx: typer.Context, *, write: bool, create: bool = True) -> Diary | None:
    from migraine_diary.diary import files

    opened = files.open_for(ctx.ensure_object(State).db, write=write, create=create)
    if opened.diary is None and not write:
        say(f"There is no diary at {opened.path} yet; logging a session creates it.", err=True)
    if opened.upgraded_from is not None:
        say(
            f"Upgraded the diary from schema {opened.upgraded_from} to {opened.latest} "
            "(a backup was kept next to it).",
            err=True,
        )
    return opened.diary


def counting_diary(ctx: typer.Context) -> Diary | None:
    """The diary of a command that counts days, with one note per attack ongoing past the 72
    hours it counts for, on stderr so that --json keeps its shape."""
    diary = diary_from(ctx, write=False)
    from migraine_diary.diary.attacks import overdue
    from migraine_diary.domain.dates import format_local, now

    moment = now()
    for attack_id, start in overdue(diary, moment):
        typer.echo(
            f"{PROG}: note: attack {attack_id} has been ongoing since {format_local(start)} "
            f"({(moment - start).days} days): end it with "
            f"'migraine attack end {attack_id} --when ...'",
            err=True,
        )
    return diary


def writable_diary(ctx: typer.Context) -> Diary:
    diary = diary_from(ctx, write=True)
    assert diary is not None
    return diary


def existing_diary(ctx: typer.Context) -> Diary:
    """A diary to change that must already exist: editing never creates an empty one."""
    diary = diary_from(ctx, write=True, create=False)
    if diary is None:
        from migraine_diary.diary import files

        path = files.diary_path(ctx.ensure_object(State).db)
        raise DiaryError(f"there is no diary at {path} yet; log a session first")
    return diary


def output_file(
    ctx: typer.Context, path: Path | None, *, force: bool
) -> AbstractContextManager[IO[str]]:
    """Where a command writes: standard output, or a file named with --output that never
    replaces the diary or another database, and another file only with --force."""
    from migraine_diary.diary import files
    from migraine_diary.transfer.output import private_output

    diary = files.diary_path(ctx.ensure_object(State).db)
    return private_output(path, diary=diary, force=force)


def session_filters(therapy: str | None, since: str | None, until: str | None) -> Filters:
    from migraine_diary.diary.sessions import filters
    from migraine_diary.domain.dates import parse_day

    since_day: date | None = parse_day(since, field="since") if since else None
    until_day: date | None = parse_day(until, field="until") if until else None
    return filters(therapy, since_day, until_day)


def say(message: str, *, err: bool = False) -> None:
    """A line for people: file names and diary text in it are shown with controls made
    visible, like every table (see render.format.visible)."""
    typer.echo(visible(message), err=err)


def print_json(data: object, *, indent: int | None = 2, allow_nan: bool = True) -> None:
    """JSON as stored, letters unescaped; the controls json.dumps leaves raw as escapes."""
    import json

    text = json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=allow_nan)
    typer.echo(inert_json(text))


def print_json_list(items: Iterable[object]) -> None:
    """A JSON list written one item at a time (as `print_json` writes each): any length in
    the memory of one item."""
    import json

    first = True
    for item in items:
        text = json.dumps(item, indent=2, ensure_ascii=False)
        typer.echo(
            ("[\n  " if first else ",\n  ") + inert_json(text).replace("\n", "\n  "), nl=False
        )
        first = False
    typer.echo("[]" if first else "\n]")


def list_limit(text: str | None, *, json: bool) -> int | None:
    """--limit as given; without it the terminal shows the newest 50, --json every record."""
    if text is not None:
        return limit_of(text)
    return None if json else 50


def on_terminal() -> bool:
    """Whether a person can answer a prompt."""
    return sys.stdin.isatty()


def ask(value: str | None, option: str, prompt: str) -> str:
    """Prompt on a terminal for a missing required value; without one it is an error."""
    if value is not None:
        return value
    if on_terminal():
        answer: str = typer.prompt(prompt)
        return answer
    from migraine_diary.domain.models import RULES
    from migraine_diary.errors import InputError

    field = option.removeprefix("--").replace("-", "_")
    raise InputError(f"missing {option}: {RULES[field]}")


TherapyArg = Annotated[
    str, typer.Argument(help="Therapy name, e.g. craniosacral.", show_default=False)
]
Minutes = Annotated[
    str | None, typer.Option("--minutes", "-m", help="Session length, 1-600.", metavar="N")
]
PainBefore = Annotated[
    str | None, typer.Option("--pain-before", "-b", help="Pain before, 0-10.", metavar="0-10")
]
PainAfter = Annotated[
    str | None, typer.Option("--pain-after", "-a", help="Pain right after, 0-10.", metavar="0-10")
]
Cost = Annotated[
    str | None, typer.Option("--cost", "-c", help="Amount paid, e.g. 90 or 89.50.", metavar="X")
]
When = Annotated[
    str | None,
    typer.Option(
        "--when",
        "-w",
        help="When it began: 2026-11-20, '2026-11-20 14:30', 'yesterday 17:00'.",
        metavar="W",
    ),
]
Later = Annotated[
    str | None, typer.Option("--later", "-l", help="Pain later that day, 0-10.", metavar="0-10")
]
Provider = Annotated[str | None, typer.Option("--provider", "-p", help="Who treated you.")]
Notes = Annotated[str | None, typer.Option("--notes", "-n", help="Anything worth remembering.")]
NewTherapy = Annotated[
    bool, typer.Option("--new-therapy", help="Add a new therapy even if it looks like a typo.")
]
Force = Annotated[
    bool,
    typer.Option(
        "--force", help="Replace the --output file if it exists (never a diary or a database)."
    ),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Since = Annotated[
    str | None, typer.Option("--since", help="From this day on (inclusive).", metavar="D")
]
Months = Annotated[
    str | None,
    typer.Option(
        "--months",
        "-m",
        help="The N complete calendar months before this one, plus this month so far (default 3).",
        metavar="N",
    ),
]
Until = Annotated[
    str | None, typer.Option("--until", help="Up to this day (inclusive).", metavar="D")
]
TherapyFilter = Annotated[str | None, typer.Option("--therapy", "-t", help="Only this therapy.")]
SessionId = Annotated[
    str, typer.Argument(help="Session id (see `migraine list`).", show_default=False)
]


def id_of(text: str, field: str) -> int:
    """An id as typed: ASCII digits, from 1 to SQLite's largest integer (Typer's int took
    `1_0`, fullwidth digits and numbers SQLite cannot hold)."""
    from migraine_diary.domain.models import RULES, parse_whole

    return parse_whole(text, field=field, rule=RULES["id"])


def limit_of(text: str) -> int:
    from migraine_diary.domain.models import RULES, parse_whole

    return parse_whole(text, field="limit", rule=RULES["limit"])
