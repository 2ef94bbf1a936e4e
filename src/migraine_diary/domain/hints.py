"""The commands the program prints for the user to run next, carrying the client they chose.

A hint copied as printed must act on the records it is about. In practice mode those are one
client's: `migraine attack rate 3 ...` without `--client` is refused as a write that will not
guess, or reads every client's records. So every printed `migraine ...` command is built
here, with `--client NAME` right after `migraine` when the user chose the client on the
command line or in the environment (MIGRAINE_DIARY_CLIENT): a variable of one shell, lost
when the hint is pasted into another terminal, a script or a note. A client from the config
file is left out: that file applies wherever the hint is run. A personal diary never has a
client chosen (--client is refused there), so its hints are as they always were.

The chosen client is kept in a context variable, set once per command by the root callback
(cli.app), before any input is checked: hints are built at every depth (a check of the input,
a use case's error, a storage error, a line of a table), and handing the client down to each
would thread a matter of wording through the signatures of the use cases. Each run sets it
anew, so a run in the same process (the tests) never inherits the last one's client.

Only the standard library: the storage, diary, render and cli layers all import this.
"""

from __future__ import annotations

import shlex
from contextvars import ContextVar

PROG = "migraine"

# Commands about the diary as a whole or the list of clients (medication classes are the
# practice's, not a client's): their hints carry no client (a `--client` naming nobody would
# even refuse `migraine clients`, the very listing an unknown name points to).
WHOLE_DIARY = frozenset(
    {"backup", "check", "client", "clients", "config", "demo", "medclass", "upgrade"}
)

_client: ContextVar[str | None] = ContextVar("migraine_diary.hint_client", default=None)


def use_client(name: str | None) -> None:
    """The client every later hint carries, spaces tidied as a client's name is (None: no
    --client in hints)."""
    tidied = " ".join(name.split()) if name is not None else ""
    _client.set(tidied or None)


def command_line(words: str) -> str:
    """`migraine WORDS` as the user can run it: with `--client NAME` when they chose one on
    the command line or in the environment (see the module)."""
    name = _client.get()
    first = words.split(" ", 1)[0]
    if name is None or first in WHOLE_DIARY:
        return f"{PROG} {words}"
    return command_line_for(name, words)


def command_line_for(client: str | None, words: str) -> str:
    """`migraine WORDS` about this client (None: no client), whichever was chosen."""
    if client is None:
        return f"{PROG} {words}"
    return f"{PROG} --client {shlex.quote(client)} {words}"
