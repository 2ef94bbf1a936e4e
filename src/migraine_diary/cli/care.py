"""`migraine backup FILE` and `migraine check`: keep a copy, and know the diary is sound.

Only typer is imported at module level: the database loads inside the commands.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from migraine_diary.cli.common import Json, diary_option, print_json, say
from migraine_diary.domain.hints import command_line
from migraine_diary.domain.words import plural

app = typer.Typer()

if TYPE_CHECKING:
    from migraine_diary.storage import Health, ServerHealth


@app.command()
def backup(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="The copy to write: a new file (an existing one is never replaced).",
            show_default=False,
        ),
    ],
) -> None:
    """Copy the diary to a new file: one consistent state even while another migraine command
    writes, readable by you only, and checked to open as a diary.

    Use the copy like any diary: migraine --db FILE list.

    Example: migraine backup ~/backups/diary-2026-11-26.db
    """
    from migraine_diary.diary import files

    copy = files.backup(diary_option(ctx), file.expanduser())
    counts = ", ".join(
        plural(copy.tables[table], table) for table in ("session", "attack") if table in copy.tables
    )
    say(f"Backed up the diary to {copy.path} ({counts}; {_size(copy.size_bytes)}).")


@app.command()
def check(ctx: typer.Context, json: Json = False) -> None:
    """Check the diary: integrity, schema version, rows per table, who may read or change the
    file and its folder, and the write-ahead log (a PostgreSQL database: schema version and
    rows per table). Changes nothing.

    Exit code 0 when healthy, 1 when not; each problem comes with its fix.

    Example: migraine check
    """
    from migraine_diary.diary import files

    health = files.check(diary_option(ctx))
    if json:
        print_json(health.to_json())
    else:
        for line in _report(health):
            say(line)
    if not health.healthy:
        raise typer.Exit(1)


@app.command()
def upgrade(ctx: typer.Context) -> None:
    """Create or upgrade the diary's schema. A PostgreSQL database is only ever upgraded by
    this command, run as the database's owner; a diary file also by any command that writes,
    after a backup.

    Example: migraine --db postgresql://owner@dbhost/practice upgrade
    """
    from migraine_diary.diary import files

    where, before, now = files.upgrade(diary_option(ctx))
    if before == now:
        say(f"The diary at {where} already has the current schema ({now}); nothing to do.")
    elif before == 0:
        say(f"Created the diary's schema ({now}) at {where}.")
    else:
        say(f"Upgraded the diary at {where} from schema {before} to {now}.")


def _report(health: Health | ServerHealth) -> list[str]:
    from migraine_diary.diary.files import latest_schema

    if health.engine == "postgresql":
        return _server_report(health)
    latest = latest_schema()
    version = f"{health.schema_version} (current)"
    if health.schema_version < latest:
        version = (
            f"{health.schema_version} (upgraded to {latest} by the next command that writes, "
            "after a backup)"
        )
    log = (
        f"{health.journal_mode}, {_size(health.wal_bytes)} waiting to be written back"
        if health.wal_bytes
        else f"{health.journal_mode}, nothing waiting"
    )
    lines = [
        f"diary       {health.path} ({_size(health.size_bytes)})",
        f"integrity   {health.integrity[0]}",
        *(f"            {finding}" for finding in health.integrity[1:]),
        f"schema      {version}",
        "rows        " + ", ".join(f"{name} {n}" for name, n in health.tables.items()),
        f"file        {health.file_mode:04o}",
        f"folder      {health.folder_mode:04o} {health.folder}",
        f"journal     {log}",
    ]
    if health.healthy:
        return [*lines, "Verdict: healthy."]
    return [
        *lines,
        *(f"problem: {problem}" for problem in health.problems),
        f"Verdict: NOT healthy ({plural(len(health.problems), 'problem')} above).",
    ]


def _server_report(health: ServerHealth) -> list[str]:
    from migraine_diary.diary.files import latest_schema

    latest = latest_schema()
    version = f"{health.schema_version} (current)"
    if health.schema_version < latest:
        version = f"{health.schema_version} (run {command_line('upgrade')} for {latest})"
    lines = [
        f"database    {health.server} (PostgreSQL)",
        f"schema      {version}",
        "rows        " + ", ".join(f"{name} {n}" for name, n in health.tables.items()),
    ]
    if health.guarded:
        lines.append(
            f"security    row-level security enabled and forced on {len(health.guarded)} tables"
        )
    if health.privileges:
        lines.append(f"roles       migraine_practitioner: {_granted(health.privileges)}")
    if health.healthy:
        return [*lines, "Verdict: healthy."]
    return [
        *lines,
        *(f"problem: {problem}" for problem in health.problems),
        f"Verdict: NOT healthy ({plural(len(health.problems), 'problem')} above).",
    ]


def _granted(privileges: dict[str, list[str]]) -> str:
    """'select, insert on audit; select on schema_version; ...': tables grouped by what the
    role holds on them."""
    groups: dict[str, list[str]] = {}
    for table, kinds in privileges.items():
        groups.setdefault(", ".join(k.lower() for k in kinds) or "nothing", []).append(table)
    return "; ".join(f"{kinds} on {', '.join(tables)}" for kinds, tables in groups.items())


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KiB"
    return f"{n / 1024 / 1024:.1f} MiB"
