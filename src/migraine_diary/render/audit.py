"""The audit trail, for people."""

from __future__ import annotations

from collections.abc import Iterable

from migraine_diary.domain.audit import AuditEntry
from migraine_diary.domain.dates import format_local
from migraine_diary.render.format import DASH
from migraine_diary.render.tables import Column, table
from migraine_diary.render.terminal import console


def audit_table(entries: Iterable[AuditEntry], *, practice: bool) -> None:
    """One line per write; the role and client columns only where there are roles and
    clients (a personal diary's shows neither)."""
    found = list(entries)
    if not found:
        console.print("Nothing in the audit yet.")
        return
    roles = any(e.role is not None for e in found)
    columns = [Column("when"), Column("action"), Column("table"), Column("record", justify="right")]
    if roles:
        columns.insert(1, Column("role", figure=False))
    if practice:
        columns.append(Column("client", figure=False, narrowest=12))
    rows = []
    for e in found:
        record = DASH if e.record_id is None else str(e.record_id)
        row = [format_local(e.at), e.action, e.table, record]
        if roles:
            row.insert(1, e.role or DASH)
        if practice:
            row.append(_client(e))
        rows.append(row)
    console.print(table(tuple(columns), rows))


def _client(entry: AuditEntry) -> str:
    """The client's name; blank for the unnamed one (as in every listing), its id once erased
    or no longer shared with the reader."""
    if entry.client_id is None:
        return DASH
    if entry.client_gone:
        return f"#{entry.client_id} (erased)"
    if entry.client_unseen:
        return f"#{entry.client_id} (not shared with you now)"
    return entry.client or ""
