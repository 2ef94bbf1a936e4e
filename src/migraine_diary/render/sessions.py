"""Rich tables for people; the only module that imports rich. Numbers carry no more precision
than the data: means of 0-10 scores to 1 decimal, shares as whole percents, money to the cent."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from migraine_diary.analysis.summary import Summary, SummaryRow
from migraine_diary.domain.dates import format_local
from migraine_diary.domain.session import Session
from migraine_diary.render.format import (
    DASH,
    money,
    one_decimal,
    percent,
    signed_whole,
    visible,
)


class _DiaryConsole(Console):
    """Every string printed, alone or in a table cell, enters Rich here: its controls are made
    visible before Rich measures and lays it out, so no diary text can steer the terminal.
    (A `Text` built by hand skips this: build one from diary text with `visible`.)"""

    def render_str(self, text: str, *args: Any, **kwargs: Any) -> Text:
        return super().render_str(visible(text), *args, **kwargs)

    def on_broken_pipe(self) -> None:
        """A closed pipe is the app's error boundary's to report, in one line, like a full
        disk (Rich would end the program silently)."""
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


# Diary text is shown as typed: no markup, emoji codes or highlighting read into it.
# Piped output is not squeezed into 80 columns: a file or a pager can take wide tables.
console = _DiaryConsole(
    highlight=False, markup=False, emoji=False, width=None if sys.stdout.isatty() else 120
)


def session_line(session: Session, verb: str) -> str:
    later = f", later {session.pain_later}" if session.pain_later is not None else ""
    return (
        f"{verb} session {session.id}: {session.therapy}, {format_local(session.when)}, "
        f"{session.minutes} min, pain {session.pain_before} -> {session.pain_after}{later} "
        f"(relief {signed_whole(session.relief)}), cost {money(session.cost)}"
    )


def _table() -> Table:
    """Compact tables that fit an 80-column terminal."""
    return Table(header_style="bold underline", box=None, pad_edge=False)


def sessions_table(sessions: Sequence[Session], total: int) -> None:
    if not sessions:
        console.print("No sessions match. Log one with: migraine log THERAPY -m 45 -b 5 -a 4")
        return
    table = _table()
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("when", no_wrap=True)
    table.add_column("therapy", min_width=12, max_width=24, overflow="ellipsis", no_wrap=True)
    table.add_column("min", justify="right", no_wrap=True)
    table.add_column("pain", justify="center", no_wrap=True)
    table.add_column("rel.", justify="right", no_wrap=True)
    table.add_column("later", justify="right", no_wrap=True)
    table.add_column("cost", justify="right", no_wrap=True)
    table.add_column("atk", justify="center", no_wrap=True)
    wide = console.width >= 100
    if wide:
        table.add_column("provider · notes", overflow="ellipsis", no_wrap=True, max_width=40)
    for s in sessions:
        extra = " · ".join(part for part in (s.provider, _short(s.notes)) if part)
        cells = [
            str(s.id),
            format_local(s.when),
            s.therapy,
            str(s.minutes),
            f"{s.pain_before}→{s.pain_after}",
            signed_whole(s.relief),
            DASH if s.pain_later is None else str(s.pain_later),
            money(s.cost),
            "A" if s.during_attack else "",
        ]
        table.add_row(*cells, *([extra] if wide else []))
    console.print(table)
    if any(s.during_attack for s in sessions):
        console.print("atk A = taken during a migraine attack (acute use).")
    if total > len(sessions):
        console.print(
            f"Showing the newest {len(sessions)} of {total} sessions (--limit N for more)."
        )


def _short(text: str | None, width: int = 40) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def session_detail(session: Session) -> None:
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    rows = [
        ("id", str(session.id)),
        ("when", format_local(session.when)),
        ("therapy", session.therapy),
        ("minutes", str(session.minutes)),
        ("pain before", str(session.pain_before)),
        ("pain after", str(session.pain_after)),
        ("relief", signed_whole(session.relief)),
        ("pain later", DASH if session.pain_later is None else str(session.pain_later)),
        ("cost", money(session.cost)),
        ("provider", session.provider or DASH),
        ("during attack", "yes" if session.during_attack else "no"),
        ("notes", session.notes or DASH),
    ]
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)


def summary_table(summary: Summary) -> None:
    if not summary.therapies:
        console.print("No sessions yet. Log one with: migraine log THERAPY -m 45 -b 5 -a 4")
        return
    table = _table()
    table.show_footer = len(summary.therapies) > 1
    columns = (
        "therapy",
        "sessions",
        "min",
        "before",
        "after",
        "relief",
        "relieved",
        "cost",
        "per pt",
    )
    total = summary.total
    assert total is not None
    footer = _summary_cells(total, "all therapies")
    for index, name in enumerate(columns):
        table.add_column(
            name,
            justify="left" if index == 0 else "right",
            footer=footer[index],
            overflow="fold",
            no_wrap=index > 0,
            min_width=12 if index == 0 else None,
        )
    for row in summary.therapies:
        table.add_row(*_summary_cells(row, row.therapy or ""))
    console.print(table)
    excluded = [r for r in summary.therapies if r.excluded_no_pain]
    for row in excluded:
        console.print(
            f"{row.therapy}: {row.excluded_no_pain} session(s) began at pain 0 and are left out "
            "of the pain, relief and cost-per-point columns."
        )
    console.print(
        "before/after/relief: mean pain (0-10) per session; relieved: sessions with at least "
        "1 point of relief;\nper pt: cost per point of relief. `migraine stats` says what "
        "these can and cannot tell."
    )


def _summary_cells(row: SummaryRow, name: str) -> list[str]:
    return [
        name,
        str(row.sessions),
        str(row.total_minutes),
        one_decimal(row.avg_pain_before),
        one_decimal(row.avg_pain_after),
        one_decimal(row.avg_relief),
        percent(row.relief_share),
        money(row.total_cost),
        money(row.cost_per_relief_point),
    ]


def therapies_table(rows: Sequence[tuple[str, int]]) -> None:
    if not rows:
        console.print("No therapies yet. Log a session with: migraine log THERAPY -m 45 -b 5 -a 4")
        return
    table = _table()
    table.add_column("therapy")
    table.add_column("sessions", justify="right")
    for name, count in rows:
        table.add_row(name, str(count))
    console.print(table)
