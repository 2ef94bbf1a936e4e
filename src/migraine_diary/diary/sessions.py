"""The diary's use cases in the user's words: log, edit, delete, list, summarize, rename."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from migraine_diary import storage as db
from migraine_diary.analysis.summary import Summary, SummaryRow
from migraine_diary.diary.therapies import close_therapy, in_use_keys, unknown_therapy
from migraine_diary.domain.dates import day_start, from_storage, now, to_storage
from migraine_diary.domain.hints import command_line
from migraine_diary.domain.models import (
    RULES,
    SessionInput,
    amount,
    is_name,
    therapy_key,
    validate_session,
)
from migraine_diary.domain.session import Session
from migraine_diary.errors import DiaryError, Note, field_error


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
    therapy: str | None = None,
    since: date | None = None,
    until: date | None = None,
    search: str | None = None,
) -> db.Filters:
    """Turn what the user typed into a query filter; `until` includes the whole day, and
    `search` matches notes and provider whatever their case."""
    return db.Filters(
        therapy_key=therapy_key(therapy) if therapy is not None else None,
        since=to_storage(day_start(since)) if since else None,
        until=to_storage(day_start(until + timedelta(days=1))) if until else None,
        search=search_text(search),
    )


def search_text(search: str | None) -> str | None:
    """What a search looks for: the text casefolded; blank searches for nothing."""
    if search is None:
        return None
    if not search.strip():
        raise field_error("search", "some text to find", search)
    return search.strip().casefold()


def resolve_therapy(conn: Any, name: str, *, allow_new: bool) -> int:
    """The id of a therapy in use, matched case-insensitively; a new one is added, unless it
    looks like a typo of a therapy in use."""
    key = therapy_key(name)
    if key not in (known := in_use_keys(conn)) and not allow_new and close_therapy(name, known):
        raise unknown_therapy(name, known, may_add=True)
    found = db.therapy_by_key(conn, key)
    if found is not None:
        return found[0]
    return db.add_therapy(conn, " ".join(name.split()), key)


def no_session(session_id: int) -> DiaryError:
    return DiaryError(f"no session with id {session_id}; see the ids with: {command_line('list')}")


def in_use(diary: db.Diary | None) -> dict[str, str]:
    """The therapies that have sessions, by key."""
    if diary is None:
        return {}
    with diary.connect() as conn:
        return in_use_keys(conn)


def check_therapy(diary: db.Diary | None, name: str | None) -> None:
    """Refuse a filter by a therapy that has no session (a typo, most likely)."""
    if name is None:
        return
    if diary is not None:  # text the diary cannot hold is refused by the lookup itself
        with diary.connect() as conn:
            db.therapy_by_key(conn, therapy_key(name))
    known = in_use(diary)
    if therapy_key(name) not in known:
        raise unknown_therapy(name, known)


def last_session(diary: db.Diary | None, therapy: str) -> Session | None:
    """The most recent session of a therapy: what `--again` and the prompts offer."""
    if diary is None:
        return None
    with diary.connect() as conn:
        rows = db.session_rows(conn, db.Filters(therapy_key=therapy_key(therapy)), limit=1)
    return session_from_row(rows[0]) if rows else None


def log_session(
    diary: db.Diary,
    data: dict[str, Any],
    *,
    new_therapy: bool = False,
    label: dict[str, str] | None = None,
    in_plan: bool = True,
) -> Session:
    """Validate and store one session; nothing is written if any field is wrong. While a plan
    is active on its therapy, the session fills the plan's next slot (unless `in_plan` is
    False), and a note says which slot, or what deviates."""
    session = validate_session(data, label=label)
    return _store(diary, session, allow_new=new_therapy, in_plan=in_plan)


def _store(
    diary: db.Diary, session: SessionInput, *, allow_new: bool, in_plan: bool = True
) -> Session:
    from migraine_diary.diary.plans import fill_slot
    from migraine_diary.storage.tables import SessionRow

    with diary.transaction() as conn:
        therapy_id = resolve_therapy(conn, session.therapy, allow_new=allow_new)
        row = SessionRow.from_input(session, therapy_id)
        session_id = db.insert_session(conn, row.model_dump(exclude={"id"}))
        db.note_addition(conn, session_id=session_id)
        stored = db.session_by_id(conn, session_id)
        assert stored is not None
        logged = session_from_row(stored)
        told = fill_slot(conn, logged.id, therapy_id, logged.when, in_plan=in_plan, now=now())
    if told is not None:  # only once the session and its slot are stored
        warnings.warn(Note(told), stacklevel=2)
    return logged


def get_session(diary: db.Diary | None, session_id: int) -> Session:
    row = None
    if diary is not None:
        with diary.connect() as conn:
            row = db.session_by_id(conn, session_id)
    if row is None:
        raise no_session(session_id)
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

    The session is read locked to change (the diary's write lock on SQLite, the row's on
    PostgreSQL) and written in the same transaction: read first and written later, a
    concurrent edit of another field in between would be undone by this one.
    """
    with diary.transaction() as conn:
        current = db.session_by_id(conn, session_id, to_change=True)
        if current is None:
            raise no_session(session_id)
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
            raise no_session(session_id)


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
        return [(name, n) for _, name, _, n in db.therapies(conn) if n]


def rename_therapy(diary: db.Diary, old: str, new: str) -> tuple[str, str, int | None]:
    """Respell a therapy, or merge it into another spelling already in use: the old name, the
    new one, and the sessions moved by a merge (None for a plain rename)."""
    new_name = " ".join(new.split())
    if not new_name or len(new_name) > 100 or not is_name(new.strip()):
        raise field_error("new name", RULES["therapy"], new)
    with diary.transaction() as conn:
        known = in_use_keys(conn)
        source = db.therapy_by_key(conn, therapy_key(old))
        if source is None or therapy_key(old) not in known:
            raise unknown_therapy(old, known)
        target = db.therapy_by_key(conn, therapy_key(new_name))
        if target is None or target[0] == source[0]:
            db.rename_therapy(conn, source[0], new_name, therapy_key(new_name))
            return source[1], new_name, None
        moved = db.merge_therapy(conn, source[0], target[0])
        return source[1], target[1], moved


def summarize(diary: db.Diary | None, where: db.Filters) -> Summary:
    """Per-therapy sums computed in SQL; Python only divides."""
    if diary is None:
        return Summary([])
    with diary.connect() as conn:
        rows = db.summary_sums(conn, where)
    return Summary([SummaryRow(*(r[0], *(int(v or 0) for v in r[1:]))) for r in rows])
