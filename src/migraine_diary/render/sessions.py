"""Sessions for people: the list, one session, the summary and the therapies, through the one
table builder (render.tables). Numbers carry no more precision than the data: means of 0-10
scores to 1 decimal, shares as whole percents, money to the cent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.table import Table

from migraine_diary.analysis.summary import Summary, SummaryRow
from migraine_diary.domain.dates import format_local
from migraine_diary.domain.hints import command_line
from migraine_diary.domain.session import Session
from migraine_diary.domain.words import plural, verb
from migraine_diary.render.format import DASH, money, one_decimal, percent, signed_whole
from migraine_diary.render.tables import Blocks, Column, table, with_client
from migraine_diary.render.terminal import console

LOG_EXAMPLE = "log THERAPY -m 45 -b 5 -a 4"


def session_line(session: Session, verb: str) -> str:
    later = f", later {session.pain_later}" if session.pain_later is not None else ""
    return (
        f"{verb} session {session.id}: {session.therapy}, {format_local(session.when)}, "
        f"{session.minutes} min, pain {session.pain_before} -> {session.pain_after}{later} "
        f"(relief {signed_whole(session.relief)}), cost {money(session.cost)}"
    )


SESSION_COLUMNS = (
    Column("id", justify="right"),
    Column("when"),
    Column("therapy", figure=False, narrowest=12),
    Column("min", justify="right", label="minutes"),
    Column("pain", justify="center", label="pain"),
    Column("rel.", justify="right", label="relief"),
    Column("later", justify="right", label="pain later"),
    Column("cost", justify="right"),
    Column("atk", justify="center", label="during attack", words={"A": "yes"}),
    Column("provider · notes", figure=False, narrowest=24, drop=1),
)


def sessions_table(
    sessions: Sequence[Session], total: int, clients: Mapping[int, str | None] | None = None
) -> None:
    """The sessions; with `clients` (a practice's listing across clients), whose each is."""
    if not sessions:
        console.print(f"No sessions match. Log one with: {command_line(LOG_EXAMPLE)}")
        return
    rows = [
        [
            str(s.id),
            format_local(s.when),
            s.therapy,
            str(s.minutes),
            f"{s.pain_before}→{s.pain_after}",
            signed_whole(s.relief),
            DASH if s.pain_later is None else str(s.pain_later),
            money(s.cost),
            "A" if s.during_attack else "",
            " · ".join(part for part in (s.provider, _flat(s.notes)) if part),
        ]
        for s in sessions
    ]
    columns, cells = with_client(SESSION_COLUMNS, rows, [s.id for s in sessions], clients)
    console.print(table(columns, cells, shown_whole=command_line("show ID")))
    if any(s.during_attack for s in sessions):
        console.print("atk A = taken during a migraine attack (acute use).")
    if total > len(sessions):
        console.print(
            f"Showing the newest {len(sessions)} of {plural(total, 'session')} "
            "(--limit N for more)."
        )


def _flat(text: str | None) -> str:
    """Notes on one line of the table, every word kept."""
    return " ".join(text.split()) if text else ""


def session_detail(session: Session) -> None:
    grid = Table(show_header=False, box=None)
    grid.add_column(style="bold")
    grid.add_column()
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
        grid.add_row(label, value)
    console.print(grid)


SUMMARY_COLUMNS = (
    Column("therapy", figure=False, narrowest=12),
    Column("sessions", justify="right"),
    Column("min", justify="right", label="minutes"),
    Column("before", justify="right", label="pain before"),
    Column("after", justify="right", label="pain after"),
    Column("relief", justify="right"),
    Column("relieved", justify="right"),
    Column("cost", justify="right"),
    Column("per pt", justify="right", label="per point"),
)


def summary_table(summary: Summary) -> None:
    if not summary.therapies:
        console.print(f"No sessions yet. Log one with: {command_line(LOG_EXAMPLE)}")
        return
    total = summary.total
    assert total is not None
    footer = _summary_cells(total, "all therapies") if len(summary.therapies) > 1 else None
    rows = [_summary_cells(row, row.therapy or "") for row in summary.therapies]
    shown = table(SUMMARY_COLUMNS, rows, footer=footer)
    console.print(shown)
    excluded = [r for r in summary.therapies if r.excluded_no_pain]
    for row in excluded:
        console.print(
            f"{row.therapy}: {plural(row.excluded_no_pain, 'session')} began at pain 0 and "
            f"{verb(row.excluded_no_pain, 'is', 'are')} left out of the pain, relief and "
            "cost-per-point columns."
        )
    # The fields by the names they are shown with: headers, or a block's labels.
    means, per = ("pain before/after, relief", "per point")
    if not isinstance(shown, Blocks):
        means, per = ("before/after/relief", "per pt")
    console.print(
        f"{means}: mean pain (0-10) per session; relieved: sessions with at least 1 point of "
        f"relief;\n{per}: cost per point of relief. "
        f"`{command_line('stats')}` says what these can and cannot tell."
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
        console.print(f"No therapies yet. Log a session with: {command_line(LOG_EXAMPLE)}")
        return
    columns = (Column("therapy", figure=False), Column("sessions", justify="right"))
    console.print(table(columns, [[name, str(count)] for name, count in rows]))
