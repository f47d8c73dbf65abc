"""Cheap read-only queries behind /healthz and /metrics (computed at scrape time, so instances agree)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Comment, Delivery, Lease
from storage.repos.outbox import QUEUED, SENDING


async def ping(session: AsyncSession) -> None:
    """One query on a Khabar table: raises if the database is unreachable or has lost its schema."""
    await session.execute(select(Lease.name).limit(1))


async def comments_by_status(session: AsyncSession) -> dict[str, int]:
    """How many comments are in each status."""
    stmt = select(Comment.status, func.count()).group_by(Comment.status)
    return {status: int(n) for status, n in (await session.execute(stmt)).all()}


@dataclass(frozen=True, slots=True)
class Backlog:
    """Outbox rows not yet sent, by status, and when the oldest of them was queued."""

    by_status: dict[str, int]
    oldest: datetime | None


async def outbox_backlog(session: AsyncSession) -> Backlog:
    """Rows queued or being sent, and the creation time of the oldest."""
    waiting = Delivery.status.in_([QUEUED, SENDING])
    counts = select(Delivery.status, func.count()).where(waiting).group_by(Delivery.status)
    by_status = {QUEUED: 0, SENDING: 0}
    by_status.update({status: int(n) for status, n in (await session.execute(counts)).all()})
    oldest = (await session.execute(select(func.min(Delivery.created_at)).where(waiting))).scalar_one_or_none()
    return Backlog(by_status, oldest)
