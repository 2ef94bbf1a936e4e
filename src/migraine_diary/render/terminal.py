"""The one Rich console every view prints through, and the rule for how wide its lines are.

Width: COLUMNS when set (a person or a test asking for a width), else the terminal's width,
else (standard output is a file or a pipe) no limit at all: a file gets every text whole, on
one line, never wrapped at an invented width. No line ever ends in blanks.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Iterable
from typing import Any

from rich.console import Console, ConsoleDimensions
from rich.segment import Segment
from rich.text import Text

from migraine_diary.render.format import visible

# The width a pipe is laid out at: wider than any line the diary can make, so none is wrapped
# (tables are never expanded to it and prose is written as it is).
UNLIMITED = 1_000_000
# Blanks before a line end, also when style codes (colour resets) stand between them.
_TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)(?=\n|\Z)")


def columns() -> int | None:
    """How many columns a line may take; None for a file or a pipe (no limit)."""
    given = os.environ.get("COLUMNS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    if not sys.stdout.isatty():
        return None
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns or 80
    except (OSError, ValueError):
        return 80


def on_terminal() -> bool:
    """Whether standard output is a person's terminal rather than a file or a pipe."""
    return sys.stdout.isatty()


class _DiaryConsole(Console):
    """Every string printed, alone or in a table cell, enters Rich here: its controls are made
    visible before Rich measures and lays it out, so no diary text can steer the terminal.
    (A `Text` built by hand skips this: build one from diary text with `visible`.)"""

    @property
    def size(self) -> ConsoleDimensions:
        """Asked at every print, so a resized terminal or a changed COLUMNS is followed."""
        width = columns()
        return ConsoleDimensions(UNLIMITED if width is None else width, 25)

    @size.setter
    def size(self, new_size: tuple[int, int]) -> None:
        raise AttributeError("the diary console's size follows the terminal")

    def render_str(self, text: str, *args: Any, **kwargs: Any) -> Text:
        return super().render_str(visible(text), *args, **kwargs)

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        """Rich pads table cells to their column's width: a copy in a file or a paste would
        carry those blanks at every line end."""
        return _TRAILING.sub(r"\1", super()._render_buffer(buffer))

    def on_broken_pipe(self) -> None:
        """A closed pipe is the app's error boundary's to report, in one line, like a full
        disk (Rich would end the program silently)."""
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


# Diary text is shown as typed: no markup, emoji codes or highlighting read into it.
console = _DiaryConsole(highlight=False, markup=False, emoji=False)
