"""Deleting what has done its job: finished outbox rows, long-expired captchas, lapsed drafts.

Each call deletes at most ``limit`` rows (one short transaction), so a first purge of a large
database never holds SQLite's write lock for long; the caller repeats until fewer come back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.states import CommentStatus as S
from storage.models import Captcha, Comment, Delivery, User
from storage.repos.outbox import CANCELLED, FAILED, SENT


async def _delete_ids(session: AsyncSession, model: type[Delivery] | type[Captcha], ids: list[int]) -> int:
    if not ids:
        return 0
    result = await session.execute(delete(model).where(model.id.in_(ids)).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def purge_deliveries(session: AsyncSession, *, sent_before: datetime, failed_before: datetime,
                           limit: int = 500) -> int:
    """Delete outbox rows sent or cancelled before ``sent_before`` and failed before ``failed_before``.

    Rows of a comment still waiting (for its captcha or a moderator) stay: its card rows are counted
    to key a re-sent card (storage/repos/moderation.card_attempts).
    """
    done_at = func.coalesce(Delivery.sent_at, Delivery.next_attempt_at)
    finished = (((Delivery.status.in_([SENT, CANCELLED])) & (done_at < sent_before))
                | ((Delivery.status == FAILED) & (Delivery.next_attempt_at < failed_before)))
    waiting = select(Comment.id).where(Comment.status.in_([S.PENDING.value, S.AWAITING_CAPTCHA.value]))
    finished = finished & (Delivery.comment_id.is_(None) | Delivery.comment_id.not_in(waiting))
    ids = list((await session.execute(select(Delivery.id).where(finished).order_by(Delivery.id).limit(limit))).scalars())
    return await _delete_ids(session, Delivery, ids)


async def purge_captchas(session: AsyncSession, *, expired_before: datetime, limit: int = 500) -> int:
    """Delete captchas that expired before ``expired_before`` (solved or not: no answer is taken any more)."""
    ids = list((await session.execute(
        select(Captcha.id).where(Captcha.expires_at < expired_before).order_by(Captcha.id).limit(limit))).scalars())
    return await _delete_ids(session, Captcha, ids)


async def clear_lapsed_drafts(session: AsyncSession, now: datetime) -> int:
    """Forget drafts (the article a reader was writing on) whose time ran out; how many."""
    result = await session.execute(
        update(User).where(User.draft_expires_at < now)
        .values(draft_article_id=None, draft_parent_id=None, draft_expires_at=None)
        .execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
