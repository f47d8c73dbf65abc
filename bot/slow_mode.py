"""Slow mode in a surge (issue 18, item 2): the rules, pure.

An article is *in a surge* while more than ``surge_comments_per_minute`` comments that passed the
checks were written on it in the last minute (0: never). During a surge each author may send one
comment on that article per ``surge_slow_minutes``; the surge passes by itself once a minute goes by
with no more than that many comments.
"""

from __future__ import annotations

from datetime import datetime, timedelta

WINDOW = timedelta(minutes=1)


def in_surge(last_minute: int, per_minute: int) -> bool:
    """Whether an article drawing ``last_minute`` comments in the last minute is in a surge."""
    return per_minute > 0 and last_minute > per_minute


def wait(last_by_author: datetime | None, now: datetime, slow_minutes: int) -> timedelta | None:
    """How long the author must wait before their next comment on a surging article (None: not at all)."""
    if last_by_author is None:
        return None
    free_at = last_by_author + timedelta(minutes=slow_minutes)
    return free_at - now if free_at > now else None
