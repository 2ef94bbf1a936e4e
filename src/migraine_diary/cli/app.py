"""The app: the one error boundary, the root options (--db, --debug, --version), every group.

Heavy modules (SQLAlchemy, pydantic models, scipy, rich tables) are imported inside the
commands that need them, so that `--help` and Tab completion stay instant.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
import warnings
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from migraine_diary import __version__
from migraine_diary.cli.common import PROG, State
from migraine_diary.errors import DiaryError, Note, cannot_write


class DiaryGroup(TyperGroup):
    """One exit point: every expected error is one line on stderr; a traceback only with
    --debug. Typer's boxed error panels are replaced by a single line a script can read."""

    def get_params(self, ctx: Any) -> list[Any]:
        params = super().get_params(ctx)
        _skip_coercion_while_completing([*params, *_every_param(self, ctx)])
        return params

    def invoke(self, ctx: Any) -> Any:
        """Run the command, then flush standard output: a write that fails there (a full disk,
        a closed pipe), early or late, is one line and exit code 1, never a truncated file
        that looks complete (Click would end a closed pipe silently)."""
        try:
            try:
                return super().invoke(ctx)
            finally:  # also when the command ends with an exit code of its own
                sys.stdout.flush()
        except OSError as error:
            if not _stdout_failed(error):
                raise
            _silence_stdout()
            raise cannot_write("to standard output", error) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        debug = "--debug" in (kwargs.get("args") or (args[0] if args else None) or sys.argv)
        # A file name or argument with bytes that are not UTF-8 is shown escaped, rather than
        # failing after the work is done (stderr already escapes them).
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(errors="backslashreplace")
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
                _silence_stdout()
                _fail(cannot_write("to standard output", error).message, 1)
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


def _every_param(group: Any, ctx: Any) -> list[Any]:
    """The parameters of every command and group under ``group``, their --help included:
    completing `log <Tab>` parses `log`'s options too."""
    if f"_{PROG.upper()}_COMPLETE" not in os.environ:
        return []
    found = []
    for command in getattr(group, "commands", {}).values():
        found += [*command.params, command.get_help_option(ctx), *_every_param(command, ctx)]
    return [param for param in found if param is not None]


def _skip_coercion_while_completing(params: list[Any]) -> None:
    """Typer coerces every parameter through pydantic, even a None default: about 60 ms that
    Tab completion would pay on every keystroke for values it never uses. Only in a process
    that the shell started to complete (it exits right after), so no later parse is affected.
    """
    if f"_{PROG.upper()}_COMPLETE" not in os.environ:
        return
    for param in params:
        if getattr(param, "_runtime_param", False) is None:
            param._runtime_param = _AsGiven()


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
    from migraine_diary.render.format import use_currency

    use_currency(None)  # until the settings of this command are read
    ctx.obj = State(db=db, client=client)


def main() -> None:
    app()


# Every command module owns a Typer of its own; merged here in the order `--help` lists them.
from migraine_diary.cli import (  # noqa: E402  (the commands use nothing of this module)
    acute,
    analysis,
    attacks,
    care,
    clients,
    days,
    demo,
    plans,
    report,
    sessions,
    settings,
    transfer,
    undo,
)

for commands in (
    sessions,
    undo,
    transfer,
    demo,
    attacks,
    days,
    care,
    report,
    analysis,
    plans,
    acute,
    clients,
    settings,
):
    app.add_typer(commands.app)
