"""Comment rows and the one conditional update that moves their status."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.states import CommentStatus, check_move
from storage.models import Captcha, Comment
from storage.models.base import utcnow


async def transition(
    session: AsyncSession,
    comment_id: int,
    expected: CommentStatus,
    new: CommentStatus,
    *,
    now: datetime | None = None,
    **fields: Any,
) -> bool:
    """Move a comment from ``expected`` to ``new``; False if another actor moved it first.

    ``UPDATE … WHERE id = :id AND status = :expected``: of two concurrent callers exactly one
    sees a row count of 1. Forbidden moves raise before touching the database.
    """
    check_move(expected, new)
    stmt = (
        update(Comment)
        .where(Comment.id == comment_id, Comment.status == expected.value)
        .values(status=new.value, status_changed_at=now or utcnow(), **fields)
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(stmt)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def transition_to(
    session: AsyncSession,
    comment_id: int,
    expected: CommentStatus,
    new: CommentStatus,
    *,
    now: datetime | None = None,
    **fields: Any,
) -> Comment | None:
    """`transition`, returning the row as written (``UPDATE … RETURNING``: no read after the write);
    None if another actor moved it first (or there is no such comment)."""
    check_move(expected, new)
    stmt = (
        update(Comment)
        .where(Comment.id == comment_id, Comment.status == expected.value)
        .values(status=new.value, status_changed_at=now or utcnow(), **fields)
        .returning(Comment)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    return (await session.execute(stmt)).scalars().one_or_none()


async def get(session: AsyncSession, comment_id: int) -> Comment | None:
    """The comment with this id, or None."""
    return await session.get(Comment, comment_id)


async def by_token(session: AsyncSession, token: str) -> Comment | None:
    """The comment with this public reference token, or None."""
    return (await session.execute(select(Comment).where(Comment.token == token))).scalar_one_or_none()


async def count_recent_by_author(session: AsyncSession, author_id: int, since: datetime) -> int:
    """How many comments an author started since ``since`` (for the rate limit)."""
    stmt = select(func.count()).where(Comment.author_id == author_id, Comment.created_at >= since)
    return int((await session.execute(stmt)).scalar_one())


async def receipt_message(session: AsyncSession, comment_id: int, chat_id: int) -> int | None:
    """The message in ``chat_id`` that shows this comment's receipt (its solved captcha), while it is
    the author's newest: None once they have written another comment since, whose messages lie below."""
    newer = (
        select(Comment.id)
        .where(Comment.author_id == select(Comment.author_id).where(Comment.id == comment_id).scalar_subquery(),
               Comment.id > comment_id)
        .exists()
    )
    stmt = select(Captcha.message_id).where(
        Captcha.comment_id == comment_id, Captcha.chat_id == chat_id, Captcha.solved_at.is_not(None),
        Captcha.message_id.is_not(None), ~newer,
    )
    found = (await session.execute(stmt)).scalar_one_or_none()
    return int(found) if found is not None else None
