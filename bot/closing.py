"""Whether an article takes comments: a moderator's choice, else the clock (pure)."""

from __future__ import annotations

from datetime import datetime, timedelta

CLOSED = "closed"  # a moderator closed it: closed whatever the clock says
OPENED = "open"  # a moderator reopened it: open whatever the clock says


def closes_at(posted_at: datetime, open_hours: int) -> datetime | None:
    """When the clock closes an article posted at ``posted_at`` (None: never, ``open_hours`` is 0)."""
    return posted_at + timedelta(hours=open_hours) if open_hours > 0 else None


def comments_open(posted_at: datetime, override: str | None, now: datetime, open_hours: int) -> bool:
    """Whether new comments are taken now: the moderator's override wins, then the clock."""
    if override == CLOSED:
        return False
    if override == OPENED:
        return True
    deadline = closes_at(posted_at, open_hours)
    return deadline is None or now < deadline
