"""The command line: parse, call one diary function, render. The only module importing typer.

Heavy modules (SQLAlchemy, pydantic models, scipy, rich tables) are imported inside the
commands that need them, so that `--help` and Tab completion stay instant.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from migraine_diary import __version__
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


class DiaryGroup(TyperGroup):
    """One exit point: every expected error is one line on stderr; a traceback only with
    --debug. Typer's boxed error panels are replaced by a single line a script can read."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        _skip_coercion_while_completing(params)
        return params

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        debug = "--debug" in (kwargs.get("args") or (args[0] if args else None) or sys.argv)
        # A file name or argument with bytes that are not UTF-8 is shown escaped, rather than
        # failing after the work is done (stderr already escapes them).
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="backslashreplace")
        try:
            code = super().main(*args, **kwargs)
        except DiaryError as error:
            _fail(error.message, error.exit_code)
        except typer.Abort:
            _fail("aborted; nothing was changed", 1)
        except (
            typer.Exit
        ) as error:  # Typer returns these as codes; kept for a raise from a callback
            sys.exit(error.exit_code)
        except Exception as error:
            if type(error).__name__ == "NoArgsIsHelpError":  # `migraine` or `migraine attack`
                sys.stdout.write(error.format_message() + "\n")  # type: ignore[attr-defined]
                sys.exit(0)
            if _is_click_error(error):
                _fail(_click_message(error), getattr(error, "exit_code", 2))
            if isinstance(error, BrokenPipeError):
                sys.exit(1)
            if debug:
                raise
            _fail(
                f"unexpected {type(error).__name__}; nothing personal is shown here. "
                "Run again with --debug for details.",
                1,
            )
        sys.exit(code if isinstance(code, int) else 0)


class _AsGiven:
    """Parameter coercion that keeps the value: completion never uses the values it parses."""

    def coerce(self, value: Any, **_: Any) -> Any:
        return value


def _skip_coercion_while_completing(params: list[Any]) -> None:
    """Typer coerces every parameter through pydantic, even a None default: about 60 ms that
    Tab completion would pay on every keystroke for values it never uses. Only in a process
    that the shell started to complete (it exits right after), so no later parse is affected.
    """
    if f"_{PROG.upper()}_COMPLETE" not in os.environ:
        return
    for param in params:
        if getattr(param, "_runtime_param", False) is None:
            param._runtime_param = _AsGiven()


def _is_click_error(error: Exception) -> bool:
    return hasattr(error, "format_message") and hasattr(error, "exit_code")


def _click_message(error: Exception) -> str:
    message: str = error.format_message()  # type: ignore[attr-defined]
    return " ".join(message.split())


def _fail(message: str, code: int) -> NoReturn:
    lines = message.splitlines() or [message]
    for line in lines:
        sys.stderr.write(f"{PROG}: error: {line}\n")
    sys.stderr.flush()
    sys.exit(code)


app = typer.Typer(
    cls=DiaryGroup,
    name=PROG,
    help="A personal migraine treatment diary: log each session, see what helps and what it costs.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    # Plain help: Typer's Rich help formatting loads markdown and pygments (about 50 ms), and
    # `--help` must feel instant.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Example: migraine log craniosacral --minutes 45 -b 5 -a 4 --cost 90",
)


@dataclass
class State:
    db: Path | None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"migraine-diary {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Diary file to use (default: $MIGRAINE_DIARY_DB, else diary.db in your user "
            "data folder).",
            metavar="PATH",
            dir_okay=True,
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback for unexpected errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """A personal migraine treatment diary: log each session, see what helps and what it costs.

    Example: migraine log craniosacral --minutes 45 --pain-before 5 --pain-after 4 --cost 90
    """
    ctx.obj = State(db=db)


def diary_from(ctx: typer.Context, *, write: bool, create: bool = True) -> Diary | None:
    from migraine_diary import storage as db

    path = db.locate(ctx.ensure_object(State).db)
    diary = db.open_diary(path, write=write, create=create)
    if diary is None and not write:
        typer.echo(f"There is no diary at {path} yet; logging a session creates it.", err=True)
    if diary is not None and diary.upgraded_from is not None:
        typer.echo(
            f"Upgraded the diary from schema {diary.upgraded_from} to {db.LATEST} "
            "(a backup was kept next to it).",
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
        from migraine_diary import storage as db

        path = db.locate(ctx.ensure_object(State).db)
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
Until = Annotated[
    str | None, typer.Option("--until", help="Up to this day (inclusive).", metavar="D")
]
TherapyFilter = Annotated[str | None, typer.Option("--therapy", "-t", help="Only this therapy.")]
SessionId = Annotated[
    int, typer.Argument(help="Session id (see `migraine list`).", show_default=False)
]


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
    session = log_session(writable_diary(ctx), data, new_therapy=new_therapy, label=CLI_LABELS)
    render.console.print(render.session_line(session, "Logged"))


@app.command("list")
def list_(
    ctx: typer.Context,
    therapy: TherapyFilter = None,
    since: Since = None,
    until: Until = None,
    limit: Annotated[
        int, typer.Option("--limit", help="How many sessions to show, newest first.", min=1)
    ] = 50,
    json: Json = False,
) -> None:
    """List sessions, newest first.

    Example: migraine list --therapy craniosacral --since 2026-11-01
    """
    from migraine_diary.diary.sessions import list_sessions

    where = session_filters(therapy, since, until)
    sessions, total = list_sessions(diary_from(ctx, write=False), where, limit)
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

    session = get_session(diary_from(ctx, write=False), session_id)
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
        existing_diary(ctx), session_id, changes, new_therapy=new_therapy, label=CLI_LABELS
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

    diary = existing_diary(ctx)
    session = get_session(diary, session_id)
    if not yes:
        if not on_terminal():
            from migraine_diary.errors import InputError

            raise InputError("delete asks for confirmation: add --yes when not on a terminal")
        typer.confirm(render.session_line(session, "Delete") + "?", abort=True)
    delete_session(diary, session_id)
    render.console.print(f"Deleted session {session_id}.")


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

    typer.echo(rename_therapy(existing_diary(ctx), old, new))


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


@app.command()
def export(
    ctx: typer.Context,
    format: Annotated[
        str, typer.Option("--format", "-f", help="csv or json.", metavar="csv|json")
    ] = "csv",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File to write (default: standard output).", dir_okay=False
        ),
    ] = None,
) -> None:
    """Export every session, oldest first (CSV by default).

    Example: migraine export --output sessions.csv
    """
    if format not in ("csv", "json"):
        from migraine_diary.errors import InputError

        raise InputError(f"format must be csv or json (got {format})")
    from migraine_diary.transfer import sessions as exporter

    diary = diary_from(ctx, write=False)
    with exporter.private_output(output) as out:
        count = (exporter.write_csv if format == "csv" else exporter.write_json)(diary, out)
    if output is not None:
        typer.echo(f"Exported {count} session(s) to {output}.", err=True)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV file in the export format, or a Migraine Buddy export.",
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row, write nothing.")
    ] = False,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="csv (sessions, as `export` writes them) or migraine-buddy (attacks from "
            "Migraine Buddy's CSV export).",
            metavar="csv|migraine-buddy",
        ),
    ] = "csv",
    skip_bad: Annotated[
        bool,
        typer.Option(
            "--skip-bad", help="migraine-buddy: import the good rows, report the bad ones."
        ),
    ] = False,
) -> None:
    """Import sessions from a CSV in the export format: all rows, or none. With --format
    migraine-buddy, import attacks from a Migraine Buddy export (see the README).

    Example: migraine import sessions.csv --dry-run
    """
    if format != "csv" or skip_bad:
        from migraine_diary.cli.attacks import import_migraine_buddy

        if format == "csv":
            from migraine_diary.errors import InputError

            raise InputError("--skip-bad works with --format migraine-buddy only")
        import_migraine_buddy(ctx, file, format=format, dry_run=dry_run, skip_bad=skip_bad)
        return
    from migraine_diary.transfer import sessions as exporter

    rows = exporter.read_csv(file)
    result = exporter.import_rows(writable_diary(ctx), rows, dry_run=dry_run)
    verb = "Would add" if dry_run else "Added"
    typer.echo(
        f"{verb} {result.added} session(s) from {file}"
        + (f"; {result.already_there} already in the diary" if result.already_there else "")
        + "."
    )


@app.command()
def demo(
    db: Annotated[
        Path | None,
        typer.Option(
            "--db", help="Where to write the demo diary (a new or empty file).", metavar="PATH"
        ),
    ] = None,
) -> None:
    """Fill a throwaway diary with a realistic sample and show its summary.

    Never touches your own diary. Example: migraine demo
    """
    from migraine_diary.diary.demo import fill_demo
    from migraine_diary.diary.sessions import filters, summarize
    from migraine_diary.render import sessions as render

    diary = fill_demo(db)
    render.summary_table(summarize(diary, filters()))
    render.console.print(
        f"\nThis demo diary is {diary.path}\nTry: migraine --db '{diary.path}' verdict"
        f"\n     migraine --db '{diary.path}' stats craniosacral"
        f"\n     migraine --db '{diary.path}' calendar"
        f"\n     migraine --db '{diary.path}' report --output visit.html"
    )


def main() -> None:
    app()


# Command modules: each registers its commands on `app` and imports only typer at import time.
# (Imported last because they use the helpers above.)
import migraine_diary.cli.attacks  # noqa: E402, F401
import migraine_diary.cli.care as cli_care  # noqa: E402, F401
import migraine_diary.cli.report as cli_report  # noqa: E402, F401
from migraine_diary.cli import analysis as cli_stats  # noqa: E402, F401
