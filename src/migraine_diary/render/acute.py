"""Text for acute outcomes: the `acute` table, ratings due, rating lines and scores."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from migraine_diary.analysis.acute import MIN_RATED, Comparison, Endpoint, TreatmentRow
from migraine_diary.domain.acute import SCORE_NAMES, Score
from migraine_diary.domain.dates import format_local
from migraine_diary.domain.hints import command_line
from migraine_diary.domain.medications import class_label
from migraine_diary.domain.words import plural
from migraine_diary.render.format import DASH, one_decimal, percent
from migraine_diary.render.tables import Column, table
from migraine_diary.render.terminal import console

if TYPE_CHECKING:
    from migraine_diary.domain.acute import Prefill, Treatment

COLUMNS = (
    ("pain_free_2h", "pain-free 2h"),
    ("relief_2h", "relief 2h"),
    ("sustained_24h", "sust. 24h"),
    ("sustained_48h", "sust. 48h"),
    ("mbs_free_2h", "MBS-free 2h"),
    ("rescue", "rescue"),
)
LEGEND = (
    "Each cell: % of the attacks rated for it (k/n) and its exact 95% interval; fewer than "
    f"{MIN_RATED} rated: the count only.\n"
    "pain-free 2h: pain 0 two hours after the dose. relief 2h: moderate or severe (4-10) down "
    "to mild or none (0-3), of the attacks that began moderate or severe. sust. 24h/48h: "
    "pain-free at 2 h, no further dose and no pain again up to 24/48 h. MBS-free 2h: the "
    "most bothersome symptom gone at 2 h. rescue: a further dose within 24 h. unrated: "
    "attacks whose dose has no 2-hour rating. relapse: attacks pain-free at 2 h with pain "
    "again within 48 h (a rating, a dose, or a new attack).\n"
    "Pain levels: none 0, mild 1-3, moderate 4-6, severe 7-10. A treatment counts once per "
    "attack, by its first dose there."
)


def treatment_label(row: TreatmentRow) -> str:
    """``sumatriptan``, ``class: simple analgesic``, ``therapy: acupuncture``."""
    if row.kind == "class":
        return f"class: {class_label(row.name)}"
    return f"therapy: {row.name}" if row.kind == "therapy" else row.name


def endpoint_text(ep: Endpoint) -> str:
    """``67% 4/6 (22%-96%)``; the count alone below 3 rated attacks; a dash with none."""
    if ep.n == 0:
        return DASH
    if ep.too_few or ep.share is None or ep.ci is None:
        return f"{ep.k}/{ep.n}, too few"
    return f"{percent(ep.share)} {ep.k}/{ep.n} ({percent(ep.ci[0])}-{percent(ep.ci[1])})"


def pain_free_sentence(ep: Endpoint) -> str:
    """The acute message of `verdict` when it rests on pain freedom 2 hours after a session."""
    if ep.n < MIN_RATED or ep.share is None or ep.ci is None:
        return (
            f"Not enough data: {plural(ep.n, 'attack')} rated 2 hours after the session, "
            f"{MIN_RATED} needed."
        )
    figures = (
        f"Pain-free 2 hours after the session in {ep.k} of {plural(ep.n, 'attack')} rated "
        f"({percent(ep.share)}, exact 95% interval {percent(ep.ci[0])} to {percent(ep.ci[1])})"
    )
    if ep.k > 0:
        return (
            f"{figures}. Attacks also end by themselves within 2 hours, and none was left "
            "without the session to compare with, so this does not show that the sessions "
            "helped."
        )
    return f"{figures}: no attack was pain-free, so no clear effect."


def comparison_text(c: Comparison) -> str:
    if c.difference is None or c.ci is None:
        return (
            f"{c.first} vs {c.second}: too few attacks rated at 2 h to compare "
            f"(at least {MIN_RATED} each)."
        )
    return (
        f"{c.first} minus {c.second}, pain-free at 2 h: {100 * c.difference:+.0f} points "
        f"(95% interval {100 * c.ci[0]:+.0f} to {100 * c.ci[1]:+.0f}, Newcombe). "
        f"Caution: {c.caution}."
    )


def acute_table(
    rows: Sequence[TreatmentRow],
    comparison: Comparison | None,
    doses: int,
    unrated: int,
    untimed: int = 0,
) -> None:
    if not rows:
        console.print(
            "No acute treatment in the period. Log an attack with a dose: "
            + command_line("attack log --peak 7 --hours 4 --med NAME@TIME")
        )
        return
    columns = (
        Column("treatment", figure=False, narrowest=12),
        Column("atk", justify="right", label="attacks"),
        Column("unrated", justify="right", label="without a 2-hour rating"),
        *(Column(label) for _, label in COLUMNS),
        Column("relapse", justify="right"),
    )
    cells = []
    for row in rows:
        cells.append([
            treatment_label(row), str(row.attacks), str(row.unrated_2h),
            *(endpoint_text(getattr(row, name)) for name, _ in COLUMNS), str(row.relapse),
        ])  # fmt: skip
    console.print(table(columns, cells))
    console.print(
        f"{plural(doses, 'dose')} in the period; {unrated} without a 2-hour rating "
        "(counted apart: never a success or a failure)."
    )
    if untimed:
        console.print(
            f"{plural(untimed, 'dose')} without a time, left out of rescue and relapse (it "
            "cannot be placed in time)."
        )
    if comparison is not None:
        console.print(comparison_text(comparison))
    console.print(LEGEND)


def rated_line(attack_id: int, what: str, values: dict[str, object]) -> str:
    parts = []
    for key, label in (("at_dose", "pain at dose"), ("pain_2h", "pain at 2 h"),
                       ("pain_24h", "pain at 24 h"), ("pain_48h", "pain at 48 h")):  # fmt: skip
        if key in values:
            parts.append(f"{label} {values[key]}")
    if "mbs_gone" in values:
        parts.append("most bothersome symptom " + ("gone" if values["mbs_gone"] else "not gone"))
    return f"Rated attack {attack_id}, {what}: " + ", ".join(parts)


def due_after_log(doses: Sequence[tuple[int, dt.datetime, str]], now: dt.datetime) -> None:
    """What `attack log` says about each dose's 2-hour rating: when, and the exact command."""
    for number, at, command in doses:
        when = "now" if at <= now else f"at {format_local(at)}"
        console.print(f"2-hour rating of dose {number} due {when}: {command}")


def due_table(
    due: Sequence[tuple[Treatment, dt.datetime, str]],
    older: int,
    now: dt.datetime,
    untimed: Sequence[str] = (),
) -> None:
    """The doses due for their 2-hour rating; then the recent ones without a time (the
    command of each), which are never due by the clock, and the older ones counted."""
    if not due:
        console.print("No 2-hour rating is due.")
    else:
        columns = (
            Column("attack", justify="right"),
            Column("dose", justify="right"),
            Column("medication", figure=False),
            Column("taken"),
            Column("2-hour rating"),
            Column("command"),
        )
        cells = [
            [
                str(t.attack_id),
                str(t.number),
                t.name,
                format_local(t.taken_at),
                "due now" if at <= now else f"due {format_local(at)}",
                command,
            ]
            for t, at, command in due
        ]
        console.print(table(columns, cells))
    if untimed:
        console.print(
            f"{plural(len(untimed), 'dose')} without a time, never due by the clock (it "
            "cannot be placed in time; rate it if you remember): " + "; ".join(untimed)
        )
    if older:
        console.print(
            f"{plural(older, 'older dose')} without a 2-hour rating (counted apart in "
            f"{command_line('acute')})."
        )


def prefill_text(found: Prefill) -> str:
    """`score midas --prefill`: the diary's figures of the last 3 months with the recorded days
    they rest on, or that there are none to go on."""
    then = (
        "The form asks about more than the diary knows: fill it in yourself, then: "
        + command_line("score midas --total N")
    )
    period = f"From {found.first} to {found.last}"
    if not found.recorded_days:
        return (
            f"{period}: not enough data, no day is recorded (log attacks with "
            f"{command_line('attack log')}, days without one with {command_line('checkin')}). "
            + then
        )
    peak = one_decimal(found.average_peak)
    text = (
        f"{period}: {plural(found.headache_days, 'day')} with headache of "
        f"{plural(found.recorded_days, 'recorded day')} ({plural(found.attacks, 'attack')}), "
        f"average peak pain {peak} (0-10)."
    )
    missing = found.days - found.recorded_days
    if missing > 0:
        text += (
            f" {missing} of the {found.days} days are not recorded: the diary cannot tell "
            "whether they had a headache."
        )
    return f"{text} {then}"


def score_line(score: Score, verb: str = "Recorded") -> str:
    name = SCORE_NAMES[score.kind]
    grade = f", grade {score.grade}" if score.grade else ""
    of = f" for {score.therapy}" if score.therapy else ""
    course = f" ({score.course_text})" if score.course else ""
    change = "" if score.change is None else f", {score.change:+d} since the previous one"
    return f"{verb} {name}{of} {score.total} on {score.day.isoformat()}{course}{grade}{change}"


def scores_table(scores: Sequence[Score]) -> None:
    if not scores:
        console.print(f"No scores yet. Record one with: {command_line('score midas --total N')}")
        return
    columns = (
        Column("id", justify="right"),
        Column("date"),
        Column("score", figure=False),
        Column("total", justify="right"),
        Column("grade", figure=False),
        Column("change", justify="right"),
        Column("therapy", figure=False, drop=1),
    )
    cells = [
        [
            str(s.id), s.day.isoformat(), SCORE_NAMES[s.kind], str(s.total), s.grade or DASH,
            DASH if s.change is None else f"{s.change:+d}",
            f"{s.therapy} ({s.course_text})" if s.therapy and s.course else s.therapy or DASH,
        ]
        for s in scores
    ]  # fmt: skip
    console.print(table(columns, cells))
