"""Every test gets its own diary path and data folder: no test can touch real user data."""

from __future__ import annotations

import hashlib
import inspect
import itertools
import json
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
from typer.testing import CliRunner

from migraine_diary.cli.app import app
from migraine_diary.domain.dates import NOW_VAR

PINNED_NOW = "2026-11-26 12:00"


def keep_private(patch: pytest.MonkeyPatch, home: Path) -> None:
    """A private home, no diary from the environment, the tests' time zone and a pinned
    "today": no test can touch real data or depend on the day or the place it runs."""
    home.mkdir(exist_ok=True)
    patch.setenv("HOME", str(home))
    patch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    patch.delenv("MIGRAINE_DIARY_DB", raising=False)
    # No config file or setting of the person running the tests, and no width of their
    # terminal: output is laid out as for a file unless a test asks for a width.
    patch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    for name in (
        "MIGRAINE_DIARY_CONFIG",
        "MIGRAINE_DIARY_CURRENCY",
        "MIGRAINE_DIARY_REPORT_MONTHS",
        "COLUMNS",
    ):
        patch.delenv(name, raising=False)
    patch.setenv("TZ", "Europe/Berlin")
    # A test that is about dates pins its own (see tests/test_pinned_days.py).
    patch.setenv(NOW_VAR, PINNED_NOW)
    time.tzset()


@contextmanager
def private_environment(home: Path) -> Iterator[None]:
    """What the per-test fixture guarantees, for module-scoped fixtures that run outside it."""
    with pytest.MonkeyPatch.context() as patch:
        keep_private(patch, home)
        yield
    time.tzset()


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "home"
    keep_private(monkeypatch, home)
    # A file a command writes where it runs (a report by default) lands in the test's folder.
    monkeypatch.chdir(tmp_path)
    yield home
    monkeypatch.undo()
    time.tzset()


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """migraine-diary never opens a network connection: any attempt in any test fails it.

    Internet sockets, connections and name lookups raise; local socket pairs stay allowed.
    """
    import socket

    attempts: list[str] = []

    def refuse(what: str) -> NoReturn:
        attempts.append(what)
        raise OSError(f"network access in a test: {what}")

    class LocalOnlySocket(socket.socket):
        def __init__(self, family: int = -1, type: int = -1, proto: int = -1, fileno: Any = None):
            if fileno is None and family in (-1, socket.AF_INET, socket.AF_INET6):
                refuse(f"socket.socket(family={family})")
            super().__init__(family, type, proto, fileno)

    monkeypatch.setattr(socket, "socket", LocalOnlySocket)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: refuse("create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: refuse("getaddrinfo"))
    yield attempts
    assert not attempts, f"the code tried to use the network: {attempts}"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "diary.db"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Any]:
    """One throwaway PostgreSQL server per test process (see tests/postgres.py), or a skip
    saying why none could start."""
    from postgres import PostgresServer

    try:
        server = PostgresServer()
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"no PostgreSQL server for the tests: {error}")
    yield server
    server.stop()


@pytest.fixture
def postgres_diary(request: pytest.FixtureRequest) -> Iterator[Callable[[], str]]:
    """Lends the test upgraded PostgreSQL diaries (a call each), given back emptied after it:
    emptying one costs a tenth of making one."""
    server = request.getfixturevalue("postgres_server")
    lent: list[str] = []

    def borrow() -> str:
        lent.append(server.borrow())
        return lent[-1]

    yield borrow
    for url in lent:
        server.give_back(url)


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest) -> str:
    """The storage engine a test runs on: each test that asks runs on both."""
    return str(request.param)


@pytest.fixture
def new_diary(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[], str]:
    """Makes another empty diary on the test's engine: a file path, or a database URL (the
    schema made, as by `migraine upgrade`)."""
    names = iter(range(1, 1000))

    def make() -> str:
        if engine == "sqlite":
            return str(tmp_path / f"diary-{next(names)}.db")
        return str(request.getfixturevalue("postgres_diary")())

    return make


@pytest.fixture
def diary_target(engine: str, db_path: Path, new_diary: Callable[[], str]) -> str:
    """The --db of a test that runs on both engines."""
    return str(db_path) if engine == "sqlite" else new_diary()


_FRESH = itertools.count(1)


class Cli:
    """Runs the real CLI against one temporary diary, with stdout and stderr kept apart.

    `db_path` is a file path or, on PostgreSQL, a database URL; `new_diary` makes another
    empty diary on the same engine (a file beside this one unless given)."""

    def __init__(
        self, db_path: Path | str, new_diary: Callable[[], Path | str] | None = None
    ) -> None:
        self.db_path = db_path
        self.runner = CliRunner()
        self.new_diary = new_diary

    @property
    def on_postgres(self) -> bool:
        return str(self.db_path).startswith("postgresql://")

    def fresh(self) -> Cli:
        """The CLI on another, empty diary of the same engine (a round trip's far end)."""
        if self.new_diary is not None:
            return Cli(self.new_diary(), self.new_diary)
        return Cli(Path(self.db_path).with_name(f"fresh-{next(_FRESH)}.db"))

    def __call__(self, *args: str, input: str | None = None) -> Any:
        return self.runner.invoke(app, ["--db", str(self.db_path), *args], input=input)

    def ok(self, *args: str) -> Any:
        result = self(*args)
        assert result.exit_code == 0, (result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json").stdout)

    def log(self, therapy: str = "craniosacral", **fields: Any) -> Any:
        args = ["log", therapy]
        defaults = {"minutes": 45, "pain_before": 5, "pain_after": 4}
        for name, value in {**defaults, **fields}.items():
            option = "--" + name.replace("_", "-")
            if value is True:
                args.append(option)
            else:
                args += [option, str(value)]
        return self.ok(*args)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """In a module marked `both_engines`, every test that takes `cli` runs twice: on a diary
    file and on a PostgreSQL database (a test marked `sqlite_only` stays on the file)."""
    test = metafunc.definition
    if (
        "cli" in metafunc.fixturenames
        and test.get_closest_marker("both_engines")
        and not test.get_closest_marker("sqlite_only")
    ):
        # db_path is the file's path even on PostgreSQL: a check on it would pass unseen.
        if "db_path" in inspect.signature(metafunc.function).parameters:
            raise pytest.UsageError(
                f"{test.nodeid} runs on both engines: use cli.db_path, not db_path"
                " (or mark it sqlite_only)"
            )
        metafunc.parametrize("cli", ["sqlite", "postgres"], indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that needs the PostgreSQL server is marked `postgres`: `-m "not postgres"`
    leaves the whole PostgreSQL half out. The tests that run one after another on one worker
    (an xdist group) go first: begun at the start they overlap the rest, where at the end
    (their files' place) the other worker would wait idle for them."""
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        needs_server = "postgres_server" in getattr(item, "fixturenames", ())
        if needs_server or "postgres" in (params.get("cli"), params.get("engine")):
            item.add_marker(pytest.mark.postgres)
    items.sort(key=lambda item: item.get_closest_marker("xdist_group") is None)


def pytest_configure(config: pytest.Config) -> None:
    """xdist's --dist loadgroup keeps a group's tests on one worker by changing their ids,
    which pytest 9.2 no longer lets it do (pytest-xdist#1386): the ordered tests of a group
    would be spread and fail at random, so that pair is refused with the fix."""
    from importlib.metadata import version

    from packaging.version import Version

    if config.getoption("dist", "no") != "loadgroup" or hasattr(config, "workerinput"):
        return
    if Version(pytest.__version__) >= Version("9.2") and Version(
        version("pytest-xdist")
    ) <= Version("3.8.0"):
        raise pytest.UsageError(
            f"pytest {pytest.__version__} with pytest-xdist {version('pytest-xdist')} cannot"
            " keep a group of tests on one worker (pytest-xdist#1386): pip install -e '.[test]'"
            " installs a pytest that can"
        )


@pytest.fixture
def cli(db_path: Path, request: pytest.FixtureRequest) -> Cli:
    """The CLI on the test's diary: a file, or (parameter "postgres") a fresh database."""
    if getattr(request, "param", "sqlite") == "sqlite":
        return Cli(db_path)
    borrow = request.getfixturevalue("postgres_diary")
    return Cli(borrow(), borrow)


@pytest.fixture
def file_cli(db_path: Path) -> Cli:
    """The CLI on a diary file, for tests about the file itself in modules whose `cli` runs
    on both engines."""
    return Cli(db_path)


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small diary built once per test process: tests copy it, never change it."""
    folder = tmp_path_factory.mktemp("seeded")
    path = folder / "diary.db"
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("HOME", str(folder))
        monkeypatch.setenv("XDG_DATA_HOME", str(folder / ".local" / "share"))
        monkeypatch.delenv("MIGRAINE_DIARY_DB", raising=False)
        monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / ".config"))
        monkeypatch.delenv("MIGRAINE_DIARY_CONFIG", raising=False)
        cli = Cli(path)
        cli.log("craniosacral", when="2026-11-01 16:30", cost=90, notes="first")
        cli.log("acupuncture", when="2026-11-05 10:00")
        cli.ok("attack", "log", "--when", "2026-11-04 08:00", "--hours", "5", "--peak", "7",
               "--med", "sumatriptan@08:30=helpful")  # fmt: skip
    return path


def diary_of_schema(path: Path, version: int) -> Path:
    """An empty diary file as an older version made it: the SQLite statements of the steps
    up to `version` (a step's PostgresOnly ones are PostgreSQL's), mode 0600."""
    import sqlite3
    from contextlib import closing

    from migraine_diary.storage import schema

    with closing(sqlite3.connect(path)) as conn, conn:
        for step in schema.MIGRATIONS[:version]:
            for statement in step:
                if not isinstance(statement, schema.PostgresOnly):
                    conn.execute(statement)
        conn.execute("UPDATE schema_version SET version = ?", (version,))
    path.chmod(0o600)
    return path


def fingerprint(path: Path | str) -> str | None:
    """Bytes of the diary and its WAL (a database: every row): equal before and after means
    nothing was written."""
    if isinstance(path, str) and path.startswith("postgresql://"):
        from postgres import database_fingerprint

        return database_fingerprint(path)
    path = Path(path)
    if not path.exists():
        return None
    digest = hashlib.sha256(path.read_bytes())
    wal = Path(f"{path}-wal")
    if wal.exists():
        digest.update(wal.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def unchanged(cli: Cli) -> Callable[[], None]:
    """Call before a refused command, then call the result: asserts the diary is untouched
    (the test's `cli` diary, on either engine)."""
    before = fingerprint(cli.db_path)

    def check() -> None:
        assert fingerprint(cli.db_path) == before

    return check


@contextmanager
def raw(cli: Cli) -> Iterator[Any]:
    """A connection past the CLI, on the diary's own engine: sqlite3 on the file, psycopg as
    the test database's owner on PostgreSQL; committed at the end."""
    if cli.on_postgres:
        import psycopg

        with psycopg.connect(str(cli.db_path)) as conn:
            yield conn
        return
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(cli.db_path)) as conn:
        yield conn
        conn.commit()


def run_sql(target: Path | str, statement: str) -> list[tuple[Any, ...]]:
    """One SQL statement on the diary, a file or a PostgreSQL database, committed: for a
    test that makes what an older version wrote, or reads what no command shows."""
    if str(target).startswith("postgresql://"):
        import psycopg

        with psycopg.connect(str(target)) as conn:
            cursor = conn.execute(statement.encode())
            return cursor.fetchall() if cursor.description else []
    import sqlite3

    conn = sqlite3.connect(target)
    try:
        with conn:
            return conn.execute(statement).fetchall()
    finally:
        conn.close()


def every_row(target: Path | str) -> str:
    """Every row of every table of the diary as text, on either engine: what the diary holds,
    for a check that something never reached it."""
    if str(target).startswith("postgresql://"):
        listing = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
    else:
        listing = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1"
    tables = [name for (name,) in run_sql(target, listing)]
    return "\n".join(
        f"{table}: {row!r}"
        for table in tables
        for row in run_sql(target, f'SELECT * FROM "{table}"')
    )


def typed_once(root: Path, build: Callable[[Cli], None]) -> Path:
    """A diary built once for a module (typing many records takes seconds a test): on a
    diary file in `root`, beside it its whole-diary document (diary.json). Its file's path."""
    with private_environment(root / "home"):
        typed = Cli(root / "diary.db")
        build(typed)
        typed.ok("export", "--all", "--output", str(root / "diary.json"))
    return root / "diary.db"


def from_template(cli: Cli, template: Path) -> Cli:
    """The test's diary holding a diary `typed_once`: a copy of its file, or on PostgreSQL
    the same diary brought in as its document."""
    if cli.on_postgres:
        cli.ok("import", str(template.with_suffix(".json")))
        return cli
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{template}{suffix}")
        if source.exists():
            shutil.copy2(source, f"{cli.db_path}{suffix}")
    return cli


@dataclass
class Practice:
    """One PostgreSQL database of a practice: its owner and two practitioners, alice and bob
    (login roles, members of migraine_practitioner), each a CLI on it."""

    server: Any
    name: str  # the database's name
    owner: Cli
    alice: Cli
    bob: Cli

    def url(self, role: str) -> str:
        return str(self.server.url(self.name, role))

    def raw(self, role: str) -> Any:
        import psycopg

        return psycopg.connect(self.url(role), autocommit=True)


@contextmanager
def practice_on(server: Any, home: Path) -> Iterator[Practice]:
    """A fresh practice on the test server, for a module-scoped fixture (private home)."""
    with private_environment(home):
        url = server.database()
        name = url.split("@/", 1)[1].split("?", 1)[0]
        alice, bob = (Cli(server.url(name, role)) for role in ("alice", "bob"))
        yield Practice(server, name, Cli(url), alice, bob)
