"""Practice mode: `migraine clients` and the `migraine client ...` commands."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from migraine_diary.cli import common
from migraine_diary.cli.common import Force, Json
from migraine_diary.domain.hints import command_line_for

if TYPE_CHECKING:
    from migraine_diary.storage import Diary

app = typer.Typer()
client_app = typer.Typer(no_args_is_help=True)
app.add_typer(
    client_app,
    name="client",
    help="Practice mode: add, rename, export, erase or share a client; bring a personal diary "
    "in.\n\n"
    "Example: migraine client add 'Anne B.'",
)

Name = Annotated[
    str, typer.Argument(help="The client's name (see `migraine clients`).", show_default=False)
]


@app.command("clients")
def clients(ctx: typer.Context, json: Json = False) -> None:
    """List the clients of a practice: sessions, attacks and last visit of each.

    Example: migraine clients
    """
    from migraine_diary.diary.clients import listing

    found = listing(common.diary_from(ctx, write=False))
    if json:
        common.print_json([c.to_json() for c in found])
        return
    from migraine_diary.render.clients import clients_table

    clients_table(found)


@client_app.command("add")
def add(ctx: typer.Context, name: Name) -> None:
    """Add a client; then name them with --client on every command about them.

    Example: migraine client add 'Anne B.'
    """
    from migraine_diary.diary.clients import add as add_client

    added = add_client(_practice(ctx, create=True), name)
    common.say(f"Added client {added!r}. Log for them with: {command_line_for(added, 'log ...')}")


@client_app.command("rename")
def rename(
    ctx: typer.Context,
    old: Name,
    new: Annotated[str, typer.Argument(help="The new name.", show_default=False)],
) -> None:
    """Give a client another name; their records stay theirs.

    Example: migraine client rename 'Anne' 'Anne B.'
    """
    from migraine_diary.diary.clients import rename as rename_client

    before, after = rename_client(_practice(ctx), old, new)
    common.say(f"Renamed client {before!r} to {after!r}.")


@client_app.command("export")
def export(
    ctx: typer.Context,
    name: Name,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File to write (default: standard output).", dir_okay=False
        ),
    ] = None,
    force: Force = False,
) -> None:
    """The whole-diary document of one client alone (what `export --all` writes).

    Example: migraine client export 'Anne B.' --output anne.json
    """
    from migraine_diary.diary.clients import choose
    from migraine_diary.domain import dates
    from migraine_diary.transfer.document import write_document

    diary = _opened(ctx, write=False)
    choose(diary, name)
    with common.output_file(ctx, output, force=force) as out:
        write_document(diary, out, now=dates.now())
    if output is not None:
        common.say(f"Exported client {' '.join(name.split())!r} to {output}.", err=True)


@client_app.command("erase")
def erase(
    ctx: typer.Context,
    name: Name,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove every record of a client, and the client, in one transaction (asks first
    unless --yes; this cannot be undone: export them first to keep a copy).

    Example: migraine client erase 'Anne B.' --yes
    """
    from migraine_diary.diary.clients import client_id
    from migraine_diary.diary.clients import erase as erase_client

    diary = _practice(ctx)
    client_id(diary, name)  # an unknown name is refused before anything is asked
    shown = " ".join(name.split())
    question = f"Erase client {shown!r} and every record of theirs?"
    if not yes and not common.confirm_change(question, "erased", command="client erase"):
        return
    removed = erase_client(diary, name)
    from migraine_diary.domain.words import plural

    common.say(
        f"Erased client {shown!r}: {plural(removed['session'], 'session')}, "
        f"{plural(removed['attack'], 'attack')} and every other record of theirs."
    )


@client_app.command("import-diary")
def import_diary(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="A personal diary file.", show_default=False, dir_okay=False)
    ],
    name: Annotated[
        str | None,
        typer.Option("--client", help="The client it is brought in under (made if new).",
                     metavar="NAME"),
    ] = None,
) -> None:  # fmt: skip
    """Bring a personal diary into the practice, every record of it under one client, in
    one transaction (ids are numbered anew; the file is not changed).

    Example: migraine client import-diary anne-diary.db --client 'Anne B.'
    """
    from migraine_diary.diary.clients import import_diary as bring_in

    chosen = name or common.client_option(ctx)
    if chosen is None:
        from migraine_diary.errors import InputError

        raise InputError("missing --client: the client the diary is brought in under")
    copied = bring_in(_opened(ctx, write=True), file.expanduser(), chosen)
    from migraine_diary.domain.words import plural

    common.say(
        f"Imported {file} under client {' '.join(chosen.split())!r}: "
        f"{plural(copied.get('session', 0), 'session')}, "
        f"{plural(copied.get('attack', 0), 'attack')}, "
        f"{plural(sum(copied.values()), 'record')} in all."
    )


Role = Annotated[
    str,
    typer.Option("--with", help="The practitioner's database role.", metavar="ROLE",
                 show_default=False),
]  # fmt: skip


@client_app.command("share")
def share(ctx: typer.Context, name: Name, role: Role) -> None:
    """Let another practitioner (a database role) see and change a client's records, on
    PostgreSQL; only the client's owner may.

    Example: migraine client share 'Anne B.' --with bob
    """
    from migraine_diary.diary.audit import share as share_client

    shown = " ".join(name.split())
    if share_client(_practice(ctx), name, role):
        common.say(f"Shared client {shown!r} with {role}.")
    else:
        common.say(f"Client {shown!r} was shared with {role} already; nothing changed.")


@client_app.command("unshare")
def unshare(ctx: typer.Context, name: Name, role: Role) -> None:
    """Stop sharing a client with a practitioner's role.

    Example: migraine client unshare 'Anne B.' --with bob
    """
    from migraine_diary.diary.audit import unshare as unshare_client

    shown = " ".join(name.split())
    if unshare_client(_practice(ctx), name, role):
        common.say(f"Client {shown!r} is no longer shared with {role}.")
    else:
        common.say(f"Client {shown!r} was not shared with {role}; nothing changed.")


def _opened(ctx: typer.Context, *, write: bool, create: bool | None = None) -> Diary:
    """The diary, not scoped to a client (these commands name theirs as an argument); made
    when there is none only for a command that adds a client (by default, one that writes)."""
    from migraine_diary.diary import files
    from migraine_diary.errors import DiaryError

    made = write if create is None else create
    opened = files.open_for(common.diary_option(ctx), write=write, create=made)
    if opened.diary is None:
        raise DiaryError(f"there is no diary at {opened.path} yet; add a client first")
    if opened.upgraded_from is not None:
        common.say(
            f"Upgraded the diary from schema {opened.upgraded_from} to {opened.latest} "
            "(a backup was kept next to it).",
            err=True,
        )
    return opened.diary


def _practice(ctx: typer.Context, *, create: bool = False) -> Diary:
    """The diary to change a client in: no diary is made for a client that cannot be in it."""
    return _opened(ctx, write=True, create=create)
