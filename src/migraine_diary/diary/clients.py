"""Practice mode: choosing the client a command is about, and keeping the list of clients
(adding, renaming, erasing one, bringing a personal diary in under one)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from migraine_diary import storage as db
from migraine_diary.domain.clients import Client
from migraine_diary.domain.dates import from_storage, now, to_storage
from migraine_diary.domain.hints import command_line
from migraine_diary.domain.models import is_name, therapy_key
from migraine_diary.errors import DiaryError, field_error

NAME_RULE = "a name of 1 to 200 characters, without control characters"


def client_name(text: str) -> str:
    """A client's name as typed, spaces tidied; refused when it cannot be one."""
    name = " ".join(text.split())
    if not name or len(name) > 200 or not is_name(text):
        raise field_error("client", NAME_RULE, text)
    return name


def unknown_client(name: str, known: list[str]) -> DiaryError:
    """A --client naming nobody: the nearest name (the rule therapies use), else where the
    names are listed."""
    from migraine_diary.diary.sessions import near_miss

    close = near_miss(name, {therapy_key(k): k for k in known})
    hint = f"did you mean {close!r}?" if close else f"see the names with: {command_line('clients')}"
    return DiaryError(f"no client {name!r} in the diary; {hint}")


def client_id(diary: db.Diary | None, name: str) -> int:
    """The id of the client with this name; an unknown name is refused."""
    if diary is None:
        raise DiaryError(
            f"no client {name!r} in the diary; clients are made with: "
            + command_line("client add NAME")
        )
    wanted = " ".join(name.split())
    with diary.connect() as conn:
        known = db.named_clients(conn)
    if wanted not in known:
        raise unknown_client(wanted, sorted(known))
    return known[wanted]


def choose(diary: db.Diary | None, name: str | None) -> None:
    """Scope every later read and write of the diary to the named client (None: every
    client's records are read, and writes go to the only client, if there is only one)."""
    if name is None:
        return
    found = client_id(diary, name)
    assert diary is not None
    diary.client = found


def labels(diary: db.Diary | None, table: str, ids: list[int]) -> dict[int, str | None] | None:
    """Each record's client, for a listing of every client's records; None when there is
    nothing to tell apart (a personal diary, or one client chosen), so nothing new shows."""
    if diary is None or diary.client is not None:
        return None
    with diary.connect() as conn:
        if not db.has_named_clients(conn):
            return None
        found = db.client_labels(conn, table, ids)
    return {i: found.get(i) for i in ids}  # None: a record of no named client


def labelled_json(
    diary: db.Diary | None, table: str, records: Iterable[Any], batch: int = 500
) -> Iterator[dict[str, Any]]:
    """Each record's JSON, with its "client" where `labels` would give one (streamed in
    batches: any number of records in the memory of one batch)."""
    it = iter(records)
    while chunk := list(islice(it, batch)):
        found = labels(diary, table, [r.id for r in chunk])
        for record in chunk:
            data = record.to_json()
            if found is not None:
                data["client"] = found[record.id]
            yield data


def listing(diary: db.Diary | None) -> list[Client]:
    if diary is None:
        return []
    with diary.connect() as conn:
        rows = db.client_rows(conn)
    return [Client(r[1], int(r[2]), int(r[3]), from_storage(r[4]) if r[4] else None) for r in rows]


def add(diary: db.Diary, text: str) -> str:
    name = client_name(text)
    with diary.transaction() as conn:
        if db.add_client(conn, name, to_storage(now())) is None:
            raise DiaryError(f"there is a client {name!r} already; nothing was changed")
    return name


def rename(diary: db.Diary, old: str, new: str) -> tuple[str, str]:
    target = client_name(new)
    found = client_id(diary, old)
    with diary.transaction() as conn:
        if target in db.named_clients(conn):
            raise DiaryError(f"there is a client {target!r} already; nothing was changed")
        db.rename_client(conn, found, target)
    return " ".join(old.split()), target


def erase(diary: db.Diary, name: str) -> dict[str, int]:
    """Every record of the client removed, in one transaction: rows removed per table."""
    found = client_id(diary, name)
    with diary.transaction() as conn:
        return db.erase_client(conn, found)


def import_diary(diary: db.Diary, source: Path, name: str) -> dict[str, int]:
    """A personal SQLite diary's every row brought in under one client, in one transaction
    (a client of that name is made when there is none; one with records is refused, so a
    diary brought in twice is not doubled); rows copied per table."""
    wanted = client_name(name)
    if isinstance(diary, db.SqliteDiary) and source.resolve() == diary.path.resolve():
        raise DiaryError("a diary cannot be imported into itself; nothing was imported")
    with db.personal_diary(source) as reader, diary.transaction() as conn:
        target = db.named_clients(conn).get(wanted)
        if target is not None and db.holds_records(conn, target):
            raise DiaryError(
                f"client {wanted!r} has records already; a diary is brought in under a new "
                "client (or one without records); nothing was imported"
            )
        if target is None:
            target = db.add_client(conn, wanted, to_storage(now()))
            assert target is not None
        return db.import_diary(conn, reader, target)
