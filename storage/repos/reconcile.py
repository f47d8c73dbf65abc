"""Queries that reconcile channel posts with their automatic forward into the discussion group: posts
in flight, posts known to be in the channel, posts whose send outcome is uncertain.

(These write delivery rows of article posts; the outbox's repository, storage/repos/outbox.py, is meant
to be the only writer of those — see /work/notes/sqlpub-docs.md.)
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.message_kinds import MessageKind
from storage.models import Article, Delivery
from storage.repos import outbox


async def article_of_post(session: AsyncSession, channel_id: int, post_id: int) -> int | None:
    """The id of the article whose channel message is ``post_id`` in ``channel_id``, or None."""
    stmt = select(Article.id).where(Article.channel_chat_id == channel_id, Article.channel_message_id == post_id)
    article_id: int | None = (await session.execute(stmt)).scalar_one_or_none()
    return article_id


async def in_flight_posts(session: AsyncSession, channel_id: int) -> list[Delivery]:
    """Post deliveries to ``channel_id`` still queued or sending whose article has no channel message yet,
    oldest first."""
    stmt = (
        select(Delivery)
        .join(Article, Article.id == Delivery.article_id)
        .where(
            Delivery.kind == MessageKind.ARTICLE_POST,
            Delivery.chat_key == str(channel_id),
            Delivery.status.in_([outbox.QUEUED, outbox.SENDING]),
            Article.channel_message_id.is_(None),
        )
        .order_by(Delivery.id)
    )
    return list((await session.execute(stmt)).scalars())


async def set_discussion_copy(session: AsyncSession, article_id: int, group_id: int, copy_id: int) -> None:
    """Store the article's copy in the discussion group (unless one is stored already)."""
    await session.execute(
        update(Article)
        .where(Article.id == article_id, Article.discussion_message_id.is_(None))
        .values(discussion_chat_id=group_id, discussion_message_id=copy_id)
        .execution_options(synchronize_session=False)
    )


async def known_posts_unsettled(session: AsyncSession, stale_claim: datetime) -> list[tuple[Delivery, int | None]]:
    """Post deliveries whose article is in the channel but which are still queued, or sending with a claim
    ending at or before ``stale_claim``; each with the article's channel message id."""
    stmt = (
        select(Delivery, Article.channel_message_id)
        .join(Article, Article.id == Delivery.article_id)
        .where(
            Delivery.kind == MessageKind.ARTICLE_POST,
            Article.channel_message_id.is_not(None),
            or_(
                Delivery.status == outbox.QUEUED,
                and_(Delivery.status == outbox.SENDING, Delivery.claimed_until <= stale_claim),
            ),
        )
    )
    return [(row, message_id) for row, message_id in (await session.execute(stmt)).all()]


async def uncertain_posts(session: AsyncSession, now: datetime, *, startup: bool) -> list[Delivery]:
    """Post deliveries that may already be in the channel: at ``startup`` those left sending with an
    expired claim; otherwise those queued for a retry after an error."""
    if startup:
        stmt = select(Delivery).where(
            Delivery.kind == MessageKind.ARTICLE_POST, Delivery.status == outbox.SENDING, Delivery.claimed_until < now
        )
    else:
        stmt = select(Delivery).where(
            Delivery.kind == MessageKind.ARTICLE_POST,
            Delivery.status == outbox.QUEUED,
            Delivery.attempts >= 1,
            Delivery.error.is_not(None),
        )
    return list((await session.execute(stmt)).scalars())
