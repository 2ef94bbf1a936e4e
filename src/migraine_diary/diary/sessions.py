"""The diary's use cases in the user's words: log, edit, delete, list, summarize, rename."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from migraine_diary import storage as db
from migraine_diary.analysis.summary import Summary, SummaryRow
from migraine_diary.domain.dates import day_start, from_storage, to_storage
from migraine_diary.domain.models import (
    RULES,
    SessionInput,
    amount,
    is_name,
    therapy_key,
    validate_session,
)
from migraine_diary.domain.session import Session
from migraine_diary.errors import DiaryError, InputError, field_error

NEAR_MISS_CUTOFF = 0.8


def session_from_row(row: tuple[Any, ...]) -> Session:
    """A stored row (db.SESSION_COLUMNS order) as the Session a person sees."""
    return Session(
        id=row[0],
        when=from_storage(row[1]),
        therapy=row[2],
        minutes=row[3],
        pain_before=row[4],
        pain_after=row[5],
        pain_later=row[6],
        cost=amount(row[7]),
        provider=row[8],
        during_attack=bool(row[9]),
        notes=row[10],
    )


def filters(
    therapy: str | None = None, since: date | None = None, until: date | None = None
) -> db.Filters:
    """Turn what the user typed into a query filter; `until` includes the whole day."""
    return db.Filters(
        therapy_key=therapy_key(therapy) if therapy is not None else None,
        since=to_storage(day_start(since)) if since else None,
        until=to_storage(day_start(until + timedelta(days=1))) if until else None,
    )


def resolve_therapy(conn: Any, name: str, *, allow_new: bool) -> int:
    """The id of a therapy matched case-insensitively; a new one is added, unless it looks
    like a typo of a therapy already in use."""
    key = therapy_key(name)
    found = db.therapy_by_key(conn, key)
    if found is not None:
        return found[0]
    if not allow_new:
        known = db.therapy_keys(conn)
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=NEAR_MISS_CUTOFF)
        if close:
            raise InputError(
                f"therapy {name!r} is new: did you mean {known[close[0]]!r}? "
                "(add --new-therapy to keep it as a new therapy)"
            )
    return db.add_therapy(conn, " ".join(name.split()), key)


def log_session(
    diary: db.Diary,
    data: dict[str, Any],
    *,
    new_therapy: bool = False,
    label: dict[str, str] | None = None,
) -> Session:
    """Validate and store one session; nothing is written if any field is wrong."""
    session = validate_session(data, label=label)
    return _store(diary, session, allow_new=new_therapy)


def _store(diary: db.Diary, session: SessionInput, *, allow_new: bool) -> Session:
    from migraine_diary.storage.tables import SessionRow

    with diary.transaction() as conn:
        therapy_id = resolve_therapy(conn, session.therapy, allow_new=allow_new)
        row = SessionRow.from_input(session, therapy_id)
        stored = db.session_by_id(conn, db.insert_session(conn, row.model_dump(exclude={"id"})))
    assert stored is not None
    return session_from_row(stored)


def get_session(diary: db.Diary | None, session_id: int) -> Session:
    row = None
    if diary is not None:
        with diary.connect() as conn:
            row = db.session_by_id(conn, session_id)
    if row is None:
        raise DiaryError(f"no session with id {session_id}; see the ids with: migraine list")
    return session_from_row(row)


def edit_session(
    diary: db.Diary,
    session_id: int,
    changes: dict[str, Any],
    *,
    new_therapy: bool = False,
    label: dict[str, str] | None = None,
) -> Session:
    """Change some fields of a stored session; the whole session is validated again.

    The session is read and written under one write lock: read first and written later, a
    concurrent edit of another field in between would be undone by this one.
    """
    with diary.transaction() as conn:
        current = db.session_by_id(conn, session_id)
        if current is None:
            raise DiaryError(f"no session with id {session_id}; see the ids with: migraine list")
        merged = {**session_from_row(current).input_fields(), **changes}
        session = validate_session(merged, label=label)
        therapy_id = resolve_therapy(conn, session.therapy, allow_new=new_therapy)
        from migraine_diary.storage.tables import SessionRow

        row = SessionRow.from_input(session, therapy_id)
        db.update_session(conn, session_id, row.model_dump(exclude={"id"}))
        stored = db.session_by_id(conn, session_id)
    assert stored is not None
    return session_from_row(stored)


def delete_session(diary: db.Diary, session_id: int) -> None:
    with diary.transaction() as conn:
        if db.delete_session(conn, session_id) == 0:
            raise DiaryError(f"no session with id {session_id}; see the ids with: migraine list")


def list_sessions(
    diary: db.Diary | None, where: db.Filters, limit: int | None
) -> tuple[list[Session], int]:
    """The newest sessions first, and how many match in all."""
    if diary is None:
        return [], 0
    with diary.connect() as conn:
        rows = db.session_rows(conn, where, limit=limit)
        total = len(rows) if limit is None or len(rows) < limit else db.count_sessions(conn, where)
    return [session_from_row(r) for r in rows], total


PAGE = 1000


def each_session(conn: Any, where: db.Filters, *, newest_first: bool) -> Iterator[Session]:
    """Every matching session, a page at a time: memory stays the same however long the
    diary."""
    after: tuple[str, int] | None = None
    while True:
        rows = db.session_page(conn, where, after=after, newest_first=newest_first, size=PAGE)
        for row in rows:
            yield session_from_row(row)
        if len(rows) < PAGE:
            return
        after = (rows[-1][1], rows[-1][0])


def stream_sessions(diary: db.Diary | None, where: db.Filters) -> Iterator[Session]:
    """Every matching session, newest first, streamed (`list --json`)."""
    if diary is None:
        return
    with diary.connect() as conn:
        yield from each_session(conn, where, newest_first=True)


def therapies(diary: db.Diary | None) -> list[tuple[str, int]]:
    if diary is None:
        return []
    with diary.connect() as conn:
        return [(name, n) for _, name, _, n in db.therapies(conn)]


def rename_therapy(diary: db.Diary, old: str, new: str) -> str:
    """Respell a therapy, or merge it into another spelling already in use."""
    new_name = " ".join(new.split())
    if not new_name or len(new_name) > 100 or not is_name(new.strip()):
        raise field_error("new name", RULES["therapy"], new)
    with diary.transaction() as conn:
        source = db.therapy_by_key(conn, therapy_key(old))
        if source is None:
            raise DiaryError(f"no therapy named {old!r}; see the names with: migraine therapies")
        target = db.therapy_by_key(conn, therapy_key(new_name))
        if target is None or target[0] == source[0]:
            db.rename_therapy(conn, source[0], new_name, therapy_key(new_name))
            return f"Renamed {source[1]!r} to {new_name!r}."
        moved = db.merge_therapy(conn, source[0], target[0])
        return f"Merged {source[1]!r} into {target[1]!r}: {moved} session(s) moved."


def summarize(diary: db.Diary | None, where: db.Filters) -> Summary:
    """Per-therapy sums computed in SQL; Python only divides."""
    if diary is None:
        return Summary([])
    with diary.connect() as conn:
        rows = db.summary_sums(conn, where)
    return Summary([SummaryRow(*(r[0], *(int(v or 0) for v in r[1:]))) for r in rows])
