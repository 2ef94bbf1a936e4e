"""The audit trail, as `migraine audit` reads it, and sharing a client with a colleague."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from migraine_diary import storage as db
from migraine_diary.diary.clients import client_id
from migraine_diary.domain.audit import AuditEntry
from migraine_diary.domain.dates import day_start, from_storage, to_storage
from migraine_diary.errors import DiaryError, field_error
from migraine_diary.storage import audit as stored
from migraine_diary.storage import shares


def is_practice(diary: db.Diary | None) -> bool:
    """Whether the diary names its clients (a personal diary's output never does)."""
    if diary is None:
        return False
    if isinstance(diary, db.PostgresDiary):
        return True
    with diary.connect() as conn:
        return bool(db.has_named_clients(conn))


def entries(
    diary: db.Diary | None, client: str | None = None, since: date | None = None
) -> Iterator[AuditEntry]:
    """Every audit entry the diary lets this role see (its own clients' and its own writes),
    oldest first; one client's alone, from a day on. Streamed: any number in little memory."""
    if diary is None:
        return
    chosen = client_id(diary, client) if client is not None else diary.client
    start = to_storage(day_start(since)) if since is not None else None
    with diary.connect() as conn:
        for row in stored.audit_rows(conn, chosen, start):
            yield AuditEntry(
                int(row[0]), from_storage(row[1]), row[2], row[3],
                None if row[4] is None else int(row[4]),
                None if row[5] is None else int(row[5]), row[6], row[7],
                row[5] is not None and bool(row[9]),
                row[5] is not None and not row[8] and not row[9],
            )  # fmt: skip


ROLE_RULE = "a database role's name of 1 to 63 characters"


def _role(text: str) -> str:
    if not 1 <= len(text) <= 63 or not text.isprintable():
        raise field_error("role", ROLE_RULE, text)
    return text


def _server(diary: db.Diary) -> db.PostgresDiary:
    if not isinstance(diary, db.PostgresDiary):
        raise DiaryError(
            "sharing a client needs a practice on PostgreSQL (a diary file has no roles); "
            "nothing was changed"
        )
    return diary


def share(diary: db.Diary, name: str, role: str) -> bool:
    """Let another practitioner's role see and change the client's records; False when it
    could already."""
    server, wanted = _server(diary), _role(role)
    found = client_id(diary, name)
    with server.transaction() as conn:
        return shares.share_client(conn, found, wanted)


def unshare(diary: db.Diary, name: str, role: str) -> bool:
    server, wanted = _server(diary), _role(role)
    found = client_id(diary, name)
    with server.transaction() as conn:
        return shares.unshare_client(conn, found, wanted)
