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
from migraine_diary.domain.words import plural
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
    from migraine_diary.domain.words import near_miss

    close = near_miss([therapy_key(name)], {therapy_key(k): k for k in known})
    hint = f"did you mean {close!r}?" if close else f"see the names with: {command_line('clients')}"
    return DiaryError(f"no client {name!r} in the diary; {hint}")


# (name, id, owner, whether one's own) of each client a role sees, as storage gives them.
Seen = list[tuple[str, int, str | None, bool]]


def find_client(seen: Seen, wanted: str) -> int | None:
    """The client a name means, among those the role sees: its own of that name, else the one
    other (a client shared with it; to the database's owner, anyone's); NAME@OWNER names one
    by its owner. None when no client has the name. Names are unique per owner only, so
    several others' clients of one name (none one's own) are refused, naming their owners
    (roles, not people) and how to choose one."""
    same = [c for c in seen if c[0] == wanted]
    if not same and "@" in wanted:  # the name and its owner: either may hold an '@' itself
        same = [c for c in seen if c[2] is not None and wanted == f"{c[0]}@{c[2]}"]
    own = [c for c in same if c[3]]
    if own or len(same) == 1:
        return (own or same)[0][1]
    if not same:
        return None
    owners = sorted(str(c[2]) for c in same)
    listed = ", ".join(owners[:-1]) + f" and {owners[-1]}"
    raise DiaryError(
        f"there are {len(same)} clients named {wanted!r}, of {listed}, and none is yours; "
        f"name one with its owner, as {f'{wanted}@{owners[0]}'!r} "
        f"(see: {command_line('clients')})"
    )


def client_id(diary: db.Diary | None, name: str) -> int:
    """The id of the client this name means (see `find_client`); an unknown name is refused."""
    if diary is None:
        raise DiaryError(
            f"no client {name!r} in the diary; clients are made with: "
            + command_line("client add NAME")
        )
    wanted = " ".join(name.split())
    with diary.connect() as conn:
        seen = db.named_clients(conn)
    found = find_client(seen, wanted)
    if found is None:
        raise unknown_client(wanted, sorted({c[0] for c in seen}))
    return found


def choose(diary: db.Diary | None, name: str | None) -> None:
    """Scope every later read and write of the diary to the named client (None: every
    client's records are read, and writes go to the only client, if there is only one)."""
    if name is None:
        return
    found = client_id(diary, name)
    assert diary is not None
    diary.client = found


def about_one_person(diary: db.Diary | None, command: str, *, export: bool = False) -> None:
    """A command about one person's days and verdicts (a report, a calendar, ...) in a
    practice needs the client: counted over several people, its migraine days, medication
    days and verdicts would read as one person's. A personal diary needs nothing. An
    `export` is one person's diary too (imported, a practice's records would pool into
    one): its refusal counts the clients and names the ways to take one, or all, out."""
    if diary is None or diary.client is not None:
        return
    with diary.connect() as conn:
        if not db.has_named_clients(conn):
            return
        held = len(db.named_clients(conn)) if export else 0
    if export:
        raise DiaryError(
            f"{command} writes one person's diary and this one holds "
            f"{plural(held, 'client')}: take one out with --client NAME or "
            f"'{command_line('client export NAME')}'; '{command_line('export --all-clients')}' "
            f"writes every client's sessions for a spreadsheet, '{command_line('backup FILE')}' "
            "copies the whole practice's file (on a server: the database's own dump)"
        )
    raise DiaryError(
        f"{command} is about one person: name the client with --client (see "
        f"'{command_line('clients')}')"
    )


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
    return [
        Client(r[1], int(r[2]), int(r[3]), from_storage(r[4]) if r[4] else None, r[5], bool(r[6]))
        for r in rows
    ]


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
        seen = db.named_clients(conn)
        owner = next((c[2] for c in seen if c[1] == found), None)
        if any(c[0] == target and c[2] == owner for c in seen):  # names are unique per owner
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
        target = find_client(db.named_clients(conn), wanted)
        if target is not None and db.holds_records(conn, target):
            raise DiaryError(
                f"client {wanted!r} has records already; a diary is brought in under a new "
                "client (or one without records); nothing was imported"
            )
        if target is None:
            target = db.add_client(conn, wanted, to_storage(now()))
            if target is None:  # another command made the client since we looked
                raise DiaryError(
                    f"client {wanted!r} was made by another command at the same time; "
                    "nothing was imported"
                )
        return db.import_diary(conn, reader, target)
