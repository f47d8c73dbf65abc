"""One article's figures for moderators: its comments by status, and those still in the queue."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.states import CommentStatus
from storage.models import Comment, QueueView


async def status_counts(session: AsyncSession, article_id: int) -> dict[str, int]:
    """The article's comments counted by status (statuses with none are absent)."""
    stmt = select(Comment.status, func.count()).where(Comment.article_id == article_id).group_by(Comment.status)
    return {status: int(n) for status, n in (await session.execute(stmt)).all()}


async def pending_of_article(session: AsyncSession, article_id: int, limit: int) -> list[Comment]:
    """The article's comments waiting for a moderator, oldest first, at most ``limit``."""
    stmt = (select(Comment).where(Comment.article_id == article_id, Comment.status == CommentStatus.PENDING.value)
            .order_by(Comment.id).limit(limit))
    return list((await session.execute(stmt)).scalars())


async def view_messages(session: AsyncSession, view_ids: set[int]) -> dict[int, int]:
    """The message each open queue view is shown in (views not yet sent are absent)."""
    if not view_ids:
        return {}
    stmt = select(QueueView.id, QueueView.message_id).where(QueueView.id.in_(view_ids), QueueView.closed_at.is_(None),
                                                            QueueView.message_id.is_not(None))
    return {view_id: int(message_id) for view_id, message_id in (await session.execute(stmt)).all() if message_id}
