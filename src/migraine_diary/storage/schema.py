"""The diary's schema: the append-only migrations and the version they lead to.

The schema version is a one-row table (not `PRAGMA user_version`) so the same migrations can
run on PostgreSQL later; checking it on open is one indexed read, whatever the diary's size.
"""

from __future__ import annotations


class SqliteOnly(str):
    """A statement only SQLite runs: PostgreSQL makes the same thing its own way, in
    storage/postgres/security.py (the audit's triggers are plpgsql functions there), or in a
    PostgresOnly statement of the same step."""


class PostgresOnly(str):
    """A statement only PostgreSQL runs (as written, untranslated): what SQLite can only do
    by making a table again, PostgreSQL does in place (ALTER TABLE ... CONSTRAINT)."""


# What the audit records of a row of each data table: an expression for the record's id and
# one for its client's id, with {row} for NEW or OLD (the same SQL on both engines). Ids only:
# never a name, a note, a pain or a therapy. A child's client is its parent's (NULL once the
# parent is gone, as when a parent's delete cascades to it).
_ATTACK_CLIENT = "(SELECT client_id FROM attack WHERE id = {row}.attack_id)"
_PLAN_CLIENT = "(SELECT client_id FROM plan WHERE id = {row}.plan_id)"
AUDITED: dict[str, tuple[str, str]] = {
    "client": ("{row}.id", "{row}.id"),
    "client_share": ("{row}.client_id", "{row}.client_id"),
    "therapy": ("{row}.id", "NULL"),
    "medication_class": ("NULL", "NULL"),
    "session": ("{row}.id", "{row}.client_id"),
    "attack": ("{row}.id", "{row}.client_id"),
    "plan": ("{row}.id", "{row}.client_id"),
    "score": ("{row}.id", "{row}.client_id"),
    "checkin": ("NULL", "{row}.client_id"),
    "kept_range": ("{row}.id", "{row}.client_id"),
    "addition": ("{row}.id", "{row}.client_id"),
    "medication": ("{row}.id", _ATTACK_CLIENT),
    "attack_detail": ("{row}.id", _ATTACK_CLIENT),
    "attack_origin": ("{row}.attack_id", _ATTACK_CLIENT),
    "attack_mbs": ("{row}.attack_id", _ATTACK_CLIENT),
    "plan_slot": ("{row}.plan_id", _PLAN_CLIENT),
    "plan_deviation": ("{row}.id", _PLAN_CLIENT),
    "acute_rating": (
        "{row}.id",
        "COALESCE((SELECT client_id FROM session WHERE id = {row}.session_id),"
        " (SELECT a.client_id FROM medication m JOIN attack a ON a.id = m.attack_id"
        " WHERE m.id = {row}.medication_id))",
    ),
}
# Deleting a client row is only ever `client erase` (its records went just before).
AUDIT_ACTIONS = {"INSERT": "insert", "UPDATE": "update", "DELETE": "delete"}
ERASE = "erase"


def audit_action(table: str, operation: str) -> str:
    return ERASE if (table, operation) == ("client", "DELETE") else AUDIT_ACTIONS[operation]


def _sqlite_audit_triggers(tables: tuple[str, ...] = tuple(AUDITED)) -> list[str]:
    """The audit's SQLite triggers, one per table and operation (role NULL: no roles)."""
    made: list[str] = []
    for table in tables:
        record, client = AUDITED[table]
        for operation, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            made.append(
                SqliteOnly(
                    f"CREATE TRIGGER audit_{table}_{operation.lower()} AFTER {operation}"
                    f" ON {table} BEGIN INSERT INTO audit"
                    " (at, role, table_name, record_id, client_id, action) VALUES"
                    " (strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), NULL,"
                    f" '{table}', {record.format(row=row)}, {client.format(row=row)},"
                    f" '{audit_action(table, operation)}'); END"
                )
            )
    return made


def _audit_trigger_names(tables: tuple[str, ...]) -> list[str]:
    return [
        f"audit_{t}_{operation}" for t in tables for operation in ("insert", "update", "delete")
    ]


# The tables whose audit triggers read the attack table (their client is their attack's): a
# step that makes attack again drops them first, as SQLite cannot rename a table into place
# while a trigger names a table that is not there.
_READ_ATTACK = tuple(t for t, (_, client) in AUDITED.items() if " attack " in f"{client} ")


def _made_again(
    table: str, create: str, columns: str, keep: list[str], triggers_reading: tuple[str, ...]
) -> list[str]:
    """SQLite's way to change a table's constraints (https://www.sqlite.org/lang_altertable.html
    #otheralter): make `table`_new, copy every row with its id, drop the old table, rename the
    new one into place (never the old one away: the references to it would follow it), then
    its indexes and triggers again. The runner has foreign keys off and checks them after.
    AUTOINCREMENT's high-water mark is carried over, so no id of a deleted row comes back."""
    new = f"{table}_new"
    return [
        *(SqliteOnly(f"DROP TRIGGER {t}") for t in _audit_trigger_names(triggers_reading)),
        SqliteOnly(create.replace(f"CREATE TABLE {table} (", f"CREATE TABLE {new} (", 1)),
        SqliteOnly(f"INSERT INTO {new} ({columns}) SELECT {columns} FROM {table}"),
        SqliteOnly(f"DELETE FROM sqlite_sequence WHERE name = '{new}'"),
        SqliteOnly(
            f"INSERT INTO sqlite_sequence (name, seq)"
            f" SELECT '{new}', seq FROM sqlite_sequence WHERE name = '{table}'"
        ),
        SqliteOnly(f"DROP TABLE {table}"),
        SqliteOnly(f"ALTER TABLE {new} RENAME TO {table}"),
        *(SqliteOnly(statement) for statement in keep),
        *_sqlite_audit_triggers((table, *triggers_reading)),
    ]


# Append-only: never edit a released step; add a new one and a test from the oldest schema.
MIGRATIONS: list[list[str]] = [
    [
        "CREATE TABLE schema_version (version INTEGER NOT NULL)",
        "CREATE TABLE therapy ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " name TEXT NOT NULL,"
        " key TEXT NOT NULL UNIQUE)",
        "CREATE TABLE session ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " therapy_id INTEGER NOT NULL REFERENCES therapy(id),"
        ' "when" TEXT NOT NULL,'
        " minutes INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 600),"
        " pain_before INTEGER NOT NULL CHECK (pain_before BETWEEN 0 AND 10),"
        " pain_after INTEGER NOT NULL CHECK (pain_after BETWEEN 0 AND 10),"
        " pain_later INTEGER CHECK (pain_later BETWEEN 0 AND 10),"
        " cost_cents INTEGER NOT NULL DEFAULT 0 CHECK (cost_cents >= 0),"
        " provider TEXT,"
        " during_attack BOOLEAN NOT NULL DEFAULT 0,"
        " notes TEXT)",
        'CREATE INDEX ix_session_when ON session ("when")',
        'CREATE INDEX ix_session_therapy_when ON session (therapy_id, "when")',
        "INSERT INTO schema_version (version) VALUES (0)",
    ],
    [  # 2: the attack diary (attacks, acute medication, user classes, recorded days)
        "CREATE TABLE attack ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " start TEXT NOT NULL,"
        ' "end" TEXT,'
        " peak INTEGER NOT NULL CHECK (peak BETWEEN 0 AND 10),"
        " aura BOOLEAN NOT NULL DEFAULT 0,"
        " notes TEXT,"
        " source TEXT NOT NULL DEFAULT 'typed',"
        " import_key TEXT UNIQUE,"
        ' CHECK ("end" IS NULL OR "end" >= start))',
        "CREATE INDEX ix_attack_start ON attack (start)",
        "CREATE TABLE medication ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " attack_id INTEGER NOT NULL REFERENCES attack(id) ON DELETE CASCADE,"
        " name TEXT NOT NULL,"
        " helpfulness TEXT"
        " CHECK (helpfulness IN ('helpful', 'somewhat', 'unhelpful', 'unsure')),"
        " taken_at TEXT)",
        "CREATE INDEX ix_medication_attack ON medication (attack_id)",
        "CREATE TABLE medication_class ("
        " key TEXT PRIMARY KEY,"
        " name TEXT NOT NULL,"
        ' "class" TEXT NOT NULL CHECK ("class" IN'
        " ('triptan', 'simple_analgesic', 'combination_analgesic', 'opioid', 'ergot',"
        " 'gepant', 'ditan', 'other')))",
        "CREATE TABLE checkin (day TEXT PRIMARY KEY)",
        "CREATE TABLE kept_range ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " first TEXT NOT NULL,"
        " last TEXT NOT NULL,"
        " CHECK (first <= last),"
        " UNIQUE (first, last))",
    ],
    [  # undo (issue 17): the records typed, in the order they were added, across tables
        "CREATE TABLE addition ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " session_id INTEGER REFERENCES session(id) ON DELETE CASCADE,"
        " attack_id INTEGER REFERENCES attack(id) ON DELETE CASCADE,"
        " checkin_day TEXT REFERENCES checkin(day) ON DELETE CASCADE,"
        " CHECK (CASE WHEN session_id IS NULL THEN 0 ELSE 1 END"
        " + CASE WHEN attack_id IS NULL THEN 0 ELSE 1 END"
        " + CASE WHEN checkin_day IS NULL THEN 0 ELSE 1 END = 1))",
        "CREATE INDEX ix_addition_session ON addition (session_id)",
        "CREATE INDEX ix_addition_attack ON addition (attack_id)",
        "CREATE INDEX ix_addition_checkin ON addition (checkin_day)",
    ],
    [  # attack detail (issue 16): triggers, symptoms, ... as values; an import's UTC offsets
        "CREATE TABLE attack_detail ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " attack_id INTEGER NOT NULL REFERENCES attack(id) ON DELETE CASCADE,"
        " kind TEXT NOT NULL CHECK (kind IN"
        " ('trigger', 'symptom', 'pain_position', 'most_bothersome', 'relief')),"
        " value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 200),"
        " key TEXT NOT NULL,"
        " helpfulness TEXT CHECK (helpfulness IS NULL OR (kind = 'relief' AND helpfulness IN"
        " ('helpful', 'somewhat', 'unhelpful', 'unsure'))),"
        " UNIQUE (attack_id, kind, key))",
        "CREATE INDEX ix_attack_detail_kind_key ON attack_detail (kind, key, attack_id)",
        "CREATE TABLE attack_origin ("
        " attack_id INTEGER PRIMARY KEY REFERENCES attack(id) ON DELETE CASCADE,"
        " start_offset INTEGER NOT NULL CHECK (start_offset BETWEEN -1080 AND 1080),"
        " end_offset INTEGER CHECK (end_offset BETWEEN -1080 AND 1080))",
    ],
    [  # randomised N-of-1 plans (issue 15): the plan, its slots, its deviations
        "CREATE TABLE plan ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " therapy_id INTEGER NOT NULL REFERENCES therapy(id),"
        " other_therapy_id INTEGER REFERENCES therapy(id),"
        " kind TEXT NOT NULL CHECK (kind IN ('length', 'therapies', 'periods')),"
        " arms TEXT NOT NULL,"
        " design TEXT NOT NULL CHECK (design IN ('pairs', 'abba')),"
        " seed INTEGER NOT NULL,"
        " algorithm TEXT NOT NULL,"
        " n_blocks INTEGER NOT NULL CHECK (n_blocks >= 2),"
        " mid REAL NOT NULL CHECK (mid > 0),"
        " created TEXT NOT NULL,"
        " start TEXT,"
        " period_days INTEGER,"
        " washout_days INTEGER,"
        " power_blocks INTEGER,"
        " power_basis TEXT NOT NULL,"
        " revealed BOOLEAN NOT NULL DEFAULT 0,"
        " abandoned TEXT,"
        " reason TEXT)",
        "CREATE TABLE plan_slot ("
        " plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,"
        " block INTEGER NOT NULL CHECK (block >= 1),"
        " slot INTEGER NOT NULL CHECK (slot >= 1),"
        " arm INTEGER NOT NULL CHECK (arm >= 0),"
        " session_id INTEGER UNIQUE REFERENCES session(id) ON DELETE SET NULL,"
        " PRIMARY KEY (plan_id, block, slot))",
        "CREATE TABLE plan_deviation ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " plan_id INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,"
        ' "at" TEXT NOT NULL,'
        " what TEXT NOT NULL,"
        " block INTEGER,"
        " slot INTEGER,"
        " session_id INTEGER REFERENCES session(id) ON DELETE SET NULL)",
        "CREATE INDEX ix_plan_deviation_plan ON plan_deviation (plan_id)",
    ],
    [  # acute outcomes (issue 18): ratings after a dose, the most bothersome symptom, scores
        "CREATE TABLE acute_rating ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " medication_id INTEGER UNIQUE REFERENCES medication(id) ON DELETE CASCADE,"
        " session_id INTEGER UNIQUE REFERENCES session(id) ON DELETE CASCADE,"
        " at_dose INTEGER CHECK (at_dose BETWEEN 0 AND 10),"
        " pain_2h INTEGER CHECK (pain_2h BETWEEN 0 AND 10),"
        " pain_24h INTEGER CHECK (pain_24h BETWEEN 0 AND 10),"
        " pain_48h INTEGER CHECK (pain_48h BETWEEN 0 AND 10),"
        " mbs_gone BOOLEAN,"
        " CHECK ((medication_id IS NULL) <> (session_id IS NULL)))",
        "CREATE TABLE attack_mbs ("
        " attack_id INTEGER PRIMARY KEY REFERENCES attack(id) ON DELETE CASCADE,"
        " mbs TEXT NOT NULL CHECK (mbs IN ('nausea', 'light', 'sound', 'other')))",
        "CREATE TABLE score ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " kind TEXT NOT NULL CHECK (kind IN ('midas', 'hit6', 'pgic')),"
        " day TEXT NOT NULL,"
        " total INTEGER NOT NULL,"
        " therapy_key TEXT,"
        " therapy TEXT,"
        " CHECK ((kind = 'midas' AND total BETWEEN 0 AND 270)"
        " OR (kind = 'hit6' AND total BETWEEN 36 AND 78)"
        " OR (kind = 'pgic' AND total BETWEEN 1 AND 7)),"
        " CHECK ((kind = 'pgic') = (therapy_key IS NOT NULL)))",
        "CREATE INDEX ix_score_kind_day ON score (kind, day)",
    ],
    [  # clients (issue 19): every record belongs to a client; practice mode names them
        # Client 1, with no name (NULL), is the one implicit client of a personal diary: every
        # record made before this step is its, and a personal diary never shows it. Named
        # clients come from `client add` or `client import-diary`. `owner`: on PostgreSQL the
        # role that made the client (DEFAULT current_user: see postgres/ddl.py), which
        # row-level security will use; on SQLite, which has no roles, NULL.
        "CREATE TABLE client ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " name TEXT UNIQUE CHECK (name IS NULL OR length(name) BETWEEN 1 AND 200),"
        " created_at TEXT,"
        " owner TEXT)",
        "CREATE UNIQUE INDEX ix_client_implicit ON client ((name IS NULL)) WHERE name IS NULL",
        "INSERT INTO client (id, name, created_at) VALUES (1, NULL, NULL)",
        *(
            f"ALTER TABLE {table} ADD COLUMN"
            " client_id INTEGER NOT NULL DEFAULT 1 REFERENCES client(id)"
            for table in ("session", "attack", "plan", "score")
        ),
        # A day checked in, a kept range and an undo entry are per client: their keys gain
        # client_id, which needs the tables made again (the column last, as ALTER adds it).
        "ALTER TABLE addition RENAME TO addition_old",
        "ALTER TABLE checkin RENAME TO checkin_old",
        "ALTER TABLE kept_range RENAME TO kept_range_old",
        "CREATE TABLE checkin ("
        " day TEXT NOT NULL,"
        " client_id INTEGER NOT NULL DEFAULT 1 REFERENCES client(id),"
        " PRIMARY KEY (client_id, day))",
        "INSERT INTO checkin (day, client_id) SELECT day, 1 FROM checkin_old",
        "CREATE TABLE kept_range ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " first TEXT NOT NULL,"
        " last TEXT NOT NULL,"
        " client_id INTEGER NOT NULL DEFAULT 1 REFERENCES client(id),"
        " CHECK (first <= last),"
        " UNIQUE (client_id, first, last))",
        "INSERT INTO kept_range (id, first, last, client_id)"
        " SELECT id, first, last, 1 FROM kept_range_old",
        "CREATE TABLE addition ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " session_id INTEGER REFERENCES session(id) ON DELETE CASCADE,"
        " attack_id INTEGER REFERENCES attack(id) ON DELETE CASCADE,"
        " checkin_day TEXT,"
        " client_id INTEGER NOT NULL DEFAULT 1 REFERENCES client(id),"
        " FOREIGN KEY (client_id, checkin_day) REFERENCES checkin(client_id, day)"
        " ON DELETE CASCADE,"
        " CHECK (CASE WHEN session_id IS NULL THEN 0 ELSE 1 END"
        " + CASE WHEN attack_id IS NULL THEN 0 ELSE 1 END"
        " + CASE WHEN checkin_day IS NULL THEN 0 ELSE 1 END = 1))",
        "INSERT INTO addition (id, session_id, attack_id, checkin_day, client_id)"
        " SELECT id, session_id, attack_id, checkin_day, 1 FROM addition_old",
        "DROP TABLE addition_old",
        "DROP TABLE checkin_old",
        "DROP TABLE kept_range_old",
        "CREATE INDEX ix_addition_session ON addition (session_id)",
        "CREATE INDEX ix_addition_attack ON addition (attack_id)",
        "CREATE INDEX ix_addition_checkin ON addition (client_id, checkin_day)",
        "CREATE INDEX ix_addition_client ON addition (client_id, id)",
        # Per-client reads seek on these, as a personal diary's do on the ones without client.
        'CREATE INDEX ix_session_client_when ON session (client_id, "when")',
        'CREATE INDEX ix_session_client_therapy_when ON session (client_id, therapy_id, "when")',
        "CREATE INDEX ix_attack_client_start ON attack (client_id, start)",
        "CREATE INDEX ix_plan_client ON plan (client_id)",
        "CREATE INDEX ix_score_client_kind_day ON score (client_id, kind, day)",
    ],
    [  # practice mode (issue 19): sharing a client with another role, and the audit trail
        # A client shared with a PostgreSQL role (by its owner): that role sees and changes
        # the client's records as its own. `owner`: the role that shared it.
        "CREATE TABLE client_share ("
        " client_id INTEGER NOT NULL REFERENCES client(id) ON DELETE CASCADE,"
        " role TEXT NOT NULL CHECK (length(role) BETWEEN 1 AND 63),"
        " owner TEXT,"
        " PRIMARY KEY (client_id, role))",
        "CREATE INDEX ix_client_share_role ON client_share (role, client_id)",
        # Every write to a data table, by triggers: when, by which role (NULL on SQLite), which
        # table, record and client (no reference: an erased client's rows stay), what was done.
        "CREATE TABLE audit ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        ' "at" TEXT NOT NULL,'
        " role TEXT,"
        " table_name TEXT NOT NULL,"
        " record_id INTEGER,"
        " client_id INTEGER,"
        " action TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'erase')))",
        "CREATE INDEX ix_audit_client ON audit (client_id, id)",
        "CREATE INDEX ix_audit_at ON audit (at)",
        *_sqlite_audit_triggers(),
        SqliteOnly(
            "CREATE TRIGGER audit_kept_update BEFORE UPDATE ON audit"
            " BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END"
        ),
        SqliteOnly(
            "CREATE TRIGGER audit_kept_delete BEFORE DELETE ON audit"
            " BEGIN SELECT RAISE(ABORT, 'the audit is append-only'); END"
        ),
    ],
    [  # owners' names (issue 19): a client's name and an attack's import key, per owner
        # 1. A client's name is unique among its owner's clients, not across the practice: a
        # practitioner's `client add` is no longer refused for (and so told of) a client of
        # another practitioner whom they cannot see, and two may each have an 'Anne Alder'.
        # On SQLite, where owner is NULL, a name stays unique in the diary.
        *_made_again(
            "client",
            "CREATE TABLE client ("
            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " name TEXT CHECK (name IS NULL OR length(name) BETWEEN 1 AND 200),"
            " created_at TEXT,"
            " owner TEXT)",
            "id, name, created_at, owner",
            [
                "CREATE UNIQUE INDEX ix_client_implicit ON client ((name IS NULL))"
                " WHERE name IS NULL"
            ],
            (),
        ),
        PostgresOnly("ALTER TABLE client DROP CONSTRAINT client_name_key"),
        "CREATE UNIQUE INDEX ix_client_owner_name ON client (COALESCE(owner, ''), name)",
        # 2. An attack's import key is unique per client: the same app export imported for two
        # clients gives each their attacks (it skipped the second's), and on PostgreSQL a
        # client one cannot see no longer blocks (and so reveals) one's own import.
        *_made_again(
            "attack",
            "CREATE TABLE attack ("
            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " start TEXT NOT NULL,"
            ' "end" TEXT,'
            " peak INTEGER NOT NULL CHECK (peak BETWEEN 0 AND 10),"
            " aura BOOLEAN NOT NULL DEFAULT 0,"
            " notes TEXT,"
            " source TEXT NOT NULL DEFAULT 'typed',"
            " import_key TEXT,"
            " client_id INTEGER NOT NULL DEFAULT 1 REFERENCES client(id),"
            ' CHECK ("end" IS NULL OR "end" >= start),'
            " UNIQUE (client_id, import_key))",
            'id, start, "end", peak, aura, notes, source, import_key, client_id',
            [
                "CREATE INDEX ix_attack_start ON attack (start)",
                "CREATE INDEX ix_attack_client_start ON attack (client_id, start)",
            ],
            _READ_ATTACK,
        ),
        PostgresOnly("ALTER TABLE attack DROP CONSTRAINT attack_import_key_key"),
        PostgresOnly(
            "ALTER TABLE attack ADD CONSTRAINT attack_client_id_import_key_key"
            " UNIQUE (client_id, import_key)"
        ),
    ],
]

LATEST = len(MIGRATIONS)

# The clients step (an index into MIGRATIONS: a diary of this version or older has none), and
# the tables it gives a client_id: how a read shows such a diary as the latest, unchanged.
CLIENTS_STEP = next(
    n for n, step in enumerate(MIGRATIONS) if step[0].startswith("CREATE TABLE client")
)
CLIENT_TABLES = ("session", "attack", "plan", "score", "checkin", "kept_range", "addition")
# The tables that row-level security guards on PostgreSQL (every one holding a client's
# data, children included); the vocabulary shared by a practice (therapy, medication_class)
# and schema_version are not among them.
GUARDED_TABLES = (
    "client", "client_share", *CLIENT_TABLES, "medication", "attack_detail", "attack_origin",
    "attack_mbs", "plan_slot", "plan_deviation", "acute_rating", "audit",
)  # fmt: skip
IMPLICIT_CLIENT = 1
# The practice step: a database of this version or older has no shares, audit or policies.
PRACTICE_STEP = next(
    n for n, step in enumerate(MIGRATIONS) if step[0].startswith("CREATE TABLE client_share")
)
# The owners' names step: uniqueness only, nothing a read of an older diary needs to see.
OWNERS_STEP = next(
    n
    for n, step in enumerate(MIGRATIONS)
    if "ALTER TABLE client DROP CONSTRAINT client_name_key" in step
)
