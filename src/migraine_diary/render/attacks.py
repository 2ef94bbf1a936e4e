"""Rich output for the attack diary: attack lines and tables, the month calendar, the
medication-days table.

The calendar reads without colour too: every day has a glyph, colour only repeats it.
    M  migraine day             a  attack, not a migraine day
    ·  migraine-free (recorded) ?  unknown: nothing recorded that day
    *  after the glyph: a treatment session that day
"""

from __future__ import annotations

import calendar
import datetime as dt
import shlex
from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING

from rich.style import Style
from rich.table import Table
from rich.text import Text

from migraine_diary.domain import days
from migraine_diary.domain.acute import level
from migraine_diary.domain.attack import Attack, DetailCounts, Logged, overlapping_pairs
from migraine_diary.domain.buddy import BuddyResult
from migraine_diary.domain.dates import format_local, local_day
from migraine_diary.domain.days import MedsReport
from migraine_diary.domain.hints import command_line, command_line_for
from migraine_diary.domain.medications import CLASSES, UNCLASSIFIED, NameClass, class_label
from migraine_diary.domain.words import plural
from migraine_diary.render.format import DASH, duration_text
from migraine_diary.render.tables import Column, table, with_client
from migraine_diary.render.terminal import console

if TYPE_CHECKING:
    from migraine_diary.analysis.acute import DoseRatings

GLYPHS = {
    days.STATUS_MIGRAINE: "M",
    days.STATUS_ATTACK: "a",
    days.STATUS_FREE: "·",
    days.STATUS_UNKNOWN: "?",
}
SESSION_MARK = "*"
STYLES = {
    days.STATUS_MIGRAINE: Style(color="red", bold=True),
    days.STATUS_ATTACK: Style(color="yellow"),
    days.STATUS_FREE: Style(color="green"),
    days.STATUS_UNKNOWN: Style(dim=True),
}
SESSION_STYLE = Style(color="cyan", bold=True)
LEGEND = (
    "M migraine day          a attack, not a migraine day   * treatment session\n"
    "· migraine-free day     ? unknown: nothing recorded"
)
CELL = 4  # two digits, the glyph, the session mark
MONTH_WIDTH = 7 * CELL + 6
MONTH_GAP = 4
SHORT_LABELS = {
    "simple_analgesic": "simple an.",
    "combination_analgesic": "combination",
    UNCLASSIFIED: "unclassified",
}


def when_text(attack: Attack, now: dt.datetime) -> str:
    """Start to end in local time; the end's date only when it is another day."""
    start = format_local(attack.start)
    if attack.end is None:
        return f"{start}, ongoing ({duration_text(attack.lasted(now))} so far)"
    end = format_local(attack.end)
    if end[:10] == start[:10]:
        end = end[11:]
    return f"{start} to {end} ({duration_text(attack.lasted(now))})"


def dose_text(name: str, med_class: str | None, helpfulness: str | None, taken: str) -> str:
    details = [class_label(med_class)]
    if taken:
        details.append(taken)
    if helpfulness:
        details.append(helpfulness)
    return f"{name} ({', '.join(details)})"


def attack_line(attack: Attack, verb: str, now: dt.datetime) -> str:
    aura = ", aura" if attack.aura else ""
    return f"{verb} attack {attack.id}: {when_text(attack, now)}, peak {attack.peak}{aura}"


def _doses(attack: Attack) -> str:
    return ", ".join(
        dose_text(
            d.name,
            d.med_class,
            d.helpfulness,
            format_local(d.taken_at)[11:]
            if d.taken_at and local_day(d.taken_at) == local_day(attack.start)
            else (format_local(d.taken_at) if d.taken_at else ""),
        )
        for d in attack.medications
    )


def unclassified_hint(names: Sequence[str]) -> str:
    example = shlex.quote(names[0])
    listed = ", ".join(names)
    return (
        f"Not in the medication table, so counted as unclassified (never guessed): {listed}.\n"
        f"Set a class with: {command_line(f'medclass {example} CLASS')}"
    )


def logged(result: Logged, now: dt.datetime, verb: str = "Logged") -> None:
    """What `attack log` prints: the stored attack, its medication, and any warning."""
    attack = result.attack
    console.print(attack_line(attack, verb, now))
    if attack.medications:
        console.print(f"Medication: {_doses(attack)}")
    unknown = [d.name for d in attack.medications if d.med_class is None]
    if unknown:
        console.print(unclassified_hint(unknown))
    for day in result.replaced_checkins:
        console.print(f"It replaces the check-in of {day} (no migraine that day).")
    for other_id, start in result.other_ongoing:
        console.print(
            f"Attack {other_id} (since {format_local(start)}) is still marked ongoing; "
            f"end it with: {command_line(f'attack end {other_id} --when W')}"
        )
    if result.month is not None:
        warning = days.overuse_warning(result.month)
        if warning:
            console.print(warning)


def attack_changed(attack: Attack, verb: str, now: dt.datetime) -> None:
    console.print(attack_line(attack, verb, now))
    if attack.medications:
        console.print(f"Medication: {_doses(attack)}")


ATTACK_COLUMNS = (
    Column("id", justify="right"),
    Column("start"),
    Column("lasted"),
    Column("peak", justify="right", label="peak pain"),
    Column("aura", words={"aura": "yes"}),
    Column("medication", figure=False, narrowest=16, drop=1),
)
# Beside the attacks a search found: the notes it looked in, wrapped, never left out.
NOTES_COLUMN = Column("notes", figure=False, narrowest=16)


def attacks_table(
    attacks: Sequence[Attack],
    total: int,
    now: dt.datetime,
    clients: Mapping[int, str | None] | None = None,
    *,
    search: str | None = None,
) -> None:
    """The attacks; with `clients` (a practice's listing across clients), whose each is;
    after a `search`, with the notes it matched."""
    if not attacks:
        if search is not None:
            console.print(f"No attacks match {search.strip()!r}.")
            return
        console.print(
            f"No attacks match. Log one with: {command_line('attack log --hours 4 --peak 6')}"
        )
        return
    rows = [
        [
            str(a.id),
            format_local(a.start),
            duration_text(a.lasted(now)) + (" so far" if a.ongoing else ""),
            str(a.peak),
            "aura" if a.aura else "",
            ", ".join(d.name for d in a.medications) or DASH,
            *([" ".join((a.notes or "").split())] if search is not None else []),
        ]
        for a in attacks
    ]
    shown = (*ATTACK_COLUMNS, NOTES_COLUMN) if search is not None else ATTACK_COLUMNS
    columns, cells = with_client(shown, rows, [a.id for a in attacks], clients)
    console.print(table(columns, cells, shown_whole=command_line("attack show ID")))
    for client, first, second in _overlaps(attacks, clients):
        edit, delete = (f"attack {verb} {second}" for verb in ("edit", "delete"))
        hint = command_line if client is None else partial(command_line_for, client)
        console.print(
            f"Attacks {first} and {second} overlap in time: change or delete one with "
            f"'{hint(edit)}' or '{hint(delete)}'."
        )
    if total > len(attacks):
        console.print(
            f"Showing the newest {len(attacks)} of {plural(total, 'attack')} (--limit N for more)."
        )


def _overlaps(
    attacks: Sequence[Attack], clients: Mapping[int, str | None] | None
) -> list[tuple[str | None, int, int]]:
    """(client, older id, newer id) of each two attacks that overlap, one person's only: in
    a listing across clients, two clients' attacks at the same hours are no conflict. The
    client is for the hint (None: the one chosen, or a personal diary's)."""
    found = [
        (None if clients is None else clients.get(first), first, second)
        for first, second in overlapping_pairs(attacks)
    ]
    if clients is None:
        return found
    return [pair for pair in found if clients.get(pair[2]) == pair[0]]


def rating_text(d: DoseRatings) -> str:
    """``at dose 7 (severe), 2 h 0, 24 h 3; relapse within 24 h``: what was rated and what
    follows from it."""
    t = d.treatment
    parts = [f"at dose {t.at_dose} ({level(t.at_dose)})"]
    for label, pain in (("2 h", t.pain_2h), ("24 h", t.pain_24h), ("48 h", t.pain_48h)):
        parts.append(f"{label} {DASH if pain is None else pain}")
    if t.mbs_gone is not None:
        parts.append("symptom gone at 2 h" if t.mbs_gone else "symptom still there at 2 h")
    derived = []
    if d.rescue_dose:
        derived.append("a rescue dose")
    if d.outcome.rescue:
        derived.append("rescue needed")
    if t.kind == "medication" and not t.timed:
        derived.append("no time, so left out of rescue and relapse")
    if d.outcome.relapse_24h:
        derived.append("relapse within 24 h")
    elif d.outcome.relapse_48h:
        derived.append("relapse within 48 h")
    text = ", ".join(parts)
    return f"{text}; {', '.join(derived)}" if derived else text


def attack_detail(
    attack: Attack,
    now: dt.datetime,
    mbs: str | None = None,
    ratings: Sequence[DoseRatings] = (),
) -> None:
    grid = Table(show_header=False, box=None)
    grid.add_column(style="bold")
    grid.add_column()
    lasted = duration_text(attack.lasted(now)) + (" so far" if attack.ongoing else "")
    rows = [
        ("id", str(attack.id)),
        ("start", format_local(attack.start)),
        ("end", format_local(attack.end) if attack.end else "ongoing"),
        ("lasted", lasted),
        ("peak pain", str(attack.peak)),
        ("aura", "yes" if attack.aura else "no"),
    ]
    if attack.medications:
        for number, dose in enumerate(attack.medications):
            taken = format_local(dose.taken_at) if dose.taken_at else ""
            rows.append(
                (
                    "medication" if number == 0 else "",
                    dose_text(dose.name, dose.med_class, dose.helpfulness, taken),
                )
            )
    else:
        rows.append(("medication", DASH))
    rows += _detail_rows(attack)
    written = attack.detail.most_bothersome
    if mbs is not None or written:
        shown = mbs or DASH
        rows.append(("most bothersome", f"{shown} (recorded: {written})" if written else shown))
    for d in ratings:
        t = d.treatment
        what = f"dose {t.number}" if t.kind == "medication" else f"session {t.session_id}"
        rows.append((what, f"{t.name}: {rating_text(d)}"))
    rows += [("notes", attack.notes or DASH), ("source", attack.source)]
    for label, value in rows:
        grid.add_row(label, value)
    console.print(grid)


def _recorded_local(moment: dt.datetime) -> str:
    """A time as the importing app recorded it: 2024-11-16 13:12 (UTC+01:00)."""
    offset = moment.strftime("%z")
    return f"{moment:%Y-%m-%d %H:%M} (UTC{offset[:3]}:{offset[3:]})"


def _detail_rows(attack: Attack) -> list[tuple[str, str]]:
    """The recorded local times of an import, then the detail lists that are not empty (the
    most bothersome symptom has its own row, beside the one chosen for the ratings)."""
    rows: list[tuple[str, str]] = []
    if attack.local_start is not None:
        rows.append(("recorded start", _recorded_local(attack.local_start)))
    if attack.local_end is not None:
        rows.append(("recorded end", _recorded_local(attack.local_end)))
    detail = attack.detail
    for label, values in (
        ("triggers", detail.triggers),
        ("symptoms", detail.symptoms),
        ("pain positions", detail.pain_positions),
    ):
        if values:
            rows.append((label, ", ".join(values)))
    if detail.relief:
        rows.append(
            (
                "non-drug relief",
                ", ".join(
                    f"{r.method} ({r.helpfulness})" if r.helpfulness else r.method
                    for r in detail.relief
                ),
            )
        )
    return rows


KIND_LABELS = {
    "trigger": "trigger",
    "symptom": "symptom",
    "pain_position": "pain position",
    "most_bothersome": "most bothersome symptom",
    "relief": "non-drug relief",
}


# How each kind is typed: the example of `triggers`' hint when none is recorded yet.
KIND_EXAMPLES = {
    "trigger": "--trigger stress",
    "symptom": "--symptom nausea",
    "pain_position": "--pain-position 'left temple'",
    "most_bothersome": "--mbs light",
    "relief": "--relief 'dark room'",
}


def detail_table(counts: DetailCounts) -> None:
    """`migraine triggers`: each value with the attacks it was recorded for, of all."""
    label = KIND_LABELS[counts.kind]
    period = ""
    if counts.since or counts.until:
        period = f" from {counts.since or 'the first'} to {counts.until or 'the last'}"
    if not counts.values:
        console.print(
            f"No {label} recorded for any of {plural(counts.attacks, 'attack')}{period}. "
            f"Record them with: {command_line('attack log ... ' + KIND_EXAMPLES[counts.kind])}"
        )
        return
    columns = (
        Column(label, figure=False),
        Column("attacks", justify="right"),
        Column("share", justify="right"),
    )
    rows = [[value, str(n), f"{n / counts.attacks:.0%}"] for value, n in counts.values]
    console.print(table(columns, rows))
    console.print(
        f"Of {plural(counts.attacks, 'recorded attack')}{period}; "
        f"{counts.with_any} with any {label} recorded."
    )


# ---------------------------------------------------------------------------- calendar


def _cell(status: days.DayStatus | None, day: int, future: bool) -> Text:
    if status is None:
        return Text(" " * CELL)
    if future:
        return Text(f"{day:>2}  ", style=Style(dim=True))
    kind = status.status
    cell = Text(f"{day:>2}", style=STYLES[kind] if kind == days.STATUS_MIGRAINE else "")
    cell.append(GLYPHS[kind], style=STYLES[kind])
    cell.append(SESSION_MARK if status.session else " ", style=SESSION_STYLE)
    return cell


def month_block(summary: days.MonthSummary, today: dt.date) -> Text:
    """One month: its name, a Mon-Sun grid of glyphs, and three counts under it."""
    by_day = {d.date.day: d for d in summary.days}
    year, month = summary.year, summary.month_number
    block = Text()
    block.append(f"{calendar.month_name[month]} {year}\n", style=Style(bold=True))
    block.append(" ".join(f"{name[:2]:<{CELL}}" for name in calendar.day_abbr).rstrip() + "\n")
    for week in calendar.Calendar(firstweekday=0).monthdayscalendar(year, month):
        line = Text()
        for index, day in enumerate(week):
            if index:
                line.append(" ")
            status = by_day.get(day) if day else None
            future = day != 0 and dt.date(year, month, day) > today
            line.append_text(_cell(status, day, future))
        line.rstrip()
        block.append_text(line)
        block.append("\n")
    so_far = sum(1 for d in summary.days if d.date <= today)
    block.append(
        plural(summary.migraine_days, "migraine day") + "\n", style=STYLES[days.STATUS_MIGRAINE]
    )
    block.append(f"{summary.recorded_days} of {plural(so_far, 'day')} recorded\n")
    block.append(plural(summary.acute_medication_days, "day") + " with acute medication")
    if summary.session_days:
        block.append("\n" + plural(summary.session_days, "day") + " with a treatment session")
    return block


def calendar_view(months: Sequence[days.MonthSummary], today: dt.date) -> None:
    """Months two abreast when the terminal has room (80 columns do), then the legend."""
    per_row = 2 if console.width >= 2 * MONTH_WIDTH + MONTH_GAP else 1
    for offset in range(0, len(months), per_row):
        row = months[offset : offset + per_row]
        grid = Table.grid(padding=(0, MONTH_GAP, 0, 0))
        for _ in row:
            grid.add_column(min_width=MONTH_WIDTH, no_wrap=True)
        grid.add_row(*(month_block(m, today) for m in row))
        console.print(grid)
        console.print()
    console.print(LEGEND)


# ------------------------------------------------------------------------- medication

THRESHOLD_NOTE = (
    "Days with acute medication, by class; total: days with any (each day once).\n"
    "ICHD-3 medication-overuse levels, days a month (! marks a count at or over one):\n"
    "triptan, ergot, opioid or combination analgesic 10; simple analgesic 15;\n"
    "several classes together 10 in total."
)


def _flag_text(month: days.MonthOveruse) -> str:
    names = ["several classes" if f == days.MULTIPLE_FLAG else class_label(f) for f in month.flags]
    if month.overuse_pattern:
        names.append("3rd month in a row or more")
    return ", ".join(names)


def meds_table(report: MedsReport) -> None:
    months = report.months
    used = {c for m in months for c in m.days_by_class}
    order = [*CLASSES, UNCLASSIFIED]
    columns = [c for c in order if c in used] + sorted(used - set(order))
    header = [
        Column("month"),
        *(
            Column(SHORT_LABELS.get(c, class_label(c)), justify="right", label=class_label(c))
            for c in columns
        ),
        Column("total", justify="right", label="days with any"),
        Column("over the threshold", figure=False, narrowest=12, drop=1),
    ]
    rows = []
    for month in months:
        cells = []
        for med_class in columns:
            count = month.days_by_class.get(med_class, 0)
            mark = "!" if med_class in month.flags else ""
            cells.append(f"{count}{mark}" if count else DASH)
        total = f"{month.total_days}{'!' if days.MULTIPLE_FLAG in month.flags else ''}"
        rows.append([month.month, *cells, total, _flag_text(month) or DASH])
    console.print(table(header, rows))
    console.print(THRESHOLD_NOTE)
    flagged = [m for m in months if m.flags]
    if flagged:
        latest = flagged[-1]
        earlier = [m.month for m in flagged[:-1] if m.overuse_pattern]
        if earlier:
            console.print(
                f"{', '.join(earlier)}: the third month in a row or more over a level. "
                + days.OVERUSE_WARNING
            )
        warning = days.overuse_warning(latest)
        if warning:
            console.print(warning)
    if report.unclassified:
        names = [f"{name} ({plural(n, 'day')})" for name, n in report.unclassified]
        console.print(
            "Not in the medication table, so counted as unclassified (never guessed): "
            f"{', '.join(names)}.\nSet a class with: "
            + command_line(f"medclass {shlex.quote(report.unclassified[0][0])} CLASS")
        )


def name_classes_table(rows: Sequence[NameClass]) -> None:
    if not rows:
        console.print("No medication in the diary yet.")
        return
    header = (
        Column("medication", figure=False),
        Column("class", figure=False),
        Column("from", figure=False),
        Column("doses", justify="right"),
    )
    cells = [[row.name, class_label(row.med_class), row.origin, str(row.doses)] for row in rows]
    console.print(table(header, cells))
    if any(r.med_class is None for r in rows):
        console.print(f"Set a class with: {command_line('medclass NAME CLASS')}")


def buddy_summary(result: BuddyResult, path: str) -> str:
    verb = "Would add" if result.dry_run else "Added"
    parts = [f"{verb} {plural(result.added, 'attack')} from {path}"]
    if result.already_there:
        parts.append(f"{result.already_there} already in the diary")
    if result.bad:
        parts.append(f"{plural(result.bad_rows, f'bad {result.unit}')} skipped")
    if result.ended:
        parts.append(f"{plural(result.ended, 'ongoing attack')} ended")
    if result.ongoing:
        parts.append(f"{result.ongoing} without an end, kept as ongoing")
    if result.not_attacks:
        parts.append(
            f"{plural(result.not_attacks, 'record')} of no headache (NotPresent) not imported"
        )
    if result.ongoing_skipped:
        parts.append(
            f"not imported, no end yet: {plural(result.ongoing_skipped, 'ongoing event')} "
            "in the preamble"
        )
    return "; ".join(parts) + "."
