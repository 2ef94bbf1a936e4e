"""An import of attacks from another app (Migraine Buddy, Apple Health) as a person hears of
it: the rows or records it could not read, what it did."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RowError:
    """A field that could not be read; ``field`` is the export's column (or attribute) name,
    ``line`` the file line, or with ``unit`` 'record' the record's number in the file."""

    line: int
    field: str
    message: str
    unit: str = "line"

    def __str__(self) -> str:
        return f"{self.unit} {self.line}: {self.message}"


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
    #: what the file is made of, for the summary: 'row' (CSV) or 'record' (XML)
    unit: str = "row"
    #: records saying there was no attack (Apple Health's NotPresent), not imported
    not_attacks: int = 0

    @property
    def bad_rows(self) -> int:
        return len({e.line for e in self.bad})
