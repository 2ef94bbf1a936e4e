"""PostgreSQL's errors, raw or wrapped by SQLAlchemy, as one DiaryError line: never the SQL,
its parameters, or the password of the URL."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from migraine_diary.domain.hints import command_line
from migraine_diary.errors import DiaryError, InputError
from migraine_diary.storage.shares import PRACTITIONERS, member_sql
from migraine_diary.storage.where import Server, scrub

# Built once: `upgrade` is about the whole database and never carries a client.
UPGRADE_HINT = f"run '{command_line('upgrade')}' (as the database's owner)"


@contextmanager
def server_errors(server: Server) -> Iterator[None]:
    """Turn any psycopg error (raw, or wrapped by SQLAlchemy) into one DiaryError line."""
    try:
        yield
    except UnicodeEncodeError:
        raise InputError(
            "some of the text given is not valid UTF-8 (a byte from another encoding? check "
            "the terminal's or the file's encoding); nothing was written"
        ) from None
    except Exception as error:
        original = getattr(error, "orig", None) or error
        psycopg = sys.modules.get("psycopg")
        if psycopg is not None and isinstance(original, psycopg.Error):
            raise server_error(server, original) from None
        raise


def server_error(server: Server, error: BaseException) -> DiaryError:
    """One line for a database error, saying what to do."""
    import psycopg
    from psycopg import errors

    reason = scrub(_reason(error), server.url)
    if isinstance(error, errors.UndefinedTable):
        return DiaryError(
            f"the database at {server} has no diary schema (or an older one): {UPGRADE_HINT}"
        )
    if isinstance(error, errors.InsufficientPrivilege) and "row-level security" in reason:
        return DiaryError(
            f"the database at {server} refused: that is not a record of one of your clients "
            "(row-level security); nothing was written"
        )
    if isinstance(error, errors.InsufficientPrivilege) and "append-only" in reason:
        return DiaryError(f"the database at {server} refused: {reason}; nothing was changed")
    if isinstance(error, errors.InsufficientPrivilege) and (role := _outsider(server)):
        grant = f"GRANT {PRACTITIONERS} TO {role};"
        return DiaryError(
            scrub(
                f"the database at {server} refused: {role} is not a practitioner of this "
                f"database; its owner makes it one with '{grant}'; nothing was written",
                server.url,
            )
        )
    if isinstance(error, errors.InsufficientPrivilege):
        return DiaryError(
            f"the database at {server} refused: {reason}; nothing was written (creating or "
            "upgrading the schema needs the database's owner)"
        )
    if isinstance(error, errors.ReadOnlySqlTransaction):
        return DiaryError(f"the database at {server} is read-only here: {reason}")
    if isinstance(error, psycopg.OperationalError) and not isinstance(error, errors.QueryCanceled):
        return DiaryError(f"cannot use the database at {server}: {reason}; nothing was written")
    return DiaryError(f"the database at {server} could not be used: {reason}")


def _outsider(server: Server) -> str | None:
    """The connected role (quoted as SQL wants it) when it is neither a practitioner nor the
    database's owner, so a refusal is for want of the grant; None when it is, or unknown."""
    import psycopg

    try:
        with psycopg.connect(server.url, application_name="migraine-diary") as conn:
            row = conn.execute(
                f"SELECT quote_ident(current_user), ({member_sql('current_user')}),"
                " EXISTS (SELECT 1 FROM pg_database d WHERE d.datname = current_database()"
                " AND pg_has_role(d.datdba, 'MEMBER'))".encode()
            ).fetchone()
    except psycopg.Error:
        return None
    if row is None or row[1] or row[2]:
        return None
    return str(row[0])


def _reason(error: BaseException) -> str:
    diag = getattr(error, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag is not None else None
    text = (primary or str(error)).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines[:2]) if lines else type(error).__name__
