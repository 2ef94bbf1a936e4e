"""Words that agree with a count: the one rule for plurals, used by every layer that writes
text for people (render, and the messages of analysis and transfer)."""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 day``, ``3 days``; ``many`` for the irregular ones (``therapies``)."""
    return f"{n} {noun(n, word, many)}"


def noun(n: int, word: str, many: str | None = None) -> str:
    """The word alone, agreeing with ``n``: for a count shown apart from its word."""
    return word if n == 1 else many or word + "s"
