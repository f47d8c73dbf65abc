"""Whether an article takes new comments now: the one question intake, the views and the website ask."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import closing
from bot.deps import Deps
from bot.settings import Settings
from storage.models import Article


def article_open(article: Article, settings: Settings, now: datetime) -> bool:
    """Whether ``article`` takes new comments now (the moderators' override, else the clock)."""
    return closing.comments_open(article.created_at, article.comments_override, now, settings.comments_open_hours)


def article_closes_at(article: Article, settings: Settings) -> datetime | None:
    """When the clock will close ``article`` (None: never, or a moderator decided by hand)."""
    if article.comments_override is not None:
        return None
    return closing.closes_at(article.created_at, settings.comments_open_hours)


async def comments_open(session: AsyncSession, settings: Settings, article_id: int, now: datetime) -> bool:
    """The website's seam: whether the article with ``article_id`` takes new comments (False: no such article)."""
    article = await session.get(Article, article_id)
    return article is not None and article_open(article, settings, now)


async def is_open(deps: Deps, article_id: int) -> bool:
    """``comments_open`` in its own transaction, for callers holding only ``deps``."""
    async with deps.db.transaction() as session:
        return await comments_open(session, deps.settings, article_id, deps.clock())
