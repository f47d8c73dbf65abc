"""Telegram glue: read an update, call one service, reply. Registration lives here, in order."""

from __future__ import annotations

from telegram.ext import CommandHandler

from bot.deps import KhabarApp
from handlers import errors, start


def register(app: KhabarApp) -> None:
    """Every handler Khabar has, in the order PTB should try them."""
    # group 0: commands and the conversation with readers.
    app.add_handler(CommandHandler("start", start.start))
    app.add_error_handler(errors.on_error)
