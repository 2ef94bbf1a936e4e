"""Commands that move records in and out of the diary: export and import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from migraine_diary.cli.common import PROG, Force, diary_from, output_file, say, writable_diary
from migraine_diary.render.format import plural

app = typer.Typer()


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
    force: Force = False,
) -> None:
    """Export every session, oldest first (CSV by default).

    Example: migraine export --output sessions.csv
    """
    if format not in ("csv", "json"):
        from migraine_diary.errors import InputError

        raise InputError(f"format must be csv or json (got {format})")
    from migraine_diary.transfer import sessions as exporter

    diary = diary_from(ctx, write=False)
    with output_file(ctx, output, force=force) as out:
        count = (exporter.write_csv if format == "csv" else exporter.write_json)(diary, out)
    if output is not None:
        say(f"Exported {plural(count, 'session')} to {output}.", err=True)


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
        if format == "csv":
            from migraine_diary.errors import InputError

            raise InputError("--skip-bad works with --format migraine-buddy only")
        import_migraine_buddy(ctx, file, format=format, dry_run=dry_run, skip_bad=skip_bad)
        return
    from migraine_diary.transfer import sessions as exporter

    rows = exporter.read_csv(file)
    result = exporter.import_rows(writable_diary(ctx), rows, dry_run=dry_run)
    verb = "Would add" if dry_run else "Added"
    say(
        f"{verb} {plural(result.added, 'session')} from {file}"
        + (f"; {result.already_there} already in the diary" if result.already_there else "")
        + "."
    )


def import_migraine_buddy(
    ctx: typer.Context, file: Path, *, format: str, dry_run: bool, skip_bad: bool
) -> None:
    """`migraine import --format migraine-buddy FILE`: the command lives in cli.py."""
    from migraine_diary.domain import dates
    from migraine_diary.errors import InputError
    from migraine_diary.render import attacks as render_attacks
    from migraine_diary.transfer import migraine_buddy_import as buddy

    if format != "migraine-buddy":
        raise InputError(f"format must be csv or migraine-buddy (got {format})")
    now = dates.now()
    plan = buddy.check_buddy(file, skip_bad=skip_bad, now=now)
    diary = diary_from(ctx, write=False) if dry_run else writable_diary(ctx)
    result = buddy.import_buddy(diary, plan, dry_run=dry_run)
    for problem in result.bad:
        say(f"{PROG}: skipped line {problem.line}: {problem.message}", err=True)
    say(render_attacks.buddy_summary(result, str(file)))
    if result.unclassified and result.added:
        say(render_attacks.unclassified_hint(result.unclassified))
