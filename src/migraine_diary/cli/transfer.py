"""Commands that move records in and out of the diary: export and import."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from migraine_diary.cli.common import (
    PROG,
    Force,
    diary_from,
    diary_kept_if_written,
    output_file,
    say,
    writable_diary,
)
from migraine_diary.domain.words import plural

if TYPE_CHECKING:
    from migraine_diary.storage import Diary

app = typer.Typer()


WHAT = ("sessions", "attacks", "checkins", "ratings", "scores")


@app.command()
def export(
    ctx: typer.Context,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="csv or json (default: csv), or fhir (an HL7 FHIR R4 Bundle of sessions, their "
            "pain ratings, attacks and their medication).",
            metavar="csv|json|fhir",
        ),
    ] = None,
    what: Annotated[
        str | None,
        typer.Option(
            "--what",
            "-w",
            help="Which records: sessions (the default), attacks, checkins, ratings or scores.",
            metavar="KIND",
        ),
    ] = None,
    all_: Annotated[
        bool,
        typer.Option("--all", help="The whole diary, every kind of record, as one JSON document."),
    ] = False,
    schema: Annotated[
        bool, typer.Option("--schema", help="The JSON Schema of the --all document.")
    ] = False,
    excel: Annotated[
        bool,
        typer.Option(
            "--excel", help="CSV for spreadsheet programs: a UTF-8 byte-order mark first."
        ),
    ] = False,
    local: Annotated[
        bool, typer.Option("--local", help="CSV times with the local offset instead of UTC.")
    ] = False,
    all_clients: Annotated[
        bool,
        typer.Option(
            "--all-clients",
            help="A practice's sessions, every client's you may see, as CSV with each row's "
            "client first (for a spreadsheet; import takes one client at a time).",
        ),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File to write (default: standard output).", dir_okay=False
        ),
    ] = None,
    force: Force = False,
) -> None:
    """Export every session, oldest first (CSV by default); --what attacks, checkins, ratings
    or scores for those, --all for the whole diary as one JSON document.

    Example: migraine export --output sessions.csv
    """
    from migraine_diary.errors import InputError

    if all_clients:
        given = [
            name
            for name, used in (("--format", format not in (None, "csv")),
                               ("--what", what not in (None, "sessions")), ("--all", all_),
                               ("--schema", schema), ("--local", local))
            if used
        ]  # fmt: skip
        if given:
            raise InputError(
                f"--all-clients writes sessions as CSV in UTC: leave out {' and '.join(given)}"
            )
    if format == "fhir":
        given = [
            name
            for name, used in (("--what", what is not None), ("--all", all_),
                               ("--schema", schema), ("--excel", excel), ("--local", local))
            if used
        ]  # fmt: skip
        if given:
            raise InputError(
                f"--format fhir writes sessions and attacks: leave out {' and '.join(given)}"
            )
        export_fhir(ctx, output, force=force)
        return
    if format not in (None, "csv", "json"):
        raise InputError(f"format must be csv, json or fhir (got {format})")
    if what not in (None, *WHAT):
        raise InputError(f"--what must be {_one_of(WHAT)} (got {what})")
    whole = all_ or schema
    if whole and format == "csv":
        raise InputError("--all writes JSON: leave out --format csv")
    if whole and what is not None:
        raise InputError("--all holds every kind of record: leave out --what")
    if (excel or local) and (whole or format == "json"):
        raise InputError("--excel and --local are for CSV; JSON keeps UTC times for programs")
    if schema:
        _write_schema(ctx, output, force=force)
        return
    if all_:
        _write_document(ctx, output, force=force)
        return
    from migraine_diary.transfer import csvfile, kinds
    from migraine_diary.transfer import sessions as exporter

    kind = kinds.BY_NAME[what or "sessions"]
    diary = every_clients_export(ctx) if all_clients else one_persons_export(ctx)
    with output_file(ctx, output, force=force) as out:
        if format != "json":
            count = csvfile.write_kind(
                diary, kind, out, local=local, excel=excel, clients=all_clients
            )
        elif kind is kinds.SESSIONS:
            count = exporter.write_json(diary, out)
        else:
            count = csvfile.write_json_list(diary, kind, out)
    if output is not None:
        say(f"Exported {_counted(count, kind)} to {output}.", err=True)


def one_persons_export(ctx: typer.Context) -> Diary | None:
    """The diary to export: in a practice, one client's (see diary.clients.about_one_person),
    before the output file is made."""
    from migraine_diary.diary.clients import about_one_person

    diary = diary_from(ctx, write=False)
    about_one_person(diary, "export", export=True)
    return diary


def every_clients_export(ctx: typer.Context) -> Diary | None:
    """The diary to export with --all-clients: every client's records, so not one chosen."""
    from migraine_diary.errors import InputError

    diary = diary_from(ctx, write=False)
    if diary is not None and diary.client is not None:
        raise InputError("--all-clients exports every client's sessions: name no client with it")
    return diary


def _one_of(names: tuple[str, ...]) -> str:
    return ", ".join(names[:-1]) + " or " + names[-1]


def _counted(n: int, kind: Any) -> str:
    """``1 session``, ``3 medication classes``: a kind's records counted in words."""
    many = kind.singular + ("es" if kind.singular.endswith("s") else "s")
    return plural(n, kind.singular, many)


def _write_schema(ctx: typer.Context, output: Path | None, *, force: bool) -> None:
    import json

    from migraine_diary.transfer.document import schema

    with output_file(ctx, output, force=force) as out:
        out.write(json.dumps(schema(), indent=2) + "\n")


def _write_document(ctx: typer.Context, output: Path | None, *, force: bool) -> None:
    from migraine_diary.domain import dates
    from migraine_diary.transfer import kinds
    from migraine_diary.transfer.document import write_document

    diary = one_persons_export(ctx)
    with output_file(ctx, output, force=force) as out:
        counts = write_document(diary, out, now=dates.now())
    if output is not None:
        held = ", ".join(_counted(counts[kind.name], kind) for kind in kinds.KINDS)
        say(f"Exported the whole diary ({held}) to {output}.", err=True)


def export_fhir(ctx: typer.Context, output: Path | None, *, force: bool) -> None:
    """`migraine export --format fhir`: the mapping is in transfer/fhir.py and the README."""
    from migraine_diary.domain import dates
    from migraine_diary.transfer import fhir

    diary = one_persons_export(ctx)
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
            help="A file `export` wrote (CSV of one kind, or the --all document), a Migraine "
            "Buddy or an Apple Health export.",
            show_default=False,
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row, write nothing.")
    ] = False,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="Change the records whose id is in the diary with other values to the file's.",
        ),
    ] = False,
    what: Annotated[
        str | None,
        typer.Option(
            "--what",
            "-w",
            help="CSV of sessions, attacks, checkins, ratings or scores (default: by its header).",
            metavar="KIND",
        ),
    ] = None,
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="csv (as `export` writes it, or the --all document), migraine-buddy (attacks "
            "from Migraine Buddy's CSV export) or apple-health (headaches from the Health app's "
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
    """Import records from a file `export` wrote: all rows, or none. A CSV's kind is told by
    its header; the --all document restores every kind. With --format migraine-buddy or
    apple-health, import attacks from that app's export (see the README).

    Example: migraine import sessions.csv --dry-run
    """
    from migraine_diary.errors import InputError

    if format != "csv" or skip_bad:
        if format == "csv":
            raise InputError("--skip-bad works with --format migraine-buddy or apple-health only")
        if update or what is not None:
            raise InputError("--update and --what work with files `export` wrote only")
        import_attacks(ctx, file, format=format, dry_run=dry_run, skip_bad=skip_bad)
        return
    if what is not None and what not in WHAT:
        raise InputError(f"--what must be {_one_of(WHAT)} (got {what})")
    from migraine_diary.transfer import csvfile, document
    from migraine_diary.transfer.records import import_items

    if document.looks_like_document(file):
        if what is not None:
            raise InputError("the document holds every kind of record: leave out --what")
        batches = document.read_document(file)
    else:
        batches = [csvfile.read_csv(file, what)]
    with diary_kept_if_written(ctx, keep=not dry_run) as diary:
        result = import_items(diary, batches, update=update, dry_run=dry_run)
    for kind_result in result.kinds:
        for line in kind_result.changes:
            say(line)
    # One kind: its count even when 0; the document: the kinds it added (or "0 records",
    # worded as a CSV's "0 sessions" and another app's "0 attacks").
    shown = [r for r in result.kinds if r.added or len(result.kinds) == 1]
    added = ", ".join(_counted(r.added, r.kind) for r in shown) or "0 records"
    already = sum(r.already_there for r in result.kinds)
    changed = sum(len(r.changes) for r in result.kinds)
    say(
        f"{'Would add' if dry_run else 'Added'} {added} from {file}"
        + (f"; {already} already in the diary" if already else "")
        + (f"; {'would change' if dry_run else 'changed'} {changed}" if update else "")
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
