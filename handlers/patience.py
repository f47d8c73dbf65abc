"""Handlers that outlast a database outage: the update is handled again once the database is back.

A transaction that cannot start already waits inside storage/db.py; this catches the rest (a
connection lost midway, which rolled the transaction back) and runs the handler again. A pressed
button is answered «لحظه‌ای صبر کنید…» while it waits, inside Telegram's answer window.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import TelegramError

from bot.database_outage import Availability, conflict, unavailable
from bot.deps import KhabarApp, KhabarContext
from bot.texts import common

log = logging.getLogger("khabar.database")
Callback = Callable[[Any, KhabarContext], Coroutine[Any, Any, Any]]
CLASHES = 8  # runs of one update that PostgreSQL chose as a deadlock's victim before giving up on it
AGAIN_AFTER_UP = 3  # runs of one update after the database answered again before giving up on it
TOAST_CHECK = 1.0  # seconds between looks at a pressed button's handler: still waiting for the database?
TOAST_WITHIN = 10.0  # Telegram refuses a callback answer after ~15 s: the «wait» toast comes before that


def _availability(context: KhabarContext) -> Availability | None:
    try:
        return context.deps.db.availability
    except RuntimeError:  # before post_init or after shutdown
        return None


async def _toast_while_down(query: CallbackQuery, outage: Availability) -> None:
    """Answer ``query`` «wait» if its handler is still waiting for the database within the window."""
    waited = 0.0
    while waited < TOAST_WITHIN:
        await asyncio.sleep(TOAST_CHECK)
        waited += TOAST_CHECK
        if outage.down:
            with contextlib.suppress(TelegramError):
                await query.answer(common.WAIT)
            return


def patient(callback: Callback) -> Callback:
    """``callback`` run again (after the database answers) when it failed because the database went away."""

    @functools.wraps(callback)
    async def run(update: Any, context: KhabarContext) -> Any:
        outage = _availability(context)
        if outage is None:
            return await callback(update, context)
        query = update.callback_query if isinstance(update, Update) else None
        toast = asyncio.create_task(_toast_while_down(query, outage)) if query is not None else None
        again = clashes = 0
        try:
            while True:
                try:
                    return await callback(update, context)
                except Exception as exc:
                    if conflict(exc) and clashes < CLASHES:  # rolled back, nothing done: run it again
                        clashes += 1
                        await asyncio.sleep(random.uniform(0.05, 0.25) * clashes)
                        continue
                    if not unavailable(exc) or again >= AGAIN_AFTER_UP:
                        raise
                    if not outage.down:
                        again += 1
                    outage.report(exc)
                    log.debug("handler waits for the database", extra={"update_id": getattr(update, "update_id", None)})
                    await outage.wait_up()
        finally:
            if toast is not None:
                toast.cancel()

    return run


def make_patient(app: KhabarApp) -> None:
    """Wrap every registered handler's callback (call after registering them)."""
    for handlers in app.handlers.values():
        for handler in handlers:
            handler.callback = patient(handler.callback)
