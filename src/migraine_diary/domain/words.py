"""Words for people: the one rule for plurals (used by every layer that writes text, render
and the messages of analysis and transfer) and the one rule for a near miss of a name."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 day``, ``3 days``; ``many`` for the irregular ones (``therapies``)."""
    return f"{n} {noun(n, word, many)}"


def noun(n: int, word: str, many: str | None = None) -> str:
    """The word alone, agreeing with ``n``: for a count shown apart from its word."""
    return word if n == 1 else many or word + "s"


def verb(n: int, one: str, many: str, *, of: int | None = None) -> str:
    """The verb agreeing with ``n`` (``1 session is``, ``2 are``); for "n of the `of`" with
    the whole too: ``1 of the 3 sessions has``, ``0 of the 1 session has``, ``0 of the 3
    have``."""
    return one if n == 1 or of == 1 else many


# How alike a typed name and a name in the diary must be to be named as the one meant.
NEAR_MISS_CUTOFF = 0.8


def near_miss(keys: Iterable[str], known: Mapping[str, str]) -> str | None:
    """The name that a typed name looks like a typo of: the one rule for therapies, clients
    and medicines. `keys` are the typed name's folded forms (a medicine's with and without its
    dose), `known` maps each folded form of the names in the diary to the name as stored."""
    for key in keys:
        close = difflib.get_close_matches(key, list(known), n=1, cutoff=NEAR_MISS_CUTOFF)
        if close:
            return known[close[0]]
    return None
