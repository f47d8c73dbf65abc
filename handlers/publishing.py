"""Publishing in Telegram: the discussion copy of our posts, and /feeds in the moderators' chat."""

from __future__ import annotations

from telegram import MessageOriginChannel, Update
from telegram.ext import ApplicationHandlerStop

from bot.deps import KhabarContext
from bot.publishing import service
from bot.texts import common
from handlers.replies import reply


async def automatic_forward(update: Update, context: KhabarContext) -> None:
    """Store the discussion-group copy of our channel post; no other handler sees it."""
    message, deps = update.effective_message, context.deps
    if message is None or deps.chats.discussion is None or message.chat_id != deps.chats.discussion:
        return
    origin = message.forward_origin
    if not isinstance(origin, MessageOriginChannel) or origin.chat.id != deps.chats.channel:
        raise ApplicationHandlerStop
    await service.capture_forward(
        deps, post_id=origin.message_id, copy_id=message.message_id, text=message.text or message.caption or ""
    )
    raise ApplicationHandlerStop


async def feeds(update: Update, context: KhabarContext) -> None:
    """/feeds, /feeds add URL, /feeds remove ID — moderators, in the moderators' chat only."""
    message, user, deps = update.effective_message, update.effective_user, context.deps
    if message is None or user is None or message.chat_id != deps.chats.moderators:
        return  # elsewhere the command does not exist
    if not await deps.moderators.is_moderator(context.bot, user.id):
        await reply(context, message, common.NOT_ALLOWED)
        return
    await reply(context, message, await service.feeds_command(deps, list(context.args or [])))  # no link previews
