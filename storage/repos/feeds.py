"""Queries the feed reader needs: the feeds moderators manage and the ones due for a poll."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Feed
from storage.repos.upsert import insert_for


async def insert_feed(session: AsyncSession, url: str, now: datetime) -> bool:
    """Register ``url`` (enabled, due at once) unless it is there already; True when it was inserted."""
    stmt = insert_for(session, Feed).values(url=url, created_at=now, enabled=True, failures=0, first_poll_done=False)
    return bool((await session.execute(stmt.on_conflict_do_nothing(index_elements=[Feed.url]))).rowcount == 1)  # type: ignore[attr-defined]


async def feed_by_url(session: AsyncSession, url: str) -> Feed:
    """The feed registered under ``url`` (it must exist)."""
    return (await session.execute(select(Feed).where(Feed.url == url))).scalar_one()


async def feed(session: AsyncSession, feed_id: int) -> Feed | None:
    """The feed with this id (from the session's identity map if loaded), or None."""
    return await session.get(Feed, feed_id)


async def all_feeds(session: AsyncSession) -> list[Feed]:
    """Every feed, oldest first."""
    return list((await session.execute(select(Feed).order_by(Feed.id))).scalars())


async def delete_feed(session: AsyncSession, feed_id: int) -> bool:
    """Delete the feed row (its articles stay); False if there was none."""
    result = await session.execute(delete(Feed).where(Feed.id == feed_id))
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def due_feeds(session: AsyncSession, now: datetime) -> list[Feed]:
    """Enabled feeds never polled or whose next poll time has come, oldest first."""
    stmt = select(Feed).where(Feed.enabled.is_(True), or_(Feed.next_poll_at.is_(None), Feed.next_poll_at <= now))
    return list((await session.execute(stmt.order_by(Feed.id))).scalars())
