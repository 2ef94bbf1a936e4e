"""Tables never lie: at 40, 60, 80 and 120 columns every figure of the diary (id, date, number,
amount) appears whole, no line is wider than the terminal and nothing is cut with an ellipsis.
Text columns wrap or go first; below the width a table needs, records become blocks."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Cli
from migraine_diary.render.format import money, one_decimal, percent
from migraine_diary.render.tables import Column, layout

WIDTHS = (40, 60, 80, 120)
LONG_NOTE = "felt the tension in the neck ease slowly during the session, then a long nap"


@pytest.fixture
def diary(cli: Cli, db_path: Path) -> Cli:
    """Sessions, attacks and medication with figures long enough to be cut: ids in the
    hundred thousands, amounts over a thousand, a long therapy name and long notes."""
    cli.log("craniosacral", when="2026-11-01 16:30", cost="114.17", provider="Harbour Bodywork",
            notes=LONG_NOTE)  # fmt: skip
    cli.log("acupuncture", when="2026-11-05 10:00", minutes=60, pain_before=6, pain_after=3,
            cost="1250.50", later=4)  # fmt: skip
    cli.log("craniosacral", when="2026-11-08 16:30", minutes=30, pain_before=5, pain_after=5,
            cost=90, attack=True)  # fmt: skip
    cli.log("physiotherapy-for-the-upper-back", when="2026-11-10 09:15", minutes=50,
            pain_before=7, pain_after=4, cost="84.09")  # fmt: skip
    for day, med in (("04", "sumatriptan"), ("12", "ibuprofen"), ("19", "sumatriptan")):
        cli.ok("attack", "log", "--when", f"2026-11-{day} 08:00", "--hours", "5", "--peak", "7",
               "--med", f"{med}@08:30=helpful")  # fmt: skip
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("UPDATE session SET id = id + 123455")
        conn.execute("UPDATE medication SET attack_id = attack_id + 654320")
        conn.execute("UPDATE attack SET id = id + 654320")
    return cli


def whole(token: str, text: str) -> bool:
    """The figure stands in the text with nothing of it cut off, before or after."""
    return re.search(rf"(?<![\w.,]){re.escape(token)}(?![\w,]|\.\d)", text) is not None


def check(text: str, width: int, figures: list[str]) -> None:
    missing = [f for f in figures if not whole(f, text)]
    assert not missing, (missing, text)
    assert "…" not in text
    for line in text.splitlines():
        assert len(line) <= width, (width, line)
        assert line == line.rstrip(), repr(line)


@pytest.fixture(params=WIDTHS)
def width(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("COLUMNS", str(request.param))
    return int(request.param)


def test_list(diary: Cli, width: int) -> None:
    figures = ["123456", "123457", "123458", "123459", "2026-11-01 16:30", "2026-11-05 10:00",
               "2026-11-10 09:15", "114.17", "1,250.50", "90.00", "84.09", "45", "60", "30",
               "50", "5→4", "6→3", "7→4", "+3", "+1", "0", "4"]  # fmt: skip
    out = diary.ok("list").stdout
    check(out, width, figures)
    assert whole("physiotherapy-for-the-upper-back", out)  # a word of text is never folded


def summary_figures(cli: Cli) -> list[str]:
    """Every figure of `summary`, from its JSON, as the one formatter writes it."""
    data = cli.json("summary")
    figures = []
    for row in [*data["therapies"], data["total"]]:
        figures += [
            str(row["sessions"]),
            str(row["total_minutes"]),
            one_decimal(row["avg_pain_before"]),
            one_decimal(row["avg_pain_after"]),
            one_decimal(row["avg_relief"]),
            percent(row["relief_share"]),
            money(Decimal(row["total_cost"])),
            money(row["cost_per_relief_point"]),
        ]
    return figures


def test_summary(diary: Cli, width: int) -> None:
    figures = summary_figures(diary)
    assert {"1,250.50", "1,538.76", "416.83"} <= set(figures)
    out = diary.ok("summary").stdout
    check(out, width, figures)
    assert "all therapies" in out


def test_attack_list(diary: Cli, width: int) -> None:
    figures = ["654321", "654322", "654323", "2026-11-04 08:00", "2026-11-12 08:00",
               "2026-11-19 08:00", "5 h", "7"]  # fmt: skip
    check(diary.ok("attack", "list").stdout, width, figures)


def test_meds(diary: Cli, width: int) -> None:
    out = diary.ok("meds").stdout
    check(out, width, ["2026-08", "2026-09", "2026-10", "2026-11", "2", "1", "3"])


def test_verdict(diary: Cli, width: int) -> None:
    out = diary.ok("verdict").stdout
    check(out, width, ["1,250.50", "204.17", "84.09", "+3.0", "(n 1)", "(n 2)", "2", "1"])
    assert whole("craniosacral", out)


def test_narrow_lists_become_blocks_of_field_value_lines(
    diary: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    lines = diary.ok("list").stdout.splitlines()
    assert "id                123456" in lines
    assert "when              2026-11-01 16:30" in lines
    assert "cost              1,250.50" in lines
    # A word too long to stand beside its label goes under it, whole.
    assert lines[lines.index("therapy") + 1] == "  physiotherapy-for-the-upper-back"


def test_a_wide_terminal_shows_the_notes_and_a_narrower_one_leaves_them_out_first(
    diary: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    wide = diary.ok("list").stdout
    header = ["id", "when", "therapy", "min", "pain", "rel.", "later", "cost", "atk", "provider",
              "·", "notes"]  # fmt: skip
    assert wide.splitlines()[0].split() == header
    assert "Harbour Bodywork · felt the tension" in wide
    monkeypatch.setenv("COLUMNS", "100")
    narrower = diary.ok("list").stdout
    assert narrower.splitlines()[0].split()[-1] == "atk"  # a table still, the notes gone
    assert "Harbour" not in narrower


# --- the builder -----------------------------------------------------------------------------

COLUMNS = (
    Column("id", justify="right"),
    Column("therapy", figure=False, narrowest=6),
    Column("notes", figure=False, narrowest=10, drop=1),
    Column("cost", justify="right"),
)
CELLS = [
    ["id", "123456"],
    ["therapy", "craniosacral massage"],
    ["notes", "a long note about the session"],
    ["cost", "1,250.50"],
]


def test_figures_keep_their_width_and_text_wraps_between_words() -> None:
    found = layout(COLUMNS, CELLS, 40)
    assert found is not None
    widths = dict(zip(found.shown, found.widths, strict=True))
    assert widths[0] == 6
    assert widths[3] == 8
    assert widths[1] >= len("craniosacral")  # never below its longest word
    assert sum(found.widths) + found.gap * (len(found.shown) - 1) <= 40


def test_a_text_column_that_may_go_goes_before_the_table_turns_into_blocks() -> None:
    found = layout(COLUMNS, CELLS, 30)
    assert found is not None
    assert found.shown == (0, 1, 3)
    assert layout(COLUMNS, CELLS, 20) is None  # the figures and the therapy cannot fit


def test_no_limit_gives_every_column_its_natural_width() -> None:
    found = layout(COLUMNS, CELLS, None)
    assert found is not None
    assert found.widths == (6, 20, 29, 8)


@pytest.mark.parametrize("columns", [30, *WIDTHS])
def test_stats(diary: Cli, columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """`stats` lays out its tables with the one builder too: at 30 columns no share, interval
    or amount is cut (the tables turn into blocks of lines), and no rule runs past the line."""
    monkeypatch.setenv("COLUMNS", str(columns))
    out = diary.ok("stats").stdout
    check(out, columns, ["204.17", "1,250.50", "84.09", "1/1", "0/1", "+3.0", "n 2"])


def test_blocks_say_in_words_what_the_table_says_by_a_code(
    diary: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`list` at 40 columns: the table's "atk A" is "during attack  yes", as `show` says."""
    monkeypatch.setenv("COLUMNS", "40")
    lines = diary.ok("list").stdout.splitlines()
    assert "during attack     yes" in lines
    assert not any(line.startswith("during attack") and line.endswith(" A") for line in lines)


@pytest.mark.parametrize(
    ("args", "columns", "note"),
    [
        (["list"], "100", "Left out at this width: provider · notes (shown by a wider "
         "terminal, 'migraine show ID' or --json)."),
        (["attack", "list"], "40", "Left out at this width: medication (shown by a wider "
         "terminal, 'migraine attack show ID' or --json)."),
    ],
)  # fmt: skip
def test_a_column_left_out_for_width_is_named_under_the_table(
    diary: Cli, monkeypatch: pytest.MonkeyPatch, args: list[str], columns: str, note: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    out = diary.ok(*args).stdout
    assert " ".join(note.split()) in " ".join(out.split())
    monkeypatch.setenv("COLUMNS", "200")
    assert "Left out" not in diary.ok(*args).stdout


def test_blocks_of_figures_say_each_label_once(diary: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 40 columns a cell that says what it is ("95% interval ...", "n 2") stands alone,
    not after a label that repeats it; the summary's footnote names the fields as shown."""
    monkeypatch.setenv("COLUMNS", "16")  # the relief figures, too, as blocks
    stats = [" ".join(line.split()) for line in diary.ok("stats").stdout.splitlines()]
    assert not [line for line in stats if line.startswith(("interval 95%", "n n ", "sessions n "))]
    assert stats.count("n 2") == 2  # craniosacral's mean and median, each its line
    monkeypatch.setenv("COLUMNS", "40")
    summary = " ".join(diary.ok("summary").stdout.split())
    assert "per point: cost per point of relief" in summary
    assert "per pt" not in summary
    monkeypatch.setenv("COLUMNS", "200")
    assert "per pt: cost per point of relief" in " ".join(diary.ok("summary").stdout.split())
