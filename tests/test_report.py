"""The doctor's report: figures in, HTML and Markdown out; and printed in a real browser."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import html5lib
import pytest
from typer.testing import CliRunner

from conftest import Cli, fingerprint, from_template, private_environment, typed_once
from migraine_diary.analysis.report import AttackEntry, MonthFigures, ReportData, TherapyFigures
from migraine_diary.analysis.stats import ReliefEstimate
from migraine_diary.cli.app import app
from migraine_diary.domain.dates import current_day
from migraine_diary.domain.days import OVERUSE_WARNING, MedicationTaken
from migraine_diary.render.report import (
    acute_sentence,
    attack_rows,
    duration_text,
    md,
    recorded_text,
    relief_text,
    render_html,
    render_markdown,
)

# The command's tests read the diary on both engines; the rest are about rendering (and the
# Chromium ones take no `cli`), so they run once.
pytestmark = pytest.mark.both_engines

BERLIN = ZoneInfo("Europe/Berlin")
SCRIPT_NAME = "craniosacral <script>alert(1)</script>"
SVG_NAME = "</svg><b>acupuncture</b>"
SCRIPT_NOTE = "<script>alert('note')</script> woke up with it"
HOSTILE_QUESTION = "Is craniosacral therapy worth continuing? <script>x</script>"


def relief(
    n: int, mean: float | None, ci: tuple[float, float] | None = None, *, all_same: bool = False
) -> ReliefEstimate:
    """A relief estimate as the report shows it: n, mean, interval (the median is not shown)."""
    return ReliefEstimate(n, mean, ci, mean, None, all_same)


def sample_report(**changes: Any) -> ReportData:
    """Three months of a diary: an overuse run (flagged every month, the pattern in the
    third), a baseline month before a course, a course, and hostile names."""
    months = (
        MonthFigures(
            "2026-08", 31, 9, 29, {"triptan": 11, "simple_analgesic": 6}, 14,
            ("triptan", "multiple"),
        ),
        MonthFigures(
            "2026-09", 30, 8, 30, {"triptan": 12, "simple_analgesic": 4}, 13,
            ("triptan", "multiple"),
        ),
        MonthFigures(
            "2026-10", 31, 5, 27,
            {"triptan": 10, "simple_analgesic": 16, "combination_analgesic": 2}, 17,
            ("triptan", "simple_analgesic", "multiple"), overuse_pattern=True,
        ),
    )  # fmt: skip
    therapies = (
        TherapyFigures(
            SCRIPT_NAME, 7, 255, 7, 0.428571, (-0.065779, 0.922922),
            (relief(1, 1.0), relief(6, 0.3, (-0.2, 0.9))),
            "Inconclusive: migraine days fell from 9.3 to 8.0 per 28 days (-14%), but the weekly "
            "counts put the change between -3.1 and 0.4 migraine days per 28 days, which "
            "includes no change, so it could be chance.",
            Decimal("510.00"),
        ),
        TherapyFigures(
            SVG_NAME, 8, 480, 8, 1.625, (0.8, 2.45),
            (relief(4, 2.0, (0.7, 3.3)), relief(4, 1.3, (0.1, 2.4))),
            "Not enough diary before the course: the baseline window (2026-06-03 to 2026-06-30) "
            "has 4 recorded days of the 21 needed.",
            Decimal("680.00"),
        ),
        TherapyFigures(
            "physiotherapy", 4, 180, 3, 1.0, None,
            (relief(0, None), relief(3, 1.0, all_same=True)),
            "Too early to tell: the treatment window (2026-11-10 to 2026-12-07), the course's "
            "second month, has not ended yet.",
            Decimal("280.00"), relief_all_same=True,
        ),
    )  # fmt: skip
    attacks = []
    start = dt.datetime(2026, 8, 2, 14, 0, tzinfo=BERLIN)
    for i in range(22):
        meds: tuple[MedicationTaken, ...] = (MedicationTaken("sumatriptan 50mg", "triptan"),)
        if i % 3 == 0:
            meds += (MedicationTaken("</svg>ibuprofen 400", "simple_analgesic"),)
        if i == 5:
            meds = (MedicationTaken("mystery drops", None),)
        attacks.append(
            AttackEntry(
                start=start + dt.timedelta(days=4 * i, hours=(i * 5) % 9),
                duration=None if i == 21 else dt.timedelta(hours=3 + i % 20, minutes=15 * (i % 4)),
                peak=4 + i % 6,
                aura=i % 5 == 0,
                medications=meds,
                notes=SCRIPT_NOTE if i == 3 else "",
            )
        )
    data = ReportData(
        start=dt.date(2026, 8, 1),
        end=dt.date(2026, 10, 31),
        recorded_days=86,
        months=months,
        therapies=therapies,
        attacks=tuple(attacks),
        questions=(
            "Is my triptan use over the limit, and what should I do instead?",
            HOSTILE_QUESTION,
        ),
        generated_at=dt.datetime(2026, 11, 1, 9, 30, tzinfo=BERLIN),
    )
    return dataclasses.replace(data, **changes)


# Figures the printed page must hold, as text (chart labels included: the SVG keeps its text).
KEY_FIGURES = (
    "86 of 92 days recorded (93%)",
    "migraine days",
    "of 86 recorded; 7.2 per 28 days",
    "3 of 3",
    "over: triptan 11 d (limit 10); several classes 14 d (limit 10)",
    "simple analgesic 16 d (limit 15)",
    "3rd month in a row or more",
    OVERUSE_WARNING,
    SCRIPT_NAME,
    "0.4 (95% CI -0.1 to 0.9, n = 7)",
    "1.6 (95% CI 0.8 to 2.5, n = 8)",
    "1.0 in every session (n = 3)",
    "510.00",
    "Inconclusive: migraine days fell from 9.3 to 8.0 per 28 days (-14%)",
    "Attacks (22)",
    "Questions for my doctor",
    HOSTILE_QUESTION,
    "MOH pattern",  # a chart label
)


def external_references(html: str) -> list[str]:
    """Anything that would make a browser fetch something: URLs, protocol-relative links,
    url() to anything but a fragment or data:, @import."""
    found = re.findall(r"[a-z][a-z0-9+.-]*://", html, re.IGNORECASE)
    found += re.findall(r"""\b(?:src|href|srcset|action|poster)\s*=\s*["']?//""", html, re.I)
    for attribute in re.findall(r"""\b(?:src|href)\s*=\s*["']?([^"'\s>]*)""", html, re.I):
        if not attribute.startswith(("#", "data:")):
            found.append(attribute)
    for target in re.findall(r"""url\(\s*["']?([^"')]*)""", html, re.IGNORECASE):
        if not target.startswith(("#", "data:")):
            found.append(f"url({target})")
    found += re.findall(r"@import", html, re.IGNORECASE)
    return found


def tree(html: str) -> Any:
    return html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)


def local_name(element: Any) -> str:
    tag: str = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def text_of(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


# --- the HTML ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(sample_report())


def test_html_parses_cleanly_in_strict_mode(html: str) -> None:
    html5lib.HTMLParser(strict=True).parse(html)
    assert html.startswith("<!DOCTYPE html>")


def test_html_has_no_external_resource_and_no_script(html: str) -> None:
    assert external_references(html) == []
    assert re.search(r"<script|<link|<iframe|<img|<object|<embed", html, re.I) is None
    assert re.search(r"""\son[a-z]+\s*=""", html, re.I) is None  # no event handlers
    assert "<style>" in html  # the CSS is inline
    assert html.count("<svg") == 2  # both charts inline


def test_the_reference_checker_catches_what_it_must() -> None:
    """The no-URL test above is only as good as this detector."""
    page = (
        '<a href="https://x.org">a</a><img src="//cdn.x/y.png"><link href="style.css">'
        "<style>@import 'a.css'; b { background: url(https://x/y) } i { mask: url(#ok) }</style>"
    )
    found = external_references(page)
    assert "https://" in found
    assert "style.css" in found
    assert "url(https://x/y)" in found
    assert "@import" in found
    assert not any("#ok" in f for f in found)


def test_therapy_names_notes_and_questions_show_as_text(html: str) -> None:
    root = tree(html)
    elements = list(root.iter())
    assert not [e for e in elements if local_name(e) == "script"]
    assert [local_name(e) for e in elements].count("svg") == 2  # '</svg>' in a name closed none
    names = [text_of(e) for e in elements if e.get("class") == "name"]
    assert names == [SCRIPT_NAME, SVG_NAME, "physiotherapy"]
    bold = [text_of(e) for e in elements if local_name(e) == "b"]
    assert "acupuncture" not in bold  # the <b> in the name is not markup
    page = text_of(root)
    assert SCRIPT_NOTE in page
    assert HOSTILE_QUESTION in page
    assert "</svg>ibuprofen 400 (simple analgesic)" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_chart_labels_from_the_data_are_escaped_by_matplotlib() -> None:
    """A class name reaches the chart legend as SVG text: it must stay text too."""
    hostile = "<b>x</b></svg><script>alert(2)</script>"
    data = sample_report()
    month = dataclasses.replace(data.months[0], medication_days_by_class={hostile: 3})
    page = render_html(dataclasses.replace(data, months=(month, *data.months[1:])))
    html5lib.HTMLParser(strict=True).parse(page)
    root = tree(page)
    assert not [e for e in root.iter() if local_name(e) == "script"]
    svg_texts = [text_of(e) for e in root.iter() if local_name(e) == "text"]
    assert hostile in svg_texts  # the legend label, as text inside the SVG
    assert "&lt;b&gt;x&lt;/b&gt;&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page


def test_html_holds_the_key_figures_as_text(html: str) -> None:
    page = text_of(tree(html))
    for figure in KEY_FIGURES:
        assert figure in page, figure


def test_every_id_is_unique_and_every_reference_resolves(html: str) -> None:
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)) > 10
    references = set(re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', html))
    for target in {t for pair in references for t in pair if t}:
        assert target in ids


def test_print_layout_rules(html: str) -> None:
    assert "@page" in html
    assert "break-inside: avoid" in html
    assert "counter(pages)" in html  # "page 1 of 2" in the footer


def test_the_same_figures_give_the_same_file() -> None:
    assert render_html(sample_report()) == render_html(sample_report())


def test_an_empty_period_still_renders() -> None:
    data = sample_report(months=(), therapies=(), attacks=(), questions=(), recorded_days=0)
    page = render_html(data)
    html5lib.HTMLParser(strict=True).parse(page)
    text = text_of(tree(page))
    assert "0 of 92 days recorded (0%)" in text
    assert "No treatment sessions in this period." in text
    assert "<svg" not in page
    assert 'class="blank"' in page  # room to write questions by hand


def test_without_medication_only_the_migraine_chart_is_drawn() -> None:
    data = sample_report()
    months = tuple(
        dataclasses.replace(
            m, medication_days_by_class={}, medication_days=0, flags=(), overuse_pattern=False
        )
        for m in data.months
    )
    page = render_html(dataclasses.replace(data, months=months))
    assert page.count("<svg") == 1
    assert "No acute medication recorded in this period." in text_of(tree(page))


def test_a_long_attack_list_is_set_in_two_columns_of_one_table() -> None:
    data = sample_report()
    many = data.attacks * 2
    rows = attack_rows(many)
    assert len(rows) == 22
    assert rows[0] == (many[0], many[22])
    assert [len(r) for r in attack_rows(many[:27])][-1] == 1  # odd count: last row alone
    page = render_html(dataclasses.replace(data, attacks=many))
    html5lib.HTMLParser(strict=True).parse(page)
    assert page.count('<table class="attack-table">') == 1
    assert "Attacks (44)" in page


# --- wording ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (dt.timedelta(minutes=45), "45 min"),
        (dt.timedelta(hours=5, minutes=30), "5 h 30 min"),
        (dt.timedelta(hours=3), "3 h"),
        (dt.timedelta(days=1, hours=2, minutes=15), "1 d 2 h 15 min"),
        (None, "ongoing"),
    ],
)
def test_duration_text(duration: dt.timedelta | None, text: str) -> None:
    assert duration_text(duration) == text


def test_relief_text_says_its_n_and_why_an_interval_is_missing() -> None:
    base = sample_report().therapies[0]
    assert relief_text(base) == "0.4 (95% CI -0.1 to 0.9, n = 7)"
    two = dataclasses.replace(base, relief_n=2, relief_mean=1.5, relief_ci=None)
    assert relief_text(two) == "1.5 (n = 2, too few for an interval)"
    none = dataclasses.replace(base, relief_n=0, relief_mean=None, relief_ci=None)
    assert relief_text(none) == "not enough data (n = 0)"


def test_acute_sentence_gives_both_reliefs_with_their_n() -> None:
    first, second, _ = sample_report().therapies
    assert acute_sentence(first) == (
        "During attacks: mean relief 1.0 (n = 1, too few for an interval); at other times: "
        "mean relief 0.3 (95% CI -0.2 to 0.9, n = 6)."
    )
    assert acute_sentence(second) == (
        "During attacks: mean relief 2.0 (95% CI 0.7 to 3.3, n = 4); at other times: mean "
        "relief 1.3 (95% CI 0.1 to 2.4, n = 4)."
    )


def test_recorded_text() -> None:
    assert recorded_text(sample_report()) == "86 of 92 days recorded (93%)"


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_holds_the_key_figures() -> None:
    text = render_markdown(sample_report())
    lines = text.splitlines()
    assert lines[0] == "# Migraine diary report"
    assert "Period: 2026-08-01 to 2026-10-31 (92 days); 86 of 92 days recorded (93%)." in lines
    assert "- 22 migraine days (of 86 recorded; 7.2 per 28 days)" in lines
    assert (
        "| Aug 2026 | 31 | 29 | 9 | 14 | triptan 11, simple analgesic 6 "
        "| triptan 11 d (limit 10); several classes 14 d (limit 10) |"
    ) in lines
    assert (
        "| Oct 2026 | 31 | 27 | 5 | 17 | triptan 10, simple analgesic 16, combination analgesic 2 "
        "| triptan 10 d (limit 10); simple analgesic 16 d (limit 15); several classes 17 d "
        "(limit 10) (3rd month in a row or more) |"
    ) in lines
    assert f"> {OVERUSE_WARNING}" in lines
    assert (
        "| craniosacral \\<script\\>alert(1)\\</script\\> | 7 | 255 "
        "| 0.4 (95% CI -0.1 to 0.9, n = 7) | 510.00 |"
    ) in lines
    assert "2. Is craniosacral therapy worth continuing? \\<script\\>x\\</script\\>" in lines
    acute = "During attacks: no sessions; at other times: relief 1.0 in every session (n = 3)."
    assert f"  - Acute: {acute}" in lines
    assert "## Attacks (22)" in lines
    assert (
        "| 2026-08-14 | 20:00 | 6 h 45 min | 7 | no "
        "| sumatriptan 50mg (triptan); \\</svg\\>ibuprofen 400 (simple analgesic) "
        "| \\<script\\>alert('note')\\</script\\> woke up with it |"
    ) in lines


def test_markdown_has_no_html() -> None:
    text = render_markdown(sample_report())
    assert re.search(r"(?<!\\)<", text) is None  # every < escaped: a portal shows it as text
    assert re.search(r"(?<!\\)>", text.replace("\n> ", "\n")) is None  # only the quote marker


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a | b", "a \\| b"),
        ("<script>", "\\<script\\>"),
        ("# not a heading", "\\# not a heading"),
        ("- not a list", "\\- not a list"),
        ("1. not a list", "1\\. not a list"),
        ("*bold* and _it_ [link](x)", "\\*bold\\* and \\_it\\_ \\[link\\](x)"),
        ("two\nlines", "two lines"),
        ("2.5 mg (morning)", "2.5 mg (morning)"),  # plain text stays readable
    ],
)
def test_markdown_escaping(text: str, escaped: str) -> None:
    assert md(text) == escaped


# --- the command ------------------------------------------------------------------------------

PAST_SINCE, PAST_UNTIL = "2025-03-01", "2025-05-31"


@pytest.fixture(scope="module")
def kept_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Mar-May 2025 kept completely: two March attacks (one short with aura), eleven triptan
    days in April, an unclassified medicine in May, and a craniosacral course in May. Built
    once; each test gets a copy."""
    return typed_once(tmp_path_factory.mktemp("kept"), _kept_course)


def _kept_course(cli: Cli) -> None:
    cli.ok("kept", PAST_SINCE, PAST_UNTIL)
    cli.ok("attack", "log", "--when", "2025-03-10 10:00", "--hours", "5", "--peak", "6",
           "--med", "ibuprofen 400")  # fmt: skip
    cli.ok("attack", "log", "--when", "2025-03-20 10:00", "--until", "2025-03-20 10:15",
           "--peak", "3", "--aura")  # fmt: skip
    for day in range(1, 12):
        cli.ok("attack", "log", "--when", f"2025-04-{day:02d} 08:00", "--hours", "3",
               "--peak", "7", "--med", "sumatriptan 50mg")  # fmt: skip
    cli.ok("attack", "log", "--when", "2025-05-05 09:00", "--hours", "4", "--peak", "5",
           "--med", "mystery drops", "--notes", SCRIPT_NOTE)  # fmt: skip
    cli.log("craniosacral", when="2025-05-06 16:30", cost=90)
    cli.log("craniosacral", when="2025-05-08 16:30", cost=90)
    cli.log("craniosacral", when="2025-05-12 16:30", minutes=30, pain_after=5, cost=60,
            attack=True)  # fmt: skip
    cli.log(SVG_NAME, when="2024-01-10 10:00", cost=50)  # outside the period: not shown


@pytest.fixture
def kept_diary(kept_template: Path, cli: Cli) -> Cli:
    """The test's diary holding the kept template."""
    return from_template(cli, kept_template)


@pytest.fixture
def small_diary(cli: Cli) -> Cli:
    cli.log("craniosacral", when="yesterday 16:30", cost=90)
    return cli


def test_build_report_from_a_diary(kept_diary: Cli) -> None:
    from migraine_diary.diary.files import open_for
    from migraine_diary.diary.report import build_report

    diary = open_for(str(kept_diary.db_path), write=False).diary
    data = build_report(
        diary,
        dt.date(2025, 3, 1),
        dt.date(2025, 5, 31),
        ["Triptans?"],
        current_day(),
    )
    # 12 May: a session during an attack with no attack record is left out of the recorded days
    assert (data.days, data.recorded_days) == (92, 91)
    assert [
        (m.month, m.days, m.recorded_days, m.migraine_days, dict(m.medication_days_by_class),
         m.medication_days, m.flags, m.overuse_pattern)
        for m in data.months
    ] == [
        ("2025-03", 31, 31, 2, {"simple_analgesic": 1}, 1, (), False),
        ("2025-04", 30, 30, 11, {"triptan": 11}, 11, ("triptan",), False),
        ("2025-05", 31, 30, 1, {"unclassified": 1}, 1, (), False),
    ]  # fmt: skip
    (therapy,) = data.therapies
    assert (therapy.name, therapy.sessions, therapy.minutes, therapy.cost) == (
        "craniosacral", 3, 120, Decimal("240.00")
    )  # fmt: skip
    assert therapy.relief_n == 3
    assert therapy.relief_mean == pytest.approx(2 / 3)
    assert acute_sentence(therapy) == (
        "During attacks: mean relief 0.0 (n = 1, too few for an interval); "
        "at other times: relief 1.0 in every session (n = 2)."
    )
    assert therapy.preventive == (
        "Not enough diary during the course: the treatment window (2025-06-03 to 2025-06-30) "
        "has only 0 recorded days of the 21 needed."
    )
    assert len(data.attacks) == 14
    first = data.attacks[0]
    assert (first.start.astimezone(BERLIN).isoformat(), first.duration, first.peak) == (
        "2025-03-10T10:00:00+01:00", dt.timedelta(hours=5), 6
    )  # fmt: skip
    assert data.attacks[-1].notes == SCRIPT_NOTE
    assert data.questions == ("Triptans?",)
    assert any("mystery drops" in note for note in data.notes)


def test_report_writes_a_private_html_file(kept_diary: Cli, tmp_path: Path) -> None:
    out = tmp_path / "visit.html"
    result = kept_diary.ok("report", "--since", PAST_SINCE, "--until", PAST_UNTIL,
                           "--output", str(out), "--question", HOSTILE_QUESTION)  # fmt: skip
    assert result.stdout == ""
    assert result.stderr == (
        f"Wrote the report for {PAST_SINCE} to {PAST_UNTIL} to {out} (1 therapy, 14 attacks).\n"
    )
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    page = out.read_text()
    html5lib.HTMLParser(strict=True).parse(page)
    assert external_references(page) == []
    text = text_of(tree(page))
    assert "91 of 92 days recorded (99%)" in text
    assert "over: triptan 11 d (limit 10)" in text
    assert HOSTILE_QUESTION in text
    assert SCRIPT_NOTE in text


def test_report_default_file_name_and_markdown_on_standard_output(
    kept_diary: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    kept_diary.ok("report")
    today = current_day().isoformat()
    assert (tmp_path / f"migraine-report-{today}.html").is_file()
    result = kept_diary.ok("report", "--format", "md", "--since", PAST_SINCE,
                           "--until", PAST_UNTIL)  # fmt: skip
    assert result.stdout.startswith("# Migraine diary report\n")
    assert "| Apr 2025 | 30 | 30 | 11 | 11 | triptan 11 | triptan 11 d (limit 10) |" in (
        result.stdout
    )
    assert result.stderr == ""


@pytest.mark.sqlite_only  # the browser; the report on PostgreSQL: the tests above
def test_report_open_uses_the_web_browser(
    small_diary: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    out = tmp_path / "visit.html"
    small_diary.ok("report", "--output", str(out), "--open")
    assert opened == [out.resolve().as_uri()]


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["--format", "pdf"], "format must be html or md (got pdf)", 2),
        (["--format", "md", "--open"], "--open works with --format html only", 2),
        (["--since", "2025-13-01"], "since must be a date such as 2026-11-20, today or "
         "yesterday (got 2025-13-01)", 2),
        (["--since", "2025-05-02", "--until", "2025-05-01"],
         "since must be on or before until (got 2025-05-02 after 2025-05-01)", 2),
        (["--until", "2199-01-01"], "until must be today or a day before it (got 2199-01-01)", 2),
        (
            ["--until", "2999-01-01"],
            "until must be a date from 1900-01-01 to 2199-12-31 (got 2999-01-01)",
            2,
        ),
        (["--question", "  "], "question must be text of 1 to 300 characters (got '  ')", 2),
    ],
)  # fmt: skip
@pytest.mark.sqlite_only  # input refused before any diary is opened
def test_report_refuses_bad_input_and_writes_nothing(
    small_diary: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
    code: int,
) -> None:
    monkeypatch.chdir(tmp_path)
    before = fingerprint(small_diary.db_path)
    result = small_diary("report", *args)
    assert (result.exit_code, result.stderr) == (code, f"migraine: error: {message}\n")
    assert result.stdout == ""
    assert list(tmp_path.glob("*.html")) == []
    assert fingerprint(small_diary.db_path) == before


@pytest.mark.sqlite_only  # a diary file not there yet
def test_report_without_a_diary_says_so_and_creates_nothing(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "visit.html"
    result = cli("report", "--output", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        f"migraine: error: there is no diary at {cli.db_path} yet; "
        "log a session or an attack first\n"
    )
    assert not out.exists()
    assert not cli.db_path.exists()


def test_report_help_stays_light() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from migraine_diary.cli.app import app\n"
        "r = CliRunner().invoke(app, ['report', '--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "assert 'Example:' in r.output\n"
        "heavy = [m for m in ('matplotlib', 'jinja2', 'sqlalchemy', 'scipy',"
        " 'migraine_diary.render.report', 'migraine_diary.diary.report') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- in a real browser ------------------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    pdf: Path
    text: str  # pdftotext, whitespace collapsed
    pages: int
    page_size: str
    png: Path


CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    tools = [shutil.which(t) for t in ("pdftotext", "pdfinfo", "pdftoppm")]
    if found is None or None in tools:
        pytest.skip("chromium not installed: apt-get install chromium poppler-utils")
    return found


def _read(pdf: Path) -> Printed:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    fields = dict(line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    png = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                    str(pdf), str(png)], check=True)  # fmt: skip
    return Printed(
        pdf, " ".join(text.split()), int(fields["Pages"]), fields["Page size"].strip(),
        png.with_suffix(".png"),
    )  # fmt: skip


LONG_NAME = "x" * 100  # the longest therapy name allowed, with no space to break at
LONG_QUESTION = "q" * 300  # the longest question allowed, with no space to break at


def long_words_report() -> ReportData:
    """The sample report with the longest unbroken words a user can give."""
    data = sample_report()
    therapies = (dataclasses.replace(data.therapies[0], name=LONG_NAME), *data.therapies[1:])
    return dataclasses.replace(data, therapies=therapies, questions=(LONG_QUESTION,))


# The Chromium tests share one module fixture; on one worker it runs once, not once a worker.
one_chromium = pytest.mark.xdist_group("chromium")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Printed]:
    """One Chromium run per page, all at once: the sample report on Letter (Chromium's
    default paper), on A4 and with the longest unbroken words allowed, and `migraine demo`
    followed by `migraine report`."""
    chromium = _chromium()
    root = tmp_path_factory.mktemp("chromium")
    home = root / "home"
    with private_environment(home):
        pages = {"letter": root / "letter.html", "a4": root / "a4.html"}
        html = render_html(sample_report())
        pages["letter"].write_text(html)
        pages["a4"].write_text(html.replace("@page {", "@page { size: A4;", 1))
        pages["long"] = root / "long.html"
        pages["long"].write_text(render_html(long_words_report()))
        runner = CliRunner()
        diary = root / "demo.db"
        pages["demo"] = root / "visit.html"
        result = runner.invoke(app, ["demo", "--db", str(diary)])
        assert result.exit_code == 0, result.output
        result = runner.invoke(app, ["--db", str(diary), "report", "--output",
                                     str(pages["demo"])])  # fmt: skip
        assert result.exit_code == 0, (result.stdout, result.stderr)
        runs = {}
        for name, page in pages.items():
            command = [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={root / ('profile-' + name)}",
                f"--print-to-pdf={page.with_suffix('.pdf')}",
                page.as_uri(),
            ]
            runs[name] = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        try:
            for name, run in runs.items():
                _, errors = run.communicate(timeout=120)
                assert run.returncode == 0, errors[-2000:]
                assert pages[name].with_suffix(".pdf").is_file(), errors[-2000:]
        finally:
            for run in runs.values():  # only our own processes, and only if still running
                if run.poll() is None:
                    run.kill()
                    run.wait()
        found = {name: _read(page.with_suffix(".pdf")) for name, page in pages.items()}
    return found


@one_chromium
def test_chromium_prints_the_report_on_at_most_two_pages(printed: dict[str, Printed]) -> None:
    assert printed["letter"].page_size.endswith("(letter)")
    assert printed["a4"].page_size.endswith("(A4)")
    for paper in ("letter", "a4"):
        assert 1 <= printed[paper].pages <= 2, paper


@one_chromium
def test_chromium_pdf_holds_the_key_figures(printed: dict[str, Printed]) -> None:
    for paper in ("letter", "a4"):
        for figure in KEY_FIGURES:
            assert figure in printed[paper].text, (paper, figure)
    assert "page 1 of 2" in printed["letter"].text  # the footer counts the pages


@one_chromium
def test_chromium_first_page_screenshot(printed: dict[str, Printed]) -> None:
    png = printed["letter"].png.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (510, 660)  # Letter at 60 dpi
    assert len(png) > 20_000  # a page with charts and tables, not a blank one


@one_chromium
def test_chromium_prints_the_demo_report(printed: dict[str, Printed]) -> None:
    """`migraine demo` then `migraine report --output visit.html`: what a new user hands over."""
    demo = printed["demo"]
    assert 1 <= demo.pages <= 2
    for figure in (
        "Migraine diary report",
        "days recorded",
        "migraine days",
        "Migraine days and acute medication per month",
        "Treatments tried",
        "craniosacral",
        "0.4 (95% CI -0.2 to 1.1, n = 7)",
        "510.00",
        "Questions for my doctor",
    ):
        assert figure in demo.text, figure


@one_chromium
def test_chromium_wraps_long_unbroken_words_inside_their_cells(
    printed: dict[str, Printed],
) -> None:
    """A 100-character therapy name and a 300-character question without spaces wrap inside
    their cells: every column stays on the page and the report stays within two pages."""
    long = printed["long"]
    assert 1 <= long.pages <= 2
    boxes = subprocess.run(["pdftotext", "-bbox", str(long.pdf), "-"], capture_output=True,
                           text=True, check=True).stdout  # fmt: skip
    right_edge = float(long.page_size.split()[0]) - 12 / 25.4 * 72  # the page less its margin
    rightmost = max(float(x) for x in re.findall(r'xMax="([0-9.]+)"', boxes))
    assert rightmost <= right_edge + 1, (rightmost, right_edge)
    for heading in ("Therapy", "Sessions", "Minutes", "Mean relief per session", "Cost"):
        assert heading in long.text, heading
    for cost in ("510.00", "680.00", "280.00"):
        assert cost in long.text, cost
    assert long.text.replace(" ", "").count("x" * 100) == 1  # the whole name, wrapped
    assert "q" * 300 in long.text.replace(" ", "")
