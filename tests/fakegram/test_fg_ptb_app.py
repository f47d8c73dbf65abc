"""Interop: a real PTB Application against the fake, in polling and in webhook mode."""

from __future__ import annotations

import asyncio
import socket

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from fakegram import FakeTelegram


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    payload = " ".join(context.args or [])
    await update.effective_message.reply_html(f"<b>سلام</b> {payload}".strip(),
                                              reply_markup={"inline_keyboard": [[  # type: ignore[arg-type]
                                                  {"text": "ok", "callback_data": "ok"}]]})


async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.callback_query is not None
    await update.callback_query.answer("done")


def build(fake: FakeTelegram) -> Application:  # type: ignore[type-arg]
    app = ApplicationBuilder().token(fake.token).base_url(fake.base_url).base_file_url(fake.base_file_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    return app


async def test_application_polling_answers_start(fake: FakeTelegram) -> None:
    app = build(fake)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=10)
        user = fake.make_user("Ali", "ali")
        await user.start_bot("post_7")
        call = await fake.wait_for("sendMessage")
        assert call.result["text"] == "سلام post_7"
        assert call.result["entities"] == [{"offset": 0, "length": 4, "type": "bold"}]
        handle = await user.press(call.result, "ok")
        await handle.wait_answered()
        assert handle.text == "done"
        await app.updater.stop()
        await app.stop()
    startup = [c.method for c in fake.calls][:3]
    assert startup == ["getMe", "deleteWebhook", "getUpdates"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_application_webhook_mode(fake: FakeTelegram) -> None:
    app = build(fake)
    port = free_port()
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_webhook(listen="127.0.0.1", port=port, url_path="tg-hook",
                                        webhook_url=f"http://127.0.0.1:{port}/tg-hook", secret_token="hook_secret")
        hook = fake.updates.webhook
        assert hook is not None and hook.secret_token == "hook_secret"
        user = fake.make_user("Sara")
        await user.start_bot()
        call = await fake.wait_for("sendMessage")
        assert call.params["chat_id"] == user.id
        # A delivery with the wrong secret is refused by PTB's webhook server; the fake keeps retrying.
        hook.secret_token = "wrong"
        await user.send("/start again")
        await asyncio.sleep(0.3)
        assert hook.failures >= 1 and "403" in (hook.last_error_message or "")
        hook.secret_token = "hook_secret"
        await fake.wait_for("sendMessage")
        await app.updater.stop()
        await app.stop()
