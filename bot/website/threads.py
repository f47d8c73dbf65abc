"""Approved comments as the website shows them: threaded, paged, in the API's JSON shape (pure)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

ROOTS_PER_PAGE = 50


@dataclass(frozen=True, slots=True)
class WebComment:
    """One approved comment on the website."""

    id: int
    author: str
    text: str
    created_at: datetime
    parent_id: int | None
    via: str  # telegram | web


def iso(moment: datetime) -> str:
    """UTC ISO 8601 with a Z."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def threaded(comments: Sequence[WebComment]) -> list[list[WebComment]]:
    """Threads: each root (newest thread first) followed by all its replies, oldest first.

    A reply whose parent is not shown (taken back after the reply was approved) starts its own thread.
    """
    by_id = {c.id: c for c in comments}

    def root_of(c: WebComment) -> int:
        seen = {c.id}
        while c.parent_id is not None and c.parent_id in by_id and c.parent_id not in seen:
            c = by_id[c.parent_id]
            seen.add(c.id)
        return c.id

    groups: dict[int, list[WebComment]] = {}
    for c in sorted(comments, key=lambda c: (c.created_at, c.id)):
        groups.setdefault(root_of(c), []).append(c)
    return sorted(groups.values(), key=lambda g: (g[0].created_at, g[0].id), reverse=True)


def page_json(
    comments: Sequence[WebComment], page: int, when: Callable[[datetime], str], per_page: int = ROOTS_PER_PAGE
) -> dict[str, Any]:
    """The body of ``GET …/comments``: one page of threads, flattened in reading order (``when``: the
    date as readers read it, e.g. «پنجشنبه ۱۸ دی ۱۴۰۴ - ۱۵:۰۶»)."""
    threads = threaded(comments)
    pages = max(1, -(-len(threads) // per_page))
    page = min(max(page, 1), pages)
    chosen = threads[(page - 1) * per_page : page * per_page]
    return {
        "comments": [
            {
                "id": c.id,
                "author": c.author,
                "text": c.text,
                "created_at": iso(c.created_at),
                "created_at_fa": when(c.created_at),
                "parent_id": c.parent_id if c.parent_id in {x.id for x in thread} else None,
                "via": c.via,
            }
            for thread in chosen
            for c in thread
        ],
        "total": len(comments),
        "page": page,
        "pages": pages,
    }
