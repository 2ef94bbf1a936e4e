"""Whose records a connection reads and writes: the one client chosen with --client, or every
client (a read) and the diary's only one (a write). Every query that touches a client's
records asks here, so no query is scoped by hand.

The choice rides on the connection (`Connection.info`), set by the diary when it hands the
connection out: the query functions keep their signatures, and a connection never outlives
its command (no pool keeps it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from migraine_diary.domain.hints import command_line
from migraine_diary.domain.words import plural
from migraine_diary.errors import DiaryError
from migraine_diary.storage.schema import IMPLICIT_CLIENT

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

_CHOSEN = "migraine_diary.client"
_WRITES_TO = "migraine_diary.writes_to"


def choose(conn: Connection, client_id: int | None) -> None:
    """Scope the connection to one client (None: every client, as a personal diary reads)."""
    conn.info[_CHOSEN] = client_id
    conn.info.pop(_WRITES_TO, None)


def chosen(conn: Connection) -> int | None:
    value = conn.info.get(_CHOSEN)
    return int(value) if value is not None else None


def only(conn: Connection, alias: str = "") -> tuple[str, dict[str, Any]]:
    """The condition keeping a read to the chosen client ("" when every client is read), and
    its parameter."""
    client = chosen(conn)
    if client is None:
        return "", {}
    column = f"{alias}.client_id" if alias else "client_id"
    return f"{column} = :scope_client", {"scope_client": client}


def within(
    conn: Connection, where: str, params: dict[str, Any], alias: str = ""
) -> tuple[str, dict[str, Any]]:
    """A WHERE clause (or "") narrowed to the chosen client."""
    condition, extra = only(conn, alias)
    if not condition:
        return where, params
    joined = f"{where} AND {condition}" if where else f" WHERE {condition}"
    return joined, {**params, **extra}


def literal(client_id: int | None, alias: str = "") -> str:
    """The chosen client as a WHERE clause with the id written in (for a streamed query run
    on the raw driver, where parameters differ by engine): an int, so nothing to escape."""
    if client_id is None:
        return ""
    column = f"{alias}.client_id" if alias else "client_id"
    return f" WHERE {column} = {int(client_id)}"


def writing(conn: Connection) -> int:
    """The client a write goes to: the chosen one; without a choice the diary's only client
    (a personal diary's implicit one). With named clients and none chosen, a write refuses to
    guess (and names no client: they are people)."""
    client = chosen(conn)
    if client is not None:
        return client
    if _WRITES_TO in conn.info:
        return int(conn.info[_WRITES_TO])
    from sqlalchemy import text

    # The clients this role sees (row-level security on PostgreSQL): the named ones, and
    # whether the implicit one is among them (a practitioner never sees it).
    row = conn.execute(
        text("SELECT COUNT(name), COUNT(CASE WHEN id = :implicit THEN 1 END) FROM client"),
        {"implicit": IMPLICIT_CLIENT},
    ).one()
    named, implicit = int(row[0]), int(row[1])
    if not named and not implicit:
        raise DiaryError(
            f"you have no client in this practice yet: add one with "
            f"'{command_line('client add NAME')}', then name them with --client; nothing was "
            "written"
        )
    if named:
        clients = plural(named, "client")
        raise DiaryError(
            f"name the client with --client; the diary has {clients} "
            f"(run '{command_line('clients')}' to see them); nothing was written"
        )
    conn.info[_WRITES_TO] = IMPLICIT_CLIENT
    return IMPLICIT_CLIENT


def mine(conn: Connection, alias: str = "") -> tuple[str, dict[str, Any]]:
    """The condition keeping a change to the client written to (see `writing`)."""
    column = f"{alias}.client_id" if alias else "client_id"
    return f"{column} = :write_client", {"write_client": writing(conn)}


def kept_client(values: dict[str, Any]) -> dict[str, Any]:
    """An edit's new values without client_id: a record's client never changes by an edit
    (a row built afresh carries the implicit client's id, and would move it there)."""
    return {column: value for column, value in values.items() if column != "client_id"}


def own_client(conn: Connection, alias: str = "c") -> str:
    """Whether a client row is the connected role's own: every client on SQLite, which has
    no roles (owner NULL); on PostgreSQL the ones it made."""
    from migraine_diary.storage.engines import part

    return f"COALESCE({alias}.owner, '') = COALESCE({part(conn).CURRENT_ROLE}, '')"


def shown_name_sql(conn: Connection, alias: str = "c") -> str:
    """A client's name as the connected role is shown it, in SQL (alias: the client row):
    domain.clients.shown_name's rule, for a query that labels or groups rows by client (its
    own client's name alone, another's as NAME@OWNER, as `--client` takes it), so two people
    of one name are never shown, or counted, as one."""
    return (
        f"CASE WHEN {alias}.owner IS NULL OR {own_client(conn, alias)} THEN {alias}.name"
        f" ELSE {alias}.name || '@' || {alias}.owner END"
    )
