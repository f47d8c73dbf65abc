"""Moderators' tools of issue 18: /close and /open an article's comments, /remove a published comment,
an author's published comments all at once (offered after /ban, or /purge; confirmed by a button)."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import TelegramError

from bot import closing
from bot.callbacks import Action, parse
from bot.checks.normalize import clean_text
from bot.deps import KhabarContext
from bot.jalali import fa_digits
from bot.moderation import service_close, service_purge, service_takedown
from bot.moderation.service_decide import Moderator
from bot.texts import common
from bot.texts import tools as t
from handlers.moderation import _ids, _moderator, ban_args
from handlers.replies import reply

log = logging.getLogger(__name__)


async def _one_argument(update: Update, context: KhabarContext, usage: str) -> tuple[Moderator, Message, str] | None:
    """A moderator's command with exactly one argument: (moderator, message, argument); else the usage."""
    mod = await _moderator(update, context)
    message = update.effective_message
    if mod is None or message is None:
        return None
    args = context.args or []
    if len(args) != 1:
        await reply(context, message, usage)
        return None
    return mod, message, args[0]


async def _set_open(update: Update, context: KhabarContext, override: str) -> None:
    given = await _one_argument(update, context, t.CLOSE_USAGE)
    if given is not None:
        mod, message, ref = given
        await reply(context, message, await service_close.set_open(context.deps, mod, ref, override))


async def close(update: Update, context: KhabarContext) -> None:
    """/close <article>: no new comments on it; those already written can still be decided."""
    await _set_open(update, context, closing.CLOSED)


async def reopen(update: Update, context: KhabarContext) -> None:
    """/open <article>: comments welcome again, whatever the clock says."""
    await _set_open(update, context, closing.OPENED)


async def remove(update: Update, context: KhabarContext) -> None:
    """/remove <comment>: take a published comment down (thread, bot view, count; the author told)."""
    given = await _one_argument(update, context, t.REMOVE_USAGE)
    if given is not None:
        mod, message, ref = given
        await reply(context, message, await service_takedown.take_down(context.deps, mod, ref))


def _user_id(args: list[str] | None) -> int | None:
    """The user id a command names first (Persian or Arabic digits too), or None."""
    return _ids(args[:1])[0] if args else None


async def _send_offer(context: KhabarContext, message: Message, offer: service_purge.Offer) -> None:
    await reply(context, message, offer.text, offer.keyboard)


async def purge(update: Update, context: KhabarContext) -> None:
    """/purge <user id>: the author's published comments counted, removed when a moderator confirms."""
    mod = await _moderator(update, context)
    message = update.effective_message
    if mod is None or message is None:
        return
    user_id = _user_id(context.args)
    if user_id is None or len(context.args or []) != 1:
        await reply(context, message, t.PURGE_USAGE)
        return
    await _send_offer(context, message, await service_purge.offer(context.deps, user_id))


async def offer_after_ban(update: Update, context: KhabarContext) -> None:
    """After /ban (handled first, in group 0): offer to remove the author's published comments too."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    deps = context.deps
    if user is None or chat is None or message is None or chat.id != deps.chats.moderators:
        return
    if not await deps.moderators.is_moderator(context.bot, user.id):
        return
    given = ban_args(context.args)
    if given is None:
        return  # /ban answered with its usage: no ban, no offer
    offer = await service_purge.offer(deps, given[0])
    if offer.count:
        await _send_offer(context, message, offer)


def owns(data: object) -> bool:
    """Whether a callback is one of the tools' buttons."""
    press = parse(data) if isinstance(data, str) else None
    return press is not None and press.action is Action.PURGE


async def on_button(update: Update, context: KhabarContext) -> None:
    """«🗑 حذف هر n نظر»: remove them, and the confirmation message says what was done."""
    query = update.callback_query
    if query is None:
        return
    cb = parse(query.data)
    message = query.message
    deps = context.deps
    if cb is None or not isinstance(message, Message):
        await query.answer(common.UNKNOWN_BUTTON)
        return
    if message.chat.id != deps.chats.moderators or not await deps.moderators.is_moderator(context.bot, query.from_user.id):
        await query.answer(common.NOT_ALLOWED, show_alert=True)
        return
    mod = Moderator(query.from_user.id, clean_text(query.from_user.full_name), query.from_user.username)
    removed, text = await service_purge.purge(deps, mod, cb.args[0])
    if removed == 0:
        await query.answer(t.PURGE_ALREADY)
        return
    await query.answer(t.PURGE_TOAST.format(count=fa_digits(removed)))
    try:
        await context.bot.edit_message_text(text, message.chat.id, message.message_id)
    except TelegramError as exc:
        log.info("could not edit the confirmation: %s", exc, extra={"message_id": message.message_id})
