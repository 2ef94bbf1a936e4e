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
        str,
        typer.Option(
            "--format",
            "-f",
            help="csv or json (sessions), or fhir (an HL7 FHIR R4 Bundle of sessions, their "
            "pain ratings, attacks and their medication).",
            metavar="csv|json|fhir",
        ),
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
    if format == "fhir":
        export_fhir(ctx, output, force=force)
        return
    if format not in ("csv", "json"):
        from migraine_diary.errors import InputError

        raise InputError(f"format must be csv, json or fhir (got {format})")
    from migraine_diary.transfer import sessions as exporter

    diary = diary_from(ctx, write=False)
    with output_file(ctx, output, force=force) as out:
        count = (exporter.write_csv if format == "csv" else exporter.write_json)(diary, out)
    if output is not None:
        say(f"Exported {plural(count, 'session')} to {output}.", err=True)


def export_fhir(ctx: typer.Context, output: Path | None, *, force: bool) -> None:
    """`migraine export --format fhir`: the mapping is in transfer/fhir.py and the README."""
    from migraine_diary.domain import dates
    from migraine_diary.transfer import fhir

    diary = diary_from(ctx, write=False)
    with output_file(ctx, output, force=force) as out:
        count = fhir.write_bundle(diary, out, now=dates.now())
    if output is not None:
        say(f"Exported a FHIR bundle of {plural(count, 'resource')} to {output}.", err=True)


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="A CSV file in the export format, a Migraine Buddy or an Apple Health export.",
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
            help="csv (sessions, as `export` writes them), migraine-buddy (attacks from "
            "Migraine Buddy's CSV export) or apple-health (headaches from the Health app's "
            "export.zip or export.xml).",
            metavar="csv|migraine-buddy|apple-health",
        ),
    ] = "csv",
    skip_bad: Annotated[
        bool,
        typer.Option(
            "--skip-bad",
            help="migraine-buddy, apple-health: import the good rows, report the bad ones.",
        ),
    ] = False,
) -> None:
    """Import sessions from a CSV in the export format: all rows, or none. With --format
    migraine-buddy or apple-health, import attacks from that app's export (see the README).

    Example: migraine import sessions.csv --dry-run
    """
    if format != "csv" or skip_bad:
        if format == "csv":
            from migraine_diary.errors import InputError

            raise InputError("--skip-bad works with --format migraine-buddy or apple-health only")
        import_attacks(ctx, file, format=format, dry_run=dry_run, skip_bad=skip_bad)
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


ATTACK_FORMATS = ("migraine-buddy", "apple-health")


def import_attacks(
    ctx: typer.Context, file: Path, *, format: str, dry_run: bool, skip_bad: bool
) -> None:
    """`migraine import --format migraine-buddy|apple-health FILE`: attacks from another app,
    read and checked before the diary is opened, then stored on the one shared path."""
    from migraine_diary.domain import dates
    from migraine_diary.errors import InputError
    from migraine_diary.render import attacks as render_attacks
    from migraine_diary.transfer import attack_import

    now = dates.now()
    if format == "migraine-buddy":
        from migraine_diary.transfer import migraine_buddy_import as buddy

        plan = buddy.check_buddy(file, skip_bad=skip_bad, now=now)
    elif format == "apple-health":
        from migraine_diary.transfer import apple_health

        plan = apple_health.check_apple_health(file, skip_bad=skip_bad, now=now)
    else:
        raise InputError(f"format must be csv, {' or '.join(ATTACK_FORMATS)} (got {format})")
    diary = diary_from(ctx, write=False) if dry_run else writable_diary(ctx)
    result = attack_import.store_attacks(diary, plan, dry_run=dry_run)
    for problem in result.bad:
        say(f"{PROG}: skipped {problem}", err=True)
    say(render_attacks.buddy_summary(result, str(file)))
    if result.unclassified and result.added:
        say(render_attacks.unclassified_hint(result.unclassified))
