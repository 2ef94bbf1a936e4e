"""What every command shares: option types, opening the diary, prompts, JSON printing."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from migraine_diary.errors import DiaryError

if TYPE_CHECKING:
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
        typer.echo(
            f"There is no diary at {opened.path} yet; logging a session creates it.", err=True
        )
    if opened.upgraded_from is not None:
        typer.echo(
            f"Upgraded the diary from schema {opened.upgraded_from} to {opened.latest} "
            "(a backup was kept next to it).",
            err=True,
        )
    return opened.diary


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


def session_filters(therapy: str | None, since: str | None, until: str | None) -> Filters:
    from migraine_diary.diary.sessions import filters
    from migraine_diary.domain.dates import parse_day

    since_day: date | None = parse_day(since, field="since") if since else None
    until_day: date | None = parse_day(until, field="until") if until else None
    return filters(therapy, since_day, until_day)


def print_json(data: object) -> None:
    import json

    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


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
