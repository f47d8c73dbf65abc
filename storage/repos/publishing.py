"""Queries publishing needs: articles whose count button is stale, and what an edit of it left behind.

(The rest of publishing's SQL — posting, feeds, reconciling threads — still lives in bot/publishing/ and
moves here next.)
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, cast, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Article, Delivery


async def stale_counts(session: AsyncSession, edited_before: datetime, *, article_id: int | None = None,
                       limit: int = 200, row_prefix: str = "count:") -> list[tuple[Article, Delivery | None]]:
    """Posted articles whose count button shows another number than their approved count, last edited
    before ``edited_before`` (or never), each with its edit's outbox row (key ``row_prefix`` + the
    article's id) if there is one: one SELECT."""
    row_key = literal(row_prefix) + cast(Article.id, String)
    stmt = (
        select(Article, Delivery)
        .outerjoin(Delivery, Delivery.dedupe_key == row_key)
        .where(
            Article.approved_count != Article.shown_count,
            Article.channel_message_id.is_not(None),
            or_(Article.count_edited_at.is_(None), Article.count_edited_at <= edited_before),
        )
    )
    if article_id is not None:
        stmt = stmt.where(Article.id == article_id)
    return [(article, row) for article, row in (await session.execute(stmt.limit(limit))).all()]


async def count_shown(session: AsyncSession, article_id: int | None, shown: int, now: datetime) -> None:
    """The article's button now shows ``shown``."""
    await session.execute(
        update(Article).where(Article.id == article_id).values(shown_count=shown, count_edited_at=now)
        .execution_options(synchronize_session=False)
    )


async def count_edit_tried(session: AsyncSession, article_id: int | None, now: datetime) -> None:
    """An edit of the article's button was tried now (it failed): the next waits an interval."""
    await session.execute(
        update(Article).where(Article.id == article_id).values(count_edited_at=now)
        .execution_options(synchronize_session=False)
    )
