"""Expected errors: each carries one line a person can act on, and an exit code."""


class DiaryError(Exception):
    """Something is wrong in the world (unknown id, unreadable file): exit code 1."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(DiaryError):
    """A value that cannot be parsed or is out of range: a usage error, exit code 2."""

    exit_code = 2


class Note(UserWarning):
    """Something a person should hear while the command goes on (one line on stderr)."""


# Free text can hold anything a person wrote about their health: a message never repeats it
# (error messages end up in terminals' scrollback, shell logs and bug reports).
PRIVATE_FIELDS = frozenset({"notes"})


def field_error(field: str, rule: str, got: object) -> InputError:
    """The one message shape for a bad value: which field, what is allowed, what was given."""
    if isinstance(got, str) and any("\ud800" <= c <= "\udfff" for c in got):
        # A byte of another encoding reaches Python as a lone surrogate: no rule is broken
        # but the encoding, and the text cannot be stored.
        return InputError(
            f"{field} must be UTF-8 text: it holds a byte from another encoding (check the "
            "terminal's or the file's encoding)"
        )
    if field in PRIVATE_FIELDS:
        size = f"{len(got)} characters" if isinstance(got, str) else type(got).__name__
        return InputError(f"{field} must be {rule} (got {size}; not shown, to keep it private)")
    return InputError(f"{field} must be {rule} (got {_show(got)})")


def _show(value: object) -> str:
    """The offending value, short, on one line (it may be a stray paste of a whole note)."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    if not text.strip() or any(not c.isprintable() for c in text) or text != text.strip():
        return repr(text)
    return text
