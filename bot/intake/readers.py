"""Who writes to the bot: the reader behind an update, their user row, and their being out of reach."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from storage.models import User
from storage.repos import users

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Author:
    """Who wrote: the Telegram user behind an update."""

    id: int
    display_name: str
    username: str | None = None


async def remember(session: AsyncSession, deps: Deps, who: Author, *, private: bool) -> User:
    """Create or refresh the user row (read fresh); a private-chat update proves they started the bot."""
    return await users.upsert(session, who.id, display_name=who.display_name, username=who.username,
                              now=deps.clock(), started_bot=True if private else None)


async def unreachable(deps: Deps, user_id: int) -> None:
    """Telegram refused a direct reply to ``user_id`` in a way that means the bot cannot write to them
    (bot/domain/unreachable.py): they are marked blocked, as the outbox's notices mark them."""
    async with deps.db.transaction() as session:
        await users.mark_blocked(session, user_id)
    log.info("reader blocked the bot", extra={"user_id": user_id})
