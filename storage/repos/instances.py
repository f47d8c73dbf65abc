"""Queries the instance guard needs beyond its leases: outbox claims left behind by a stopped process.

(This writes delivery rows; the outbox's repository, storage/repos/outbox.py, is meant to be the only
writer of those — see /work/notes/sqlpub-docs.md.)
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Delivery
from storage.repos import outbox


async def expire_claims(session: AsyncSession, owners: Collection[str] | None, now: datetime,
                        stale: datetime) -> None:
    """Rows still sending under a claim running at or after ``now`` get a claim ending at ``stale``
    (so they are due now): those claimed by ``owners``, or every such row when ``owners`` is None."""
    stmt = update(Delivery).where(Delivery.status == outbox.SENDING, Delivery.claimed_until >= now)
    if owners is not None:
        stmt = stmt.where(Delivery.claimed_by.in_(owners))
    await session.execute(stmt.values(claimed_until=stale).execution_options(synchronize_session=False))
