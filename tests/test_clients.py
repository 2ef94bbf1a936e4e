"""Practice mode (issue 19, the client dimension) on both engines: every record belongs to a
client, --client scopes reads and writes, the client commands, and a personal diary that
sees nothing new. The PostgreSQL half is skipped, saying why, where no server starts."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, fingerprint
from migraine_diary import storage as db

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def cli(diary_target: str) -> Cli:
    return Cli(diary_target)


class Client(Cli):
    """The CLI with --client NAME before every command."""

    def __init__(self, target: str, name: str) -> None:
        super().__init__(target)
        self.name = name

    def __call__(self, *args: str, input: str | None = None) -> Any:
        return super().__call__("--client", self.name, *args, input=input)


def everything(cli: Cli, *, day: str = "2026-11") -> None:
    """A little of every kind of record: sessions, an attack with a rated dose, a check-in,
    a kept range, a plan (with its slots) and scores."""
    cli.log("craniosacral", when=f"{day}-01 16:30", cost="90", notes="first")
    cli.log("acupuncture", when=f"{day}-05 10:00", attack=True)
    cli.ok("attack", "log", "--when", f"{day}-04 08:00", "--hours", "5", "--peak", "7",
           "--med", "sumatriptan@08:30=helpful", "--trigger", "stress")  # fmt: skip
    cli.ok("attack", "rate", "1" if day == "2026-11" else _last_attack(cli), "--after", "2h",
           "--pain", "2")  # fmt: skip
    cli.ok("checkin", "--date", f"{day}-02")
    cli.ok("kept", f"{day}-10", f"{day}-12")
    cli.ok("plan", "new", "craniosacral", "--compare", "45,30", "--seed", "7")
    cli.ok("score", "midas", "--total", "25", "--date", f"{day}-03")


def _last_attack(cli: Cli) -> str:
    return str(cli.json("attack", "list", "--limit", "1")[0]["id"])


def counts(target: str) -> dict[str, int]:
    """Rows per table of a diary file or database."""
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target) as conn:
            names = [
                r[0]
                for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            ]
            return {
                n: int(conn.execute(f'SELECT COUNT(*) FROM "{n}"'.encode()).fetchone()[0])  # type: ignore[index]
                for n in names
            }
    with sqlite3.connect(target) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: conn.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0] for n in names}


# --- 1. the schema: one migration, and a personal diary sees nothing new -------------------


def test_the_oldest_diary_gets_the_client_dimension_losing_no_row(tmp_path: Path) -> None:
    copy = tmp_path / "old.db"
    shutil.copy(FIXTURES / "diary-v1.db", copy)
    copy.chmod(0o600)
    before = counts(str(copy))
    old = Cli(copy)
    listed = old.json("list")  # read as the latest schema (a temporary view), unchanged
    assert len(listed) == before["session"]
    assert "client" not in listed[0]
    old.ok("checkin", "--date", "2026-11-01")  # a write upgrades it
    after = counts(str(copy))
    assert {t: after[t] for t in before} == before
    assert after["client"] == 1
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == db.LATEST
        assert conn.execute("SELECT DISTINCT client_id FROM session").fetchall() == [(1,)]
        assert conn.execute("SELECT id, name FROM client").fetchall() == [(1, None)]
        indexes = {r[1] for r in conn.execute("PRAGMA index_list(session)")}
    assert {"ix_session_client_when", "ix_session_client_therapy_when"} <= indexes
    assert old.json("list") == listed


def test_schema_matches_the_client_table_models(tmp_path: Path) -> None:
    from migraine_diary.storage.tables import (
        AdditionRow,
        AttackRow,
        CheckinRow,
        ClientRow,
        KeptRangeRow,
        PlanRow,
        ScoreRow,
        SessionRow,
    )

    path = tmp_path / "d.db"
    db.create_diary(path)
    with sqlite3.connect(path) as conn:
        for model in (ClientRow, SessionRow, AttackRow, CheckinRow, KeptRangeRow, AdditionRow,
                      PlanRow, ScoreRow):  # fmt: skip
            table = model.__tablename__
            stored = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")]
            assert stored == [c.name for c in model.__table__.columns]  # type: ignore[union-attr]


def test_a_personal_diary_never_shows_the_word(cli: Cli) -> None:
    everything(cli)
    commands = [["list"], ["attack", "list"], ["summary"], ["stats"], ["report"],
                ["list", "--json"], ["attack", "list", "--json"],
                ["summary", "--json"]]  # fmt: skip
    for command in commands:
        result = cli.ok(*command)
        assert "client" not in (result.stdout + result.stderr).lower(), command


# --- 2. choosing the client ---------------------------------------------------------------


def test_an_unknown_client_is_refused_with_the_nearest_name(cli: Cli, diary_target: str) -> None:
    cli.ok("client", "add", "Anne")
    before = fingerprint(diary_target)
    refused = cli("--client", "Ann", "log", "cst", "-m", "45", "-b", "5", "-a", "3")
    assert refused.exit_code == 1
    assert "no client 'Ann' in the diary; did you mean 'Anne'?" in refused.stderr
    assert fingerprint(diary_target) == before
    assert cli("--client", "Zed", "list").exit_code == 1


def test_writes_refuse_to_guess_once_there_are_named_clients(cli: Cli, diary_target: str) -> None:
    cli.log("cst", when="2026-11-01")  # a personal diary: as today
    cli.ok("client", "add", "Anne")
    cli.ok("client", "add", "Bob")
    before = fingerprint(diary_target)
    for command in (["log", "cst", "-m", "45", "-b", "5", "-a", "3"],
                    ["attack", "log", "--when", "2026-11-04 08:00", "--hours", "2", "--peak", "5"],
                    ["checkin", "--date", "2026-11-02"], ["edit", "1", "--minutes", "50"],
                    ["score", "midas", "--total", "5"]):  # fmt: skip
        refused = cli(*command)
        assert refused.exit_code == 1, command
        assert "name the client with --client" in refused.stderr
        assert "2 clients" in refused.stderr
        assert "migraine clients" in refused.stderr
        assert "Anne" not in refused.stderr
        assert "Bob" not in refused.stderr
    assert fingerprint(diary_target) == before


def test_reads_see_the_chosen_client_or_every_client_labelled(cli: Cli, diary_target: str) -> None:
    cli.ok("client", "add", "Anne")
    cli.ok("client", "add", "Bob")
    anne, bob = Client(diary_target, "Anne"), Client(diary_target, "Bob")
    anne.log("cst", when="2026-11-01", notes="neck")
    bob.log("massage", when="2026-11-02", notes="back")
    bob.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "2", "--peak", "5")
    assert [s["therapy"] for s in anne.json("list")] == ["cst"]
    assert anne.json("attack", "list") == []
    assert [s["therapy"] for s in bob.json("list")] == ["massage"]
    assert "client" not in anne.json("list")[0]
    both = cli.json("list")
    assert [(s["therapy"], s["client"]) for s in both] == [("massage", "Bob"), ("cst", "Anne")]
    assert [a["client"] for a in cli.json("attack", "list")] == ["Bob"]
    assert [s["client"] for s in cli.json("list", "--limit", "1")] == ["Bob"]
    table = cli.ok("list").stdout
    assert "client" in table.splitlines()[0]
    assert "Anne" in table
    assert "Bob" in table
    assert {r["therapy"] for r in anne.json("summary")["therapies"]} == {"cst"}
    assert anne.json("list", "--search", "back") == []
    # a change reaches only the chosen client's records
    assert anne("edit", "2", "--minutes", "50").exit_code == 1
    assert anne("delete", "2", "--yes").exit_code == 1
    assert bob.json("show", "2")["minutes"] == 45


def test_the_client_comes_from_the_environment_and_config_shows_it(
    cli: Cli, diary_target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli.ok("client", "add", "Anne")
    monkeypatch.setenv("MIGRAINE_DIARY_CLIENT", "Anne")
    cli.log("cst", when="2026-11-01")
    shown = cli.json("config")["settings"]["client"]
    assert (shown["value"], shown["source"]) == ("Anne", "environment MIGRAINE_DIARY_CLIENT")
    monkeypatch.delenv("MIGRAINE_DIARY_CLIENT")
    assert [c["sessions"] for c in cli.json("clients")] == [1]


# --- 3. the client commands -----------------------------------------------------------------


def test_clients_add_rename_and_list(cli: Cli, diary_target: str) -> None:
    assert cli.json("clients") == []
    cli.ok("client", "add", "Anne")
    again = cli("client", "add", "Anne")
    assert again.exit_code == 1
    assert "already" in again.stderr
    assert cli("client", "add", "   ").exit_code == 2
    Client(diary_target, "Anne").log("cst", when="2026-11-03 10:00")
    Client(diary_target, "Anne").log("cst", when="2026-11-01 10:00")
    cli.ok("client", "rename", "Anne", "Anne B.")
    (listed,) = cli.json("clients")
    owner = {"owner": "diary_owner"} if cli.on_postgres else {}  # whose: only where roles are
    assert listed == {"name": "Anne B.", "sessions": 2, "attacks": 0,
                      "last_visit": "2026-11-03T09:00:00+00:00", **owner}  # fmt: skip
    assert "Anne B." in cli.ok("clients").stdout
    assert cli("client", "rename", "Anna", "X").exit_code == 1


def test_client_export_holds_that_client_alone(cli: Cli, diary_target: str, tmp_path: Path) -> None:
    cli.ok("client", "add", "Anne")
    cli.ok("client", "add", "Bob")
    everything(Client(diary_target, "Anne"))
    Client(diary_target, "Bob").log("massage", when="2026-11-02", notes="bob's note")
    Client(diary_target, "Bob").ok("checkin", "--date", "2026-11-20")
    out = tmp_path / "anne.json"
    cli.ok("client", "export", "Anne", "--output", str(out))
    text = out.read_text(encoding="utf-8")
    document = json.loads(text)
    assert "bob's note" not in text
    assert "massage" not in text
    assert "2026-11-20" not in text
    assert len(document["sessions"]) == 2
    assert len(document["attacks"]) == 1
    assert document["checkins"] == [{"day": "2026-11-02"}]
    assert cli("client", "export", "Anna").exit_code == 1


def test_client_export_keeps_plans_ratings_and_scores_of_others_out(
    cli: Cli, diary_target: str, tmp_path: Path
) -> None:
    """The kinds the document gained last (plans, acute ratings, scores) are that client's
    alone too, and come back under another client exactly."""
    cli.ok("client", "add", "Anne")
    cli.ok("client", "add", "Bob")
    everything(Client(diary_target, "Anne"))
    everything(Client(diary_target, "Bob"), day="2026-10")
    out = tmp_path / "anne.json"
    cli.ok("client", "export", "Anne", "--output", str(out))
    document = json.loads(out.read_text(encoding="utf-8"))
    assert [len(document[kind]) for kind in ("plans", "ratings", "scores")] == [1, 1, 1]
    assert document["scores"][0]["date"].startswith("2026-11")
    bobs = tmp_path / "bob.json"
    cli.ok("client", "export", "Bob", "--output", str(bobs))
    other = json.loads(bobs.read_text(encoding="utf-8"))
    assert [len(other[kind]) for kind in ("plans", "ratings", "scores")] == [1, 1, 1]
    assert other["scores"][0]["date"].startswith("2026-10")
    assert cli("export", "--all").exit_code == 1  # pooled, a practice would read as one person


def test_stats_across_clients_reads_each_sessions_client(cli: Cli, diary_target: str) -> None:
    """Five clients of five sessions each are enough for the model; each is named."""
    for number, name in enumerate(("Ann", "Ben", "Cas", "Dee", "Eve")):
        cli.ok("client", "add", name)
        client = Client(diary_target, name)
        for session in range(5):
            client.log("craniosacral", when=f"2026-10-{1 + session * 5:02d} 1{number}:00",
                       minutes=30 + 15 * (session % 2), pain_before=6,
                       pain_after=5 - (session + number) % 3)  # fmt: skip
    result = cli.json("stats", "--all-clients", "craniosacral")
    text = json.dumps(result)
    assert "not enough" not in text.lower()
    assert all(name in text for name in ("Ann", "Ben", "Cas", "Dee", "Eve"))
    alone = Client(diary_target, "Ann").ok("stats", "--all-clients", "craniosacral").stdout
    assert "not enough data" in alone.lower()


def test_client_erase_removes_every_record_of_theirs_alone(cli: Cli, diary_target: str) -> None:
    cli.ok("client", "add", "Anne")
    cli.ok("client", "add", "Bob")
    everything(Client(diary_target, "Anne"))
    everything(Client(diary_target, "Bob"), day="2026-10")
    bob_before = Client(diary_target, "Bob").json("list")
    refused = cli("client", "erase", "Anne")  # no terminal to ask on
    assert refused.exit_code == 2
    assert "--yes" in refused.stderr
    erased = cli.ok("client", "erase", "Anne", "--yes")
    assert "Erased client 'Anne'" in erased.stdout
    assert [c["name"] for c in cli.json("clients")] == ["Bob"]
    assert Client(diary_target, "Bob").json("list") == bob_before
    rows = counts(diary_target)
    for table in ("medication", "attack_detail", "acute_rating", "plan_slot", "score",
                  "checkin", "kept_range", "plan", "attack", "session"):  # fmt: skip
        assert rows[table] > 0, table  # Bob's are still there
    assert cli("--client", "Anne", "list").exit_code == 1


def test_a_personal_diary_is_imported_under_a_client_with_every_row(
    cli: Cli, diary_target: str, tmp_path: Path
) -> None:
    personal = tmp_path / "anne.db"
    everything(Cli(personal))
    source_rows = counts(str(personal))
    source_print = fingerprint(personal)
    cli.ok("client", "add", "Bob")
    everything(Client(diary_target, "Bob"), day="2026-10")
    before = counts(diary_target)
    done = cli.ok("client", "import-diary", str(personal), "--client", "Anne")
    assert "Imported" in done.stdout
    after = counts(diary_target)
    assert fingerprint(personal) == source_print  # the file is not changed
    # The audit is not copied: the practice's grows by the import's own writes.
    shared = {"therapy", "medication_class", "schema_version", "client", "audit"}
    for table, n in source_rows.items():
        if table in shared or table.startswith("sqlite_"):
            continue
        assert after[table] == before[table] + n, table
    assert after["audit"] > before["audit"]
    assert after["client"] == before["client"] + 1
    anne = Client(diary_target, "Anne")
    assert [s["therapy"] for s in anne.json("list")] == ["acupuncture", "craniosacral"]
    (attack,) = anne.json("attack", "list")
    assert attack["medications"][0]["name"] == "sumatriptan"
    plan_id = str(json.loads(Cli(personal).ok("plan", "show", "1", "--json").stdout)["id"])
    assert anne.ok("plan", "show", str(int(plan_id) + 1)).exit_code == 0  # Bob's came first
    assert anne("plan", "show", "1").exit_code == 1  # Bob's: not Anne's to see
    # ids were numbered anew: Bob's records are unchanged
    assert len(Client(diary_target, "Bob").json("list")) == 2
    again = cli("client", "import-diary", str(personal), "--client", "Anne")
    assert again.exit_code == 1
    assert "has records already" in again.stderr
    assert counts(diary_target) == after


def test_one_imported_attack_in_two_personal_diaries_comes_in_under_each_client(
    cli: Cli, diary_target: str, tmp_path: Path
) -> None:
    """The same app export in two clients' diaries: an import key is unique per client, so
    neither a second client's copy nor another's attack blocks bringing a diary in."""
    personal = tmp_path / "anne.db"
    Cli(personal).ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "5", "--peak", "7")
    with sqlite3.connect(personal) as conn:
        conn.execute("UPDATE attack SET import_key = 'migraine-buddy:2026-11-04T07:00:00Z:peak=7'")
    for name in ("Anne", "Bert"):
        done = cli("client", "import-diary", str(personal), "--client", name)
        assert done.exit_code == 0, done.stderr
        assert len(Client(diary_target, name).json("attack", "list")) == 1
    assert len(cli.json("attack", "list")) == 2


def test_import_diary_losing_the_race_for_a_new_client_is_refused_cleanly(
    cli: Cli, diary_target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two imports under one new name at once: the second found no client, then lost the
    insert to the first (add_client: None); it once failed with 'unexpected AssertionError'."""
    personal = tmp_path / "anne.db"
    everything(Cli(personal))
    cli.ok("client", "add", "Bob")
    before = counts(diary_target)
    monkeypatch.setattr(db, "add_client", lambda *args: None)
    lost = cli("client", "import-diary", str(personal), "--client", "Anne")
    assert lost.exit_code == 1, lost.stderr
    assert "at the same time" in lost.stderr
    assert "nothing was imported" in lost.stderr
    assert counts(diary_target) == before


def test_import_diary_refuses_what_is_no_personal_diary(
    cli: Cli, tmp_path: Path, new_diary: Callable[[], str]
) -> None:
    missing = cli("client", "import-diary", str(tmp_path / "none.db"), "--client", "A")
    assert missing.exit_code == 1
    assert "no diary" in missing.stderr
    practice = tmp_path / "practice.db"
    Cli(practice).ok("client", "add", "Zoe")
    refused = cli("client", "import-diary", str(practice), "--client", "A")
    assert refused.exit_code == 1
    assert "clients of its own" in refused.stderr
    assert cli("client", "import-diary", str(practice)).exit_code == 2  # no --client


# --- 4. search on both engines ----------------------------------------------------------------


def test_search_finds_text_in_any_case_on_both_engines(cli: Cli) -> None:
    cli.log("cst", when="2026-11-01", notes="Stiff NECK today", provider="Harbour")
    cli.log("cst", when="2026-11-02", notes="back")
    cli.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "2", "--peak", "5",
           "--notes", "Weather change")  # fmt: skip
    assert [s["notes"] for s in cli.json("list", "--search", "neck")] == ["Stiff NECK today"]
    assert len(cli.json("list", "--search", "harbour")) == 1
    assert [a["notes"] for a in cli.json("attack", "list", "--search", "WEATHER")] == [
        "Weather change"
    ]
    assert cli.json("list", "--search", "nothing") == []


def test_a_database_before_clients_is_upgraded_losing_no_row(
    postgres_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    url = postgres_server.database(upgraded=False)
    cli = Cli(url)
    step = db.schema.CLIENTS_STEP  # the schema as it was just before clients
    monkeypatch.setattr(db.schema, "MIGRATIONS", db.MIGRATIONS[:step])
    monkeypatch.setattr(db.schema, "LATEST", step)
    cli.ok("upgrade")
    monkeypatch.undo()
    with psycopg.connect(url) as conn:  # records as that schema stored them
        conn.execute("INSERT INTO therapy (name, key) VALUES ('cst', 'cst')")
        conn.execute(
            'INSERT INTO session (therapy_id, "when", minutes, pain_before, pain_after)'
            " VALUES (1, '2026-11-01T11:00:00+00:00', 45, 5, 4)"
        )
        conn.execute(
            'INSERT INTO attack (start, "end", peak)'
            " VALUES ('2026-11-04T07:00:00+00:00', '2026-11-04T09:00:00+00:00', 5)"
        )
        conn.execute("INSERT INTO medication (attack_id, name) VALUES (1, 'ibuprofen')")
        conn.execute("INSERT INTO checkin (day) VALUES ('2026-11-02'), ('2026-11-03')")
        conn.execute(
            "INSERT INTO addition (session_id, attack_id, checkin_day) VALUES"
            " (1, NULL, NULL), (NULL, 1, NULL), (NULL, NULL, '2026-11-02'),"
            " (NULL, NULL, '2026-11-03')"
        )
        conn.execute("DELETE FROM addition WHERE checkin_day = '2026-11-03'")  # an id unused
        conn.execute("INSERT INTO kept_range (first, last) VALUES ('2026-10-01', '2026-10-31')")
    before = counts(url)
    assert f"to {db.LATEST}" in cli.ok("upgrade").stdout
    after = counts(url)
    assert {t: after[t] for t in before} == before
    with psycopg.connect(url) as conn:
        for table in db.schema.CLIENT_TABLES:
            found = conn.execute(f"SELECT DISTINCT client_id FROM {table}".encode()).fetchall()
            assert found in ([], [(1,)]), table
    # the tables made again go on with new ids, and undo still takes back a check-in
    cli.ok("checkin", "--date", "2026-11-05")
    assert "check-in of 2026-11-05" in cli.ok("undo", "--yes").stdout
    cli.ok("kept", "2026-09-01", "2026-09-30")
    cli.ok("client", "add", "Anne")
    with psycopg.connect(url) as conn:
        owner = conn.execute(
            "SELECT owner, current_user FROM client WHERE name = 'Anne'"
        ).fetchone()
    assert owner is not None
    assert owner[0] == owner[1]  # the role that made the client


def test_a_report_for_one_client_names_them_and_holds_theirs_alone(
    cli: Cli, diary_target: str
) -> None:
    cli.ok("client", "add", "Anne")
    cli.ok("client", "add", "Bob")
    Client(diary_target, "Anne").log("craniosacral", when="2026-11-01 16:30")
    Client(diary_target, "Bob").log("massage", when="2026-11-02 10:00")
    report = cli.ok("report", "--client", "Anne", "--format", "md").stdout
    assert "Client: Anne" in report
    assert "craniosacral" in report
    assert "massage" not in report
    assert cli("report", "--client", "Anna", "--format", "md").exit_code == 1


def test_name_at_owner_finds_a_client_whose_owner_has_an_at_sign() -> None:
    """NAME@OWNER as `clients` shows it: a PostgreSQL role may itself hold an '@' (a role
    named after an e-mail address), and a client's name may too."""
    from migraine_diary.diary.clients import find_client

    seen = [
        ("Anne", 2, "alice@clinic.example", False),
        ("Anne", 3, "bob", False),
        ("Cleo@home", 4, "bob", False),
    ]
    assert find_client(seen, "Anne@alice@clinic.example") == 2
    assert find_client(seen, "Anne@bob") == 3
    assert find_client(seen, "Cleo@home@bob") == 4
    assert find_client(seen, "Cleo@home") == 4  # the name as it is, when only one has it
    assert find_client(seen, "Anne@carl") is None


def test_a_document_whose_ids_another_client_holds_is_refused_plainly(
    cli: Cli, diary_target: str, tmp_path: Path
) -> None:
    """A whole-diary document keeps its ids; under a client, an id another client's record
    holds (unseen on a server) is refused in one plain line, naming the way that renumbers,
    and nothing is written (the database's words named its constraint)."""
    personal = tmp_path / "anne.db"
    everything(Cli(personal))
    document = tmp_path / "anne.json"
    Cli(personal).ok("export", "--all", "--output", str(document))
    cli.ok("client", "add", "Bob")
    cli.ok("client", "add", "Anne")
    everything(Client(diary_target, "Bob"))
    before = fingerprint(diary_target)
    refused = Client(diary_target, "Anne")("import", str(document))
    assert refused.exit_code == 1
    assert refused.stderr.count("\n") == 1
    assert "ids are taken in this diary by other records (another client's)" in refused.stderr
    assert "migraine client import-diary FILE --client NAME" in refused.stderr
    assert "constraint" not in refused.stderr
    assert "pkey" not in refused.stderr
    assert fingerprint(diary_target) == before


@pytest.mark.sqlite_only  # about a diary file not made
def test_a_refused_client_command_makes_no_diary(tmp_path: Path) -> None:
    """With no diary yet, a command about a client that cannot be in it is refused and
    leaves no new diary file behind (an empty one was made before the refusal)."""
    target = tmp_path / "none-yet.db"
    cli = Cli(target)
    for command in (("client", "rename", "A", "B"), ("client", "erase", "A", "--yes"),
                    ("client", "share", "A", "--with", "bob"),
                    ("--client", "A", "log", "craniosacral", "-m", "45", "-b", "5", "-a", "3"),
                    ("--client", "A", "list")):  # fmt: skip
        refused = cli(*command)
        assert refused.exit_code == 1, command
        assert refused.stderr.startswith(f"migraine: error: there is no diary at {target} yet")
        assert not target.exists(), command
    cli.ok("client", "add", "A")
    assert target.exists()


def test_a_command_about_one_persons_days_needs_the_client(cli: Cli, diary_target: str) -> None:
    """In a practice, a report, a calendar, medication days, stats and verdicts counted over
    several people would read as one person's: without --client they are refused, naming
    the way; with it they come out, and the listings and the model across clients still
    cover everyone."""
    for name, day in (("Anne", "2026-11"), ("Bob", "2026-10")):
        cli.ok("client", "add", name)
        everything(Client(diary_target, name), day=day)
    for command in (("report", "--format", "md"), ("calendar",), ("meds",), ("stats",),
                    ("verdict",)):  # fmt: skip
        refused = cli(*command)
        assert refused.exit_code == 1, command
        assert refused.stderr == (
            f"migraine: error: {command[0]} is about one person: name the client with --client"
            " (see 'migraine clients')\n"
        )
        assert Client(diary_target, "Anne")(*command).exit_code == 0, command
    for command in (("list",), ("attack", "list"), ("summary",), ("stats", "--all-clients")):
        assert cli(*command).exit_code == 0, command
