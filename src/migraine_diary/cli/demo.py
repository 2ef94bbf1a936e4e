"""`migraine demo`: a throwaway sample diary, so a new user sees the product in one command."""

from __future__ import annotations

import shlex
from typing import Annotated

import typer

from migraine_diary.domain.hints import command_line_for

app = typer.Typer()


@app.command()
def demo(
    ctx: typer.Context,
    # Text, not a Path: a Path would fold a URL's "//" and make a file of it.
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Where to write the demo diary (a new file; an existing one is refused). "
            "Default: the root --db if given, else a new temporary folder.",
            metavar="PATH",
        ),
    ] = None,
) -> None:
    """Fill a throwaway diary with a realistic sample and show its summary.

    Never touches your own diary. Example: migraine demo
    """
    from migraine_diary.cli.common import State
    from migraine_diary.diary import files
    from migraine_diary.diary.demo import fill_demo
    from migraine_diary.diary.sessions import filters, summarize
    from migraine_diary.render import sessions as render
    from migraine_diary.render.terminal import console

    given = db if db is not None else ctx.ensure_object(State).db
    path = None if given is None else files.sqlite_only(files.diary_path(given), "demo")
    diary = fill_demo(path)
    render.summary_table(summarize(diary, filters()))
    # The demo's own diary, named with --db, and personal: no client, whichever was chosen.
    tries = ("verdict", "stats craniosacral", "calendar", "report --output visit.html")
    where = shlex.quote(str(diary.path))
    lines = [command_line_for(None, f"--db {where} {words}") for words in tries]
    console.print(f"\nThis demo diary is {diary.path}\nTry: " + "\n     ".join(lines))
