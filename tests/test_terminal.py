"""Terminal safety: text from a person or a file never reaches the terminal as control codes.

A note, therapy, provider or medication name can hold escape sequences (from an import, an old
diary, another program's file): shown raw they could write the clipboard (OSC 52), retitle the
window or clear the screen. Every view shows them as ``\\x1b`` and the like instead.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from contextlib import closing
from pathlib import Path

import pytest

from conftest import Cli
from migraine_diary.render.format import visible

BIDI = {
    "\u061c",
    "\u200e",
    "\u200f",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
}
# OSC 52 (clipboard), OSC 0 (window title), clear screen, an 8-bit CSI, a right-to-left
# override, and Rich markup that must stay text.
HOSTILE = "\x1b]52;c;SGVsbG8=\x07\x1b]0;owned\x07\x1b[2J\x9b31m\u202eevil [bold red]x[/bold red]"
SHOWN = "\\x1b]52;c;SGVsbG8=\\x07\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202eevil"


def raw_controls(text: str) -> list[str]:
    """Characters that a terminal would act on instead of showing (a line end, a tab are fine)."""
    return [c for c in text if (unicodedata.category(c) == "Cc" and c not in "\n\t") or c in BIDI]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, ümlaut, 頭痛, emoji 🤕", "plain text, ümlaut, 頭痛, emoji 🤕"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("bell\x07 nul\x00 del\x7f", "bell\\x07 nul\\x00 del\\x7f"),
        ("csi\x9b1m", "csi\\x9b1m"),
        ("\u202eevil\u2066x\u2069\u200f", "\\u202eevil\\u2066x\\u2069\\u200f"),
        ("cr\rover", "cr\\x0dover"),
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        ("line\u2028sep", "line\\u2028sep"),
        ("family 👩\u200d👩\u200d👧", "family 👩\u200d👩\u200d👧"),  # a joiner is not a control
    ],
)
def test_visible_shows_controls_as_escapes(text: str, shown: str) -> None:
    assert visible(text) == shown
    assert visible(shown) == shown  # once is enough: showing it again changes nothing
    assert not raw_controls(visible(text))


@pytest.fixture
def hostile(cli: Cli, db_path: Path) -> Cli:
    """A diary whose every text field holds escape sequences, as a file could bring them."""
    cli.log("craniosacral", when="2026-11-10 16:30", provider="Harbour", notes="first", cost=90)
    cli.log("craniosacral", when="2026-11-12 16:30", pain_before=6, pain_after=3)
    cli.ok("attack", "log", "--when", "2026-11-11 08:00", "--hours", "5", "--peak", "7",
           "--med", "mysterydrops@08:30=helpful", "--notes", "attack note")  # fmt: skip
    with closing(sqlite3.connect(db_path)) as conn, conn:
        conn.execute("UPDATE therapy SET name = ?", (HOSTILE,))
        conn.execute("UPDATE session SET provider = ?, notes = ?", (HOSTILE, HOSTILE))
        conn.execute("UPDATE medication SET name = ?", (HOSTILE,))
        conn.execute("UPDATE attack SET notes = ?", (HOSTILE,))
    return cli


SHOWING_TEXT = [
    ("show", "1"),
    ("list",),
    ("attack", "show", "1"),
    ("attack", "list"),
    ("therapies",),
    ("summary",),
    ("stats",),
    ("verdict",),
    ("meds", "--since", "2026-11-01"),
    ("medclass",),
    ("report", "--format", "md"),
]


@pytest.mark.parametrize("command", SHOWING_TEXT, ids=" ".join)
def test_diary_text_reaches_the_terminal_made_visible(
    hostile: Cli, command: tuple[str, ...]
) -> None:
    result = hostile.ok(*command)
    output = result.stdout + result.stderr
    assert not raw_controls(output), command
    # Shown, not dropped (Markdown escapes the backslash and the bracket in turn).
    assert "\\x1b]52" in output or "\\\\x1b\\]52" in output


def test_the_calendar_shows_no_control_codes(hostile: Cli) -> None:
    result = hostile.ok("calendar", "--since", "2026-11-01")
    assert not raw_controls(result.stdout + result.stderr)


def test_rich_markup_in_diary_text_stays_text(hostile: Cli) -> None:
    detail = hostile.ok("show", "1").stdout
    assert SHOWN in detail
    assert "[bold red]x[/bold red]" in detail
    assert "[bold red]x[/bold red]" in hostile.ok("attack", "show", "1").stdout


def test_the_html_report_shows_controls_made_visible(hostile: Cli, tmp_path: Path) -> None:
    page_path = tmp_path / "visit.html"
    hostile.ok("report", "--output", str(page_path))
    page = page_path.read_text()
    assert not raw_controls(page)
    assert SHOWN in page


def test_json_stays_exact_and_inert(hostile: Cli) -> None:
    """JSON keeps the very text (a script reads it back), every control written as an escape."""
    for command, key in ((("list",), "notes"), (("attack", "list"), "notes")):
        result = hostile.ok(*command, "--json")
        assert not raw_controls(result.stdout)
        assert json.loads(result.stdout)[0][key] == HOSTILE
    shown = hostile.ok("show", "1", "--json").stdout
    assert not raw_controls(shown)
    assert json.loads(shown)["provider"] == HOSTILE
    stats = hostile.ok("stats", "--json").stdout
    assert not raw_controls(stats)
    assert json.loads(stats)["therapies"][0]["therapy"] == HOSTILE


def test_file_names_in_messages_and_errors_are_made_visible(cli: Cli, tmp_path: Path) -> None:
    cli.log("craniosacral")
    exported = tmp_path / "sessions.csv"
    cli.ok("export", "--output", str(exported))
    evil = tmp_path / "evil\x1b]0;owned\x07.csv"
    evil.write_bytes(exported.read_bytes())
    fresh = Cli(tmp_path / "fresh.db")
    imported = fresh.ok("import", str(evil))
    assert not raw_controls(imported.stdout + imported.stderr)
    assert "evil\\x1b]0;owned\\x07.csv" in imported.stdout
    missing = fresh("import", str(tmp_path / "gone\x1b[2J.csv"))
    assert missing.exit_code != 0
    assert not raw_controls(missing.stderr)
    assert "gone\\x1b[2J.csv" in missing.stderr
    elsewhere = Cli(tmp_path / "no\x1b]0;owned\x07.db")
    nothing = elsewhere.ok("list")
    assert not raw_controls(nothing.stdout + nothing.stderr)
    assert "no\\x1b]0;owned\\x07.db" in nothing.stderr
