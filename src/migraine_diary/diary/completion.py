"""Tab completion from the diary: the values of one kind that begin with what was typed.

Completion runs on every Tab: it reads the settings for the diary's place (the config file
only when neither --db nor the environment names it) and the diary through plain sqlite3,
and offers nothing rather than fail, so a broken config file or a busy diary never prints
into the shell's line.
"""

from __future__ import annotations

from pathlib import Path


def offered(kind: str, db: str | None, incomplete: str) -> list[str]:
    """The values of ``kind`` (storage.sqlite.names.KINDS: "therapy", "attack", "plan",
    "medicine") in the diary --db, the environment or the config file name, that begin with
    ``incomplete``, as typed (the shell and Typer match a prefix case by case)."""
    try:
        from migraine_diary.diary.settings import effective, given
        from migraine_diary.storage.sqlite.names import KINDS
        from migraine_diary.storage.where import locate

        value = given("db", db)  # the option, else the environment: no config file to read
        if value is None:
            value = effective({})[0]["db"].value
        path = locate(None if value is None else str(value))
        if not isinstance(path, Path):  # a database server: nothing is read on a Tab
            return []
        values = KINDS[kind](path)
    except Exception:
        return []
    return [v for v in values if v.startswith(incomplete)]
