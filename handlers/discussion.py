"""Members' replies in the discussion group: pre-moderation takes them down and continues privately."""

from __future__ import annotations

from telegram import Update

from bot.deps import KhabarContext
from bot.intake.service_submit import GroupMessage, submit_group
from bot.intake.takedown import take_down
from handlers.intake import author_of
from handlers.replies import perform


async def remember_incoming(update: Update, context: KhabarContext) -> None:
    """Note the id of any message that reaches the bot from the discussion group (see bot/outbox_repair.py)."""
    message = update.effective_message
    if message is not None:
        context.deps.outbox.saw(message.chat.id, message.message_id)


async def on_group_message(update: Update, context: KhabarContext) -> None:
    """A message in the discussion group that may be a comment on an article.

    Left alone: the automatic forward (publishing stores it), service messages, other bots, and
    messages sent as the channel or as an anonymous admin: those are the newsroom's own voice in its
    threads. Messages sent as any other channel are taken down (no person to moderate them with).
    """
    message, user, deps = update.message, update.effective_user, context.deps
    if message is None or user is None or deps.chats.discussion != message.chat.id:
        return
    if message.new_chat_members or message.left_chat_member or message.pinned_message:
        return
    reply_to = message.reply_to_message
    msg = GroupMessage(
        chat_id=message.chat.id, message_id=message.message_id, thread_id=message.message_thread_id,
        reply_to_id=reply_to.message_id if reply_to else None, author=author_of(user), text=message.text,
    )
    sender = message.sender_chat
    if sender is not None and sender.id not in (deps.chats.channel, message.chat.id):
        await take_down(deps, msg)  # a reader writing as their own channel: no way to moderate, so not shown
        return
    if message.is_automatic_forward or sender is not None or user.is_bot:
        return
    await perform(deps, context.bot, await submit_group(deps, msg) or [])
