"""Client names in a practice on PostgreSQL are each practitioner's own: two practitioners
may each have an 'Anne Alder', a refusal never tells of another's client, and `--client NAME`
picks one's own, else the one shared, else asks for its owner (NAME@OWNER)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from conftest import Cli, Practice, practice_on

# One practice (a module-scoped database) that the tests below go on writing to, in order: the
# whole module runs on one xdist worker, so every test sees what the ones before it wrote.
pytestmark = pytest.mark.xdist_group("client_names")

pytest.importorskip("psycopg")

NAME = "Anne Alder"  # a common name: alice's client and bob's, two people
THIRD = "dana"  # a third practitioner, whom both alice and bob share their Anne Alder with


def _session(cli: Cli, client: str, note: str) -> None:
    cli.ok("--client", client, "log", "craniosacral", "--when", "2026-11-02 10:00",
           "-m", "45", "-b", "6", "-a", "3", "--notes", note)  # fmt: skip


@pytest.fixture(scope="module")
def practice(postgres_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Practice]:
    home = tmp_path_factory.mktemp("practice") / "home"
    with practice_on(postgres_server, home) as found:
        yield found


@pytest.fixture(autouse=True)
def _inside(practice: Practice) -> None:
    """Every test of the module runs on the one practice the fixture made."""


def test_two_practitioners_may_each_have_a_client_of_the_same_name(practice: Practice) -> None:
    alice, bob = practice.alice, practice.bob
    bob.ok("client", "add", NAME)
    _session(bob, NAME, "bob-note-3381")
    added = alice("client", "add", NAME)  # bob's Anne Alder, unseen, neither blocks nor shows
    assert added.exit_code == 0, added.stderr
    _session(alice, NAME, "alice-note-5170")
    assert [c["name"] for c in alice.json("clients")] == [NAME]
    assert [c["name"] for c in bob.json("clients")] == [NAME]
    assert "bob-note-3381" not in alice.ok("--client", NAME, "list").stdout
    assert "alice-note-5170" not in bob.ok("--client", NAME, "list").stdout
    # One's own name twice is refused as ever.
    again = alice("client", "add", NAME)
    assert again.exit_code == 1
    refusal = f"there is a client {NAME!r} already; nothing was changed"  # as ever
    assert again.stderr == f"migraine: error: {refusal}\n"
    # The database's owner sees both; renaming to a name is a clash only with one's own.
    names = practice.owner.json("clients")
    assert [(c["name"], c["owner"]) for c in names] == [(NAME, "alice"), (NAME, "bob")]
    bob.ok("client", "add", "Bert Birch")
    bob.ok("client", "rename", "Bert Birch", "Bert B.")
    assert bob("client", "rename", "Bert B.", NAME).exit_code == 1  # his own name: a clash
    alice.ok("client", "add", "Bert B.")


def test_ones_own_client_wins_over_one_shared_of_the_same_name(practice: Practice) -> None:
    alice, bob = practice.alice, practice.bob
    bob.ok("client", "share", NAME, "--with", "alice")
    seen = alice.ok("--client", NAME, "list").stdout
    assert "alice-note-5170" in seen
    assert "bob-note-3381" not in seen
    # The shared one is marked with its owner, and picked by NAME@OWNER.
    table = alice.ok("clients").stdout
    assert f"{NAME}@bob" in table
    assert [(c["name"], c["owner"]) for c in alice.json("clients")] == [
        (NAME, "alice"), (NAME, "bob"), ("Bert B.", "alice"),
    ]  # fmt: skip
    assert "bob-note-3381" in alice.ok("--client", f"{NAME}@bob", "list").stdout
    assert "alice-note-5170" in alice.ok("--client", f"{NAME}@alice", "list").stdout
    # Only a client shared with one, not one merely named: bob's Bert B. stays unseen.
    refused = alice("--client", "Bert B.@bob", "list")
    assert refused.exit_code == 1
    bob.ok("client", "unshare", NAME, "--with", "alice")


def test_a_client_shared_by_one_owner_is_found_by_its_name(practice: Practice) -> None:
    practice.bob.ok("client", "add", "Cleo Cedar")
    _session(practice.bob, "Cleo Cedar", "cleo-note-2231")
    practice.bob.ok("client", "share", "Cleo Cedar", "--with", "alice")
    assert "cleo-note-2231" in practice.alice.ok("--client", "Cleo Cedar", "list").stdout


def test_two_shared_clients_of_one_name_from_two_owners_are_told_apart(
    practice: Practice,
) -> None:
    server = practice.server
    server.admin(
        f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{THIRD}')"
        f" THEN CREATE ROLE {THIRD} LOGIN; END IF; END $$"
    )
    server.admin(f"GRANT migraine_practitioner TO {THIRD}")
    practice.alice.ok("client", "share", NAME, "--with", THIRD)
    practice.bob.ok("client", "share", NAME, "--with", THIRD)
    dana = Cli(practice.url(THIRD))
    for cli in (dana, practice.owner):  # the database's owner sees both, owns neither
        refused = cli("--client", NAME, "list")
        assert refused.exit_code == 1
        assert refused.stderr.count("\n") == 1
        line = refused.stderr
        assert "of alice and bob" in line, line
        assert f"{NAME}@alice" in line, line
        assert "alice-note-5170" in cli.ok("--client", f"{NAME}@alice", "list").stdout
        assert "bob-note-3381" in cli.ok("--client", f"{NAME}@bob", "list").stdout
    nobody = dana("--client", f"{NAME}@carl", "list")
    assert nobody.exit_code == 1
    assert "did you mean" in nobody.stderr or "no client" in nobody.stderr


def test_two_clients_of_one_name_are_never_shown_or_counted_as_one(practice: Practice) -> None:
    """Without --client, the database's owner (who owns neither) sees alice's and bob's Anne
    Alder in every listing as NAME@OWNER, as --client takes them: two rows in `list`, two
    series in the across-clients table, two labels in the audit; alice sees her own by name."""
    owner, alice = practice.owner, practice.alice
    notes = ("alice-note-5170", "bob-note-3381")
    labels = {s["client"] for s in owner.json("list") if s["notes"] in notes}
    assert labels == {f"{NAME}@alice", f"{NAME}@bob"}
    table = owner.json("stats", "--all-clients", "craniosacral")["across_clients"]
    clients = {row["client"] for therapy in table for row in therapy["clients"]}
    assert {f"{NAME}@alice", f"{NAME}@bob"} <= clients
    assert {e["client"] for e in owner.json("audit")} >= {f"{NAME}@alice", f"{NAME}@bob"}
    mine = {s["client"] for s in alice.json("list") if s["notes"] == "alice-note-5170"}
    assert mine == {NAME}


def test_a_listing_across_clients_labels_anothers_client_with_its_owner(
    practice: Practice,
) -> None:
    """A session's client in a listing of every client is named as `clients` names them and
    --client takes them: one's own by name, another's shared one as NAME@OWNER (alice's own
    Anne Alder and bob's shared one were both labelled 'Anne Alder')."""
    alice, bob = practice.alice, practice.bob
    bob.ok("client", "share", NAME, "--with", "alice")
    labels = {s["notes"]: s["client"] for s in alice.json("list")}
    assert labels["alice-note-5170"] == NAME
    assert labels["bob-note-3381"] == f"{NAME}@bob"
    assert "bob-note-3381" in alice.ok("--client", labels["bob-note-3381"], "list").stdout
    assert f"{NAME}@bob" in alice.ok("list").stdout
    assert {s["client"] for s in bob.json("list")} >= {NAME}  # his own: no owner shown
    bob.ok("client", "unshare", NAME, "--with", "alice")
