"""`migraine demo` writes its sample into a new diary FILE only: a PostgreSQL URL is refused
plainly, whichever --db names it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from migraine_diary.cli.app import app

URL = "postgresql://someone@/diary?host=/nowhere"
REFUSED = (
    "migraine: error: migraine demo works on SQLite diaries only; "
    f"{URL} is a PostgreSQL database (use the server's own tools, e.g. pg_dump, for it)\n"
)


@pytest.mark.parametrize(
    "args",
    [["--db", URL, "demo"], ["demo", "--db", URL], ["--db", "other.db", "demo", "--db", URL]],
)
def test_a_database_url_is_refused_and_no_file_is_made(tmp_path: Path, args: list[str]) -> None:
    """`demo --db postgresql://...` made a SQLite file under a folder named `postgresql:`."""
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 1
    assert result.stderr == REFUSED
    assert [p.name for p in tmp_path.iterdir()] == ["home"]  # the test's home, nothing else


def test_the_commands_to_try_run_as_printed_whatever_the_path(tmp_path: Path) -> None:
    """The demo's commands name its file for the shell: a quote in the path ended the
    hand-written '...' around it, so the command copied as printed did not run."""
    import shlex

    folder = tmp_path / "Anne's diaries"
    folder.mkdir()
    target = folder / "demo.db"
    made = CliRunner().invoke(app, ["demo", "--db", str(target)])
    assert made.exit_code == 0, made.stderr
    tries = made.stdout.split("Try: ", 1)[1].splitlines()
    assert len(tries) == 4
    for line in tries:
        words = shlex.split(line)
        assert words[:3] == ["migraine", "--db", str(target)], line
        assert CliRunner().invoke(app, words[1:]).exit_code == 0, line
