"""Seen chats and users: upserted as the bot meets them, listed for ``khabar chats``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SeenChat
from storage.repos.upsert import insert_for


@dataclass(frozen=True, slots=True)
class Sighting:
    """One chat or user as an update showed it."""

    id: int
    kind: str
    title: str
    username: str | None = None
    seen_in: int | None = None


async def record(session: AsyncSession, sightings: Iterable[Sighting], now: datetime) -> None:
    """Insert or refresh each sighting (idempotent)."""
    for s in sightings:
        values = {"kind": s.kind, "title": s.title[:300], "username": s.username, "seen_in": s.seen_in,
                  "last_seen_at": now}
        stmt = insert_for(session, SeenChat).values(id=s.id, **values)
        await session.execute(stmt.on_conflict_do_update(index_elements=[SeenChat.id], set_=values))


async def all_seen(session: AsyncSession) -> list[SeenChat]:
    """Every chat and user seen, newest first."""
    rows = await session.scalars(select(SeenChat).order_by(SeenChat.last_seen_at.desc(), SeenChat.id))
    return list(rows)
