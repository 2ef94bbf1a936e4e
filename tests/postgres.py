"""A throwaway PostgreSQL server for the tests: initdb into a temporary folder, a Unix socket
only (no TCP), started with pg_ctl and stopped at the end of the session; one per xdist
worker. Where no server binary exists or it cannot start, the PostgreSQL half is skipped."""

from __future__ import annotations

import glob
import hashlib
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "migraine_admin"
OWNER = "diary_owner"  # owns each test database; no superuser rights
PRACTITIONERS = ("alice", "bob")  # login roles, members of migraine_practitioner once it exists


def _binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresServer:
    """One server in its own folder; `database()` makes a fresh database for one test."""

    def __init__(self) -> None:
        binaries = _binaries()
        if binaries is None:
            raise RuntimeError("no PostgreSQL server binary (initdb) found; apt install postgresql")
        self.bin = binaries
        self.folder = Path(tempfile.mkdtemp(prefix="migraine-pg-"))
        self.data = self.folder / "data"
        self.counter = itertools.count(1)
        self.template: str | None = None
        self.spare: list[str] = []  # databases given back, emptied to the template's state
        self.emptied: tuple[list[str], str] | None = None  # tables to empty, state after
        # initdb refuses to run as root: then the server runs as nobody.
        self.prefix = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
        if self.prefix:
            shutil.chown(self.folder, "nobody")
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "--locale=C",
            "--encoding=UTF8", "--no-sync",
        )  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                "listen_addresses = ''\n"
                f"unix_socket_directories = '{self.folder}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                "max_connections = 60\n"
            )
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-w", "start")
        # CREATEROLE: the first `migraine upgrade` makes the practitioners' group role.
        self.admin(f"CREATE ROLE {OWNER} LOGIN NOSUPERUSER NOCREATEDB CREATEROLE")
        for practitioner in PRACTITIONERS:
            self.admin(f"CREATE ROLE {practitioner} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")

    def _run(self, program: str, *args: str) -> None:
        result = subprocess.run(
            [*self.prefix, str(self.bin / program), *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{program} failed: {(result.stderr or result.stdout).strip()}")

    def url(self, database: str = "postgres", user: str = OWNER, password: str = "") -> str:
        secret = f":{password}" if password else ""
        return f"postgresql://{user}{secret}@/{database}?host={self.folder}"

    def admin(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(database, SUPERUSER), autocommit=True) as conn:
            conn.execute(sql.encode())

    def database(self, *, upgraded: bool = True) -> str:
        """A new, empty database owned by OWNER; `upgraded`: with the diary's schema, as
        `migraine upgrade` makes it (copied from a template upgraded once per server: a
        copy is a file copy, where running every migration again is not)."""
        name = f"diary_{os.getpid()}_{next(self.counter)}"
        template = f" TEMPLATE {self._upgraded_template()}" if upgraded else ""
        self.admin(f"CREATE DATABASE {name} OWNER {OWNER}{template}")
        return self.url(name)

    def borrow(self) -> str:
        """An upgraded diary database for one test: one given back (emptied) if any."""
        return self.spare.pop() if self.spare else self.database()

    def give_back(self, url: str) -> None:
        """Empty the tables the template has empty; the database is lent again only when its
        rows and sequences are then exactly the template's (else it is dropped)."""
        import psycopg

        assert self.emptied is not None
        tables, state = self.emptied
        names = ", ".join(f'"{table}"' for table in tables)
        with psycopg.connect(url.replace(f"{OWNER}@", f"{SUPERUSER}@"), autocommit=True) as c:
            c.execute("SET lock_timeout = '10s'")
            # The audit refuses to be emptied by anyone; the test server's superuser empties
            # it with triggers off (replica role), as nothing in the diary can.
            c.execute("SET session_replication_role = replica")
            c.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE".encode())
        if _state(url) == state:
            self.spare.append(url)
        else:
            self.admin(f"DROP DATABASE {url.split('@/')[1].split('?')[0]} WITH (FORCE)")

    def _upgraded_template(self) -> str:
        """An empty diary database made by `migraine upgrade`; nobody connects to it after,
        so CREATE DATABASE can copy it."""
        if self.template is None:
            from migraine_diary.storage import Server, upgrade_server

            name = f"diary_template_{os.getpid()}"
            self.admin(f"CREATE DATABASE {name} OWNER {OWNER}")
            url = self.url(name)
            upgrade_server(Server(url))
            # The group role is the cluster's: granted once, it holds in every copy.
            practitioners = ", ".join(PRACTITIONERS)
            self.admin(f"GRANT migraine_practitioner TO {practitioners}")
            self.template = name
            self.emptied = (_empty_tables(url), _state(url))
        return self.template

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def database_fingerprint(url: str) -> str:
    """Every row of every table, in order: equal before and after means nothing was written."""
    import psycopg

    digest = hashlib.sha256()
    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        for table in tables:
            digest.update(table.encode())
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY 1'.encode()):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def _empty_tables(url: str) -> list[str]:
    import psycopg

    with psycopg.connect(url) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return [
            t
            for t in tables
            if not conn.execute(f'SELECT 1 FROM "{t}" LIMIT 1'.encode()).fetchone()
        ]


def _state(url: str) -> str:
    """Every row and every sequence's position."""
    import psycopg

    with psycopg.connect(url) as conn:
        sequences = conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            " ORDER BY 1"
        ).fetchall()
    return database_fingerprint(url) + repr(sequences)
