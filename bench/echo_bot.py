"""A bare python-telegram-bot echo bot: the baseline bench/pipeline.py measures Khabar's cost against.

PTB Application, long polling, replies to each private text with the same text. Reads ECHO_TOKEN and
ECHO_API_URL (a fake Telegram's base URL). Run by the pipeline bench; not part of Khabar.
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply with the same text."""
    if update.effective_message is not None and update.effective_message.text:
        await update.effective_message.reply_text(update.effective_message.text)


def main() -> None:
    """Poll until SIGTERM."""
    app = (
        Application.builder()
        .token(os.environ["ECHO_TOKEN"])
        .base_url(os.environ["ECHO_API_URL"])
        .concurrent_updates(True)
        .build()
    )
    app.add_handler(MessageHandler(filters.TEXT & filters.ChatType.PRIVATE, echo))
    app.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
