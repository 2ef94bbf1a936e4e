"""Where the diary is: a file path (the embedded SQLite default) or a PostgreSQL URL, shown
with its password masked in every message."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from migraine_diary.errors import DiaryError, InputError

ENV_VAR = "MIGRAINE_DIARY_DB"
SCHEMES = ("postgresql://", "postgres://")
# Patterns as text: `re` compiles (and caches) one on its first use, so a Tab, which needs
# none of them, does not pay for compiling them at import.
_ANY_URL = r"(?i)^[a-z][a-z0-9+.-]+://"
_USERINFO = r"(?i)^(?P<scheme>[a-z][a-z0-9+.-]+://)(?P<user>[^:@/?#]*):(?P<password>[^@/?#]*)@"
_QUERY_PASSWORD = r"(?i)(?P<key>[?&]password=)(?P<password>[^&#]*)"
MASK = "***"


def is_server_url(text: str) -> bool:
    return text.strip().lower().startswith(SCHEMES)


def masked(url: str) -> str:
    """The URL with any password (user:PASSWORD@, or ?password=) replaced by ***."""
    url = re.sub(_USERINFO, lambda m: f"{m['scheme']}{m['user']}:{MASK}@", url, count=1)
    return re.sub(_QUERY_PASSWORD, lambda m: f"{m['key']}{MASK}", url)


def passwords(url: str) -> list[str]:
    """The password texts a URL holds, raw and as typed, to blank out of any message."""
    found = [m["password"] for m in (re.match(_USERINFO, url),) if m] + [
        m["password"] for m in re.finditer(_QUERY_PASSWORD, url)
    ]
    from urllib.parse import unquote

    return [p for text in found if text for p in dict.fromkeys((text, unquote(text)))]


def scrub(text: str, url: str) -> str:
    """A message with every password of the URL masked: the URL itself, and any echo of it."""
    for secret in passwords(url):
        text = text.replace(secret, MASK)
    return text


@dataclass(frozen=True)
class Server:
    """A PostgreSQL database named by URL; str() is what messages show (password masked)."""

    url: str = ""

    def __str__(self) -> str:
        return masked(self.url)

    def __repr__(self) -> str:
        return f"Server({masked(self.url)!r})"


def locate(option: str | Path | None) -> Path | Server:
    """--db wins over MIGRAINE_DIARY_DB, which wins over the platform's user data folder; a
    postgresql:// URL in either names a database server instead of a file."""
    given = str(option) if isinstance(option, Path) else option
    if given is None:
        from_env = os.environ.get(ENV_VAR, "").strip()
        if from_env and is_server_url(from_env):
            return Server(from_env)
        _no_other_url(from_env, ENV_VAR)
        return locate_file(None)
    if is_server_url(given):
        return Server(given.strip())
    _no_other_url(given, "--db")
    return locate_file(Path(given))


def _no_other_url(given: str, field: str) -> None:
    """A URL of another kind (postgresql+psycopg://, mysql://) is refused, not taken for a
    path: as a path its password would be shown, and `log` would make folders named by it."""
    if re.match(_ANY_URL, given.strip()):
        raise InputError(
            f"{field} must be a diary file's path or a postgresql:// URL (got {masked(given)})"
        )


def locate_file(option: Path | None) -> Path:
    """--db wins over MIGRAINE_DIARY_DB, which wins over the platform's user data folder."""
    if option is not None:
        return option.expanduser()
    from_env = os.environ.get(ENV_VAR, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    from platformdirs import user_data_path

    path = user_data_path("migraine-diary", appauthor=False) / "diary.db"
    stay_in_data_folder(path)
    return path


def stay_in_data_folder(path: Path) -> None:
    """The default diary must not lead out of the data folder through a symbolic link: a link
    planted there would send every session to a file of someone else's choosing. A diary kept
    elsewhere on purpose is named with --db or MIGRAINE_DIARY_DB."""
    root = path.parent.parent
    try:
        resolved = path.resolve()
        inside = resolved.is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a loop of links (RuntimeError before Python 3.13)
        raise DiaryError(f"cannot use {path}: it is a loop of symbolic links") from None
    if not inside:
        raise DiaryError(
            f"{path} leads out of your data folder {root} through a symbolic link (to "
            f"{resolved}), so it is not used; to keep the diary there, name it with --db or "
            f"{ENV_VAR}"
        )
