"""The doctor's report: the diary's figures as one printable HTML page (or two) and as Markdown.

Pure: an `analysis.report.ReportData` goes in, text comes out; nothing here reads the diary or
writes files (`diary.report.build_report` gathers the figures, `cli.report` writes them, the
charts come from `render.charts`). Jinja2 is imported inside `render_html` only, so importing
this module stays cheap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from migraine_diary import __version__
from migraine_diary.analysis.intervals import interval_text
from migraine_diary.analysis.report import (
    AttackEntry,
    MonthFigures,
    ReportData,
    TherapyFigures,
    ordered_classes,
)
from migraine_diary.domain.days import (
    MULTIPLE_FLAG,
    MULTIPLE_THRESHOLD,
    OVERUSE_THRESHOLDS,
    OVERUSE_WARNING,
    MedicationTaken,
)
from migraine_diary.domain.medications import UNCLASSIFIED, class_label
from migraine_diary.domain.words import noun, plural
from migraine_diary.render.acute import endpoint_text, treatment_label
from migraine_diary.render.charts import legend_rows, medication_chart, migraine_chart
from migraine_diary.render.format import DASH, duration_text, money, one_decimal, share, visible

if TYPE_CHECKING:
    from migraine_diary.analysis.stats import ReliefEstimate
    from migraine_diary.domain.acute import Score

__all__ = [
    "acute_sentence",
    "render_html",
    "render_markdown",
]

#: Longer notes are cut in the attack table: the report must stay within two pages.
NOTE_CHARACTERS = 60
#: With more attacks than this, the attack table is split in two side-by-side columns.
ATTACKS_PER_COLUMN = 26


# --- wording shared by both formats -----------------------------------------------------------


def relief_text(t: TherapyFigures) -> str:
    """Mean relief with its interval and n, or why there is none."""
    n = f"n = {t.relief_n}"
    if t.relief_mean is None:
        return f"not enough data ({n})"
    mean = one_decimal(t.relief_mean)
    if t.relief_ci is not None:
        return f"{mean} (95% CI {interval_text(*t.relief_ci, sign=False)}, {n})"
    if t.relief_all_same and t.relief_n > 1:
        return f"{mean} in every session ({n})"
    return f"{mean} ({n}, too few for an interval)"


def _relief_words(estimate: ReliefEstimate) -> str:
    n = f"n = {estimate.n}"
    if estimate.mean is None:
        return "no sessions"
    mean = one_decimal(estimate.mean)
    if estimate.ci is not None:
        return f"mean relief {mean} (95% CI {interval_text(*estimate.ci, sign=False)}, {n})"
    if estimate.all_same:
        return f"relief {mean} in every session ({n})"
    return f"mean relief {mean} ({n}, too few for an interval)"


def acute_sentence(t: TherapyFigures) -> str:
    """Relief in sessions during an attack and at other times, side by side, in one sentence."""
    during, other = t.acute
    return f"During attacks: {_relief_words(during)}; at other times: {_relief_words(other)}."


def flag_text(month: MonthFigures) -> str:
    """``triptan 11 d (limit 10)``; what crossed which ICHD-3 threshold."""
    parts = []
    for flag in month.flags:
        if flag == MULTIPLE_FLAG:
            parts.append(f"several classes {month.medication_days} d (limit {MULTIPLE_THRESHOLD})")
        else:
            days = month.medication_days_by_class.get(flag, 0)
            limit = OVERUSE_THRESHOLDS.get(flag)
            parts.append(f"{class_label(flag)} {days} d" + (f" (limit {limit})" if limit else ""))
    return "; ".join(parts)


def classes_text(month: MonthFigures) -> str:
    if not month.medication_days_by_class:
        return DASH
    return ", ".join(
        f"{class_label(c)} {d}" for c, d in ordered_classes(month.medication_days_by_class)
    )


def medication_text(med: MedicationTaken, *, with_class: bool = True) -> str:
    """``sumatriptan 50mg (triptan)``; without the class where space is short, except when
    the name has none (a doctor should see that it was not counted as a known class)."""
    if med.med_class is None:
        return f"{med.name} ({class_label(UNCLASSIFIED)})"
    return f"{med.name} ({class_label(med.med_class)})" if with_class else med.name


def short_note(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= NOTE_CHARACTERS:
        return flat
    return flat[: NOTE_CHARACTERS - 1].rstrip() + "…"


def period_text(data: ReportData) -> str:
    return f"{data.start.isoformat()} to {data.end.isoformat()} ({plural(data.days, 'day')})"


def recorded_text(data: ReportData) -> str:
    recorded = share(data.recorded_days, data.days)
    return f"{data.recorded_days} of {plural(data.days, 'day')} recorded ({recorded})"


DEFINITIONS = (
    "Recorded day: a day with an attack, a check-in or inside a period declared complete (a "
    "treatment session alone does not record it); any other day is unknown, not "
    "migraine-free. An ongoing attack counts for 72 hours from its start at most; the days "
    "after are unknown. A session during an attack without an attack record is an attack "
    "day of unknown length, left out of the recorded days.",
    "Migraine day (the definition of clinical trials): a day touched by an attack of at least "
    "30 minutes or with aura, or on which a triptan, ergot, gepant or ditan was taken.",
    "ICHD-3 8.2 medication-overuse thresholds, per month: triptans, ergots, opioids or "
    "combination analgesics on 10 or more days; simple analgesics on 15 or more; acute "
    "medication of several classes on 10 or more days in total.",
    "Relief: pain before minus pain right after a session, 0-10 scale; sessions that began at "
    "pain 0 are left out. Means with Student-t 95% confidence intervals (CI); n is the number "
    "of sessions behind each figure.",
)


ACUTE_COLUMNS = (
    ("pain_free_2h", "Pain-free 2 h"),
    ("relief_2h", "Relief 2 h"),
    ("sustained_24h", "Sustained 24 h"),
    ("sustained_48h", "Sustained 48 h"),
    ("mbs_free_2h", "MBS-free 2 h"),
    ("rescue", "Rescue"),
)
RELAPSE_LABEL = "Relapse"
ACUTE_NOTE = (
    "IHS guidelines for controlled trials of acute treatment (2019). Each cell: % of the "
    "attacks rated for it (k/n) with its exact (Clopper-Pearson) 95% CI; fewer than 3 rated: "
    "the count only. Pain-free: pain 0 two hours after the dose. Relief: moderate or severe "
    "(4-10) down to mild or none (0-3). Sustained: pain-free at 2 h, no further dose and no "
    "pain again up to 24/48 h. MBS: the most bothersome symptom. Rescue: a further dose "
    "within 24 h. Relapse: attacks pain-free at 2 h with pain again within 48 h (a rating, a "
    "dose, or a new attack). A treatment counts once per attack, by its first dose there; the "
    "attacks "
    "were not randomised."
)


def acute_rows(data: ReportData) -> list[list[str]]:
    """One row per treatment: name, attacks treated, attacks unrated at 2 h, the endpoints,
    the attacks that relapsed."""
    return [
        [
            treatment_label(r),
            str(r.attacks),
            str(r.unrated_2h),
            *(endpoint_text(getattr(r, name)) for name, _ in ACUTE_COLUMNS),
            str(r.relapse),
        ]
        for r in data.acute
    ]


def unrated_text(data: ReportData) -> str:
    return (
        f"{plural(data.acute_doses, 'dose')} in the period, {data.acute_unrated} without a "
        "2-hour rating: counted apart, never as a success or a failure."
    )


def score_text(score: Score) -> str:
    """``MIDAS 14 on 2026-11-01, grade III, -6 since the previous``."""
    if score.kind == "pgic":
        text = f"PGIC for {score.therapy}: {score.total} of 7 on {score.day.isoformat()}"
        if score.course is not None:
            text += f" ({score.course_text})"
    else:
        name = "MIDAS" if score.kind == "midas" else "HIT-6"
        text = f"{name} {score.total} on {score.day.isoformat()}, grade {score.grade}"
    if score.change is None:
        return text + ", the first recorded"
    return text + f", {score.change:+d} since the previous"


# --- the two formats --------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigure:
    """A figure for the top of the report: the number, what it counts, and what it rests on."""

    value: str
    label: str
    detail: str


def key_figures(data: ReportData) -> list[KeyFigure]:
    """What a doctor reads first, each figure with its n."""
    figures = []
    if data.months:
        recorded = sum(m.recorded_days for m in data.months)
        rate = data.migraine_rate
        per = f"; {one_decimal(rate)} per 28 days" if rate is not None else ""
        figures.append(
            KeyFigure(
                str(data.migraine_days),
                noun(data.migraine_days, "migraine day"),
                f"of {recorded} recorded{per}",
            )
        )
        figures.append(
            KeyFigure(
                str(data.medication_days),
                noun(data.medication_days, "acute-medication day"),
                f"of {recorded} recorded",
            )
        )
        figures.append(
            KeyFigure(
                f"{data.flagged_months} of {data.complete_months}",
                f"{noun(data.complete_months, 'complete month')} over an ICHD-3 limit",
                "medication-overuse thresholds",
            )
        )
    if data.attacks:
        aura = sum(1 for a in data.attacks if a.aura)
        count = len(data.attacks)
        figures.append(KeyFigure(str(count), noun(count, "attack"), f"{aura} with aura"))
    if data.therapies:
        sessions = sum(t.sessions for t in data.therapies)
        cost = sum((t.cost for t in data.therapies), Decimal(0))
        figures.append(
            KeyFigure(
                str(sessions),
                noun(sessions, "treatment session"),
                f"{plural(len(data.therapies), 'therapy', 'therapies')}; {money(cost)} paid",
            )
        )
    return figures


def attack_rows(attacks: Sequence[AttackEntry]) -> list[tuple[AttackEntry, ...]]:
    """One attack a row, or two side by side (the left half read first) when a long list
    would spill onto a third page. One table either way: a browser breaks a table between
    pages cleanly, two tables in a grid it does not."""
    if len(attacks) <= ATTACKS_PER_COLUMN:
        return [(a,) for a in attacks]
    half = -(-len(attacks) // 2)
    return [tuple(attacks[i::half][:2]) for i in range(half)]


def _local(moment: datetime) -> datetime:
    return moment.astimezone()


def _shown(value: object) -> object:
    """Every value the template prints, before it is escaped: text with its controls made
    visible (the page may be read with `cat` too); our own markup (the charts) as it is."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return visible(value)
    return value


def plan_sections(data: ReportData) -> list[tuple[str, list[str]]]:
    """(heading, lines) per randomised plan."""
    from migraine_diary.render.plans import question, report_lines

    return [
        (
            f"Randomised plan {p.plan.id} ({p.status}): {question(p.plan)}",
            report_lines(p.plan, p.outcome, p.status),
        )
        for p in data.plans
    ]


@dataclass(frozen=True)
class Letterhead:
    """Who the report is from and for, beside its figures: a practice's name and address
    (the config file's practice_name and practice_address) and the client's name; a
    personal diary's report has none of them, and a blank for the patient's name."""

    practice: str | None = None
    address: str | None = None
    client: str | None = None


def render_html(data: ReportData, letterhead: Letterhead | None = None) -> str:
    """A self-contained page for print: inline CSS and SVG, no script, no external resource."""
    import jinja2
    from markupsafe import Markup

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("migraine_diary.render", "templates"),
        autoescape=True,  # diary text (therapy names, notes, questions) is shown as typed
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_shown,
    )
    charts: dict[str, Markup] = {}
    if data.months:
        # Our own SVG, its text already escaped by matplotlib: safe to insert as markup.
        rows = legend_rows(data.months) if data.medication_days else 1
        charts["migraine"] = Markup(migraine_chart(data.months, rows))
        if data.medication_days:
            charts["medication"] = Markup(medication_chart(data.months))
    template = environment.get_template("report.html.j2")
    return template.render(
        data=data,
        letterhead=letterhead or Letterhead(),
        charts=charts,
        key_figures=key_figures(data),
        attack_rows=attack_rows(data.attacks),
        plan_sections=plan_sections(data),
        attack_notes=any(a.notes.strip() for a in data.attacks),
        overuse_warning=OVERUSE_WARNING if any(m.overuse_pattern for m in data.months) else None,
        definitions=DEFINITIONS,
        version=__version__,
        period=period_text(data),
        recorded=recorded_text(data),
        local=_local,
        relief_text=relief_text,
        acute_sentence=acute_sentence,
        flag_text=flag_text,
        classes_text=classes_text,
        medication_text=medication_text,
        duration_text=duration_text,
        short_note=short_note,
        money=money,
        acute_columns=[label for _, label in ACUTE_COLUMNS] + [RELAPSE_LABEL],
        acute_rows=acute_rows(data),
        acute_note=ACUTE_NOTE,
        unrated=unrated_text(data),
        score_text=score_text,
    )


# Only what can make markup or break a table: the text must still read well when a portal
# shows Markdown as plain text.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LIST_NUMBER = re.compile(r"^(\d+)([.)])(?=\s|$)")


def md(text: str) -> str:
    """Diary text made inert in Markdown: one line, every markup character escaped (so a
    portal that turns Markdown into HTML shows ``<script>`` as text, and a ``|`` stays in its
    table cell)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(visible(text).split()))
    # A cell or list item that starts like a heading, list or quote would become one.
    escaped = _MD_LIST_NUMBER.sub(r"\1\\\2", escaped)
    return "\\" + escaped if escaped[:1] in ("#", "+", "-", "=") else escaped


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|")
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def render_markdown(data: ReportData, letterhead: Letterhead | None = None) -> str:
    """The same content as plain Markdown tables and lists, for a patient portal's message box."""
    head = letterhead or Letterhead()
    out = []
    if head.practice:
        out += [f"**{md(head.practice)}**", ""]
        if head.address:
            out += ["  \n".join(md(line) for line in head.address.splitlines()), ""]
    out += [
        "# Migraine diary report",
        "",
        *([f"Client: {md(head.client)}", ""] if head.client else []),
        f"Period: {period_text(data)}; {recorded_text(data)}.",
        "",
    ]
    if data.questions:
        out += ["## Questions for my doctor", ""]
        out += [f"{i}. {md(q)}" for i, q in enumerate(data.questions, start=1)]
        out.append("")
    figures = key_figures(data)
    if figures or data.notes:
        out += ["## Key figures", ""]
        out += [f"- {f.value} {f.label} ({f.detail})" for f in figures]
        out += [f"- {md(note)}" for note in data.notes]
        out.append("")
    if data.months:
        out += ["## Migraine days and acute medication per month", ""]
        rows = [
            [
                m.label,
                str(m.days),
                str(m.recorded_days),
                str(m.migraine_days),
                str(m.medication_days),
                classes_text(m),
                flag_text(m) + (" (3rd month in a row or more)" if m.overuse_pattern else "")
                if m.flags
                else DASH,
            ]
            for m in data.months
        ]
        header = [
            "Month",
            "Days",
            "Recorded",
            "Migraine days",
            "Acute-med. days",
            "By class",
            "Over ICHD-3 threshold",
        ]
        out += _md_table(header, rows, {1, 2, 3, 4})
        out.append("")
        if any(m.overuse_pattern for m in data.months):
            out += [f"> {OVERUSE_WARNING}", ""]
    out += ["## Treatments", ""]
    if data.therapies:
        rows = [
            [md(t.name), str(t.sessions), str(t.minutes), relief_text(t), money(t.cost)]
            for t in data.therapies
        ]
        header = ["Therapy", "Sessions", "Minutes", "Mean relief (0-10)", "Cost"]
        out += _md_table(header, rows, {1, 2, 4})
        out.append("")
        for t in data.therapies:
            out += [
                f"- **{md(t.name)}**",
                f"  - Acute: {md(acute_sentence(t))}",
                f"  - Preventive: {md(t.preventive)}",
                *(f"  - {md(score_text(g))}" for g in t.pgic),
            ]
    else:
        out.append("No treatment sessions in this period.")
    out.append("")
    for heading, lines in plan_sections(data):
        out += [f"## {md(heading)}", ""]
        out += [f"- {md(line)}" for line in lines]
    if data.acute:
        out += ["## Acute treatment (trial endpoints)", ""]
        header = [
            "Treatment", "Attacks", "Unrated 2 h", *(label for _, label in ACUTE_COLUMNS),
            RELAPSE_LABEL,
        ]  # fmt: skip
        rows = [[md(row[0]), *row[1:]] for row in acute_rows(data)]
        out += _md_table(header, rows, {1, 2})
        out += ["", unrated_text(data), "", ACUTE_NOTE, ""]
    if data.scores or data.pgic:
        out += ["## Questionnaires", ""]
        out += [f"- {md(score_text(s))}" for s in (*data.scores, *data.pgic)]
        out.append("")
    if data.attacks:
        out += [f"## Attacks ({len(data.attacks)})", ""]
        rows = [
            [
                f"{_local(a.start):%Y-%m-%d}",
                f"{_local(a.start):%H:%M}",
                duration_text(a.duration),
                str(a.peak),
                "yes" if a.aura else "no",
                "; ".join(md(medication_text(m)) for m in a.medications) or DASH,
                md(short_note(a.notes)) if a.notes else "",
            ]
            for a in data.attacks
        ]
        header = ["Date", "Start", "Duration", "Peak (0-10)", "Aura", "Medication", "Notes"]
        out += _md_table(header, rows, {3})
        out.append("")
    out += ["## Definitions", ""]
    out += [f"- {d}" for d in DEFINITIONS]
    out += [
        "",
        f"Made with migraine-diary {__version__} on {_local(data.generated_at):%Y-%m-%d %H:%M} "
        "from the patient's own diary.",
        "",
    ]
    return "\n".join(out)
