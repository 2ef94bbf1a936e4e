"""The doctor's report: the diary's figures as one printable HTML page (or two) and as Markdown.

Pure: a `ReportData` goes in, text comes out; nothing here reads the diary or writes files
(`report_data.build_report` gathers the figures, `cli_report` writes them). matplotlib and
Jinja2 are imported inside the render functions only, so importing this module stays cheap.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from migraine_diary import __version__
from migraine_diary.domain.days import (
    MULTIPLE_FLAG,
    MULTIPLE_THRESHOLD,
    OVERUSE_THRESHOLDS,
    OVERUSE_WARNING,
    MedicationTaken,
)
from migraine_diary.domain.medications import CLASSES, UNCLASSIFIED, class_label
from migraine_diary.render.format import DASH, duration_text, money, one_decimal, plural, share

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

__all__ = [
    "AttackEntry",
    "MonthFigures",
    "ReportData",
    "TherapyFigures",
    "render_html",
    "render_markdown",
]

#: A period needs this many recorded days before migraine days per 28 days are shown
#: (the rule the preventive verdict uses for a 28-day window).
MIN_RECORDED_FOR_RATE = 21
#: Longer notes are cut in the attack table: the report must stay within two pages.
NOTE_CHARACTERS = 60
#: With more attacks than this, the attack table is split in two side-by-side columns.
ATTACKS_PER_COLUMN = 26
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# --- the data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    """One calendar month of the period (only its days inside the period count)."""

    month: str  # YYYY-MM
    days: int  # days of this month inside the period
    migraine_days: int
    recorded_days: int
    medication_days_by_class: Mapping[str, int]  # class -> days with it (a day may have two)
    medication_days: int  # days with any acute medication
    flags: tuple[str, ...] = ()  # classes over their ICHD-3 threshold, plus "multiple"
    overuse_pattern: bool = False  # third flagged month in a row, or one continuing the run

    @property
    def label(self) -> str:
        """``Sep 2026``: month names in English whatever the locale, like the rest."""
        return f"{MONTH_NAMES[int(self.month[5:]) - 1]} {self.month[:4]}"


@dataclass(frozen=True)
class TherapyFigures:
    """What one therapy did in the period, with the n behind every figure."""

    name: str
    sessions: int
    minutes: int
    relief_n: int  # sessions in the relief figures (those that began with pain)
    relief_mean: float | None
    relief_ci: tuple[float, float] | None
    acute: str  # one sentence: relief during attacks and at other times
    preventive: str  # one sentence: migraine days before and during the course
    cost: Decimal
    relief_all_same: bool = False  # every session the same relief: no interval to show


@dataclass(frozen=True)
class AttackEntry:
    """One attack of the period; ``duration`` None while it is still going on."""

    start: datetime
    duration: timedelta | None
    peak: int
    aura: bool
    medications: tuple[MedicationTaken, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, computed beforehand: the renderers only format it."""

    start: date
    end: date
    recorded_days: int
    months: tuple[MonthFigures, ...]
    therapies: tuple[TherapyFigures, ...]
    attacks: tuple[AttackEntry, ...]
    questions: tuple[str, ...]
    generated_at: datetime
    notes: tuple[str, ...] = field(default=())  # caveats about the data, shown as they are

    @property
    def days(self) -> int:
        """Days in the period, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def migraine_days(self) -> int:
        return sum(m.migraine_days for m in self.months)

    @property
    def medication_days(self) -> int:
        return sum(m.medication_days for m in self.months)

    @property
    def migraine_rate(self) -> float | None:
        """Migraine days per 28 recorded days; None with too few recorded days to mean much."""
        recorded = sum(m.recorded_days for m in self.months)
        if recorded < MIN_RECORDED_FOR_RATE:
            return None
        return self.migraine_days / recorded * 28

    @property
    def flagged_months(self) -> int:
        return sum(1 for m in self.months if m.flags)


# --- wording shared by both formats -----------------------------------------------------------


def relief_text(t: TherapyFigures) -> str:
    """Mean relief with its interval and n, or why there is none."""
    n = f"n = {t.relief_n}"
    if t.relief_mean is None:
        return f"not enough data ({n})"
    mean = one_decimal(t.relief_mean)
    if t.relief_ci is not None:
        low, high = t.relief_ci
        return f"{mean} (95% CI {one_decimal(low)} to {one_decimal(high)}, {n})"
    if t.relief_all_same and t.relief_n > 1:
        return f"{mean} in every session ({n})"
    return f"{mean} ({n}, too few for an interval)"


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
        f"{class_label(c)} {d}" for c, d in _ordered_classes(month.medication_days_by_class)
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
    return f"{data.recorded_days} of {data.days} days recorded ({recorded})"


def _ordered_classes(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    def order(item: tuple[str, int]) -> tuple[int, str]:
        name = item[0]
        return (CLASSES.index(name) if name in CLASSES else len(CLASSES), name)

    return sorted(counts.items(), key=order)


DEFINITIONS = (
    "Recorded day: a day with an attack, a treatment session, a check-in or inside a period "
    "declared complete; any other day is unknown, not migraine-free.",
    "Migraine day (the definition of clinical trials): a day touched by an attack of at least "
    "30 minutes or with aura, or on which a triptan, ergot, gepant or ditan was taken.",
    "ICHD-3 8.2 medication-overuse thresholds, per month: triptans, ergots, opioids or "
    "combination analgesics on 10 or more days; simple analgesics on 15 or more; acute "
    "medication of several classes on 10 or more days in total.",
    "Relief: pain before minus pain right after a session, 0-10 scale; sessions that began at "
    "pain 0 are left out. Means with Student-t 95% confidence intervals (CI); n is the number "
    "of sessions behind each figure.",
)


# --- charts -----------------------------------------------------------------------------------

# Okabe-Ito colours: told apart with the common kinds of colour blindness, and in greyscale
# by their order and labels.
CLASS_COLOURS = {
    "triptan": "#0072B2",
    "simple_analgesic": "#E69F00",
    "combination_analgesic": "#CC79A7",
    "opioid": "#D55E00",
    "ergot": "#009E73",
    "gepant": "#56B4E9",
    "ditan": "#8C7A00",
    "other": "#999999",
}
INK = "#222222"
MUTED = "#777777"
ALERT = "#B2182B"
MIGRAINE_COLOUR = "#2F3E75"
RECORDED_COLOUR = "#CBD2E0"
FLAGGED_COLOUR = "#FBE3E1"
# Keeps a figure readable where a threshold line runs through it.
LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 0.4}

# Text stays text in the SVG ('none' rather than 'path'): pdftotext, screen readers and a
# search in the PDF can read the chart labels, the file stays small, and the page's fonts are
# used. Matplotlib lays the text out with DejaVu Sans, which it bundles; browsers that lack it
# fall back to narrower fonts, so labels never grow into each other.
CHART_STYLE: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "migraine-report",  # the same diary gives the same file
    "text.parse_math": False,  # a '$' in a label is a dollar, not mathematics
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 7,
    "axes.edgecolor": MUTED,
    "axes.linewidth": 0.6,
    "xtick.color": INK,
    "ytick.color": MUTED,
    "xtick.major.size": 0,
    "ytick.major.size": 2,
    "ytick.major.width": 0.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
# Inches. Two charts side by side across an A4 or Letter page; the plot areas keep their
# height whatever the legend needs, so a long legend makes the figure taller, not the bars
# shorter.
CHART_WIDTH = 3.55
PLOT_HEIGHT = 1.5
LEGEND_ROW_HEIGHT = 0.125
_TAG = re.compile(r"<[^>]*>")


def _figure(rows: int, months: int) -> Figure:
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    above = 0.08 + LEGEND_ROW_HEIGHT * rows
    below = 0.2 if months <= SHORT_LABELS_AFTER else 0.3
    height = PLOT_HEIGHT + above + below
    figure = Figure(figsize=(CHART_WIDTH, height))
    FigureCanvasSVG(figure)
    figure.subplots_adjust(left=0.075, right=0.99, top=1 - above / height, bottom=below / height)
    return figure


def _svg(figure: Figure, prefix: str, title: str) -> str:
    """The figure as inline SVG for an HTML page: no XML prologue, DOCTYPE or namespace URLs
    (the HTML parser knows <svg>), and ids prefixed so two charts on a page never collide.

    Matplotlib escapes the text it writes (a label ``<script>`` becomes ``&lt;script&gt;``), and
    only tags are rewritten here, so no label can turn into markup.
    """
    from markupsafe import escape

    buffer = io.StringIO()
    figure.savefig(
        buffer,
        format="svg",
        metadata={"Creator": None, "Date": None, "Format": None, "Type": None},
    )
    text = buffer.getvalue()
    svg = text[text.index("<svg") :]

    def tag(match: re.Match[str]) -> str:
        t = match.group(0)
        t = re.sub(r'\s(?:xmlns(?::\w+)?|version)="[^"]*"', "", t)
        t = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', t)
        t = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", t)
        t = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', t)
        if t.startswith("<svg"):
            t = re.sub(r'\s(?:width|height)="[^"]*"', "", t)
            t = t.replace("<svg", f'<svg role="img" aria-label="{escape(title)}"', 1)
        return t

    return _TAG.sub(tag, svg).strip()


#: Up to this many months, the labels are written out (``Sep 2026``, ``29/30 recorded``);
#: beyond it they shrink (``Sep``, the year under January and the first month).
SHORT_LABELS_AFTER = 4


def _month_axis(ax: Any, months: Sequence[MonthFigures]) -> None:
    if len(months) <= SHORT_LABELS_AFTER:
        labels = [m.label for m in months]
    else:
        labels = [
            m.label.replace(" ", "\n") if i == 0 or m.month.endswith("-01") else m.label[:3]
            for i, m in enumerate(months)
        ]
    ax.set_xticks(range(len(months)), labels, fontsize=7 if len(months) <= 8 else 6)
    ax.set_xlim(-0.6, len(months) - 0.4)
    ax.tick_params(axis="x", pad=2)
    ax.tick_params(axis="y", pad=1, labelsize=6)


def _legend(ax: Any, entries: tuple[list[Any], list[str]], columns: int) -> None:
    ax.legend(
        *entries,
        loc="lower left",
        bbox_to_anchor=(0, 1.03),
        ncol=columns,
        frameon=False,
        fontsize=6.5,
        handlelength=1.1,
        handletextpad=0.4,
        borderaxespad=0,
        columnspacing=1.0,
    )


def _classes_used(months: Sequence[MonthFigures]) -> list[str]:
    used = {c: 1 for m in months for c in m.medication_days_by_class}
    return [c for c, _ in _ordered_classes(used)]


def _legend_columns(months: Sequence[MonthFigures]) -> int:
    return 2 if len(_classes_used(months)) <= 3 else 3


def legend_rows(months: Sequence[MonthFigures]) -> int:
    """Rows of the medication legend (any class, each class, two limits): both charts keep
    that much room above them, so their plot areas line up side by side."""
    return -(-(len(_classes_used(months)) + 3) // _legend_columns(months))


def migraine_chart(months: Sequence[MonthFigures], rows: int = 1) -> str:
    """Migraine days per month, over the recorded days and the days of the month in the period
    (``rows``: legend rows to leave room for, to line up with the medication chart)."""
    import matplotlib

    with matplotlib.rc_context(CHART_STYLE):
        figure = _figure(rows, len(months))
        ax = figure.add_subplot()
        x = range(len(months))
        ax.bar(
            x,
            [m.days for m in months],
            0.66,
            color="white",
            edgecolor="#9AA3B5",
            linewidth=0.6,
            label="days in period",
        )
        ax.bar(
            x, [m.recorded_days for m in months], 0.66, color=RECORDED_COLOUR, label="recorded days"
        )
        ax.bar(
            x, [m.migraine_days for m in months], 0.4, color=MIGRAINE_COLOUR, label="migraine days"
        )
        few = len(months) <= SHORT_LABELS_AFTER
        for i, m in enumerate(months):
            ax.text(
                i,
                m.migraine_days + 0.5,
                str(m.migraine_days),
                ha="center",
                va="bottom",
                fontsize=8 if few else 6.5,
                fontweight="bold",
                color=MIGRAINE_COLOUR,
            )
            if len(months) <= 2 * SHORT_LABELS_AFTER:
                words = f"{m.recorded_days}/{m.days}" + (" recorded" if few else "")
                ax.text(i, m.days + 0.5, words, ha="center", va="bottom", fontsize=6, color=MUTED)
        ax.set_ylim(0, 35)
        ax.set_yticks([0, 10, 20, 30])
        _month_axis(ax, months)
        _legend(ax, ax.get_legend_handles_labels(), 3)
        return _svg(figure, "mig", "Migraine days per month, with recorded days")


def medication_chart(months: Sequence[MonthFigures]) -> str:
    """Acute-medication days per month by class, the ICHD-3 thresholds drawn, flagged months
    shaded and marked."""
    import matplotlib
    from matplotlib.lines import Line2D
    from matplotlib.ticker import MaxNLocator

    classes = _classes_used(months)
    few = len(months) <= SHORT_LABELS_AFTER
    with matplotlib.rc_context(CHART_STYLE):
        figure = _figure(legend_rows(months), len(months))
        ax = figure.add_subplot()
        top = max([18, *(m.medication_days + 5 for m in months)])
        x = list(range(len(months)))
        for i, m in enumerate(months):
            if m.flags:
                ax.axvspan(i - 0.5, i + 0.5, color=FLAGGED_COLOUR, zorder=0, lw=0)
                if m.overuse_pattern:
                    mark = "MOH pattern" if few else "MOH"
                else:
                    mark = "over limit" if few else "over"
                ax.text(
                    i,
                    top - 0.4,
                    mark,
                    ha="center",
                    va="top",
                    fontsize=6.5 if few else 5,
                    color=ALERT,
                    fontweight="bold",
                )
        ax.bar(
            x,
            [m.medication_days for m in months],
            0.84,
            color="white",
            edgecolor=INK,
            linewidth=0.7,
            label="any class",
            zorder=2,
        )
        width = 0.76 / max(len(classes), 1)
        for k, med_class in enumerate(classes):
            offset = -0.38 + width * (k + 0.5)
            heights = [m.medication_days_by_class.get(med_class, 0) for m in months]
            ax.bar(
                [i + offset for i in x],
                heights,
                width * 0.9,
                zorder=3,
                color=CLASS_COLOURS.get(med_class, "#444444"),
                label=class_label(med_class),
            )
        for i, m in enumerate(months):
            ax.text(
                i,
                m.medication_days + 0.3,
                str(m.medication_days),
                ha="center",
                va="bottom",
                fontsize=7.5 if few else 6,
                fontweight="bold",
                color=INK,
                zorder=5,
                bbox=LABEL_BOX,
            )
        handles, labels = ax.get_legend_handles_labels()
        for limit, dashes, words in (
            (10, (0, (4, 2)), "ICHD-3 limit: 10 days"),
            (15, (0, (1, 1.2)), "15 days for simple analgesics"),
        ):
            ax.axhline(limit, color=ALERT, lw=0.9, ls=dashes, zorder=4)
            handles.append(Line2D([], [], color=ALERT, lw=0.9, ls=dashes))
            labels.append(words)
        ax.set_ylim(0, top)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        _month_axis(ax, months)
        _legend(ax, (handles, labels), _legend_columns(months))
        return _svg(figure, "med", "Acute-medication days per month by class, ICHD-3 thresholds")


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
            KeyFigure(str(data.migraine_days), "migraine days", f"of {recorded} recorded{per}")
        )
        figures.append(
            KeyFigure(str(data.medication_days), "acute-medication days", f"of {recorded} recorded")
        )
        figures.append(
            KeyFigure(
                f"{data.flagged_months} of {len(data.months)}",
                "months over an ICHD-3 limit",
                "medication-overuse thresholds",
            )
        )
    if data.attacks:
        aura = sum(1 for a in data.attacks if a.aura)
        figures.append(KeyFigure(str(len(data.attacks)), "attacks", f"{aura} with aura"))
    if data.therapies:
        sessions = sum(t.sessions for t in data.therapies)
        cost = sum((t.cost for t in data.therapies), Decimal(0))
        figures.append(
            KeyFigure(
                str(sessions),
                "treatment sessions",
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


def render_html(data: ReportData) -> str:
    """A self-contained page for print: inline CSS and SVG, no script, no external resource."""
    import jinja2
    from markupsafe import Markup

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("migraine_diary.render", "templates"),
        autoescape=True,  # diary text (therapy names, notes, questions) is shown as typed
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
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
        charts=charts,
        key_figures=key_figures(data),
        attack_rows=attack_rows(data.attacks),
        attack_notes=any(a.notes.strip() for a in data.attacks),
        overuse_warning=OVERUSE_WARNING if any(m.overuse_pattern for m in data.months) else None,
        definitions=DEFINITIONS,
        version=__version__,
        period=period_text(data),
        recorded=recorded_text(data),
        local=_local,
        relief_text=relief_text,
        flag_text=flag_text,
        classes_text=classes_text,
        medication_text=medication_text,
        duration_text=duration_text,
        short_note=short_note,
        money=money,
    )


# Only what can make markup or break a table: the text must still read well when a portal
# shows Markdown as plain text.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LIST_NUMBER = re.compile(r"^(\d+)([.)])(?=\s|$)")


def md(text: str) -> str:
    """Diary text made inert in Markdown: one line, every markup character escaped (so a
    portal that turns Markdown into HTML shows ``<script>`` as text, and a ``|`` stays in its
    table cell)."""
    escaped = _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    # A cell or list item that starts like a heading, list or quote would become one.
    escaped = _MD_LIST_NUMBER.sub(r"\1\\\2", escaped)
    return "\\" + escaped if escaped[:1] in ("#", "+", "-", "=") else escaped


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("---:" if i in right else "---" for i in range(len(header))) + "|")
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def render_markdown(data: ReportData) -> str:
    """The same content as plain Markdown tables and lists, for a patient portal's message box."""
    out = [
        "# Migraine diary report",
        "",
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
                f"  - Acute: {md(t.acute)}",
                f"  - Preventive: {md(t.preventive)}",
            ]
    else:
        out.append("No treatment sessions in this period.")
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
