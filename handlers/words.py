"""/words in the moderators' chat: the newsroom's blocked words and allowed exceptions (issue 18)."""

from __future__ import annotations

from telegram import Update

from bot.deps import KhabarContext
from bot.moderation import service_words
from handlers.moderation import _moderator
from handlers.replies import reply


async def words(update: Update, context: KhabarContext) -> None:
    """/words [block|allow|remove <category> <word or phrase>]."""
    mod = await _moderator(update, context)
    if mod is None or update.effective_message is None:
        return
    await reply(context, update.effective_message, await service_words.command(context.deps, mod, context.args or []))
