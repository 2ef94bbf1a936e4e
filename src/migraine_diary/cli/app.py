"""The app: the one error boundary, the root options (--db, --debug, --version), every group.

Heavy modules (SQLAlchemy, pydantic models, scipy, rich tables) are imported inside the
commands that need them, so that `--help` and Tab completion stay instant.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import inspect
import io
import os
import sys
import warnings
from collections.abc import Callable, Iterator, MutableMapping
from typing import Annotated, Any, NoReturn

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from migraine_diary import __version__
from migraine_diary.cli.common import PROG, State
from migraine_diary.errors import DiaryError, Note, cannot_write

# Every command module owns a Typer of its own, listed in the order `--help` shows them.
COMMAND_MODULES = (
    "sessions",
    "undo",
    "transfer",
    "demo",
    "attacks",
    "days",
    "care",
    "report",
    "analysis",
    "plans",
    "acute",
    "clients",
    "audit",
    "settings",
)


class _Commands(MutableMapping[str, Any]):
    """The app's commands by name, each built only when it is used: Typer turns a command's
    annotations into options when it builds it (about 2 ms each, 53 commands), and a run, a
    completion or a --help needs one command, not all of them."""

    def __init__(self) -> None:
        self._build: dict[str, Callable[[], Any]] = {}
        self._help: dict[str, _Help] = {}
        self._built: dict[str, Any] = {}
        for module in COMMAND_MODULES:
            commands = importlib.import_module(f"migraine_diary.cli.{module}").app
            for name, build, help_text in _entries(commands):
                self._build[name] = build
                self._help[name] = help_text

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            command = self._build[name]()
            _coerce_plainly(command)
            self._built[name] = command
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command
        self._build.setdefault(name, lambda: command)

    def __delitem__(self, name: str) -> None:
        del self._build[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._build)

    def __len__(self) -> int:
        return len(self._build)

    def listed(self, name: str) -> Any:
        """A stand-in with the command's help and nothing else, for lists of commands."""
        if name in self._built:
            return self._built[name]
        help_text, short, hidden = self._help[name]
        return TyperCommand(name=name, help=help_text, short_help=short, hidden=hidden)


# A command's help as its list shows it: the help text, the short help set, hidden.
_Help = tuple[str, str | None, bool]


def _entries(commands: typer.Typer) -> Iterator[tuple[str, Callable[[], Any], _Help]]:
    """Each command and named group of one module's Typer: its name, how to build it, and its
    help (found as Typer finds it, without building)."""
    settings = {"pretty_exceptions_short": True, "rich_markup_mode": None}
    for info in commands.registered_commands:
        assert info.callback is not None
        name = info.name or typer.main.get_command_name(info.callback.__name__)
        text = inspect.cleandoc(info.help) if info.help else inspect.getdoc(info.callback) or ""

        def build(info: Any = info) -> Any:
            return typer.main.get_command_from_info(info, **settings)  # type: ignore[arg-type]

        yield name, build, (text, info.short_help, bool(info.hidden))
    for group in commands.registered_groups:
        assert isinstance(group.name, str)

        def build_group(group: Any = group) -> Any:
            return typer.main.get_group_from_info(group, suggest_commands=True, **settings)  # type: ignore[arg-type]

        solved = typer.main.solve_typer_info_defaults(group)
        yield group.name, build_group, (solved.help or "", solved.short_help, bool(solved.hidden))


class DiaryGroup(TyperGroup):
    """One exit point: every expected error is one line on stderr; a traceback only with
    --debug. Typer's boxed error panels are replaced by a single line a script can read."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.lazy = _Commands()
        self.commands = self.lazy

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The list of commands in --help, from their help alone (none is built for it)."""
        shown = self.lazy
        rows = [(name, shown.listed(name)) for name in shown if not shown.listed(name).hidden]
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, cmd.get_short_help_str(limit)) for name, cmd in rows])

    def shell_complete(self, ctx: Any, incomplete: str) -> list[Any]:
        """Command names offered from their help alone, as in --help."""
        from typer._click.shell_completion import CompletionItem

        found = [
            CompletionItem(name, help=self.lazy.listed(name).get_short_help_str())
            for name in self.lazy
            if name.startswith(incomplete) and not self.lazy.listed(name).hidden
        ]
        return found + super(TyperGroup, self).shell_complete(ctx, incomplete)

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        _plain_coercion(params, completing=_completing())
        return params

    def invoke(self, ctx: Any) -> Any:
        """Run the command, then flush standard output: a write that fails there (a full disk),
        early or late, is one line and exit code 1, never a truncated file that looks
        complete; a closed pipe ends quietly (see _stdout_failed_with)."""
        try:
            try:
                return super().invoke(ctx)
            finally:  # also when the command ends with an exit code of its own
                sys.stdout.flush()
        except OSError as error:
            if not _stdout_failed(error):
                raise
            _stdout_failed_with(error)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        debug = "--debug" in (kwargs.get("args") or (args[0] if args else None) or sys.argv)
        # A file name or argument with bytes that are not UTF-8 is shown escaped, rather than
        # failing after the work is done (stderr already escapes them).
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="backslashreplace")
        if _completing():
            _bash_gets_whole_words()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("always", Note)
                warnings.showwarning = _show_note
                code = super().main(*args, **kwargs)
        except DiaryError as error:
            _fail(error.message, error.exit_code)
        except typer.Abort as error:
            _cancelled(error)
        except (
            typer.Exit
        ) as error:  # Typer returns these as codes; kept for a raise from a callback
            sys.exit(error.exit_code)
        except Exception as error:
            if type(error).__name__ == "NoArgsIsHelpError":  # `migraine` or `migraine attack`
                sys.stdout.write(error.format_message() + "\n")  # type: ignore[attr-defined]
                sys.exit(0)
            if _is_click_error(error):
                _fail(_click_message(error), getattr(error, "exit_code", 2))
            if isinstance(error, OSError) and _stdout_failed(error):  # e.g. from --version
                _stdout_failed_with(error)
            if debug:
                raise
            _fail(
                f"unexpected {type(error).__name__}; nothing personal is shown here. "
                "Run again with --debug for details.",
                1,
            )
        sys.exit(code if isinstance(code, int) else 0)


class _AsGiven:
    """Parameter coercion that keeps the value: completion never uses the values it parses."""

    def coerce(self, value: Any, **_: Any) -> Any:
        return value


class _Plain:
    """Coercion of a text option or a flag (nearly all of ours: the use cases parse and
    check the text): the value as given. Typer would build a pydantic validator for each,
    which costs about 100 ms on the first, paid by every command and by `log --help`."""

    def __init__(self, annotation: Any) -> None:
        self.annotation = annotation

    def coerce(self, value: Any, *, param: Any, ctx: Any) -> Any:
        if value is None:
            return () if param.multiple or param.nargs == -1 else None
        if isinstance(value, self.annotation) if isinstance(self.annotation, type) else False:
            return value
        if isinstance(value, tuple | list) and all(isinstance(item, str) for item in value):
            return list(value)
        from typer._coercion import build_runtime_param

        return build_runtime_param(param.type_descriptor).coerce(value, param=param, ctx=ctx)


def _completing() -> bool:
    """Whether this process was started by the shell to complete a word (it exits after)."""
    return f"_{PROG.upper()}_COMPLETE" in os.environ


# What bash reads as more than a letter of a word, escaped as `printf %q` escapes it.
_BASH_SPECIAL = r"([^\w./,:@%+=-])"


def _bash_gets_whole_words() -> None:
    """Typer's bash script splits the answer into lines and inserts each as it is: a therapy
    named "Physio Therapy Extra" became three words. Each value goes to bash escaped, as
    `printf %q` would write it. zsh (compadd) and fish quote what they insert themselves,
    so their values stay as they are. Registered once Typer has registered its own (when
    the command was built), for this process only: it exits after one completion."""
    import re

    from typer._click.shell_completion import add_completion_class
    from typer._completion_classes import BashComplete

    special = re.compile(_BASH_SPECIAL)

    class Bash(BashComplete):
        def format_completion(self, item: Any) -> str:
            return special.sub(r"\\\1", str(item.value))

    add_completion_class(Bash, "bash")


def _plain_coercion(params: list[Any], *, completing: bool) -> None:
    """Text options keep their text; while the shell completes (the process exits right
    after, so no later parse is affected), every value is kept as given: completion never
    uses the values it parses."""
    for param in params:
        if getattr(param, "_runtime_param", False) is not None:
            continue  # not a Typer parameter, or already set
        annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
        if completing:
            param._runtime_param = _AsGiven()
        elif annotation in (str, bool) or annotation == list[str]:
            param._runtime_param = _Plain(annotation)


def _metavars_alone(params: list[Any]) -> None:
    """An argument named for people (metavar ID) is shown in --help as just that name:
    Typer would add its Python type (`ID <str>`), which says nothing to a user."""
    for param in params:
        if param.param_type_name == "argument" and param.metavar is not None:
            param.display_type_rich = lambda ctx: ""


def _coerce_plainly(command: Any) -> None:
    """The same for a command as it is built, its subcommands and its --help included."""
    parse = command.get_params

    def get_params(ctx: Any) -> list[Any]:
        params: list[Any] = parse(ctx)
        _plain_coercion(params, completing=_completing())
        _metavars_alone(params)
        return params

    command.get_params = get_params
    for sub in getattr(command, "commands", {}).values():
        _coerce_plainly(sub)


# What a write to a full or closed output raises: a file the program opens itself names its
# file in the error (and its callers turn it into a message of their own).
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EPIPE})


def _stdout_failed(error: OSError) -> bool:
    """Whether the error is standard output refusing a write."""
    if isinstance(error, BrokenPipeError):
        return True
    try:
        sys.stdout.flush()
    except OSError:
        return True  # what is still buffered cannot be written either
    return error.errno in _OUTPUT_ERRNOS and error.filename is None


# The exit code of a process ended by SIGPIPE, as a shell reports it (128 + 13).
CLOSED_PIPE_EXIT = 128 + 13


def _stdout_failed_with(error: OSError) -> NoReturn:
    """The end of a command whose standard output failed. A closed pipe (`migraine list |
    head -1`: the reader has what it wanted) ends quietly with 141, as a C tool killed by
    SIGPIPE; a full disk is one line and exit code 1. A file named with --output is written
    apart and removed when a write fails, so no half-written file is ever left."""
    _silence_stdout()
    if isinstance(error, BrokenPipeError) or error.errno == errno.EPIPE:
        sys.exit(CLOSED_PIPE_EXIT)
    _fail(cannot_write("to standard output", error).message, 1)


def _silence_stdout() -> None:
    """Send what is left in standard output's buffer nowhere: otherwise Python's own flush at
    exit fails again, with a second message and exit code 120."""
    try:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # not a file descriptor (a test's captured output): nothing will flush it


def _is_click_error(error: Exception) -> bool:
    return hasattr(error, "format_message") and hasattr(error, "exit_code")


def _click_message(error: Exception) -> str:
    message: str = error.format_message()  # type: ignore[attr-defined]
    return " ".join(message.split())


def _show_note(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """A Note from the rules is one line on stderr; any other warning stays Python's."""
    if issubclass(category, Note):
        sys.stderr.write(f"{PROG}: note: {message}\n")
    else:
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def _cancelled(error: BaseException) -> NoReturn:
    """Ctrl-C (or the end of input) at a prompt: nothing was written, and the message starts
    a line of its own (Click ends the prompt's line only for a Ctrl-C outside prompts)."""
    if not isinstance(error.__cause__, (KeyboardInterrupt, EOFError)):
        with contextlib.suppress(OSError):
            sys.stderr.write("\n")
    with contextlib.suppress(OSError):
        sys.stderr.write(f"{PROG}: cancelled; nothing was written\n")
    sys.exit(130)


def _fail(message: str, code: int) -> NoReturn:
    """Each line of the message as `migraine: error: ...`; a file name or a value given on the
    command line in it is shown with its controls made visible, like every other output."""
    from migraine_diary.render.format import visible

    try:
        for line in message.split("\n"):
            sys.stderr.write(f"{PROG}: error: {visible(line)}\n")
        sys.stderr.flush()
    except OSError:
        pass  # stderr is gone too: the exit code still tells
    sys.exit(code)


app = typer.Typer(
    cls=DiaryGroup,
    name=PROG,
    help="A personal migraine treatment diary: log each session, see what helps and what it costs.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    # Plain help: Typer's Rich help formatting loads markdown and pygments (about 50 ms), and
    # `--help` must feel instant.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Example: migraine log craniosacral --minutes 45 -b 5 -a 4 --cost 90",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"migraine-diary {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Diary file to use, or a postgresql://user@host/dbname URL (default: "
            "$MIGRAINE_DIARY_DB, else `db` in the config file, else diary.db in your user data "
            "folder; see `migraine config`).",
            metavar="PATH",
        ),
    ] = None,
    client: Annotated[
        str | None,
        typer.Option(
            "--client",
            help="Practice mode: read and write this client's records only (default: "
            "$MIGRAINE_DIARY_CLIENT, else `client` in the config file, else every client's; "
            "see `migraine clients`).",
            metavar="NAME",
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a traceback for unexpected errors.")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """A personal migraine treatment diary: log each session, see what helps and what it costs.

    Example: migraine log craniosacral --minutes 45 --pain-before 5 --pain-after 4 --cost 90
    """
    from migraine_diary.diary.settings import given
    from migraine_diary.domain.hints import use_client
    from migraine_diary.render.format import use_currency

    use_currency(None)  # until the settings of this command are read
    # The client every printed command carries: given here or in the environment, known
    # before any input is checked (an error about the input can hint a command too).
    use_client(given("client", client))
    ctx.obj = State(db=db, client=client)


def main() -> None:
    app()
