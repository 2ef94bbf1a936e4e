"""`migraine audit`: every write to the diary, by whom and to which record (ids only)."""

from __future__ import annotations

from typing import Annotated

import typer

from migraine_diary.cli import common
from migraine_diary.cli.common import Json, Since

app = typer.Typer()


@app.command("audit")
def audit(
    ctx: typer.Context,
    client: Annotated[
        str | None,
        typer.Option("--client", help="One client's entries alone.", metavar="NAME"),
    ] = None,
    since: Since = None,
    json: Json = False,
) -> None:
    """List the audit trail: when each record was added, changed, deleted or erased, and by
    which database role; ids only, never what a record holds. On PostgreSQL a practitioner
    sees their own clients' entries and their own writes.

    Example: migraine audit --since 2026-11-01
    """
    from migraine_diary.diary.audit import entries, is_practice
    from migraine_diary.domain.dates import parse_day

    day = parse_day(since, field="since") if since else None
    diary = common.diary_from(ctx, write=False)
    practice = is_practice(diary)
    found = entries(diary, client, day)  # without --client here, the root --client's
    if json:
        common.print_json_list(e.to_json(practice=practice) for e in found)
        return
    from migraine_diary.render.audit import audit_table

    audit_table(found, practice=practice)
