"""Practice mode's guarantees on PostgreSQL, made by `migraine upgrade`: the practitioners'
group role and its privileges, row-level security on every table holding a client's data,
and the audit's triggers (SQLite's own are in storage/schema.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from migraine_diary.domain.hints import command_line
from migraine_diary.errors import DiaryError
from migraine_diary.storage import schema

if TYPE_CHECKING:
    import psycopg

ROLE = "migraine_practitioner"
CREATE_ROLE = f"CREATE ROLE {ROLE} NOLOGIN;"

# The practice's vocabulary, shared by every practitioner (no client's data in a row).
SHARED_TABLES = ("therapy", "medication_class")
# The tables practitioners read and change (the audit only grows; schema_version is read).
DATA_TABLES = tuple(t for t in schema.GUARDED_TABLES if t != "audit") + SHARED_TABLES

# Whoever owns the database (the practice's administrator) sees every row: `upgrade` and
# `check` need it. Wrapped in a sub-select so a query evaluates it once, not per row.
_ADMIN = "(SELECT migraine_is_admin())"
_VISIBLE_CLIENT = "client_id IN (SELECT id FROM client)"


def _parent(table: str, column: str, alias: str) -> str:
    """A row's parent (through `column`) is visible: RLS on the parent decides."""
    return f"EXISTS (SELECT 1 FROM {table} {alias} WHERE {alias}.id = {column})"


def _optional(table: str, column: str, alias: str) -> str:
    return f"({column} IS NULL OR {_parent(table, column, alias)})"


# table -> (who sees and changes a row, what a row written must also satisfy): a row is
# visible when its client (or its parent) is; a write may not point at another's records.
_ROWS: dict[str, tuple[str, str]] = {
    **dict.fromkeys(
        ("session", "attack", "plan", "score", "checkin", "kept_range"), (_VISIBLE_CLIENT, "")
    ),
    "addition": (
        _VISIBLE_CLIENT,
        f"{_optional('session', 'session_id', 's')} AND {_optional('attack', 'attack_id', 'a')}",
    ),
    **{
        t: (_parent("attack", "attack_id", "a"), "")
        for t in ("medication", "attack_detail", "attack_origin", "attack_mbs")
    },
    "plan_slot": (_parent("plan", "plan_id", "p"), _optional("session", "session_id", "s")),
    "plan_deviation": (_parent("plan", "plan_id", "p"), _optional("session", "session_id", "s")),
    "acute_rating": (
        f"({_optional('session', 'session_id', 's')}"
        f" AND {_optional('medication', 'medication_id', 'm')})",
        "",
    ),
}

# (name, table, command, USING, WITH CHECK): the policies besides the per-row ones above.
_POLICIES: list[tuple[str, str, str, str | None, str | None]] = [
    (
        "seen", "client", "SELECT",
        "owner = current_user OR id IN (SELECT client_id FROM client_share"
        f" WHERE role = current_user) OR {_ADMIN}",
        None,
    ),
    ("added", "client", "INSERT", None, f"owner = current_user OR {_ADMIN}"),
    (
        "changed", "client", "UPDATE",
        f"owner = current_user OR {_ADMIN}", f"owner = current_user OR {_ADMIN}",
    ),
    ("erased", "client", "DELETE", f"owner = current_user OR {_ADMIN}", None),
    # A share names the client's owner (not the client: a client's policy reads the shares).
    (
        "seen", "client_share", "SELECT",
        f"role = current_user OR owner = current_user OR {_ADMIN}", None,
    ),
    (
        "shared", "client_share", "INSERT", None,
        f"owner = migraine_client_owner(client_id) AND (owner = current_user OR {_ADMIN})",
    ),
    (
        "unshared", "client_share", "DELETE",
        f"owner = current_user OR role = current_user OR {_ADMIN}", None,
    ),
    # The audit: what a role did itself, and everything about its clients.
    (
        "seen", "audit", "SELECT",
        f"role = session_user OR {_VISIBLE_CLIENT} OR {_ADMIN}", None,
    ),
    (
        "recorded", "audit", "INSERT", None,
        f"(role = session_user AND (client_id IS NULL OR {_VISIBLE_CLIENT})) OR {_ADMIN}",
    ),
]  # fmt: skip


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def ensure_role(conn: psycopg.Connection[Any], where: str) -> None:
    """The practitioners' group role: used if it exists, else made; an owner who cannot make
    it is told what an administrator must run (before anything is changed)."""
    row = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ROLE,)).fetchone()
    if row is not None:
        return
    can = conn.execute(
        "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    if not (can and can[0]):
        raise DiaryError(
            f"the database at {where} needs the role {ROLE}, and this role may not create "
            f"roles: an administrator must run '{CREATE_ROLE}' once, then run "
            f"'{command_line('upgrade')}' again; nothing was changed"
        )
    conn.execute(CREATE_ROLE.rstrip(";").encode())


def secure(conn: psycopg.Connection[Any]) -> None:
    """Functions, audit triggers, row-level security and privileges, made again each time (so
    an upgrade brings them up to date); inside the upgrade's transaction."""
    row = conn.execute("SELECT current_schema()").fetchone()
    assert row is not None
    namespace = _quoted(str(row[0]))
    for statement in _functions(namespace) + _audit_triggers(namespace) + _row_security():
        conn.execute(statement.encode())
    for statement in _privileges(namespace):
        conn.execute(statement.encode())


def _functions(namespace: str) -> list[str]:
    path = f"SET search_path = {namespace}, pg_temp"
    return [
        "CREATE OR REPLACE FUNCTION migraine_is_admin() RETURNS boolean LANGUAGE sql STABLE"
        " AS $$ SELECT pg_has_role(d.datdba, 'MEMBER') FROM pg_database d"
        " WHERE d.datname = current_database() $$",
        # Read past row-level security (as the database's owner): a share's check needs the
        # client's owner, and the client's own policy reads the shares.
        "CREATE OR REPLACE FUNCTION migraine_client_owner(bigint) RETURNS text LANGUAGE sql"
        f" STABLE SECURITY DEFINER {path} AS $$ SELECT owner FROM client WHERE id = $1 $$",
        "REVOKE ALL ON FUNCTION migraine_client_owner(bigint) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION migraine_client_owner(bigint) TO {ROLE}",
        "CREATE OR REPLACE FUNCTION migraine_audit_kept() RETURNS trigger LANGUAGE plpgsql"
        " AS $$ BEGIN RAISE EXCEPTION 'the audit is append-only'"
        " USING ERRCODE = 'insufficient_privilege'; END $$",
    ]


_NOW = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')"


def _audit_triggers(namespace: str) -> list[str]:
    """One SECURITY DEFINER function per table (practitioners need no privilege on audit to
    be audited), recording the login role: SET ROLE cannot put another name on a write."""
    made = []
    for table, (record, client) in schema.AUDITED.items():
        rows = []
        for operation, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            action = schema.audit_action(table, operation)
            rows.append(
                f"IF TG_OP = '{operation}' THEN INSERT INTO audit"
                ' ("at", role, table_name, record_id, client_id, action) VALUES'
                f" ({_NOW}, session_user, '{table}', {record.format(row=row)},"
                f" {client.format(row=row)}, '{action}'); END IF;"
            )
        made += [
            f"CREATE OR REPLACE FUNCTION migraine_audit_{table}() RETURNS trigger"
            f" LANGUAGE plpgsql SECURITY DEFINER SET search_path = {namespace}, pg_temp"
            f" AS $$ BEGIN {' '.join(rows)} RETURN NULL; END $$",
            f"CREATE OR REPLACE TRIGGER audit_{table} AFTER INSERT OR UPDATE OR DELETE"
            f" ON {table} FOR EACH ROW EXECUTE FUNCTION migraine_audit_{table}()",
        ]
    return [
        *made,
        # Per statement: it fires even when row-level security lets no row be touched.
        "CREATE OR REPLACE TRIGGER audit_kept BEFORE UPDATE OR DELETE OR TRUNCATE ON audit"
        " FOR EACH STATEMENT EXECUTE FUNCTION migraine_audit_kept()",
    ]


def _row_security() -> list[str]:
    made = []
    for table in schema.GUARDED_TABLES:
        made += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        ]
        found = "SELECT polname FROM pg_policy WHERE polrelid = '{table}'::regclass"
        made.append(
            "DO $$ DECLARE p text; BEGIN FOR p IN "
            + found.format(table=table)
            + f" LOOP EXECUTE format('DROP POLICY %I ON {table}', p); END LOOP; END $$"
        )
    for table, (rows, written) in _ROWS.items():
        written_too = f"({rows}) AND {written}" if written else rows
        made.append(f"CREATE POLICY own ON {table} USING ({rows}) WITH CHECK ({written_too})")
    for name, table, command, using, check in _POLICIES:
        clauses = (f" USING ({using})" if using else "") + (
            f" WITH CHECK ({check})" if check else ""
        )
        made.append(f"CREATE POLICY {name} ON {table} FOR {command}{clauses}")
    return made


def _privileges(namespace: str) -> list[str]:
    """Exactly what practitioners need: rows of the data tables; the audit to read and add
    to (never to change); the schema's version to read; the sequences to draw ids from and
    to move past ids an import kept (the audit's excepted: it only ever draws)."""
    tables = ", ".join(DATA_TABLES)
    return [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {namespace} FROM {ROLE}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {namespace} FROM {ROLE}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {ROLE}",
        f"GRANT SELECT, INSERT ON audit TO {ROLE}",
        f"GRANT SELECT ON schema_version TO {ROLE}",
        f"GRANT USAGE, UPDATE ON ALL SEQUENCES IN SCHEMA {namespace} TO {ROLE}",
        f"REVOKE UPDATE ON SEQUENCE {namespace}.audit_id_seq FROM {ROLE}",
    ]


def expected_privileges() -> dict[str, set[str]]:
    """What `check` expects the practitioners' role to hold, table by table."""
    expected = {t: {"SELECT", "INSERT", "UPDATE", "DELETE"} for t in DATA_TABLES}
    return {**expected, "audit": {"SELECT", "INSERT"}, "schema_version": {"SELECT"}}
