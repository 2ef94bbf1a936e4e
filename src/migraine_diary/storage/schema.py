"""The diary's schema: the append-only migrations and the version they lead to.

The schema version is a one-row table (not `PRAGMA user_version`) so the same migrations can
run on PostgreSQL later; checking it on open is one indexed read, whatever the diary's size.
"""

from __future__ import annotations

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
]

LATEST = len(MIGRATIONS)
