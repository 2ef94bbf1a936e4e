"""The effective settings and where each came from: option > environment > config file > default.

The config file is optional TOML (`config.toml` in the user config folder, or the file
MIGRAINE_DIARY_CONFIG names) with top-level keys only. Each key is one entry of KEYS: its
environment variable, its rule and its default; a later key (a practice name) is one more.
A malformed file, an unknown key or a bad value stops the command with one line naming the
file, the line and the key. Only the standard library and platformdirs: completion reads it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from migraine_diary.errors import DiaryError, InputError

CONFIG_VAR = "MIGRAINE_DIARY_CONFIG"
APP = "migraine-diary"
DEFAULT = "default"


class Key(NamedTuple):
    """One setting: what it holds, how it is checked, where else it can come from (a named
    tuple rather than a dataclass: a Tab reads this module, and a tuple is built faster)."""

    rule: str
    check: Callable[[Any], Any | None]  # the value to use, or None when it breaks the rule
    env: str | None
    default: Any
    help: str


class Setting(NamedTuple):
    name: str
    value: Any
    source: str  # "option --db", "environment MIGRAINE_DIARY_DB", "config file, line 2", ...


def _path(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


_CODE = re.compile(r"[A-Za-z]{3}")


def _currency(value: Any) -> str | None:
    """An ISO 4217 code (``EUR``, any case) or a currency symbol of one or two characters
    (``€``, ``$``, ``£``, ``R$``); none by default."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _CODE.fullmatch(text):
        return text.upper()
    import unicodedata

    symbols = [c for c in text if unicodedata.category(c) == "Sc"]
    if 1 <= len(text) <= 2 and symbols and all(c.isalpha() or c in symbols for c in text):
        return text
    return None


def _months(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and 1 <= value <= 120 else None


def _line(value: Any) -> str | None:
    """One line of text of at most 120 characters (a practice's name)."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text if 1 <= len(text) <= 120 and text.isprintable() else None


def _lines(value: Any) -> str | None:
    """At most 6 lines of at most 120 characters each (a practice's address)."""
    if not isinstance(value, str):
        return None
    lines = [" ".join(line.split()) for line in value.strip().splitlines()]
    ok = 1 <= len(lines) <= 6 and all(
        line and len(line) <= 120 and line.isprintable() for line in lines
    )
    return "\n".join(lines) if ok else None


KEYS: dict[str, Key] = {
    "db": Key(
        "a path to the diary file",
        _path,
        "MIGRAINE_DIARY_DB",
        None,
        "the diary file (default: diary.db in the user data folder)",
    ),
    "client": Key(
        "a client's name, as `migraine clients` lists it",
        _path,
        "MIGRAINE_DIARY_CLIENT",
        None,
        "whose records commands read and write in practice mode (default: every client's)",
    ),
    "currency": Key(
        "a 3-letter ISO 4217 code such as EUR, or a currency symbol such as €",
        _currency,
        "MIGRAINE_DIARY_CURRENCY",
        None,
        "shown with every amount (default: none)",
    ),
    "report_months": Key(
        "a whole number from 1 to 120",
        _months,
        "MIGRAINE_DIARY_REPORT_MONTHS",
        3,
        "complete months before this one in `migraine report` (default 3)",
    ),
    "practice_name": Key(
        "one line of at most 120 characters",
        _line,
        "MIGRAINE_DIARY_PRACTICE_NAME",
        None,
        "a practice's name, in the report's header (default: none)",
    ),
    "practice_address": Key(
        "at most 6 lines of at most 120 characters",
        _lines,
        "MIGRAINE_DIARY_PRACTICE_ADDRESS",
        None,
        "the practice's address under its name in the report (default: none)",
    ),
}


def config_path() -> tuple[Path, bool]:
    """The config file and whether it was named (MIGRAINE_DIARY_CONFIG) rather than the
    user config folder's."""
    named = os.environ.get(CONFIG_VAR, "").strip()
    if named:
        return Path(named).expanduser(), True
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False) / "config.toml", False


def _line_of(text: str, key: str) -> int:
    """The line a top-level key is set on (tomllib gives no positions)."""
    pattern = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 1


def _problem(path: Path, line: int, key: str | None, what: str) -> InputError:
    where = f"config file {path}, line {line}" + (f", key {key!r}" if key else "")
    return InputError(f"{where}: {what}")


def read_config(path: Path, *, named: bool) -> dict[str, tuple[Any, int]]:
    """Each key of the file with its checked value and line; {} when there is no file (a file
    named by MIGRAINE_DIARY_CONFIG must exist)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if named:  # the world is not as named (exit 1); a malformed file is bad input (2)
            raise DiaryError(
                f"config file {path} (from {CONFIG_VAR}) does not exist; create it or unset "
                f"{CONFIG_VAR}"
            ) from None
        return {}
    except OSError as error:  # a folder, a file that may not be read
        raise DiaryError(f"config file {path} cannot be read: {error.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _problem(path, 1, None, "it is not UTF-8 text") from None
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        line = int(found.group(1)) if found else 1
        lines = text.splitlines()
        bad = lines[line - 1] if line <= len(lines) else ""
        named_key = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", bad)
        reason = re.sub(r"\s*\(at .*\)$", "", str(error))
        key_name = named_key.group(1) if named_key else None
        raise _problem(path, line, key_name, f"not valid TOML ({reason})") from None
    found_keys: dict[str, tuple[Any, int]] = {}
    for name, value in data.items():
        line = _line_of(text, name)
        key = KEYS.get(name)
        if key is None:
            raise _problem(path, line, name, f"unknown key; the keys are {', '.join(KEYS)}")
        checked = key.check(value)
        if checked is None:
            raise _problem(path, line, name, f"must be {key.rule} (got {value!r})")
        found_keys[name] = (checked, line)
    return found_keys


def effective(options: Mapping[str, Any] | None = None) -> tuple[dict[str, Setting], Path]:
    """Every setting with its source, and the config file looked at."""
    path, named = config_path()
    from_file = read_config(path, named=named)
    settings = {}
    for name, key in KEYS.items():
        given = (options or {}).get(name)
        if given is not None:
            settings[name] = Setting(name, given, f"option --{name.replace('_', '-')}")
            continue
        from_env = os.environ.get(key.env, "").strip() if key.env else ""
        if key.env and from_env:
            checked = key.check(from_env)
            if checked is None:
                raise InputError(f"environment {key.env} must be {key.rule} (got {from_env!r})")
            settings[name] = Setting(name, checked, f"environment {key.env}")
        elif name in from_file:
            value, line = from_file[name]
            settings[name] = Setting(name, value, f"config file, line {line}")
        else:
            settings[name] = Setting(name, key.default, DEFAULT)
    return settings, path


def given(name: str, option: Any | None) -> Any | None:
    """A setting as given with its option or in the environment of this shell, read without
    the config file (None: not given there, or not valid, which the command's own reading of
    the settings then refuses): for what must know it before any input is checked."""
    if option is not None:
        return option
    key = KEYS[name]
    from_env = os.environ.get(key.env, "").strip() if key.env else ""
    return key.check(from_env) if from_env else None


def masked(text: str) -> str:
    """A URL with its password as ``***`` (a later PostgreSQL URL may carry one); other text
    as it is."""
    if "://" not in text:
        return text
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(text)
    if parts.password is None:
        return text
    user, _, host = parts.netloc.rpartition("@")
    name = user.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{name}:***@{host}"))
