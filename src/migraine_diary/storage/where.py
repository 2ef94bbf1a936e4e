"""Where the diary is: a file path (the embedded SQLite default) or a PostgreSQL URL, shown
with its password masked in every message."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from migraine_diary.errors import InputError
from migraine_diary.storage.sqlite.files import ENV_VAR
from migraine_diary.storage.sqlite.files import locate as locate_file

SCHEMES = ("postgresql://", "postgres://")
_ANY_URL = re.compile(r"^[a-z][a-z0-9+.-]+://", re.IGNORECASE)
_USERINFO = re.compile(
    r"(?i)^(?P<scheme>[a-z][a-z0-9+.-]+://)(?P<user>[^:@/?#]*):(?P<password>[^@/?#]*)@"
)
_QUERY_PASSWORD = re.compile(r"(?i)(?P<key>[?&]password=)(?P<password>[^&#]*)")
MASK = "***"


def is_server_url(text: str) -> bool:
    return text.strip().lower().startswith(SCHEMES)


def masked(url: str) -> str:
    """The URL with any password (user:PASSWORD@, or ?password=) replaced by ***."""
    url = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:{MASK}@", url, count=1)
    return _QUERY_PASSWORD.sub(lambda m: f"{m['key']}{MASK}", url)


def passwords(url: str) -> list[str]:
    """The password texts a URL holds, raw and as typed, to blank out of any message."""
    found = [m["password"] for m in (_USERINFO.match(url),) if m] + [
        m["password"] for m in _QUERY_PASSWORD.finditer(url)
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
    if _ANY_URL.match(given.strip()):
        raise InputError(
            f"{field} must be a diary file's path or a postgresql:// URL (got {masked(given)})"
        )
