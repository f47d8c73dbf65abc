"""/start without a payload: a short welcome."""

from __future__ import annotations

from telegram import Update
from telegram.helpers import escape

from bot.deps import KhabarContext
from bot.texts import common


async def start(update: Update, context: KhabarContext) -> None:
    """Greet a reader who opened the bot directly."""
    if update.effective_message is None:
        return
    channel = context.deps.settings.channel or ""
    await update.effective_message.reply_text(common.WELCOME.format(channel=escape(channel)))
