"""Piped output is faithful: written to a file or a pipe, text is whole (no ellipsis), no line
ends in blanks and prose is not wrapped at any width (`migraine list | cat -A`)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import Cli

pytestmark = pytest.mark.both_engines

NOTE = (
    "the practitioner worked on the neck and the jaw for most of the hour; the headache eased "
    "by the evening and was gone the next morning"
)
PROVIDER = "Dr. Lina Petersen, Harbour Bodywork and Craniosacral Practice"


def test_list_writes_notes_and_provider_whole_without_trailing_blanks(cli: Cli) -> None:
    cli.log("craniosacral", when="2026-11-01 16:30", cost=90, provider=PROVIDER, notes=NOTE)
    cli.log("acupuncture", when="2026-11-05 10:00")
    out = cli.ok("list").stdout
    assert f"{PROVIDER} · {NOTE}" in out
    assert "…" not in out
    for line in out.splitlines():
        assert line == line.rstrip(), repr(line)
    assert len(out.splitlines()) == 3  # a header and one line a session: nothing wrapped


def test_prose_is_one_line_a_paragraph(cli: Cli) -> None:
    cli.log("physio", pain_before=0, pain_after=0, when="2026-11-01")
    cli.log("physio", when="2026-11-02")
    summary = cli.ok("summary").stdout.splitlines()
    assert (
        "physio: 1 session began at pain 0 and is left out of the pain, relief and "
        "cost-per-point columns." in summary
    )
    stats = cli.ok("stats").stdout.splitlines()
    assert (
        "  Not enough data for an interval: that needs at least 3 sessions that began with "
        "pain, you have 1." in stats
    )
    for line in stats:
        assert line == line.rstrip(), repr(line)


def test_attack_list_writes_every_medication_name(cli: Cli) -> None:
    meds = ["sumatriptan", "ibuprofen", "metoclopramide", "paracetamol", "naproxen", "caffeine"]
    args = [arg for med in meds for arg in ("--med", med)]
    cli.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "5", "--peak", "7", *args)
    out = cli.ok("attack", "list").stdout
    assert ", ".join(meds) in out
    assert "…" not in out


@pytest.mark.sqlite_only  # an operating system pipe: nothing of the engine
def test_a_real_pipe_gets_the_same_whole_lines(cli: Cli) -> None:
    """Through a pipe of the operating system, as `migraine list | cat -A` sees it."""
    cli.log("craniosacral", when="2026-11-01 16:30", cost=90, provider=PROVIDER, notes=NOTE)
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    done = subprocess.run(
        [sys.executable, "-m", "migraine_diary", "--db", str(cli.db_path), "list"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    assert lines[1].endswith(f"{PROVIDER} · {NOTE}")
    assert all(line == line.rstrip() for line in lines)
