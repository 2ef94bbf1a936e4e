"""Across clients: each therapy's sessions, one series per client, for the model of
`stats --all-clients` (a personal diary is one implicit client, so it never has enough)."""

from __future__ import annotations

from migraine_diary import storage as db
from migraine_diary.analysis.practice import ClientSeries, ClientSession
from migraine_diary.domain.dates import from_storage


def client_series(
    diary: db.Diary | None, where: db.Filters | None = None
) -> dict[str, list[ClientSeries]]:
    """Per therapy (stored name, most sessions first), each client's sessions in time order."""
    if diary is None:
        return {}
    with diary.connect() as conn:
        rows = db.practice_rows(conn, where or db.Filters())
    grouped: dict[str, dict[str, list[ClientSession]]] = {}
    for client, therapy, when, minutes, before, after in rows:
        session = ClientSession(from_storage(when), minutes, before, after)
        grouped.setdefault(therapy, {}).setdefault(str(client), []).append(session)
    result = {
        therapy: [ClientSeries(c, tuple(s)) for c, s in clients.items()]
        for therapy, clients in grouped.items()
    }
    return dict(
        sorted(result.items(), key=lambda kv: (-sum(len(c.sessions) for c in kv[1]), kv[0]))
    )
