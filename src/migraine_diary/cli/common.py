"""What every command shares: option types, opening the diary, prompts, JSON printing."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from migraine_diary.domain.hints import command_line
from migraine_diary.errors import DiaryError
from migraine_diary.render.format import inert_json, visible

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from contextlib import AbstractContextManager
    from datetime import date

    from migraine_diary.diary.settings import Setting
    from migraine_diary.errors import InputError
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
    db: str | None  # --db as given (a path or a URL); the diary used is `diary_option`'s
    client: str | None = None  # --client as given; the client used is `client_option`'s
    settings: dict[str, Setting] | None = None
    config: Path | None = None


def settings_of(ctx: typer.Context) -> dict[str, Setting]:
    """The effective settings (option > environment > config file > default), read once per
    command; the currency is handed to the one money formatter here."""
    state = ctx.ensure_object(State)
    if state.settings is None:
        from migraine_diary.diary.settings import effective
        from migraine_diary.render.format import use_currency

        state.settings, state.config = effective(
            {"db": str(state.db) if state.db else None, "client": state.client}
        )
        use_currency(state.settings["currency"].value)
    return state.settings


def diary_option(ctx: typer.Context) -> str | None:
    """The diary named by --db, MIGRAINE_DIARY_DB or the config file; None for the default
    one in the user data folder."""
    value = settings_of(ctx)["db"].value
    return None if value is None else str(value)


def client_option(ctx: typer.Context) -> str | None:
    """The client named by --client, MIGRAINE_DIARY_CLIENT or the config file; None: every
    client (a personal diary has only its own)."""
    value = settings_of(ctx)["client"].value
    return None if value is None else str(value)


def diary_from(ctx: typer.Context, *, write: bool, create: bool = True) -> Diary | None:
    from migraine_diary.diary import files

    opened = files.open_for(
        diary_option(ctx), write=write, create=create, client=client_option(ctx)
    )
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
            f"'{command_line(f'attack end {attack_id} --when ...')}'",
            err=True,
        )
    return diary


def one_person_diary(ctx: typer.Context, command: str) -> Diary | None:
    """counting_diary, for a command about one person's days (see diary.clients)."""
    from migraine_diary.diary.clients import about_one_person

    diary = counting_diary(ctx)
    about_one_person(diary, command)
    return diary


def writable_diary(ctx: typer.Context) -> Diary:
    diary = diary_from(ctx, write=True)
    assert diary is not None
    return diary


@contextmanager
def diary_kept_if_written(ctx: typer.Context, *, keep: bool = True) -> Iterator[Diary]:
    """The diary to write to, for a command that checks against it before it writes (an
    import): a diary file it makes is removed again when the command fails, or (`keep`
    False: a dry run) when it only tried, so neither leaves a new, empty file behind."""
    from migraine_diary.diary import files

    new = files.new_file(diary_option(ctx))
    diary = writable_diary(ctx)
    done = False
    try:
        yield diary
        done = keep
    finally:
        if new is not None and not done:
            files.remove_if_empty(new)


def existing_diary(ctx: typer.Context) -> Diary:
    """A diary to change that must already exist: editing never creates an empty one."""
    diary = diary_from(ctx, write=True, create=False)
    if diary is None:
        from migraine_diary.diary import files

        path = files.diary_path(diary_option(ctx))
        raise DiaryError(f"there is no diary at {path} yet; log a session first")
    return diary


def output_file(
    ctx: typer.Context, path: Path | None, *, force: bool
) -> AbstractContextManager[IO[str]]:
    """Where a command writes: standard output, or a file named with --output that never
    replaces the diary or another database, and another file only with --force."""
    from migraine_diary.diary import files
    from migraine_diary.transfer.output import private_output

    where = files.diary_path(diary_option(ctx))
    return private_output(path, diary=where if isinstance(where, Path) else None, force=force)


def session_filters(
    diary: Diary | None,
    therapy: str | None,
    since: str | None,
    until: str | None,
    search: str | None = None,
) -> Filters:
    """The sessions a read covers; a therapy that is not in the diary is refused (a typo
    would otherwise show "no sessions")."""
    from migraine_diary.diary.sessions import check_therapy, filters
    from migraine_diary.domain.dates import parse_day

    since_day: date | None = parse_day(since, field="since") if since else None
    until_day: date | None = parse_day(until, field="until") if until else None
    where = filters(therapy, since_day, until_day, search)
    check_therapy(diary, therapy)
    return where


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


def missing(option: str, rule_key: str | None = None) -> InputError:
    """A required value that a script did not give (there is nobody to ask)."""
    from migraine_diary.domain.models import RULES
    from migraine_diary.errors import InputError

    field = rule_key or option.removeprefix("--").replace("-", "_")
    return InputError(f"missing {option}: {RULES[field]}")


def ask(
    value: str | None,
    option: str,
    prompt: str,
    check: Callable[[str], object] | None = None,
    *,
    default: str | None = None,
) -> str:
    """Prompt on a terminal for a missing required value; without one it is an error.

    Each answer is checked as it is given (`check` raises the one-line InputError of the
    field) and asked again after the error, so no answer is lost to a later mistake.
    """
    if value is not None:
        return value
    if not on_terminal():
        raise missing(option)
    return answer(prompt, check, default=default)


def answer(
    prompt: str, check: Callable[[str], object] | None = None, *, default: str | None = None
) -> str:
    """One question, asked until its answer passes `check`; an empty default means the
    question may be left blank. Ctrl-C or end of input cancels (typer.Abort, exit 130)."""
    from migraine_diary.errors import InputError

    while True:
        text: str = typer.prompt(prompt, default=default, show_default=bool(default))
        try:
            if check is not None:
                check(text)
        except InputError as error:
            say(f"{PROG}: error: {error.message}", err=True)
            continue
        return text


def confirm_change(question: str, verb: str = "deleted", *, command: str = "delete") -> bool:
    """Ask before a change that cannot be taken back; a no says what did not happen (a
    choice, not an error: exit 0). Without a terminal nobody can answer: --yes is needed."""
    if not on_terminal():
        from migraine_diary.errors import InputError

        raise InputError(f"{command} asks for confirmation: add --yes when not on a terminal")
    if typer.confirm(question, default=False):
        return True
    say(f"Nothing was {verb}.")
    return False


def session_check(field: str) -> Callable[[str], object]:
    """The check of one session field as typed, with the rule of the whole session."""

    def check(text: str) -> object:
        from migraine_diary.domain.models import validate_session_field

        return validate_session_field(field, text, label=CLI_LABELS)

    return check


def _completing(kind: str) -> Callable[[typer.Context, str], list[str]]:
    """A Tab completion of ``kind`` from the diary named on the command line (or by the
    environment or the config file). Plan ids: one more kind in storage.sqlite.names."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        from migraine_diary.diary.completion import offered

        db = ctx.find_root().params.get("db")
        return offered(kind, None if db is None else str(db), incomplete)

    return complete


complete_therapy = _completing("therapy")
complete_attack = _completing("attack")
complete_plan = _completing("plan")
complete_medicine = _completing("medicine")

TherapyArg = Annotated[
    str,
    typer.Argument(
        help="Therapy name, e.g. craniosacral.",
        show_default=False,
        autocompletion=complete_therapy,
    ),
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
        help="When it began: 2026-11-20, '2026-11-20 14:30', now, 17:00, 'yesterday 17:00', "
        "'3 days ago', 'last monday 9:30'.",
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
Search = Annotated[
    str | None,
    typer.Option(
        "--search",
        "-s",
        help="Only those with this text in notes or provider (any case).",
        metavar="TEXT",
    ),
]
TherapyFilter = Annotated[
    str | None,
    typer.Option("--therapy", "-t", help="Only this therapy.", autocompletion=complete_therapy),
]
SessionId = Annotated[
    str,
    typer.Argument(help="Session id (see `migraine list`).", show_default=False, metavar="ID"),
]


def id_of(text: str, field: str) -> int:
    """An id as typed: ASCII digits, 1 or more (Typer's int took `1_0`, fullwidth digits and
    numbers SQLite cannot hold)."""
    from migraine_diary.domain.models import parse_id

    return parse_id(text, field=field)


def limit_of(text: str) -> int:
    """--limit as typed, 1 or more; more than any diary holds is every record."""
    from migraine_diary.domain.models import parse_id

    return parse_id(text, field="limit", at_most=True)
