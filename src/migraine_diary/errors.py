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


# Free text can hold anything a person wrote about their health (a question may name a
# diagnosis, a provider a clinic, a medication a condition): a message never repeats it, not
# even its first characters (error messages end up in terminals' scrollback, shell logs and
# bug reports). A therapy name is the user's own short label and may be shown.
PRIVATE_FIELDS = frozenset(
    {"notes", "question", "provider", "med"}
    # an attack's detail (issue 16), as the command line and an import name it
    | {"trigger", "symptom", "pain-position", "relief", "triggers", "symptoms"}
    | {"pain_positions", "most_bothersome"}
)


def field_error(field: str, rule: str, got: object, *, private: bool | None = None) -> InputError:
    """The one message shape for a bad value: which field, what is allowed, what was given.

    A private field (PRIVATE_FIELDS, or `private=True` for a label of its own) is described by
    its length only; a blank one is shown, as it holds nothing to keep.
    """
    if isinstance(got, str) and any("\ud800" <= c <= "\udfff" for c in got):
        # A byte of another encoding reaches Python as a lone surrogate: no rule is broken
        # but the encoding, and the text cannot be stored.
        return InputError(
            f"{field} must be UTF-8 text: it holds a byte from another encoding (check the "
            "terminal's or the file's encoding)"
        )
    hidden = field in PRIVATE_FIELDS if private is None else private
    if hidden and not (isinstance(got, str) and not got.strip()):
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


def cannot_write(what: str, error: OSError) -> DiaryError:
    """A failed write (a full disk, a closed pipe, a missing folder) as one line."""
    if isinstance(error, BrokenPipeError):
        reason = "it was closed before everything was written"
    else:
        reason = error.strerror or type(error).__name__
    return DiaryError(f"cannot write {what}: {reason}")
