"""Keyset paging, shared by every query that reads a whole table a page at a time."""

from __future__ import annotations

from typing import Any


def keyset_page(
    where: str,
    params: dict[str, Any],
    moment: str,
    key: str,
    after: tuple[str, int] | None,
    newest_first: bool,
    size: int,
) -> str:
    """The WHERE, ORDER BY and LIMIT of the page after `after` (the last page's (moment, id)):
    it seeks on the (moment, id) index, so reading every row holds one page in memory, at
    any depth. Fills `params`."""
    if after is not None:
        sign = "<" if newest_first else ">"
        where += (
            " AND " if where else " WHERE "
        ) + f"({moment}, {key}) {sign} (:after_at, :after_id)"
        params.update(after_at=after[0], after_id=after[1])
    direction = " DESC" if newest_first else ""
    params["size"] = size
    return f"{where} ORDER BY {moment}{direction}, {key}{direction} LIMIT :size"
