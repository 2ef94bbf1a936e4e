"""Practice mode on PostgreSQL: two practitioners (alice and bob, members of
migraine_practitioner) each with their own clients, isolated by row-level security in every
command and in raw SQL; sharing; the audit's rules; `upgrade` and `check` as the owner."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import Cli, Practice, practice_on
from migraine_diary.storage import schema

# One practice (a module-scoped database) that the tests below go on writing to, in order: the
# whole module runs on one xdist worker, so every test sees what the ones before it wrote.
pytestmark = pytest.mark.xdist_group("rls")

pytest.importorskip("psycopg")

# What each practitioner logs that the other must never see.
SECRETS = {
    "alice": ("Anne Alder", "alice-note-7261", "Dr Alpha Provider", "rizatriptan"),
    "bob": ("Bert Birch", "bob-note-9415", "Dr Beta Provider", "zolmitriptan"),
}


def _logged(cli: Cli, role: str) -> None:
    client, note, provider, medication = SECRETS[role]
    cli.ok("client", "add", client)
    on = ("--client", client)
    cli.ok(
        *on,
        "log",
        "craniosacral",
        "--when",
        "2026-11-02 10:00",
        "--minutes",
        "45",
        "--pain-before",
        "6",
        "--pain-after",
        "3",
        "--notes",
        note,
        "--provider",
        provider,
    )
    cli.ok(
        *on,
        "log",
        "craniosacral",
        "--when",
        "2026-11-09 10:00",
        "--minutes",
        "60",
        "--pain-before",
        "5",
        "--pain-after",
        "2",
    )
    cli.ok(
        *on,
        "attack",
        "log",
        "--when",
        "2026-11-04 08:00",
        "--hours",
        "5",
        "--peak",
        "7",
        "--med",
        f"{medication}@08:30=helpful",
        "--notes",
        note,
    )
    cli.ok(*on, "checkin", "--date", "2026-11-10")
    cli.ok(*on, "edit", _own_session(cli, client), "--minutes", "50")  # fmt: skip


def _own_session(cli: Cli, client: str) -> str:
    return str(cli.json("--client", client, "list")[0]["id"])


@pytest.fixture(scope="module")
def practice(postgres_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Practice]:
    home = tmp_path_factory.mktemp("practice") / "home"
    with practice_on(postgres_server, home) as found:
        _logged(found.alice, "alice")
        _logged(found.bob, "bob")
        yield found


@pytest.fixture(autouse=True)
def _inside(practice: Practice) -> None:
    """Every test of the module runs on the one practice the fixture made."""


def _outputs(cli: Cli, client: str | None = None) -> str:
    """What every reading command prints for a practitioner (all their clients, or one)."""
    on = ("--client", client) if client else ()
    commands = [
        ("clients", "--json"), ("list", "--json"), ("summary", "--json"), ("stats",),
        ("stats", "--all-clients"), ("export",), ("export", "--all"), ("attack", "list", "--json"),
        ("audit", "--json"), ("audit",), ("calendar",), ("therapies",), ("check", "--json"),
    ]  # fmt: skip
    texts = []
    for command in commands:
        result = cli(*on, *command)
        assert result.exit_code in (0, 1), (command, result.stdout, result.stderr)
        texts.append(result.stdout + result.stderr)
    return "\n".join(texts)


@pytest.mark.parametrize(("me", "other"), [("alice", "bob"), ("bob", "alice")])
def test_no_command_shows_another_practitioners_clients(
    practice: Practice, me: str, other: str
) -> None:
    cli = getattr(practice, me)
    seen = _outputs(cli) + _outputs(cli, SECRETS[me][0])
    for secret in SECRETS[other]:
        assert secret not in seen
    for secret in SECRETS[me]:
        assert secret in seen  # the same commands do show one's own
    assert [c["name"] for c in cli.json("clients")] == [SECRETS[me][0]]
    assert len(cli.json("list")) == 2
    document = json.loads(cli.ok("--client", SECRETS[me][0], "export", "--all").stdout)
    assert SECRETS[other][1] not in json.dumps(document)
    # Another's client by name: unknown, with no "did you mean" pointing at them.
    for command in (("client", "export", SECRETS[other][0]),
                    ("--client", SECRETS[other][0], "list"),
                    ("audit", "--client", SECRETS[other][0]),
                    ("client", "erase", SECRETS[other][0], "--yes"),
                    ("client", "rename", SECRETS[other][0], "Stolen")):  # fmt: skip
        refused = cli(*command)
        assert refused.exit_code == 1, command
        assert SECRETS[other][0] not in refused.stderr.replace(f"{SECRETS[other][0]!r} in", "")
        assert "did you mean" not in refused.stderr
    assert SECRETS[other][0] in [c["name"] for c in getattr(practice, other).json("clients")]


def test_raw_sql_as_the_application_role_sees_and_changes_only_its_own(
    practice: Practice,
) -> None:
    import psycopg

    with practice.raw("diary_owner") as owner:
        bob_session = owner.execute(
            "SELECT s.id FROM session s JOIN client c ON c.id = s.client_id"
            " WHERE c.name = %s LIMIT 1", (SECRETS["bob"][0],),
        ).fetchone()[0]  # fmt: skip
        bob_attack = owner.execute(
            "SELECT a.id FROM attack a JOIN client c ON c.id = a.client_id WHERE c.name = %s",
            (SECRETS["bob"][0],),
        ).fetchone()[0]
        bob_client = owner.execute(
            "SELECT id FROM client WHERE name = %s", (SECRETS["bob"][0],)
        ).fetchone()[0]
        assert owner.execute("SELECT count(*) FROM session").fetchone()[0] == 4  # sees all
    with practice.raw("alice") as alice:
        for table, mine in (("session", 2), ("attack", 1), ("medication", 1), ("checkin", 1),
                            ("client", 1), ("addition", 4)):  # fmt: skip
            assert alice.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == mine, table
        changed = alice.execute("UPDATE session SET minutes = 1 WHERE id = %s", (bob_session,))
        assert changed.rowcount == 0
        assert alice.execute("DELETE FROM attack WHERE id = %s", (bob_attack,)).rowcount == 0
        mine = alice.execute("SELECT id FROM session LIMIT 1").fetchone()[0]
        refused = [
            ("INSERT INTO session (therapy_id, \"when\", minutes, pain_before, pain_after,"
             " client_id) VALUES (1, '2026-11-20T10:00:00+00:00', 30, 5, 4, %s)", (bob_client,)),
            ("UPDATE session SET client_id = %s WHERE id = %s", (bob_client, mine)),
            ("INSERT INTO medication (attack_id, name) VALUES (%s, 'x')", (bob_attack,)),
            ("INSERT INTO client (name, owner) VALUES ('Forged', 'bob')", ()),
            ("UPDATE client SET owner = 'bob'", ()),
            ("INSERT INTO client_share (client_id, role, owner) VALUES (%s, 'alice', 'bob')",
             (bob_client,)),
            ("INSERT INTO audit (\"at\", role, table_name, client_id, action)"
             " VALUES ('2026-01-01', 'bob', 'session', NULL, 'insert')", ()),
        ]  # fmt: skip
        for sql, params in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                alice.execute(sql.encode(), params)
    with practice.raw("diary_owner") as owner:
        assert owner.execute("SELECT count(*) FROM session").fetchone()[0] == 4
        assert (
            owner.execute("SELECT minutes FROM session WHERE id = %s", (bob_session,)).fetchone()[0]
            != 1
        )


def test_a_write_of_anothers_record_by_the_cli_is_refused(practice: Practice) -> None:
    with practice.raw("diary_owner") as owner:
        bob_session = owner.execute(
            "SELECT s.id FROM session s JOIN client c ON c.id = s.client_id WHERE c.name = %s"
            " LIMIT 1", (SECRETS["bob"][0],),
        ).fetchone()[0]  # fmt: skip
    for command in (("show", str(bob_session)), ("edit", str(bob_session), "--minutes", "1"),
                    ("delete", str(bob_session), "--yes")):  # fmt: skip
        result = practice.alice(*command)
        assert result.exit_code == 1, command
        assert f"no session with id {bob_session}" in result.stderr


def test_sharing_gives_access_and_unsharing_takes_it_back(practice: Practice) -> None:
    alice, bob = practice.alice, practice.bob
    alice.ok("client", "add", "Cleo Cedar")
    alice.ok("--client", "Cleo Cedar", "log", "massage", "--when", "2026-11-05 09:00",
             "--minutes", "30", "--pain-before", "4", "--pain-after", "2",
             "--notes", "cleo-9")  # fmt: skip
    assert "Cleo Cedar" not in bob.ok("clients").stdout
    shared = alice.ok("client", "share", "Cleo Cedar", "--with", "bob")
    assert "Shared client 'Cleo Cedar' with bob" in shared.stdout
    assert "already" in alice.ok("client", "share", "Cleo Cedar", "--with", "bob").stdout
    assert {c["name"] for c in bob.json("clients")} == {"Bert Birch", "Cleo Cedar"}
    assert "cleo-9" in bob.ok("--client", "Cleo Cedar", "list").stdout
    bob.ok("--client", "Cleo Cedar", "log", "massage", "--when", "2026-11-06 09:00",
           "--minutes", "30", "--pain-before", "4", "--pain-after", "1")  # fmt: skip
    # Bob may change the client's records, not the client: no share, rename or erase.
    for command in (("client", "share", "Cleo Cedar", "--with", "bob"),
                    ("client", "unshare", "Cleo Cedar", "--with", "alice"),
                    ("client", "erase", "Cleo Cedar", "--yes"),
                    ("client", "rename", "Cleo Cedar", "Cleo B.")):  # fmt: skip
        refused = bob(*command)
        assert refused.exit_code == 1, command
        assert "only the client's owner" in refused.stderr
    assert len(alice.json("--client", "Cleo Cedar", "list")) == 2  # the erase left it whole
    unknown = alice("client", "share", "Cleo Cedar", "--with", "mallory")
    assert (unknown.exit_code, "no practitioner 'mallory'" in unknown.stderr) == (1, True)
    alice.ok("client", "unshare", "Cleo Cedar", "--with", "bob")
    assert "not shared" in alice.ok("client", "unshare", "Cleo Cedar", "--with", "bob").stdout
    seen = _outputs(bob)
    assert "Cleo Cedar" not in seen
    assert "cleo-9" not in seen
    assert [c["name"] for c in bob.json("clients")] == ["Bert Birch"]


def test_every_write_is_audited_with_role_and_action_and_never_its_text(
    practice: Practice,
) -> None:
    alice = practice.alice
    alice.ok("client", "add", "Dora Dune")
    alice.ok("--client", "Dora Dune", "log", "shiatsu", "--when", "2026-11-07 09:00",
             "--minutes", "30", "--pain-before", "4", "--pain-after", "2",
             "--notes", "dora-5")  # fmt: skip
    dora = next(c for c in alice.json("audit") if c["client"] == "Dora Dune")["client_id"]
    erased = alice.ok("client", "erase", "Dora Dune", "--yes")
    assert "Erased client 'Dora Dune'" in erased.stdout
    with practice.raw("diary_owner") as owner:
        rows = owner.execute(
            'SELECT "at", role, table_name, record_id, client_id, action FROM audit ORDER BY id'
        ).fetchall()
        everything = repr(rows)
    assert {r[1] for r in rows} >= {"alice", "bob"}
    assert {(r[1], r[5]) for r in rows} >= {
        ("alice", "insert"), ("alice", "update"), ("alice", "delete"), ("alice", "erase"),
        ("bob", "insert"), ("bob", "update"),
    }  # fmt: skip
    assert [r[4] for r in rows if r[5] == "erase"] == [dora]
    assert any(r[2] == "session" and r[4] == dora and r[5] == "delete" for r in rows)
    for secret in [*SECRETS["alice"], *SECRETS["bob"], "Dora Dune", "dora-5", "craniosacral",
                   "shiatsu", "massage", "Cleo Cedar", "cleo-9"]:  # fmt: skip
        assert secret not in everything
    # Alice still sees that she erased Dora (her own write), and nothing of bob's.
    mine = alice.json("audit")
    assert any(e["action"] == "erase" and e["client_id"] == dora for e in mine)
    assert {e["role"] for e in mine} == {"alice", "bob"}  # bob: while Cleo was shared
    assert {e["client"] for e in mine if e["role"] == "bob"} == {"Cleo Cedar"}
    assert {e["role"] for e in practice.owner.json("audit")} >= {"alice", "bob"}


def test_the_audit_cannot_be_changed_by_anyone(practice: Practice) -> None:
    import psycopg

    for role in ("alice", "bob", "diary_owner"):
        with practice.raw(role) as conn:
            for sql in ("UPDATE audit SET role = 'nobody'", "DELETE FROM audit",
                        "TRUNCATE audit"):  # fmt: skip
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(sql.encode())
    with practice.raw("alice") as alice:  # SET ROLE does not put another name on a write
        alice.execute("SET ROLE migraine_practitioner")
        alice.execute("UPDATE session SET minutes = minutes")
        last = alice.execute("SELECT role FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        assert last == ("alice",)


def test_check_reports_row_level_security_and_privileges(practice: Practice) -> None:
    health = practice.owner.json("check")
    assert health["healthy"] is True
    assert health["row_level_security"] == list(schema.GUARDED_TABLES)
    privileges = health["practitioner_privileges"]
    assert privileges["audit"] == ["SELECT", "INSERT"]
    assert privileges["schema_version"] == ["SELECT"]
    assert privileges["session"] == ["SELECT", "INSERT", "UPDATE", "DELETE"]
    text = practice.owner.ok("check").stdout
    assert f"row-level security enabled and forced on {len(schema.GUARDED_TABLES)}" in text
    with practice.raw("diary_owner") as owner:
        owner.execute("ALTER TABLE session NO FORCE ROW LEVEL SECURITY")
        owner.execute("GRANT UPDATE ON audit TO migraine_practitioner")
    broken = practice.owner("check")
    assert broken.exit_code == 1
    assert "row-level security is not enabled and forced on session" in broken.stdout
    assert "privileges practitioners need on audit" in broken.stdout
    again = practice.owner.ok("upgrade")
    assert "nothing to do" in again.stdout
    assert practice.owner.json("check")["healthy"] is True


def test_upgrade_by_an_owner_who_cannot_make_the_role_stops_with_the_fix(
    practice: Practice, tmp_path: Path
) -> None:
    import psycopg

    server = practice.server
    server.admin("CREATE ROLE lean_owner LOGIN NOCREATEROLE")
    server.admin("CREATE DATABASE lean_practice OWNER lean_owner")
    server.admin("ALTER ROLE migraine_practitioner RENAME TO migraine_practitioner_kept")
    try:
        lean = Cli(server.url("lean_practice", "lean_owner"))
        result = lean("upgrade")
        assert result.exit_code == 1
        (line,) = result.stderr.splitlines()
        assert "an administrator must run 'CREATE ROLE migraine_practitioner NOLOGIN;'" in line
        assert "nothing was changed" in line
        with psycopg.connect(server.url("lean_practice", "lean_owner")) as conn:
            found = conn.execute("SELECT to_regclass('schema_version')").fetchone()
        assert found == (None,)  # nothing half done
    finally:
        server.admin("ALTER ROLE migraine_practitioner_kept RENAME TO migraine_practitioner")
    created = lean.ok("upgrade")  # the role exists again: used, not made
    assert "Created the diary's schema" in created.stdout


def test_a_password_in_the_url_never_shows(practice: Practice) -> None:
    url = practice.url("alice").replace("alice@", "alice:pw-S3cret-42@")
    cli = Cli(url)
    for command in (("audit",), ("clients",), ("client", "share", "Anne Alder", "--with", "x"),
                    ("client", "export", "Nobody"), ("--client", "Nobody", "audit")):  # fmt: skip
        result = cli(*command)
        assert "pw-S3cret-42" not in result.stdout + result.stderr, command


def test_a_practitioner_without_clients_is_told_to_add_one(practice: Practice) -> None:
    server = practice.server
    server.admin("CREATE ROLE carol LOGIN")
    server.admin("GRANT migraine_practitioner TO carol")
    carol = Cli(practice.url("carol"))
    refused = carol("log", "craniosacral", "-m", "45", "-b", "5", "-a", "4")
    assert refused.exit_code == 1
    assert "you have no client in this practice yet" in refused.stderr
    assert carol.json("list") == []
    assert carol.json("clients") == []


def test_a_client_is_shared_only_with_another_practitioner(practice: Practice) -> None:
    alice = practice.alice
    mine = alice("client", "share", "Anne Alder", "--with", "alice")
    assert mine.exit_code == 1
    (line,) = mine.stderr.splitlines()
    assert "yours already" in line
    # The cluster's superuser and the database's owner pass every role check, and are no
    # practitioners for all that: not members of migraine_practitioner.
    for role in ("migraine_admin", "diary_owner"):
        refused = alice("client", "share", "Anne Alder", "--with", role)
        assert refused.exit_code == 1, role
        assert f"no practitioner {role!r}" in refused.stderr
    with practice.raw("diary_owner") as owner:
        assert owner.execute("SELECT count(*) FROM client_share").fetchone()[0] == 0
    alice.ok("client", "share", "Anne Alder", "--with", "bob")
    alice.ok("client", "unshare", "Anne Alder", "--with", "bob")


def test_the_audit_calls_a_client_no_longer_shared_not_erased(practice: Practice) -> None:
    alice, bob = practice.alice, practice.bob
    alice.ok("client", "add", "Eva Elm")
    alice.ok("client", "share", "Eva Elm", "--with", "bob")
    bob.ok("--client", "Eva Elm", "log", "massage", "--when", "2026-11-08 09:00",
           "--minutes", "30", "--pain-before", "4", "--pain-after", "2")  # fmt: skip
    eva = next(e["client_id"] for e in bob.json("audit") if e["client"] == "Eva Elm@alice")
    alice.ok("client", "unshare", "Eva Elm", "--with", "bob")
    text = bob.ok("audit").stdout
    assert f"#{eva} (erased)" not in text
    assert f"#{eva} (not shared with you now)" in " ".join(text.split())
    dora = next(e["client_id"] for e in alice.json("audit") if e["action"] == "erase")
    assert f"#{dora} (erased)" in alice.ok("audit").stdout  # erased: her audit says so


def test_a_login_role_not_yet_a_practitioner_is_told_who_grants_it(practice: Practice) -> None:
    practice.server.admin("CREATE ROLE dave LOGIN")
    url = practice.url("dave").replace("dave@", "dave:pw-D4ve-77@")
    result = Cli(url)("clients")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert "not a practitioner of this database" in line
    assert "GRANT migraine_practitioner TO dave;" in line
    assert "schema needs the database's owner" not in line
    assert "pw-D4ve-77" not in result.stdout + result.stderr
