"""The moderation audit trail (`ModerationAction` rows): bans, unbans, penalties and what they did."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ModerationAction


async def last_of_user(session: AsyncSession, user_id: int, action: str) -> ModerationAction | None:
    """The newest audit row of kind ``action`` ("ban", "unban", …) aimed at the user."""
    stmt = (
        select(ModerationAction)
        .where(ModerationAction.target_user_id == user_id, ModerationAction.action == action)
        .order_by(ModerationAction.id.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def recent_of_user(session: AsyncSession, user_id: int, action: str, limit: int) -> list[ModerationAction]:
    """The user's newest ``limit`` audit rows of kind ``action``, newest first."""
    stmt = (
        select(ModerationAction)
        .where(ModerationAction.target_user_id == user_id, ModerationAction.action == action)
        .order_by(ModerationAction.id.desc())
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())


async def counts_since(session: AsyncSession, kinds: Iterable[str], since: datetime) -> dict[str, int]:
    """How many audit rows of each of ``kinds`` were written since ``since`` (kinds without one are absent)."""
    stmt = (
        select(ModerationAction.action, func.count())
        .where(ModerationAction.action.in_(tuple(kinds)), ModerationAction.created_at >= since)
        .group_by(ModerationAction.action)
    )
    return {action: int(n) for action, n in (await session.execute(stmt)).all()}
