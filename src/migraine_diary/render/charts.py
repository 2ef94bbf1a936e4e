"""The report's two charts, migraine days and acute-medication days per month, as inline SVG.

matplotlib is imported inside the chart functions only, so importing this module stays cheap.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from migraine_diary.analysis.report import MonthFigures, ordered_classes
from migraine_diary.domain.medications import class_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

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
        labels = [m.name if m.complete else f"{m.name}\n{_partial(m)}" for m in months]
    else:
        labels = [
            m.name.replace(" ", "\n") if i == 0 or m.month.endswith("-01") else m.name[:3]
            for i, m in enumerate(months)
        ]
    ax.set_xticks(range(len(months)), labels, fontsize=7 if len(months) <= 8 else 6)
    ax.set_xlim(-0.6, len(months) - 0.4)
    ax.tick_params(axis="x", pad=2)
    ax.tick_params(axis="y", pad=1, labelsize=6)


def _partial(month: MonthFigures) -> str:
    return ("so far, " if month.so_far else "") + f"{month.days} d"


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
    return [c for c, _ in ordered_classes(used)]


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
                # Above the bar and clear of the migraine count, even for a one-day month.
                top = max(m.days, m.migraine_days + 4)
                ax.text(i, top + 0.5, words, ha="center", va="bottom", fontsize=6, color=MUTED)
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
