"""Storage: the one package that speaks SQL. `schema` holds the migrations, `sqlite` the diary
file (opening, creating, upgrading, care), `postgres` a diary in a PostgreSQL database, `where`
which of the two --db names; the other modules hold the queries, one per kind of record, shared
by both engines (their engine-specific parts are each engine's `sql` module)."""

from migraine_diary.storage.attacks import (
    add_checkin,
    add_kept_range,
    attack_by_id,
    attack_rows,
    attacks_touching,
    checkin_days,
    count_attacks,
    count_with_detail,
    delete_attack,
    delete_checkin,
    delete_checkins,
    delete_medications,
    detail_counts,
    details_of,
    end_imported,
    insert_attack,
    insert_details,
    insert_medications,
    insert_origin,
    kept_ranges,
    last_addition,
    medication_names,
    medications_of,
    note_addition,
    ongoing_attacks,
    origins_of,
    session_instants,
    set_user_class,
    update_attack,
    user_classes,
)
from migraine_diary.storage.postgres.check import ServerHealth, check_server
from migraine_diary.storage.postgres.diary import PostgresDiary, open_server
from migraine_diary.storage.postgres.migrate import upgrade_server
from migraine_diary.storage.schema import LATEST, MIGRATIONS
from migraine_diary.storage.sessions import (
    EXPORT_SQL,
    RAW_SQL,
    SESSION_COLUMNS,
    Filters,
    add_therapy,
    count_sessions,
    delete_session,
    insert_session,
    insert_sessions,
    merge_therapy,
    rename_therapy,
    session_by_id,
    session_rows,
    sessions_by_ids,
    stats_rows,
    summary_sums,
    therapies,
    therapy_by_key,
    therapy_keys,
    update_session,
)
from migraine_diary.storage.sqlite.care import BackupCopy, Health, backup_diary, check_diary
from migraine_diary.storage.sqlite.diary import SqliteDiary, open_diary
from migraine_diary.storage.sqlite.files import ENV_VAR, inspect_file
from migraine_diary.storage.sqlite.migrate import create_diary
from migraine_diary.storage.where import Server, locate, masked

Diary = SqliteDiary | PostgresDiary

__all__ = [
    "ENV_VAR",
    "EXPORT_SQL",
    "LATEST",
    "MIGRATIONS",
    "RAW_SQL",
    "SESSION_COLUMNS",
    "Diary",
    "Filters",
    "add_therapy",
    "count_sessions",
    "create_diary",
    "delete_session",
    "insert_session",
    "insert_sessions",
    "inspect_file",
    "locate",
    "merge_therapy",
    "open_diary",
    "rename_therapy",
    "session_by_id",
    "session_rows",
    "sessions_by_ids",
    "stats_rows",
    "summary_sums",
    "therapies",
    "therapy_by_key",
    "therapy_keys",
    "update_session",
]
__all__ += [  # attacks
    "add_checkin",
    "add_kept_range",
    "attack_by_id",
    "attack_rows",
    "attacks_touching",
    "checkin_days",
    "count_attacks",
    "count_with_detail",
    "delete_attack",
    "delete_checkin",
    "delete_checkins",
    "delete_medications",
    "detail_counts",
    "details_of",
    "end_imported",
    "insert_attack",
    "insert_details",
    "insert_medications",
    "insert_origin",
    "kept_ranges",
    "last_addition",
    "medication_names",
    "medications_of",
    "note_addition",
    "ongoing_attacks",
    "origins_of",
    "session_instants",
    "set_user_class",
    "update_attack",
    "user_classes",
]
__all__ += ["BackupCopy", "Health", "backup_diary", "check_diary"]  # care
__all__ += [  # the engines
    "PostgresDiary",
    "Server",
    "ServerHealth",
    "SqliteDiary",
    "check_server",
    "masked",
    "open_server",
    "upgrade_server",
]
