"""The whole path through buttons only: article posted, reader comments, captcha, moderator approves,
comment published in the thread, count updated, author told."""

from __future__ import annotations

import pytest

from fakegram.control import FakeTelegram
from tests.e2e.driver import approve, find_card, send_comment, solve_captcha, start_payload
from tests.e2e.harness import Khabar, World
from tests.e2e.publishing_helpers import TRAFFIC, queue_article

COMMENT = "ترافیک میدان آزادی واقعاً کلافه‌کننده شده و باید مترو را زودتر تکمیل کنند."


@pytest.mark.khabar_settings(count_edit_interval_seconds="1")
async def test_reader_to_published_through_buttons(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    await queue_article(khabar, TRAFFIC)
    await khabar.settle()
    (post,) = fake.bot_messages(world.channel)
    forward = fake.discussion_copy(post)
    assert forward is not None
    await fake.wait_for("getUpdates", timeout=5)  # the bot has seen the automatic forward

    reader = fake.make_user("سارا", "sara")
    captcha = await send_comment(fake, reader, start_payload(post), COMMENT)
    receipt = await solve_captcha(fake, reader, captcha)
    assert "ثبت شد" in receipt.params["text"]

    await khabar.settle()
    card = find_card(fake, world.mods_chat, COMMENT)
    assert card is not None
    await approve(fake, world.moderators[0], card)
    await khabar.settle()

    thread = fake.thread(world.group, forward.message_id)
    published = [m for m in thread if m.by_bot and COMMENT in (m.text or "")]
    assert len(published) == 1 and "سارا" in (published[0].text or "")
    assert published[0].data["reply_to_message"]["message_id"] == forward.message_id
    told = [m for m in fake.bot_messages(reader.private_chat) if "منتشر شد" in (m.text or "")]
    assert len(told) == 1
    await fake.wait_for("editMessageReplyMarkup", timeout=10)
    labels = [b["text"] for b in fake.chat_messages(world.channel)[0].buttons()]
    assert any("۱" in label for label in labels), labels
