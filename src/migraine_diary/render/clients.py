"""The list of a practice's clients, for people."""

from __future__ import annotations

from collections.abc import Sequence

from migraine_diary.domain.clients import Client
from migraine_diary.domain.dates import format_local
from migraine_diary.domain.hints import command_line
from migraine_diary.render.format import DASH
from migraine_diary.render.tables import Column, table
from migraine_diary.render.terminal import console

CLIENT_COLUMNS = (
    Column("client", figure=False, narrowest=12),
    Column("sessions", justify="right"),
    Column("attacks", justify="right"),
    Column("last visit"),
)


def clients_table(clients: Sequence[Client]) -> None:
    if not clients:
        console.print(f"No clients yet. Add one with: {command_line('client add NAME')}")
        return
    rows = [
        [
            c.shown,
            str(c.sessions),
            str(c.attacks),
            format_local(c.last_visit) if c.last_visit else DASH,
        ]
        for c in clients
    ]
    console.print(table(CLIENT_COLUMNS, rows))
