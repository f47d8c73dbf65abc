"""The penalty ladder's reads and writes: an author's penalty rows, their counted rejections, the row
lock that makes one step out of two rejections at once, and a penalty marked undone."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.states import CommentStatus
from storage.models import Comment, ModerationAction, User


async def lock_author(session: AsyncSession, user_id: int) -> User | None:
    """The author's row, read afresh and locked until the transaction ends (PostgreSQL: SELECT … FOR
    UPDATE; SQLite's write transactions are serial): two rejections at once would otherwise both read
    the author unbanned and take the ladder's step twice."""
    return await session.get(User, user_id, with_for_update=True, populate_existing=True)


async def of_author(session: AsyncSession, author_id: int, action: str) -> list[ModerationAction]:
    """The author's audit rows of kind ``action`` (the penalties), oldest first, undone ones included."""
    stmt = (select(ModerationAction).where(ModerationAction.action == action, ModerationAction.target_user_id == author_id)
            .order_by(ModerationAction.id))
    return list((await session.execute(stmt)).scalars())


async def counted_rejections(session: AsyncSession, author_id: int, reasons: Collection[str], since: datetime, *,
                             after_penalty: bool) -> int:
    """The author's rejections for one of ``reasons`` decided since ``since`` (strictly after it when
    ``after_penalty``: ``since`` is then the last penalty's time)."""
    decided = Comment.decided_at > since if after_penalty else Comment.decided_at >= since
    stmt = select(func.count()).where(Comment.author_id == author_id, Comment.status == CommentStatus.REJECTED.value,
                                      Comment.reason.in_(reasons), decided)
    return int((await session.execute(stmt)).scalar_one())


async def newest_live_after(session: AsyncSession, user_id: int, action: str, live: str, after_id: int) -> int | None:
    """The id of the user's newest audit row of kind ``action`` still marked ``live``, newer than ``after_id``."""
    stmt = (select(ModerationAction.id).where(ModerationAction.action == action, ModerationAction.target_user_id == user_id,
                                              ModerationAction.reason == live, ModerationAction.id > after_id)
            .order_by(ModerationAction.id.desc()).limit(1))
    return (await session.execute(stmt)).scalar_one_or_none()


async def mark_undone(session: AsyncSession, penalty_id: int, *, live: str, undone: str, action: str | None = None) -> bool:
    """Set a penalty row's reason from ``live`` to ``undone`` (and, given ``action``, only a row of that
    kind); False if no row was still live (someone undid it first)."""
    stmt = update(ModerationAction).where(ModerationAction.id == penalty_id)
    if action is not None:
        stmt = stmt.where(ModerationAction.action == action)
    stmt = stmt.where(ModerationAction.reason == live)
    result = await session.execute(stmt.values(reason=undone).execution_options(synchronize_session=False))
    return bool(getattr(result, "rowcount", 0))
