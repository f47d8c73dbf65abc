"""Who may moderate: the configured ids, or else the admins of the moderators' chat."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from telegram import Bot
from telegram.error import TelegramError


@dataclass
class ModeratorDirectory:
    """Answers "is this user a moderator?"; admin lists are cached for ``ttl`` seconds."""

    configured: frozenset[int]
    chat_id: int
    ttl: float = 300.0
    _admins: frozenset[int] = field(default_factory=frozenset)
    _fetched: float = float("-inf")

    async def is_moderator(self, bot: Bot, user_id: int) -> bool:
        """True for a configured moderator, or (none configured) an admin of the moderators' chat."""
        if self.configured:
            return user_id in self.configured
        return user_id in await self.admins(bot)

    async def admins(self, bot: Bot) -> frozenset[int]:
        """Human admins of the moderators' chat (cached; the stale list is kept if Telegram fails)."""
        if time.monotonic() - self._fetched > self.ttl:
            try:
                members = await bot.get_chat_administrators(self.chat_id)
            except TelegramError:
                return self._admins
            self._admins = frozenset(m.user.id for m in members if not m.user.is_bot)
            self._fetched = time.monotonic()
        return self._admins

    async def everyone(self, bot: Bot) -> frozenset[int]:
        """Every moderator's user id (for private-chat delivery and stats)."""
        return self.configured or await self.admins(bot)
