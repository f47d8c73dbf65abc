"""Interactive sends and edits that never crash a handler: errors are logged and reported as None/False."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.deps import Deps
from bot.domain.screen import Keyboard, Screen
from bot.domain.unreachable import cannot_write
from bot.telegram_reach import patiently
from storage.models import User
from storage.repos import users

log = logging.getLogger(__name__)
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


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


def markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    """Telegram's markup for a keyboard (None: no buttons)."""
    if not keyboard:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.text, callback_data=b.callback_data, url=b.url) for b in row]
                                 for row in keyboard])


async def send(deps: Deps, bot: Bot, chat_id: int, screen: Screen, *, reply_to: int | None = None) -> int | None:
    """Send ``screen`` (as a reply to ``reply_to`` if given); the message id, or None if Telegram refused
    (a 403 marks the user blocked)."""
    reply = ReplyParameters(message_id=reply_to, allow_sending_without_reply=True) if reply_to else None
    try:
        # A send that could not reach Telegram waits for it and goes again (a captcha is not lost to an outage).
        message = await patiently(deps.telegram, lambda: bot.send_message(
            chat_id, screen.text, reply_markup=markup(screen.keyboard), link_preview_options=_NO_PREVIEW,
            reply_parameters=reply))
    except TelegramError as exc:
        if cannot_write(exc.message, forbidden=isinstance(exc, Forbidden)) and chat_id > 0:
            async with deps.db.transaction() as session:
                await users.mark_blocked(session, chat_id)
            log.info("reader blocked the bot", extra={"user_id": chat_id})
        else:
            log.warning("interactive send failed", extra={"chat_id": chat_id, "error": str(exc)})
        return None
    return message.message_id


async def edit(bot: Bot, chat_id: int, message_id: int, screen: Screen) -> bool:
    """Edit a message into ``screen`` (no keyboard if it has none); False if Telegram refused."""
    try:
        # Without reply_markup Telegram drops the keyboard: receipts and expiry notes have none.
        await bot.edit_message_text(screen.text, chat_id=chat_id, message_id=message_id, reply_markup=markup(screen.keyboard),
                                    link_preview_options=_NO_PREVIEW)
    except BadRequest as exc:
        if "not modified" in str(exc).lower():
            return True
        log.warning("edit failed", extra={"chat_id": chat_id, "message_id": message_id, "error": str(exc)})
        return False
    except TelegramError as exc:
        log.warning("edit failed", extra={"chat_id": chat_id, "message_id": message_id, "error": str(exc)})
        return False
    return True
