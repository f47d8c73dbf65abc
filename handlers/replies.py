"""The one way to Telegram for direct replies: the steps an intake service returned, and the answers to
moderators' commands (``reply``).

Sends and edits never crash a handler: a send that cannot reach Telegram waits for it (``patiently``);
a refusal that means the reader cannot be written to marks them blocked (bot/domain/unreachable.py,
the outbox's definition too); any other refusal is logged; «message is not modified» is an edit done.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.deps import Deps, KhabarContext
from bot.domain.screen import Keyboard, Screen
from bot.domain.unreachable import cannot_write
from bot.intake import followups, readers
from bot.intake.steps import Edit, Send, Step
from bot.telegram_reach import patiently

log = logging.getLogger(__name__)
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    """Telegram's markup for a keyboard (None: no buttons): the one conversion, the moderators' handlers use it too."""
    if not keyboard:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.text, callback_data=b.callback_data, url=b.url) for b in row]
                                 for row in keyboard])


async def perform(deps: Deps, bot: Bot, steps: Iterable[Step]) -> None:
    """Make each step in order; a step's ``then`` is told the outcome and may add steps right after it."""
    for step in steps:
        shown = await send(deps, bot, step) if isinstance(step, Send) else await edit(bot, step)
        if step.then is not None:
            await perform(deps, bot, await followups.after(deps, step.then, shown))


async def reply(context: KhabarContext, message: Message, text: str, keyboard: Keyboard = ()) -> int | None:
    """Answer a command where it was given (quoting it in a group, as PTB's ``reply_text`` does), sent like
    every direct reply: waiting out a Telegram outage, never crashing the handler."""
    quote = message.message_id if message.chat.type != ChatType.PRIVATE else None
    return await send(context.deps, context.bot, Send(message.chat_id, Screen(text, keyboard), reply_to=quote))


async def send(deps: Deps, bot: Bot, step: Send) -> int | None:
    """Send the step's screen; the message id, or None if Telegram refused (a reader out of reach is
    marked blocked)."""
    chat_id, screen = step.chat_id, step.screen
    reply = ReplyParameters(message_id=step.reply_to, allow_sending_without_reply=True) if step.reply_to else None
    try:
        # A send that could not reach Telegram waits for it and goes again (a captcha is not lost to an outage).
        message = await patiently(deps.telegram, lambda: bot.send_message(
            chat_id, screen.text, reply_markup=markup(screen.keyboard), link_preview_options=_NO_PREVIEW,
            reply_parameters=reply))
    except TelegramError as exc:
        if cannot_write(exc.message, forbidden=isinstance(exc, Forbidden)) and chat_id > 0:
            await readers.unreachable(deps, chat_id)
        else:
            log.warning("interactive send failed", extra={"chat_id": chat_id, "error": str(exc)})
        return None
    return message.message_id


async def edit(bot: Bot, step: Edit) -> int | None:
    """Edit the step's message into its screen (no keyboard if it has none); its id, or None if Telegram
    refused."""
    chat_id, message_id, screen = step.chat_id, step.message_id, step.screen
    try:
        # Without reply_markup Telegram drops the keyboard: receipts and expiry notes have none.
        await bot.edit_message_text(screen.text, chat_id=chat_id, message_id=message_id,
                                    reply_markup=markup(screen.keyboard), link_preview_options=_NO_PREVIEW)
    except BadRequest as exc:
        if "not modified" in str(exc).lower():
            return message_id
        log.warning("edit failed", extra={"chat_id": chat_id, "message_id": message_id, "error": str(exc)})
        return None
    except TelegramError as exc:
        log.warning("edit failed", extra={"chat_id": chat_id, "message_id": message_id, "error": str(exc)})
        return None
    return message_id
