"""The error handler: log with context, never show a traceback to a user."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.database_outage import unavailable
from bot.deps import KhabarContext
from bot.telegram_reach import outage_error
from bot.texts import common

log = logging.getLogger("khabar.errors")


async def on_error(update: object, context: KhabarContext) -> None:
    """Log the exception with the update's ids; tell a private-chat user something went wrong."""
    extra: dict[str, object] = {}
    if isinstance(update, Update):
        extra["update_id"] = update.update_id
        if update.effective_chat:
            extra["chat_id"] = update.effective_chat.id
        if update.effective_user:
            extra["user_id"] = update.effective_user.id
    if context.error is not None and outage_error(context.error):
        # Telegram out of reach (a failed poll, or a call a handler made): bot/telegram_reach.py logs the
        # outage once (WARNING, then INFO when it is back); no traceback per failed call. PTB retries
        # the poll with backoff; a handler's direct reply (not the outbox's) is lost with its call.
        level = logging.DEBUG if update is None else logging.INFO
        log.log(level, "Telegram call failed: out of reach", extra={**extra, "error": type(context.error).__name__})
        return
    if not isinstance(update, Update) and context.error is not None and unavailable(context.error):
        # A job stopped by a database outage: it runs again on its schedule; the outage is logged once.
        with contextlib.suppress(RuntimeError):
            context.deps.db.availability.report(context.error)
        log.info("job stopped by a database outage", extra={"error": type(context.error).__name__})
        return
    log.error("unhandled error in handler", exc_info=context.error, extra=extra)
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):
            await update.callback_query.answer(common.ERROR, show_alert=True)
        return
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(chat.id, common.ERROR)
