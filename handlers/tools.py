"""Moderators' tools of issue 18: /close and /open an article's comments, /remove a published comment."""

from __future__ import annotations

from telegram import Update

from bot import closing
from bot.deps import KhabarContext
from bot.moderation import service_close, service_takedown
from bot.texts import tools as t
from handlers.moderation import _moderator


async def _set_open(update: Update, context: KhabarContext, override: str) -> None:
    mod = await _moderator(update, context)
    message = update.effective_message
    if mod is None or message is None:
        return
    args = context.args or []
    if len(args) != 1:
        await message.reply_text(t.CLOSE_USAGE)
        return
    await message.reply_text(await service_close.set_open(context.deps, mod, args[0], override))


async def close(update: Update, context: KhabarContext) -> None:
    """/close <article>: no new comments on it; those already written can still be decided."""
    await _set_open(update, context, closing.CLOSED)


async def reopen(update: Update, context: KhabarContext) -> None:
    """/open <article>: comments welcome again, whatever the clock says."""
    await _set_open(update, context, closing.OPENED)


async def remove(update: Update, context: KhabarContext) -> None:
    """/remove <comment>: take a published comment down (thread, bot view, count; the author told)."""
    mod = await _moderator(update, context)
    message = update.effective_message
    if mod is None or message is None:
        return
    args = context.args or []
    if len(args) != 1:
        await message.reply_text(t.REMOVE_USAGE)
        return
    await message.reply_text(await service_takedown.take_down(context.deps, mod, args[0]))
