"""Settings: option > environment > config file > default, `migraine config` says which won,
a currency shown with every amount, and a bad config file stops with one line (exit 2)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import Cli
from migraine_diary.cli.app import app
from migraine_diary.diary.settings import masked


@pytest.fixture
def config_file(private_home: Path) -> Path:
    folder = private_home / ".config" / "migraine-diary"
    folder.mkdir(parents=True)
    return folder / "config.toml"


def run(*args: str) -> object:
    return CliRunner().invoke(app, list(args))


def settings(*args: str) -> dict[str, dict[str, object]]:
    result = run(*args, "config", "--json")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    return data["settings"]  # type: ignore[no-any-return]


def test_defaults_without_a_config_file(config_file: Path) -> None:
    found = settings()
    assert found["currency"] == {"value": None, "source": "default"}
    assert found["report_months"] == {"value": 3, "source": "default"}
    assert found["db"]["source"] == "default"
    assert str(found["db"]["value"]).endswith("migraine-diary/diary.db")
    text = run("config").stdout  # type: ignore[attr-defined]
    assert f"Config file: {config_file} (none there)" in text


def test_precedence_option_environment_config_default(
    config_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file.write_text(f'db = "{tmp_path / "from-file.db"}"\ncurrency = "eur"\n')
    found = settings()
    assert found["db"] == {"value": str(tmp_path / "from-file.db"), "source": "config file, line 1"}
    assert found["currency"] == {"value": "EUR", "source": "config file, line 2"}
    monkeypatch.setenv("MIGRAINE_DIARY_DB", str(tmp_path / "from-env.db"))
    monkeypatch.setenv("MIGRAINE_DIARY_CURRENCY", "€")
    found = settings()
    assert found["db"]["source"] == "environment MIGRAINE_DIARY_DB"
    assert found["currency"] == {"value": "€", "source": "environment MIGRAINE_DIARY_CURRENCY"}
    found = settings("--db", str(tmp_path / "from-option.db"))
    assert found["db"] == {"value": str(tmp_path / "from-option.db"), "source": "option --db"}


def test_the_config_files_diary_is_the_one_used(config_file: Path, tmp_path: Path) -> None:
    diary = tmp_path / "elsewhere.db"
    config_file.write_text(f'db = "{diary}"\n')
    result = run("log", "craniosacral", "-m", "45", "-b", "5", "-a", "4")
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    assert diary.exists()


def test_config_names_another_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = tmp_path / "other.toml"
    other.write_text("report_months = 6\n")
    monkeypatch.setenv("MIGRAINE_DIARY_CONFIG", str(other))
    assert settings()["report_months"] == {"value": 6, "source": "config file, line 1"}
    monkeypatch.setenv("MIGRAINE_DIARY_CONFIG", str(tmp_path / "missing.toml"))
    result = run("config")
    assert result.exit_code == 1  # type: ignore[attr-defined]  # a world error, not bad input
    assert "missing.toml (from MIGRAINE_DIARY_CONFIG) does not exist" in result.stderr  # type: ignore[attr-defined]
    monkeypatch.setenv("MIGRAINE_DIARY_CONFIG", str(tmp_path))
    result = run("config")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert result.stderr == (  # type: ignore[attr-defined]
        f"migraine: error: config file {tmp_path} cannot be read: Is a directory\n"
    )


def test_a_password_in_a_url_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    assert masked("postgresql://me:s3cret@db.example:5432/diary") == (
        "postgresql://me:***@db.example:5432/diary"
    )
    assert masked("postgresql://me@db.example/diary") == "postgresql://me@db.example/diary"
    assert masked("/home/me/diary.db") == "/home/me/diary.db"
    monkeypatch.setenv("MIGRAINE_DIARY_DB", "postgresql://me:s3cret@db.example/diary")
    for args in (("config",), ("config", "--json")):
        out = run(*args).stdout  # type: ignore[attr-defined]
        assert "s3cret" not in out
        assert "me:***@db.example" in out


@pytest.mark.parametrize(
    ("text", "line", "key", "reason"),
    [
        ('currency = "EUR"\ncurrency = "USD"\n', 2, "currency", "not valid TOML"),
        ('currency = "EUR"\nreport_months = \n', 2, "report_months", "not valid TOML"),
        ('db = "x.db"\npractice = "Harbour"\n', 2, "practice", "unknown key"),
        ('\n\ncurrency = "euros"\n', 3, "currency", "must be a 3-letter ISO 4217 code"),
        ("report_months = 0\n", 1, "report_months", "must be a whole number from 1 to 120"),
        ('report_months = "many"\n', 1, "report_months", "must be a whole number from 1 to 120"),
        ("db = 3\n", 1, "db", "must be a path to the diary file"),
    ],
)
def test_a_bad_config_file_stops_with_one_line(
    cli: Cli,
    config_file: Path,
    unchanged: Callable[[], None],
    text: str,
    line: int,
    key: str,
    reason: str,
) -> None:
    config_file.write_text(text)
    for args in (("summary",), ("log", "cst", "-m", "45", "-b", "5", "-a", "4"), ("config",)):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.stdout)
        (message,) = result.stderr.splitlines()
        assert message.startswith(
            f"migraine: error: config file {config_file}, line {line}, key {key!r}: {reason}"
        ), message
        assert "Traceback" not in result.stderr
    unchanged()


# --- the currency ---------------------------------------------------------------------------


@pytest.fixture
def priced(cli: Cli) -> Cli:
    cli.log("craniosacral", when="2026-11-01 16:30", cost=90)
    cli.log("craniosacral", when="2026-11-03 16:30", cost=90, pain_before=6, pain_after=3)
    cli.log("craniosacral", when="2026-11-05 16:30", cost=90, pain_before=5, pain_after=3)
    return cli


def test_no_currency_by_default(priced: Cli) -> None:
    row = priced.ok("summary").stdout.splitlines()[1].split()
    assert row[0] == "craniosacral"
    assert row[-2:] == ["270.00", "45.00"]


def test_a_currency_code_follows_every_amount(priced: Cli, config_file: Path) -> None:
    config_file.write_text('currency = "EUR"\n')
    summary = priced.ok("summary").stdout
    assert "270.00 EUR" in summary
    assert "45.00 EUR" in summary  # per point
    stats = priced.ok("stats").stdout
    assert "total                          270.00 EUR  3 sessions" in stats
    assert "45.00 EUR" in stats
    assert "270.00 EUR" in priced.ok("verdict").stdout
    report = priced.ok("report", "--format", "md").stdout
    assert "270.00 EUR" in report
    assert priced.json("summary")["total"]["total_cost"] == "270.00"  # JSON: the bare amount


def test_a_currency_symbol_goes_before_the_amount(
    priced: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIGRAINE_DIARY_CURRENCY", "€")
    assert "€270.00" in priced.ok("summary").stdout
    assert "€270.00" in priced.ok("verdict").stdout
    monkeypatch.delenv("MIGRAINE_DIARY_CURRENCY")
    assert "€" not in priced.ok("summary").stdout  # nothing left over from the last command


def test_report_months_from_the_config_file(priced: Cli, config_file: Path) -> None:
    assert "2026-08-01 to 2026-11-26" in priced.ok("report", "--format", "md").stdout
    config_file.write_text("report_months = 1\n")
    assert "2026-10-01 to 2026-11-26" in priced.ok("report", "--format", "md").stdout
    out = priced.ok("report", "--format", "md", "--months", "2").stdout
    assert "2026-09-01 to 2026-11-26" in out  # the option wins


# --- the practice's letterhead ----------------------------------------------------------------


def test_a_practice_name_and_address_head_the_report(
    priced: Cli, config_file: Path, tmp_path: Path
) -> None:
    """The config file's practice_name and practice_address head the report (HTML and
    Markdown), escaped; without them the report is as a personal diary's always was."""
    plain = priced.ok("report", "--format", "md").stdout
    assert plain.startswith("# Migraine diary report\n")
    config_file.write_text(
        'practice_name = "Harbour <Cranial> Practice"\n'
        'practice_address = """\n12 Quay Street\nKiel"""\n'
    )
    md = priced.ok("report", "--format", "md").stdout
    head = "**Harbour \\<Cranial\\> Practice**\n\n12 Quay Street  \nKiel\n\n# Migraine"
    assert md.startswith(head)
    page = tmp_path / "r.html"
    priced.ok("report", "--output", str(page))
    html = page.read_text(encoding="utf-8")
    assert "<b>Harbour &lt;Cranial&gt; Practice</b><br>12 Quay Street<br>Kiel" in html
    assert "Name ________________________" in html  # no client: the blank to fill in
    shown = settings()
    assert shown["practice_name"]["source"] == "config file, line 1"


def test_a_bad_practice_address_stops_with_one_line(priced: Cli, config_file: Path) -> None:
    config_file.write_text('practice_address = """\n' + "line\n" * 7 + '"""\n')
    result = priced("report", "--format", "md")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"migraine: error: config file {config_file}, line 1, key 'practice_address': must be "
        "at most 6 lines of at most 120 characters (got "
    )
    assert result.stderr.count("\n") == 1
