"""Queries publishing needs: storing and posting articles, articles whose count button is stale and what
an edit of it left behind (feeds: `storage/repos/feeds.py`; reconciling threads:
`storage/repos/reconcile.py`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.message_kinds import MessageKind
from storage.models import Article, Delivery
from storage.repos.upsert import insert_for


# ----- storing and posting articles -----------------------------------------------------------------------
async def last_post_slot(session: AsyncSession, chat_key: str) -> datetime | None:
    """The latest time a channel post to ``chat_key`` is due in the outbox (None: none there)."""
    stmt = select(func.max(Delivery.next_attempt_at)).where(Delivery.kind == MessageKind.ARTICLE_POST, Delivery.chat_key == chat_key)
    last: datetime | None = (await session.execute(stmt)).scalar_one_or_none()
    return last


async def insert_article(session: AsyncSession, values: dict[str, Any]) -> bool:
    """Insert an article row unless one with its ``dedupe_key`` exists; True when it was inserted."""
    stmt = insert_for(session, Article).values(**values).on_conflict_do_nothing(index_elements=[Article.dedupe_key])
    return bool((await session.execute(stmt)).rowcount == 1)  # type: ignore[attr-defined]


async def article_by_dedupe_key(session: AsyncSession, key: str) -> Article:
    """The article stored under ``key`` (it must exist)."""
    return (await session.execute(select(Article).where(Article.dedupe_key == key))).scalar_one()


async def article_by_token(session: AsyncSession, token: str) -> Article | None:
    """The article a deep link's token names, or None."""
    return (await session.execute(select(Article).where(Article.token == token))).scalar_one_or_none()


async def mark_posted(session: AsyncSession, article_id: int, chat_id: int, message_id: int, state: str,
                      shown: int) -> bool:
    """Remember the article's channel message (state ``state``, button showing ``shown``); False if it
    was already known."""
    stmt = (
        update(Article)
        .where(Article.id == article_id, Article.channel_message_id.is_(None))
        .values(delivery_state=state, channel_chat_id=chat_id, channel_message_id=message_id, shown_count=shown)
        .execution_options(synchronize_session=False)
    )
    return bool((await session.execute(stmt)).rowcount == 1)  # type: ignore[attr-defined]


async def set_delivery_state(session: AsyncSession, article_id: int, state: str) -> None:
    """Set the article's delivery state (e.g. failed for good)."""
    await session.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(delivery_state=state)
        .execution_options(synchronize_session=False)
    )


async def article_title(session: AsyncSession, article_id: int) -> str:
    """The article's title (it must exist)."""
    title: str = (await session.execute(select(Article.title).where(Article.id == article_id))).scalar_one()
    return title


# ----- the count button -----------------------------------------------------------------------------------


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
