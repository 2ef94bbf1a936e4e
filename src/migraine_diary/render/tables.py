"""The one table builder: every table of the terminal is laid out here, and none ever lies.

A figure (a number, an id, a date, an amount) is never cut, folded or wrapped: its column is
as wide as its widest cell. A text column (a therapy, notes, a medication list) wraps between
words, never narrower than its longest word; when even that does not fit, the text columns
that can go (``drop``) go, the most dispensable first; and when the figures alone do not fit,
each record is printed as a short block of ``field value`` lines instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from migraine_diary.render.format import visible
from migraine_diary.render.terminal import columns as terminal_columns

GAP = 2  # blanks between two columns, one where two would not fit
HEADER_STYLE = "bold underline"

Justify = Literal["left", "right", "center"]


@dataclass(frozen=True)
class Column:
    """One column. ``figure``: never cut or wrapped. A text column wraps down to ``narrowest``
    cells (never below its longest word); ``drop`` above 0 lets it go when the table does not
    fit otherwise (the highest first). ``label`` names the field in a block of lines, and
    ``words`` says a code of the table's in words there."""

    header: str
    figure: bool = True
    justify: Justify = "left"
    narrowest: int = 10
    drop: int = 0
    label: str | None = None
    # A cell that is a code of the table's (a legend under it explains it), in words for a
    # block of lines, where no legend stands beside it: {"A": "yes"}.
    words: Mapping[str, str] | None = None
    # Its cells say what they are ("95% interval 1 to 2", "n 8"): a block shows them alone,
    # without a label that would repeat them.
    said: bool = False


@dataclass(frozen=True)
class Layout:
    """The columns shown and their widths; None from `layout` means blocks of lines."""

    shown: tuple[int, ...]
    widths: tuple[int, ...]
    gap: int


def _lines(cell: str) -> list[str]:
    return cell.split("\n") or [""]


def _natural(cells: Sequence[str]) -> int:
    return max((cell_len(line) for cell in cells for line in _lines(cell)), default=0)


def _longest_word(cells: Sequence[str]) -> int:
    return max((cell_len(word) for cell in cells for word in cell.split()), default=0)


def layout(
    columns: Sequence[Column], cells_by_column: Sequence[Sequence[str]], width: int | None
) -> Layout | None:
    """Which columns fit in ``width`` (None: no limit), how wide each is, and the gap."""
    natural = [_natural(cells) for cells in cells_by_column]
    if width is None:
        return Layout(tuple(range(len(columns))), tuple(natural), GAP)
    for gap in (GAP, 1):
        found = _fit(columns, cells_by_column, natural, width, gap)
        if found is not None:
            return found
    return None


def _fit(
    columns: Sequence[Column],
    cells_by_column: Sequence[Sequence[str]],
    natural: Sequence[int],
    width: int,
    gap: int,
) -> Layout | None:
    narrowest = [
        natural[i]
        if column.figure
        else max(_longest_word(cells_by_column[i]), min(natural[i], column.narrowest))
        for i, column in enumerate(columns)
    ]
    shown = list(range(len(columns)))
    while shown:
        room = width - gap * (len(shown) - 1) - sum(narrowest[i] for i in shown)
        if room >= 0:
            widths = {i: narrowest[i] for i in shown}
            growing = [i for i in shown if widths[i] < natural[i]]
            while room > 0 and growing:  # the room left shared out among the text columns
                share = max(1, room // len(growing))
                for i in growing:
                    extra = min(share, natural[i] - widths[i], room)
                    widths[i] += extra
                    room -= extra
                growing = [i for i in growing if widths[i] < natural[i]]
            return Layout(tuple(shown), tuple(widths[i] for i in shown), gap)
        droppable = [i for i in shown if columns[i].drop > 0]
        if not droppable:
            return None
        shown.remove(max(droppable, key=lambda i: (columns[i].drop, i)))
    return None


def table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    *,
    footer: Sequence[str] | None = None,
    width: int | Literal["terminal"] | None = "terminal",
    header: bool = True,
    shown_whole: str | None = None,
) -> RenderableType:
    """The table for ``width`` columns (by default the terminal's; None: no limit), or the
    records as blocks of lines when its figures cannot fit side by side. Columns left out
    for the width are named in a dim line under it, with how to see them: a wider terminal,
    the command that shows one record whole (``shown_whole``), or --json. Without a width
    (a file, a pipe) nothing is ever left out."""
    if width == "terminal":
        width = terminal_columns()
    shown_rows = [[visible(cell) for cell in row] for row in rows]
    shown_footer = [visible(cell) for cell in footer] if footer is not None else None
    every_row = shown_rows + ([shown_footer] if shown_footer is not None else [])
    cells_by_column = [
        [column.header if header else "", *(row[i] for row in every_row)]
        for i, column in enumerate(columns)
    ]
    chosen = layout(columns, cells_by_column, width)
    if chosen is None:
        return blocks(columns, every_row, width)
    grid = Table(
        box=None,
        pad_edge=False,
        padding=(0, chosen.gap, 0, 0),
        header_style=HEADER_STYLE,
        show_footer=shown_footer is not None,
        show_header=header,
        collapse_padding=False,
    )
    for index, column_width in zip(chosen.shown, chosen.widths, strict=True):
        column = columns[index]
        grid.add_column(
            Text(column.header),
            footer=Text(shown_footer[index]) if shown_footer is not None else "",
            justify=column.justify,
            width=column_width,
            no_wrap=column.figure,
            overflow="fold",
        )
    for row in shown_rows:
        grid.add_row(*(Text(row[i]) for i in chosen.shown))
    left_out = [column.header for i, column in enumerate(columns) if i not in chosen.shown]
    if not left_out:
        return grid
    ways = ", ".join(["a wider terminal", *([f"'{shown_whole}'"] if shown_whole else [])])
    note = f"Left out at this width: {', '.join(left_out)} (shown by {ways} or --json)."
    return Group(grid, Text(note, style="dim"))


def blocks(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int | None = None
) -> RenderableType:
    """Each record as lines of ``field value``, a blank line between records; empty fields
    are left out. A value with a word too long to stand beside its label goes on the lines
    under it, indented, rather than being folded."""
    labels = [column.label or column.header for column in columns]
    label_width = max(cell_len(label) for label in labels)
    beside = None if width is None else width - label_width - GAP
    parts: list[RenderableType] = []
    for number, row in enumerate(rows):
        if number:
            parts.append(Text(""))
        for column, label, cell in zip(columns, labels, row, strict=True):
            if not cell:
                continue
            cell = (column.words or {}).get(cell, cell)
            if column.said:
                parts.append(Text(cell, overflow="fold"))
                continue
            if beside is not None and _longest_word([cell]) > beside:
                parts.append(Text(label, style="bold"))
                parts.append(Padding(Text(cell, overflow="fold"), (0, 0, 0, GAP)))
                continue
            grid = Table.grid(padding=(0, GAP, 0, 0))
            grid.add_column(no_wrap=True, width=label_width, style="bold")
            grid.add_column(overflow="fold")
            grid.add_row(Text(label), Text(cell))
            parts.append(grid)
    return Blocks(*parts)


class Blocks(Group):
    """Records as blocks of lines: what a table became when its figures could not stand side
    by side (a note under it names the fields by their labels, not by the headers)."""


def with_client(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    ids: Sequence[int],
    clients: Mapping[int, str | None] | None,
) -> tuple[Sequence[Column], Sequence[Sequence[str]]]:
    """A listing's columns and rows with a client column after the id, for a practice's
    listing across clients; as they are otherwise (a personal diary shows nothing new)."""
    if clients is None:
        return columns, rows
    shown = (columns[0], Column("client", figure=False, narrowest=8), *columns[1:])
    return shown, [
        [row[0], clients.get(i) or "", *row[1:]] for row, i in zip(rows, ids, strict=True)
    ]
