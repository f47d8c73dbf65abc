"""The database goes away while a reader comments: the work waits for it, nothing is lost or redone.

SQLite: the file cannot be opened; PostgreSQL: connections refused and the open ones terminated.
"""

from __future__ import annotations

import asyncio
import gc
import logging

import pytest
from sqlalchemy import func, select

from bot.texts import common
from fakegram.control import FakeTelegram
from storage.models import Comment
from tests.e2e.driver import APPROVE_LABEL, find_card, start_payload, type_answer
from tests.e2e.harness import Khabar, World
from tests.e2e.publishing_helpers import TRAFFIC, queue_article
from tests.e2e.test_health import Outage

COMMENT = "ترافیک میدان آزادی واقعاً کلافه‌کننده شده و باید مترو را زودتر تکمیل کنند."


async def until_waiting(khabar: Khabar) -> None:
    """Until some work is waiting for the database (bounded: 600 looks, 30 s on a loaded machine)."""
    for _ in range(600):
        if khabar.db.availability.waiting:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("nothing waited for the database")


# While the SQLite file is away, aiosqlite's failed connection attempts are dropped unclosed (its
# Connection object never opened); collected inside this test so no later test is charged for them.
@pytest.mark.filterwarnings("ignore:.*aiosqlite.core.Connection.*:ResourceWarning")
@pytest.mark.filterwarnings("ignore:Exception ignored in.*Connection.__del__:pytest.PytestUnraisableExceptionWarning")
async def test_a_comment_and_a_captcha_press_during_outages_are_handled_once_it_is_back(
    fake: FakeTelegram, world: World, khabar: Khabar, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await queue_article(khabar, TRAFFIC)
    await khabar.settle()
    (post,) = fake.bot_messages(world.channel)
    reader = fake.make_user("سارا", "sara")
    await reader.start_bot(start_payload(post))
    await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(reader.user.id))

    outage = Outage(khabar)
    await outage.begin()
    try:
        await reader.send(COMMENT)  # the comment arrives while the database is away
        await until_waiting(khabar)
    finally:
        await outage.end()
    captcha = await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(reader.user.id)
                                  and "؟" in c.params.get("text", ""), timeout=30)

    message = fake.resolve_message(captcha.result)
    await outage.begin()
    try:
        await type_answer(reader, message)  # the typed answer waits for the database too
        await until_waiting(khabar)
    finally:
        await outage.end()
    await fake.wait_for("editMessageText", lambda c: str(c.params.get("chat_id")) == str(reader.user.id), timeout=30)
    for _ in range(100):  # the card is sent by the outbox once the comment is queued
        await khabar.settle()
        if find_card(fake, world.mods_chat, COMMENT) is not None:
            break
    card = find_card(fake, world.mods_chat, COMMENT)
    assert card is not None

    data = next(b["callback_data"] for b in card.buttons() if b.get("text") == APPROVE_LABEL)
    await outage.begin()
    try:
        handle = await world.moderators[0].press(card, data)
        await handle.wait_answered(15)  # answered within Telegram's window although the work waits
    finally:
        await outage.end()
    assert handle.text == common.WAIT
    for _ in range(100):  # published once the database is back
        await khabar.settle()
        if any(COMMENT[:20] in (m.text or "") for m in fake.bot_messages(world.group)):
            break
    assert any(COMMENT[:20] in (m.text or "") for m in fake.bot_messages(world.group))

    async with khabar.db.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(Comment)) == 1  # once, not redone
    to_reader = [c.params.get("text", "") for c in fake.calls_of("sendMessage")
                 if str(c.params.get("chat_id")) == str(reader.user.id)]
    assert common.ERROR not in to_reader
    gc.collect()  # the failed connection attempts above, under this test's warning filters
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert errors == [], [r.getMessage() for r in errors]
    messages = [r.getMessage() for r in caplog.records if r.name == "khabar.database"]
    assert messages.count("the database stopped answering; work waits for it") == 3  # one per outage
    assert messages.count("the database answers again") == 3
