"""Named expiring leases so that one instance at a time runs a singleton job."""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Lease
from storage.repos.upsert import insert_for


async def acquire(session: AsyncSession, name: str, owner: str, ttl: timedelta, now: datetime) -> bool:
    """Take or renew the lease ``name`` for ``owner``; False if another live owner holds it."""
    expires = now + ttl
    ins = insert_for(session, Lease).values(name=name, owner=owner, expires_at=expires)
    result = await session.execute(ins.on_conflict_do_nothing(index_elements=[Lease.name]))
    if result.rowcount == 1:  # type: ignore[attr-defined]
        return True
    stmt = (
        update(Lease)
        .where(Lease.name == name, or_(Lease.owner == owner, Lease.expires_at < now))
        .values(owner=owner, expires_at=expires)
        .execution_options(synchronize_session=False)
    )
    return bool((await session.execute(stmt)).rowcount == 1)  # type: ignore[attr-defined]


async def release(session: AsyncSession, name: str, owner: str) -> None:
    """Give the lease back if ``owner`` holds it."""
    await session.execute(delete(Lease).where(Lease.name == name, Lease.owner == owner))


async def serialise(session: AsyncSession, name: str) -> None:
    """Hold ``name`` until this transaction ends: one instance at a time runs what follows.

    SQLite: nothing to do, every transaction is already begun with BEGIN IMMEDIATE (one writer at a
    time, across processes too). PostgreSQL: a transaction-scoped advisory lock, one statement, let go
    at commit or rollback (a lease row taken and given back in one transaction did the same in two).
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    await session.execute(select(func.pg_advisory_xact_lock(zlib.crc32(name.encode()))))


async def holder(session: AsyncSession, name: str) -> Lease | None:
    """The lease row ``name`` (who holds it, until when), or None."""
    return await session.get(Lease, name)


async def take_over(session: AsyncSession, name: str, previous: str, owner: str, expires_at: datetime) -> bool:
    """Move lease ``name`` from ``previous`` to ``owner`` until ``expires_at``; False if ``previous`` no
    longer holds it."""
    stmt = (
        update(Lease)
        .where(Lease.name == name, Lease.owner == previous)
        .values(owner=owner, expires_at=expires_at)
        .execution_options(synchronize_session=False)
    )
    return bool((await session.execute(stmt)).rowcount == 1)  # type: ignore[attr-defined]
