"""Therapy names as typed, looked up among the therapies in use: the one refusal of a name
that is not in the diary, near misses named."""

from __future__ import annotations

from typing import Any

from migraine_diary import storage as db
from migraine_diary.domain.hints import command_line
from migraine_diary.domain.models import therapy_key
from migraine_diary.domain.words import near_miss
from migraine_diary.errors import DiaryError


def in_use_keys(conn: Any) -> dict[str, str]:
    """The therapies that have sessions (of the client in scope), by key: the names a typed
    one is looked up and near-missed among. A therapy whose sessions were all deleted is
    unknown again, as it is in `therapies`."""
    return dict(db.therapies_in_use(conn))


def close_therapy(name: str, known: dict[str, str]) -> str | None:
    """The therapy in use that `name` looks like a typo of, if any."""
    return near_miss([therapy_key(name)], known)


NEW_THERAPY_HINT = "add --new-therapy if it is a new one"


def unknown_name(
    kind: str, name: str, known: dict[str, str], listing: str, *, may_add: bool = False
) -> DiaryError:
    """The one refusal of a typed name the diary does not hold (a therapy, a trigger): a near
    miss named, else the command that lists the names; where a new one may be made, how."""
    close = near_miss([therapy_key(name)], known)
    hint = f"did you mean {close!r}?" if close else f"see the names with: {command_line(listing)}"
    new = f" ({NEW_THERAPY_HINT})" if may_add else ""
    return DiaryError(f"no {kind} {name!r} in the diary; {hint}{new}")


def unknown_therapy(name: str, known: dict[str, str], *, may_add: bool = False) -> DiaryError:
    """A therapy name that is not in use; where a new therapy may be made, how to make it."""
    return unknown_name("therapy", name, known, "therapies", may_add=may_add)
