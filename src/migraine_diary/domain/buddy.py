"""A Migraine Buddy import as a person hears of it: the rows it could not read, what it did."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """A field that could not be read; ``field`` is the export's column name."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class BuddyResult:
    """What an import did (or, with --dry-run, would do)."""

    added: int
    already_there: int
    bad: list[RowError]
    ongoing_skipped: int
    #: attacks in the file without an end (imported as ongoing, or already there)
    ongoing: int
    #: ongoing attacks of an earlier import that this file ends
    ended: int
    unclassified: list[str]
    dry_run: bool

    @property
    def bad_rows(self) -> int:
        return len({e.line for e in self.bad})
