"""Storage: the one package that speaks SQL. `schema` holds the migrations, `sqlite` the diary
file (opening, creating, upgrading, care), `postgres` a diary in a PostgreSQL database, `where`
which of the two --db names; the other modules hold the queries, one per kind of record, shared
by both engines (their engine-specific parts are each engine's `sql` module).

The names below are loaded on first use (PEP 562): Tab completion reads the diary through
`storage.sqlite.names` without paying for every query module and both engines.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from migraine_diary.storage.acute import (
        attack_doses,
        attack_sessions,
        insert_score,
        mbs_of,
        medication_treatments,
        rating_of,
        save_rating,
        score_rows,
        set_mbs,
    )
    from migraine_diary.storage.attacks import (
        add_checkin,
        add_kept_range,
        all_checkins,
        all_kept_ranges,
        all_user_classes,
        attack_by_id,
        attack_ids_by_import_key,
        attack_page,
        attack_rows,
        attacks_by_ids,
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
        insert_attack_with_id,
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
    from migraine_diary.storage.plans import (
        abandon_plan,
        active_plan_ids,
        add_deviation,
        deviation_rows,
        fill_slot,
        insert_plan,
        plan_rows,
        set_revealed,
        slot_rows,
        therapy_sessions,
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
        practice_rows,
        rename_therapy,
        session_by_id,
        session_page,
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

    Diary: TypeAlias = SqliteDiary | PostgresDiary

_WHERE: dict[str, str] = {
    "attack_doses": "migraine_diary.storage.acute",
    "attack_sessions": "migraine_diary.storage.acute",
    "insert_score": "migraine_diary.storage.acute",
    "mbs_of": "migraine_diary.storage.acute",
    "medication_treatments": "migraine_diary.storage.acute",
    "rating_of": "migraine_diary.storage.acute",
    "save_rating": "migraine_diary.storage.acute",
    "score_rows": "migraine_diary.storage.acute",
    "set_mbs": "migraine_diary.storage.acute",
    "add_checkin": "migraine_diary.storage.attacks",
    "add_kept_range": "migraine_diary.storage.attacks",
    "all_checkins": "migraine_diary.storage.attacks",
    "all_kept_ranges": "migraine_diary.storage.attacks",
    "all_user_classes": "migraine_diary.storage.attacks",
    "attack_by_id": "migraine_diary.storage.attacks",
    "attack_ids_by_import_key": "migraine_diary.storage.attacks",
    "attack_page": "migraine_diary.storage.attacks",
    "attack_rows": "migraine_diary.storage.attacks",
    "attacks_by_ids": "migraine_diary.storage.attacks",
    "attacks_touching": "migraine_diary.storage.attacks",
    "checkin_days": "migraine_diary.storage.attacks",
    "count_attacks": "migraine_diary.storage.attacks",
    "count_with_detail": "migraine_diary.storage.attacks",
    "delete_attack": "migraine_diary.storage.attacks",
    "delete_checkin": "migraine_diary.storage.attacks",
    "delete_checkins": "migraine_diary.storage.attacks",
    "delete_medications": "migraine_diary.storage.attacks",
    "detail_counts": "migraine_diary.storage.attacks",
    "details_of": "migraine_diary.storage.attacks",
    "end_imported": "migraine_diary.storage.attacks",
    "insert_attack": "migraine_diary.storage.attacks",
    "insert_attack_with_id": "migraine_diary.storage.attacks",
    "insert_details": "migraine_diary.storage.attacks",
    "insert_medications": "migraine_diary.storage.attacks",
    "insert_origin": "migraine_diary.storage.attacks",
    "kept_ranges": "migraine_diary.storage.attacks",
    "last_addition": "migraine_diary.storage.attacks",
    "medication_names": "migraine_diary.storage.attacks",
    "medications_of": "migraine_diary.storage.attacks",
    "note_addition": "migraine_diary.storage.attacks",
    "ongoing_attacks": "migraine_diary.storage.attacks",
    "origins_of": "migraine_diary.storage.attacks",
    "session_instants": "migraine_diary.storage.attacks",
    "set_user_class": "migraine_diary.storage.attacks",
    "update_attack": "migraine_diary.storage.attacks",
    "user_classes": "migraine_diary.storage.attacks",
    "abandon_plan": "migraine_diary.storage.plans",
    "active_plan_ids": "migraine_diary.storage.plans",
    "add_deviation": "migraine_diary.storage.plans",
    "deviation_rows": "migraine_diary.storage.plans",
    "fill_slot": "migraine_diary.storage.plans",
    "insert_plan": "migraine_diary.storage.plans",
    "plan_rows": "migraine_diary.storage.plans",
    "set_revealed": "migraine_diary.storage.plans",
    "slot_rows": "migraine_diary.storage.plans",
    "therapy_sessions": "migraine_diary.storage.plans",
    "ServerHealth": "migraine_diary.storage.postgres.check",
    "check_server": "migraine_diary.storage.postgres.check",
    "PostgresDiary": "migraine_diary.storage.postgres.diary",
    "open_server": "migraine_diary.storage.postgres.diary",
    "upgrade_server": "migraine_diary.storage.postgres.migrate",
    "LATEST": "migraine_diary.storage.schema",
    "MIGRATIONS": "migraine_diary.storage.schema",
    "EXPORT_SQL": "migraine_diary.storage.sessions",
    "RAW_SQL": "migraine_diary.storage.sessions",
    "SESSION_COLUMNS": "migraine_diary.storage.sessions",
    "Filters": "migraine_diary.storage.sessions",
    "add_therapy": "migraine_diary.storage.sessions",
    "count_sessions": "migraine_diary.storage.sessions",
    "delete_session": "migraine_diary.storage.sessions",
    "insert_session": "migraine_diary.storage.sessions",
    "insert_sessions": "migraine_diary.storage.sessions",
    "merge_therapy": "migraine_diary.storage.sessions",
    "practice_rows": "migraine_diary.storage.sessions",
    "rename_therapy": "migraine_diary.storage.sessions",
    "session_by_id": "migraine_diary.storage.sessions",
    "session_page": "migraine_diary.storage.sessions",
    "session_rows": "migraine_diary.storage.sessions",
    "sessions_by_ids": "migraine_diary.storage.sessions",
    "stats_rows": "migraine_diary.storage.sessions",
    "summary_sums": "migraine_diary.storage.sessions",
    "therapies": "migraine_diary.storage.sessions",
    "therapy_by_key": "migraine_diary.storage.sessions",
    "therapy_keys": "migraine_diary.storage.sessions",
    "update_session": "migraine_diary.storage.sessions",
    "BackupCopy": "migraine_diary.storage.sqlite.care",
    "Health": "migraine_diary.storage.sqlite.care",
    "backup_diary": "migraine_diary.storage.sqlite.care",
    "check_diary": "migraine_diary.storage.sqlite.care",
    "SqliteDiary": "migraine_diary.storage.sqlite.diary",
    "open_diary": "migraine_diary.storage.sqlite.diary",
    "ENV_VAR": "migraine_diary.storage.sqlite.files",
    "inspect_file": "migraine_diary.storage.sqlite.files",
    "create_diary": "migraine_diary.storage.sqlite.migrate",
    "Server": "migraine_diary.storage.where",
    "locate": "migraine_diary.storage.where",
    "masked": "migraine_diary.storage.where",
}


def __getattr__(name: str) -> Any:
    """A façade name, imported from its module the first time it is asked for."""
    if name == "Diary":
        from migraine_diary.storage.postgres.diary import PostgresDiary
        from migraine_diary.storage.sqlite.diary import SqliteDiary

        value: Any = SqliteDiary | PostgresDiary
    elif name in _WHERE:
        value = getattr(importlib.import_module(_WHERE[name]), name)
    else:  # a submodule (storage.schema, ...), or nothing
        try:
            value = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value


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
    "practice_rows",
    "rename_therapy",
    "session_by_id",
    "session_page",
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
    "all_checkins",
    "all_kept_ranges",
    "all_user_classes",
    "attack_by_id",
    "attack_ids_by_import_key",
    "attack_page",
    "attack_rows",
    "attacks_by_ids",
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
    "insert_attack_with_id",
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
__all__ += [  # plans
    "abandon_plan",
    "active_plan_ids",
    "add_deviation",
    "deviation_rows",
    "fill_slot",
    "insert_plan",
    "plan_rows",
    "set_revealed",
    "slot_rows",
    "therapy_sessions",
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
__all__ += [  # acute outcomes
    "attack_doses",
    "attack_sessions",
    "insert_score",
    "mbs_of",
    "medication_treatments",
    "rating_of",
    "save_rating",
    "score_rows",
    "set_mbs",
]
