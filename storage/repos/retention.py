"""Deleting what has done its job: finished outbox rows, long-expired captchas, lapsed drafts.

Each call deletes at most ``limit`` rows (one short transaction), so a first purge of a large
database never holds SQLite's write lock for long; the caller repeats until fewer come back.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Captcha, Delivery, User


async def _delete_ids(session: AsyncSession, model: type[Delivery] | type[Captcha], ids: list[int]) -> int:
    if not ids:
        return 0
    result = await session.execute(delete(model).where(model.id.in_(ids)).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


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
