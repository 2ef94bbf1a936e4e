"""One entry of the audit trail: who wrote which record of which client, and how (ids only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from migraine_diary.domain.dates import to_storage


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    role: str | None  # the database role that wrote (None in a diary file: no roles)
    table: str
    record_id: int | None
    client_id: int | None
    client: str | None  # the client's name as it is now (None: erased, unnamed or no client)
    action: str  # insert, update, delete or erase
    client_gone: bool = False  # the client was erased, not merely unnamed
    client_unseen: bool = False  # the client is there but not shared with the reader now

    def to_json(self, *, practice: bool) -> dict[str, Any]:
        """A personal diary's entries say nothing of clients (it has only its own)."""
        data: dict[str, Any] = {
            "id": self.id,
            "at": to_storage(self.at),
            "role": self.role,
            "table": self.table,
            "record_id": self.record_id,
            "action": self.action,
        }
        if practice:
            data["client_id"] = self.client_id
            data["client"] = self.client
        return data
