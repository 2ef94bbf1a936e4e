"""`migraine undo`: the record typed last (a session, an attack or a check-in), and taking it
back."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from migraine_diary import storage as db
from migraine_diary.diary.attacks import get_attack
from migraine_diary.diary.sessions import get_session
from migraine_diary.domain.attack import Attack
from migraine_diary.domain.session import Session
from migraine_diary.errors import DiaryError


@dataclass(frozen=True)
class Added:
    """The record typed last: exactly one of the three is set."""

    session: Session | None = None
    attack: Attack | None = None
    checkin: dt.date | None = None


def last_added(diary: db.Diary | None) -> Added:
    """What `log`, `attack log` or `checkin` added last and is still in the diary (a record
    deleted since takes its place in the order with it; imports are not typed records)."""
    found = None
    if diary is not None:
        with diary.connect() as conn:
            found = db.last_addition(conn)
    if found is None:
        raise DiaryError("nothing to undo: no session, attack or check-in typed in this diary yet")
    session_id, attack_id, day = found
    if session_id is not None:
        return Added(session=get_session(diary, session_id))
    if attack_id is not None:
        return Added(attack=get_attack(diary, attack_id))
    assert day is not None
    return Added(checkin=dt.date.fromisoformat(day))


def undo(diary: db.Diary, added: Added) -> None:
    """Remove the record shown (not whatever came last since it was shown)."""
    with diary.transaction() as conn:
        if added.session is not None:
            removed = db.delete_session(conn, added.session.id)
        elif added.attack is not None:
            removed = db.delete_attack(conn, added.attack.id)
        else:
            assert added.checkin is not None
            removed = db.delete_checkin(conn, added.checkin.isoformat())
    if not removed:
        raise DiaryError("that record was removed meanwhile; nothing was changed")
