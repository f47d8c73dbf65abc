"""Moderators' buttons and commands, and readers' /notify: read the update, call one service, answer."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import LinkPreviewOptions, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, TelegramError

from bot.callbacks import MAX_ID, Action, parse
from bot.checks.normalize import clean_text, parse_number
from bot.deps import Deps, KhabarContext
from bot.intake import slowmode
from bot.moderation import service_cards, service_press, service_tools
from bot.moderation.service_decide import Moderator, Result
from bot.texts import common
from bot.texts import moderation as t
from handlers.replies import markup, reply

log = logging.getLogger(__name__)
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)  # cards name the article with a link: never a preview

DECISIONS = frozenset({Action.APPROVE, Action.REJECT, Action.BAN, Action.UNDO})
MENUS = {Action.REJECT_MENU: "reasons", Action.BAN_MENU: "durations", Action.BACK: "main"}
OURS = DECISIONS | set(MENUS) | {Action.QUEUE_PAGE}


def owns(data: object) -> bool:
    """Whether a callback is a moderation action (forged data is answered by intake's catch-all)."""
    press = parse(data) if isinstance(data, str) else None
    return press is not None and press.action in OURS


async def on_button(update: Update, context: KhabarContext) -> None:
    """A press on a card, a menu or the queue view."""
    query = update.callback_query
    if query is None:
        return
    cb = parse(query.data)
    if cb is None or query.message is None:
        await query.answer(common.UNKNOWN_BUTTON)
        return
    deps = context.deps
    if not await deps.moderators.is_moderator(context.bot, query.from_user.id):
        await query.answer(common.NOT_ALLOWED, show_alert=True)
        return
    mod = Moderator(query.from_user.id, clean_text(query.from_user.full_name), query.from_user.username)
    if cb.action in DECISIONS:
        pressed = query.message
        where = (pressed.chat.id, pressed.message_id) if isinstance(pressed, Message) else None
        outcome = await service_press.press(deps, cb.action, cb.args, mod, where)
        await query.answer(outcome.text, show_alert=outcome.result is Result.EXPIRED)
        return
    message = query.message
    # An old message Telegram no longer shows the bot arrives as an InaccessibleMessage (date 0, no text);
    # PTB builds a Message even then, hence is_accessible. A menu or a page cannot be drawn on it.
    if not isinstance(message, Message) or not message.is_accessible:
        await query.answer(common.UNKNOWN_BUTTON)
        return
    chat_id, message_id = message.chat.id, message.message_id
    if cb.action is Action.QUEUE_PAGE:
        redraw = await service_cards.turn_page(deps, chat_id, message_id, cb.args[0])
    else:
        redraw = await service_cards.menu(deps, cb.args[0], chat_id, message_id, MENUS[cb.action])
    if redraw is None:
        await query.answer(t.ALREADY_DECIDED)
        return
    await query.answer()
    await _show(context, message, redraw)


async def _show(context: KhabarContext, message: Message, redraw: service_cards.Redraw) -> None:
    """Edit the pressed message in place (a menu or another page); Telegram refusals are only logged.

    Menus re-send the current text: PTB adds the default parse_mode to editMessageReplyMarkup,
    which strict servers (and the fake) refuse. A stale press asking for what is already shown sends
    nothing (Telegram would answer "message is not modified").
    """
    text = redraw.text if redraw.text is not None else message.text_html
    wanted = markup(redraw.keyboard)
    if text == message.text_html and wanted == message.reply_markup:
        return
    try:
        await context.bot.edit_message_text(text, message.chat.id, message.message_id, reply_markup=wanted,
                                            link_preview_options=_NO_PREVIEW)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            log.info("could not edit a moderators' message: %s", exc, extra={"message_id": message.message_id})
    except TelegramError as exc:
        log.info("could not edit a moderators' message: %s", exc, extra={"message_id": message.message_id})


async def _moderator(update: Update, context: KhabarContext) -> Moderator | None:
    """The moderator behind a command in the moderators' chat; None (after saying so) otherwise."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return None
    deps = context.deps
    if chat.id != deps.chats.moderators and chat.type != ChatType.PRIVATE:
        return None  # in a public group the command does not exist: say nothing there
    if chat.id != deps.chats.moderators or not await deps.moderators.is_moderator(context.bot, user.id):
        await reply(context, message, t.ONLY_MODERATORS)
        return None
    return Moderator(user.id, clean_text(user.full_name), user.username)


async def queue(update: Update, context: KhabarContext) -> None:
    """/queue: how many wait, the oldest, and lost cards sent again."""
    if await _moderator(update, context) is None or update.effective_message is None:
        return
    report = await service_cards.resend_missing(context.deps)
    surges = await slowmode.surge_lines(context.deps)  # articles in a surge, slowed (issue 18)
    await reply(context, update.effective_message, "\n".join([service_cards.queue_text(report, context.deps), *surges]))


async def stats(update: Update, context: KhabarContext) -> None:
    """/stats: today and the last 7 days."""
    if await _moderator(update, context) is None or update.effective_message is None:
        return
    await reply(context, update.effective_message, await service_tools.stats_text(context.deps))


MAX_BAN_DAYS = 36500


def _ids(args: list[str] | None) -> list[int | None]:
    """The numbers a command names (any digits); None for what is not one or is too large to be an id."""
    return [n if n is not None and abs(n) < MAX_ID else None for n in map(parse_number, args or [])]


def ban_args(args: list[str] | None) -> tuple[int, int | None] | None:
    """/ban's user id and days (None: permanent), or None when /ban must answer with its usage."""
    ids = _ids(args)
    if not 1 <= len(ids) <= 2 or ids[0] is None:
        return None
    if len(ids) == 1:
        return ids[0], None
    days = ids[1]
    return (ids[0], days) if days is not None and 0 < days <= MAX_BAN_DAYS else None


async def ban(update: Update, context: KhabarContext) -> None:
    """/ban <user id> [days]."""
    mod = await _moderator(update, context)
    message = update.effective_message
    if mod is None or message is None:
        return
    given = ban_args(context.args)
    if given is None:
        await reply(context, message, t.BAN_USAGE)
        return
    await reply(context, message, await service_tools.ban_user(context.deps, mod, *given))


async def _on_one_user(
    update: Update,
    context: KhabarContext,
    usage: str,
    action: Callable[[Deps, Moderator, int], Awaitable[str]],
) -> None:
    """A moderators' command that takes exactly one user id."""
    mod = await _moderator(update, context)
    message = update.effective_message
    if mod is None or message is None:
        return
    ids = _ids(context.args)
    if len(ids) != 1 or ids[0] is None:
        await reply(context, message, usage)
        return
    await reply(context, message, await action(context.deps, mod, ids[0]))


async def unban(update: Update, context: KhabarContext) -> None:
    """/unban <user id>."""
    await _on_one_user(update, context, t.UNBAN_USAGE, service_tools.unban_user)


async def trust(update: Update, context: KhabarContext) -> None:
    """/trust <user id>."""
    await _on_one_user(update, context, t.TRUST_USAGE, service_tools.trust_user)


async def untrust(update: Update, context: KhabarContext) -> None:
    """/untrust <user id>."""
    await _on_one_user(update, context, t.UNTRUST_USAGE, service_tools.untrust_user)


async def notify(update: Update, context: KhabarContext) -> None:
    """/notify (private chat): reply notifications on or off."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None or chat.type != ChatType.PRIVATE:
        return
    await reply(context, message, await service_tools.toggle_notify(context.deps, user.id, clean_text(user.full_name), user.username))
