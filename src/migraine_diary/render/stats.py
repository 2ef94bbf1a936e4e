"""Rich text for `migraine stats`: every figure with its n, intervals instead of p-values, and a
chart of relief by session number, because people see a pattern faster than they read it.

Precision follows the data: means of 0-10 scores to 1 decimal, shares as whole percents, money
to the cent. On a terminal everything fits 80 columns (fewer when it is narrower); in a file
or a pipe prose is written whole, a paragraph to a line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.text import Text

from migraine_diary.analysis.acute import MIN_RATED, Endpoint
from migraine_diary.analysis.intervals import interval_text
from migraine_diary.analysis.preventive import MULTIPLICITY_CONTEXT
from migraine_diary.analysis.stats import (
    MIN_FOR_INTERVAL,
    MIN_FOR_MEDIAN_INTERVAL,
    AcuteVerdict,
    ChartPoint,
    Durability,
    LengthVsNumber,
    ReliefEstimate,
    Share,
    TherapyStats,
    interval_note,
)
from migraine_diary.domain.dates import format_local
from migraine_diary.domain.hints import command_line
from migraine_diary.domain.words import plural, verb
from migraine_diary.render.format import DASH, money, one_decimal, percent, signed, visible
from migraine_diary.render.tables import Column, table
from migraine_diary.render.terminal import columns, console

if TYPE_CHECKING:
    from migraine_diary.analysis.preventive import PreventiveResult, WindowStats
    from migraine_diary.analysis.verdicts import TherapyVerdicts

WIDTH = 80
INDENT = 2
CHART_MAX = 40  # bars drawn; a longer course shows its first and last CHART_MAX // 2 sessions
CELLS_PER_POINT = 2
BAR, WORSE, AXIS = "█", "░", "│"
VERDICT_WORDS = {
    "one_length": "every session the same length",
    "cannot_separate": "can't tell them apart",
    "too_few": "too few sessions to tell",
    "perfect_fit": "an exact fit, so no margin of error",
    "fragile": "rests on one session",
    "weak": "told apart only roughly",
    "estimated": "both estimated, with intervals",
}
SHARE_LABELS = (
    ("any_relief", "any relief (1 point or more)"),
    ("important_relief", "clear relief (2+ points or 30%+)"),
    ("half_reduction", "pain at least halved"),
    ("pain_free", "pain-free afterwards"),
    ("worse", "worse afterwards"),
)


def width() -> int | None:
    """The width `stats` is laid out at: 80 columns at most on a terminal; None (no limit, no
    prose wrapped) in a file or a pipe."""
    given = columns()
    return None if given is None else min(given, WIDTH)


def say(item: RenderableType = "", *, indent: int = 0) -> None:
    """Print within 80 columns even when the console is wider, with no trailing blanks (Rich
    pads table cells and wrapped lines; a pasted or piped copy should not carry them)."""
    width = min(console.width, WIDTH) if columns() is not None else console.width
    if item == "":
        console.print()
        return
    options = console.options.update_width(width - indent)
    for segments in console.render_lines(item, options, pad=False):
        line = Text(" " * indent)
        for segment in segments:
            line.append(segment.text, segment.style)
        line.rstrip()
        console.print(line, width=width, no_wrap=True, crop=False)


def underline(title: str) -> str:
    """A title's rule of '=': as long as the title, never longer than the line it is on."""
    width = min(console.width, WIDTH) if columns() is not None else WIDTH
    return "=" * min(len(title), width)


def _table(
    shown: Sequence[Column], rows: Sequence[Sequence[str]], *, indent: int = 0, header: bool = True
) -> None:
    """A table by the one builder (no figure ever cut: blocks of lines when too narrow), in
    the width `say` prints at."""
    width = min(console.width, WIDTH) - indent if columns() is not None else None
    say(table(shown, rows, width=width, header=header), indent=indent)


# The rows of figures under a heading: a label, then figures (an interval is one figure);
# the last `said` columns' cells say what they are ("95% interval ...", "n 8").
def _figure_rows(*labels: str, said: int = 0) -> list[Column]:
    first, *rest = labels
    return [
        Column(first, figure=False, narrowest=8),
        *(Column(label, said=index >= len(rest) - said) for index, label in enumerate(rest)),
    ]


def therapy_sections(
    results: Sequence[TherapyVerdicts], plans: Mapping[str, Sequence[Any]] | None = None
) -> None:
    """Each therapy; a finished randomised plan's result (diary.plans.PlanResult) first."""
    from migraine_diary.render.plans import summary_lines

    for index, result in enumerate(results):
        if index:
            say("")
        for found in (plans or {}).get(result.stats.therapy, ()):
            for line in summary_lines(found.plan, found.outcome):
                say(line)
            say("")
        therapy_section(result.stats)
        _acute(result.acute)
        _endpoints(result)
        _prevention(result)
    if multiplicity(results):
        say("")
        say(Text(MULTIPLICITY_CONTEXT, style="dim"))


def therapy_section(stats: TherapyStats) -> None:
    """One therapy: the plain answer to 'did it help, what did it cost, and why did it stop?'"""
    _header(stats)
    _relief(stats)
    if stats.relief.n:
        _shares(stats)
    _by_length(stats)
    _chart(stats.points)
    _verdict(stats.length_vs_number)
    if stats.relief.n:
        _durability(stats.durability)
    _cost(stats)


def _header(stats: TherapyStats) -> None:
    first, last = stats.points[0].when, stats.points[-1].when
    days = format_local(first)[:10]
    if format_local(last)[:10] != days:
        days += f" to {format_local(last)[:10]}"
    title = f"{visible(stats.therapy)}: {plural(stats.sessions, 'session')}, {days}"
    say(Text(title, style="bold"))
    say(underline(title))


def _relief(stats: TherapyStats) -> None:
    rel = stats.relief
    say(Text("Relief (pain before minus pain right after, 0-10 scale)", style="bold"))
    if stats.excluded_no_pain:
        say(
            f"{plural(stats.excluded_no_pain, 'session')} began at pain 0 and cannot show "
            "relief: left out of the relief figures, still counted in the session numbers.",
            indent=INDENT,
        )
    if rel.n == 0:
        say(
            f"Not enough data: none of your {plural(stats.sessions, 'session')} began with "
            "pain, so there is no relief to measure.",
            indent=INDENT,
        )
        return
    median_note = (
        f"95% interval {interval_text(*rel.median_ci)}" if rel.median_ci is not None else ""
    )
    rows = [
        ["mean", signed(rel.mean), _mean_interval(rel), f"n {rel.n}"],
        ["median", signed(rel.median), median_note, f"n {rel.n}"],
    ]
    _table(_figure_rows("estimate", "relief", "interval", "sessions", said=2), rows,
           indent=INDENT, header=False)  # fmt: skip
    note = interval_note(rel)
    if note is not None:
        say(note, indent=INDENT)
    if rel.all_same:
        sign = (
            ""
            if rel.sign_p is None
            else f" (the exact sign test over them gives p = {rel.sign_p:.3f})"
        )
        say(
            f"Every one of the {plural(rel.n, 'session')} brought the same relief "
            f"({signed(rel.mean)}), so there is no spread to give an interval from{sign}.",
            indent=INDENT,
        )
    elif rel.n < MIN_FOR_INTERVAL:
        say(
            f"Not enough data for an interval: that needs at least {MIN_FOR_INTERVAL} sessions "
            f"that began with pain, you have {rel.n}.",
            indent=INDENT,
        )
    elif rel.median_ci is None and rel.n < MIN_FOR_MEDIAN_INTERVAL:
        say(
            f"(An interval for the median needs at least {MIN_FOR_MEDIAN_INTERVAL} sessions.)",
            indent=INDENT,
        )


def _mean_interval(rel: ReliefEstimate) -> str:
    if rel.ci is None:
        return ""
    return f"95% interval {interval_text(*rel.ci)}"


def _share_cells(share: Share) -> list[str]:
    if share.share is None:
        return [f"{share.k}/{share.n}", DASH, ""]
    interval = "" if share.ci is None else f"{percent(share.ci[0])} to "
    interval += "" if share.ci is None else percent(share.ci[1])
    return [f"{share.k}/{share.n}", percent(share.share), interval]


def _shares(stats: TherapyStats) -> None:
    shown = [Column("Sessions with", figure=False, narrowest=8)] + [
        Column(header, justify="right") for header in ("k/n", "share", "95% interval")
    ]
    rows = [[label, *_share_cells(getattr(stats.shares, name))] for name, label in SHARE_LABELS]
    say("")
    _table(shown, rows)


def _by_length(stats: TherapyStats) -> None:
    shown = [Column("By length", figure=False, narrowest=8)] + [
        Column(header, justify="right") for header in ("n", "mean relief")
    ]
    rows = [[g.label, str(g.n), signed(g.mean_relief)] for g in stats.by_length]
    say("")
    _table(shown, rows)


# --- the chart --------------------------------------------------------------------------------


def _chart(points: Sequence[ChartPoint]) -> None:
    """One bar per session in time order, marked by its length: right of the axis is relief,
    left of it (shaded differently) is pain that got worse."""
    say("")
    say(Text("Relief by session number (one bar per session, with its length)", style="bold"))
    shown: list[ChartPoint | None] = list(points)
    if len(points) > CHART_MAX:
        half = CHART_MAX // 2
        shown = [*points[:half], None, *points[-half:]]
    drawn = [p.relief for p in shown if p is not None and p.relief is not None]
    left = CELLS_PER_POINT * max([0, *(-r for r in drawn)])
    number_width = len(f"#{points[-1].number}")
    for point in shown:
        if point is None:
            hidden = len(points) - 2 * (CHART_MAX // 2)
            say(f"{'':>{number_width}}  ... {hidden} sessions not drawn (--json lists them all)")
        else:
            say(_bar(point, left, number_width))
    legend = f"{BAR * CELLS_PER_POINT} 1 point of relief"
    if left:
        legend += f"   {WORSE * CELLS_PER_POINT} 1 point worse"
    if any(p.relief is None for p in points):
        legend += "   . began at pain 0, left out"
    say(legend, indent=INDENT)


def _bar(point: ChartPoint, left: int, number_width: int) -> Text:
    line = Text(f"{'#' + str(point.number):>{number_width}}  {format_local(point.when)[:10]}  ")
    line.append(f"{point.minutes:>3}m  ")
    relief = point.relief
    if relief is None:
        line.append(" " * left + AXIS + " . began at pain 0, left out", style="dim")
        return line
    worse = CELLS_PER_POINT * max(0, -relief)
    line.append(" " * (left - worse))
    line.append(WORSE * worse, style="red")
    line.append(AXIS)
    line.append(BAR * (CELLS_PER_POINT * max(0, relief)), style="green")
    line.append(f" {'+' if relief > 0 else ''}{relief}")
    return line


# --- length vs number, durability, cost -------------------------------------------------------


def _verdict(lvn: LengthVsNumber) -> None:
    say("")
    say(
        Text(
            f"Session length or session number? {VERDICT_WORDS[lvn.verdict]}",
            style="bold",
        )
    )
    head, next_step, note = _message_parts(lvn)
    say(head, indent=INDENT)
    if next_step:
        say(f"Next step: {next_step}", indent=INDENT)
    if note:
        say(Text(note, style="dim"), indent=INDENT)


def _message_parts(lvn: LengthVsNumber) -> tuple[str, str | None, str | None]:
    """`message` already ends with the next step and the note: print each once, apart."""
    tail = " ".join(part for part in (lvn.next_step, lvn.note) if part)
    if tail and lvn.message.endswith(" " + tail):
        return lvn.message[: -len(tail) - 1], lvn.next_step, lvn.note
    return lvn.message, None, None


def _durability(dur: Durability) -> None:
    say("")
    say(Text("Later that day", style="bold"))
    if dur.relieved == 0:
        say("No session brought relief, so there is no relief to hold.", indent=INDENT)
        return
    missing = (
        f"{dur.without_later} of the {plural(dur.relieved, 'session')} with relief "
        f"{verb(dur.without_later, 'has', 'have', of=dur.relieved)} no pain score later that day"
    )
    if dur.n == 0 or dur.share is None:
        say(
            f"{missing[0].upper()}{missing[1:]}; add it in the evening with: "
            f"{command_line('edit ID --later N')}",
            indent=INDENT,
        )
        return
    interval = (
        "" if dur.ci is None else (f", 95% interval {percent(dur.ci[0])} to {percent(dur.ci[1])}")
    )
    say(
        f"Relief held (pain later at or below its level right after the session) in "
        f"{dur.held} of the {plural(dur.n, 'session')} with relief and a later score "
        f"({percent(dur.share)}{interval}); {missing}.",
        indent=INDENT,
    )
    if dur.few_scored:
        say(
            "Caution: fewer than half of the sessions with relief have a later score, so this "
            "may not stand for the rest (add it in the evening with: "
            f"{command_line('edit ID --later N')}).",
            indent=INDENT,
        )
    say(
        f"Pain later minus pain right after, mean: {signed(dur.mean_rebound)} points "
        f"(n {dur.n}; + means it came back up).",
        indent=INDENT,
    )


def _cost(stats: TherapyStats) -> None:
    cost, n = stats.cost, stats.relief.n
    rows = [["total", money(cost.total), plural(stats.sessions, "session")]]
    if n == 0:
        note = "no session began with pain"
    elif cost.per_relief_point is None:
        note = f"n {n}; no relief, so no price per point"
    elif cost.per_relief_point_range is None:
        note = f"n {n}"
    else:
        low, high = cost.per_relief_point_range
        note = f"range {money(low)} to {'no upper limit' if high is None else money(high)}, n {n}"
    rows.append(["per point of relief", money(cost.per_relief_point), note])
    if n:
        rows.append(
            [
                "per session with clear relief",
                money(cost.per_important_relief_session),
                f"{stats.shares.important_relief.k} of {n}",
            ]
        )
    say("")
    say(Text("Cost", style="bold"))
    cost_columns = _figure_rows("cost", "amount", "resting on")
    cost_columns[1] = Column("amount", justify="right")
    _table(cost_columns, rows, indent=INDENT, header=False)


# --- acute and preventive ---------------------------------------------------------------------

ACUTE_WORDS = {
    "helps": "eases pain",
    "no_clear_effect": "no clear effect",
    "worse": "pain worse afterwards",
    "not_enough_data": "not enough data",
    "uncontrolled": "nothing to compare with",
}
PREVENTIVE_WORDS = {
    "responder": "halved (responder)",
    "improved": "fewer days",
    "worse": "more days",
    "inconclusive": "could be chance",
    "too_early": "too early to tell",
    "not_enough_data": "not enough data",
}


def _acute(acute: AcuteVerdict) -> None:
    say("")
    say(Text(f"Acute relief? {ACUTE_WORDS[acute.verdict]}", style="bold"))
    say(acute.message, indent=INDENT)
    rows = [
        [label, signed(rel.mean), _mean_interval(rel), f"n {rel.n}"]
        for label, rel in (("during attacks", acute.during_attack), ("at other times", acute.other))
    ]
    _table(
        _figure_rows("sessions", "relief", "interval", "n", said=2),
        rows,
        indent=INDENT,
        header=False,
    )


ENDPOINT_LABELS = (
    ("pain_free_2h", "pain-free at 2 h"),
    ("relief_2h", "headache relief at 2 h"),
    ("sustained_24h", "sustained pain-free to 24 h"),
    ("sustained_48h", "sustained pain-free to 48 h"),
    ("mbs_free_2h", "free of the most bothersome symptom at 2 h"),
    ("rescue", "needed a rescue dose"),
)


def endpoint_cells(ep: Endpoint) -> list[str]:
    """k/n, share and exact interval; below MIN_RATED rated attacks, "not enough data"."""
    if ep.n == 0:
        return ["0/0", DASH, "not rated"]
    if ep.share is None or ep.ci is None:
        return [f"{ep.k}/{ep.n}", DASH, f"not enough data (needs {MIN_RATED} rated)"]
    return [f"{ep.k}/{ep.n}", percent(ep.share), f"{percent(ep.ci[0])} to {percent(ep.ci[1])}"]


def _endpoints(result: TherapyVerdicts) -> None:
    """The sessions during attacks as acute-treatment trials measure them (IHS guidelines)."""
    say("")
    say(Text("Sessions during attacks, as acute-treatment trials measure them", style="bold"))
    row = result.endpoints
    if row is None:
        say(
            "No session during an attack (logged with --attack). Rate one with: "
            + command_line("attack rate ID --session N --after 2h --pain P"),
            indent=INDENT,
        )
        return
    say(
        f"{plural(row.attacks, 'attack')} treated, {row.unrated_2h} without a 2-hour rating "
        "(counted apart: never a success or a failure).",
        indent=INDENT,
    )
    shown = [Column("Attacks", figure=False, narrowest=8)] + [
        Column(header, justify="right") for header in ("k/n", "share", "exact 95% interval")
    ]
    rows = [[label, *endpoint_cells(getattr(row, name))] for name, label in ENDPOINT_LABELS]
    _table(shown, rows, indent=INDENT)
    if row.pain_free_2h.n >= MIN_RATED or row.relapse:
        say(f"Relapse within 48 h after pain freedom: {row.relapse}.", indent=INDENT)


def _prevention(result: TherapyVerdicts) -> None:
    """Migraine days per 28 days before and during the latest course, its verdict, then one
    line for each earlier course."""
    say("")
    prevention = result.prevention
    if prevention is None:
        say(Text(f"Preventive? {PREVENTIVE_WORDS['not_enough_data']}", style="bold"))
        say(result.preventive_message, indent=INDENT)
        return
    word = PREVENTIVE_WORDS[prevention.verdict]
    course = f" (latest of {len(result.courses)} courses)" if len(result.courses) > 1 else ""
    say(Text(f"Preventive{course}? {word}", style="bold"))
    say(_course_line(prevention), indent=INDENT)
    shown = [
        Column("Migraine days", figure=False, narrowest=8),
        Column("dates"),
        *(Column(header, justify="right") for header in ("recorded", "migraine", "per 28 days")),
    ]
    windows: list[tuple[str, WindowStats]] = [
        ("before (baseline)", prevention.baseline),
        ("from day 29 (treatment)", prevention.treatment),
    ]
    rows = [
        [
            label,
            f"{window.start:%b %d} to {window.end:%b %d}",
            f"{window.recorded_days}/{window.days}",
            str(window.migraine_days),
            one_decimal(window.mmd),
        ]
        for label, window in windows
    ]
    _table(shown, rows, indent=INDENT)
    if prevention.change is not None:
        interval = (
            ""
            if prevention.change_ci is None
            else f" (95% interval {interval_text(*prevention.change_ci)})"
        )
        say(f"Change in migraine days per 28: {signed(prevention.change)}{interval}", indent=INDENT)
    say(prevention.message, indent=INDENT)
    _preventive_cost(prevention)
    for line in prevention.context:
        say(Text(visible(line), style="dim"), indent=INDENT)
    for earlier in result.courses[1:]:
        say(
            f"Earlier course: {_course_line(earlier)}: {PREVENTIVE_WORDS[earlier.verdict]}"
            + (
                ""
                if earlier.change is None
                else f" ({signed(earlier.change)} migraine days per 28)"
            )
            + ".",
            indent=INDENT,
        )


def _course_line(course: PreventiveResult) -> str:
    when = course.first_session.isoformat()
    if course.first_session != course.last_session:
        when += f" to {course.last_session.isoformat()}"
    return f"course {when} ({plural(course.sessions, 'session')})"


def _preventive_cost(prevention: PreventiveResult) -> None:
    cost = prevention.cost_per_migraine_day_avoided
    if cost is None:
        return
    if cost == 0:
        say(
            "No sessions were paid for in the treatment window, so no cost per migraine day "
            "avoided.",
            indent=INDENT,
        )
        return
    span = ""
    if prevention.cost_range is not None:
        low, high = prevention.cost_range
        span = (
            f", range {money(low) if low is not None else 'no lower limit'} to "
            f"{money(high) if high is not None else 'no upper limit'}"
        )
    say(
        f"Cost per migraine day avoided: {money(cost)}{span} (sessions in the treatment "
        "window over the migraine days avoided in it).",
        indent=INDENT,
    )


def multiplicity(results: Sequence[TherapyVerdicts]) -> bool:
    """True when more than one course is judged in one output."""
    return sum(len(r.courses) for r in results) > 1


def acute_cell(r: TherapyVerdicts) -> str:
    """The verdict's acute column: pain freedom at 2 hours when rated, else session relief."""
    ep = r.pain_free_2h
    if r.acute_source == "pain_free_2h" and ep is not None and ep.share is not None:
        return f"{ACUTE_WORDS[r.acute_verdict]}, pain-free 2h {percent(ep.share)} ({ep.k}/{ep.n})"
    rel = r.acute.relief
    acute = ACUTE_WORDS[r.acute.verdict]
    if rel.mean is not None and rel.n:
        acute += f" {signed(rel.mean)} (n {rel.n})"
    return acute


VERDICT_COLUMNS = (
    Column("therapy", figure=False, narrowest=12),
    Column("n", justify="right", label="sessions"),
    Column("acute", figure=False, narrowest=16),
    Column("preventive", figure=False, narrowest=16),
    Column("cost", justify="right"),
)


def verdict_table(results: Sequence[TherapyVerdicts]) -> None:
    """One line per therapy: what a session does, what the course did, what it all cost."""
    rows = []
    for r in results:
        acute = acute_cell(r)
        prevention = PREVENTIVE_WORDS[r.preventive_word]
        if r.prevention is not None and r.prevention.change is not None:
            prevention += f" {signed(r.prevention.change)}/28d"
        rows.append(
            (r.stats.therapy, str(r.stats.sessions), acute, prevention, money(r.stats.cost.total))
        )
    say(table(VERDICT_COLUMNS, rows, width=width()))
    say("")
    say(
        Text(
            "n: sessions. acute: pain-free 2 h after a session during an attack (% of the "
            f"attacks rated, k/n) once {MIN_RATED} are rated, a description with no untreated "
            "attacks to compare with; else mean relief right after a "
            "session (points, 0-10), judged on sessions during attacks when there are 3 or "
            "more, with the sessions it rests on. "
            "preventive: the latest course's change in migraine days per 28 days from its "
            f"baseline to its treatment window (from day 29). `{command_line('stats THERAPY')}` "
            "gives the figures behind each word.",
            style="dim",
        )
    )
    if multiplicity(results):
        say(Text(MULTIPLICITY_CONTEXT, style="dim"))
    if not any(r.attack_diary for r in results):
        say(Text(visible(results[0].preventive_message), style="dim"))
