"""Queries behind slow mode in a surge: comments an article drew lately, and an author's last one on it."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Article, Comment
from storage.repos.author_history import RATE_COUNTED


async def article_count_since(session: AsyncSession, article_id: int, since: datetime) -> int:
    """Comments on the article that passed the checks since ``since``."""
    stmt = select(func.count()).where(Comment.article_id == article_id, Comment.created_at >= since,
                                      Comment.status.in_(RATE_COUNTED))
    return int((await session.execute(stmt)).scalar_one())


async def author_last_on(session: AsyncSession, author_id: int, article_id: int, since: datetime) -> datetime | None:
    """When the author last commented on the article since ``since`` (comments that passed the checks)."""
    stmt = select(func.max(Comment.created_at)).where(Comment.author_id == author_id, Comment.article_id == article_id,
                                                      Comment.created_at >= since, Comment.status.in_(RATE_COUNTED))
    found = (await session.execute(stmt)).scalar_one_or_none()
    if isinstance(found, str):  # SQLite may return max() of a datetime column as text
        found = datetime.fromisoformat(found)
    if found is not None and found.tzinfo is None:
        found = found.replace(tzinfo=UTC)
    return found


async def busiest_since(session: AsyncSession, since: datetime, more_than: int, limit: int = 5) -> list[tuple[Article, int]]:
    """Articles that drew more than ``more_than`` comments since ``since``, busiest first."""
    count = func.count(Comment.id)
    stmt = (select(Article, count).join(Comment, Comment.article_id == Article.id)
            .where(Comment.created_at >= since, Comment.status.in_(RATE_COUNTED))
            .group_by(Article.id).having(count > more_than).order_by(count.desc()).limit(limit))
    return [(article, int(n)) for article, n in (await session.execute(stmt)).all()]
