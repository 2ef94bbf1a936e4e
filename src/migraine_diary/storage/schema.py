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
    [  # acute outcomes (issue 18): ratings after a dose, the most bothersome symptom, scores
        "CREATE TABLE acute_rating ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " medication_id INTEGER UNIQUE REFERENCES medication(id) ON DELETE CASCADE,"
        " session_id INTEGER UNIQUE REFERENCES session(id) ON DELETE CASCADE,"
        " at_dose INTEGER CHECK (at_dose BETWEEN 0 AND 10),"
        " pain_2h INTEGER CHECK (pain_2h BETWEEN 0 AND 10),"
        " pain_24h INTEGER CHECK (pain_24h BETWEEN 0 AND 10),"
        " pain_48h INTEGER CHECK (pain_48h BETWEEN 0 AND 10),"
        " mbs_gone BOOLEAN CHECK (mbs_gone IN (0, 1)),"
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
]

LATEST = len(MIGRATIONS)
