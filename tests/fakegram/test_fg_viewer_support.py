"""What fakegram keeps for viewers such as ``khabar demo``: the HTML the bot sent, a call listener, a small spec."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import Forbidden

import fakegram
from fakegram import FakeTelegram
from fakegram.server import CallRecord
from fakegram.spec import DATA, load_spec


def test_the_spec_ships_gzipped_and_loads() -> None:
    folder = Path(fakegram.__file__).parent / "data"
    assert DATA.name == "api.json.gz" and not (folder / "api.json").exists()
    assert DATA.stat().st_size < 200_000
    spec = load_spec()
    assert spec.method("sendmessage") is not None and spec.version.startswith("Bot API")
    assert "InlineKeyboardMarkup" in spec.types


async def test_the_html_the_bot_sent_is_kept_with_the_message(fake: FakeTelegram, fake_bot: Bot) -> None:
    reader = fake.make_user("مریم")
    await reader.start_bot()
    sent = await fake_bot.send_message(reader.id, "<b>تیتر</b> &amp; متن", parse_mode=ParseMode.HTML)
    stored = fake.resolve_message(sent.to_dict())
    assert stored.text == "تیتر & متن" and stored.html == "<b>تیتر</b> &amp; متن"
    await fake_bot.edit_message_text("<i>تازه</i>", chat_id=reader.id, message_id=sent.message_id,
                                     parse_mode=ParseMode.HTML)
    assert stored.html == "<i>تازه</i>"
    await fake_bot.edit_message_text("بی‌قالب", chat_id=reader.id, message_id=sent.message_id)
    assert stored.html is None and stored.text == "بی‌قالب"
    plain = await fake_bot.send_message(reader.id, "<b>literal</b>")
    assert fake.resolve_message(plain.to_dict()).html is None


async def test_a_channel_posts_html_travels_to_its_discussion_copy(fake: FakeTelegram, fake_bot: Bot) -> None:
    channel = fake.make_channel("کانال", "chan")
    group = fake.make_supergroup("گروه", linked_channel=channel)
    post = await fake_bot.send_message(channel.id, "<b>خبر</b>", parse_mode=ParseMode.HTML)
    stored = fake.resolve_message(post.to_dict())
    copy = fake.discussion_copy(stored)
    assert copy is not None and copy.chat is group and copy.html == "<b>خبر</b>"
    await fake_bot.edit_message_text("<b>خبر</b> (۱)", chat_id=channel.id, message_id=post.message_id,
                                     parse_mode=ParseMode.HTML)
    assert copy.html == "<b>خبر</b> (۱)"


async def test_listeners_hear_of_every_call(fake: FakeTelegram, fake_bot: Bot) -> None:
    heard: list[CallRecord] = []
    fake.listeners.append(heard.append)
    reader = fake.make_user("رضا")
    await reader.start_bot()
    await fake_bot.send_message(reader.id, "سلام")
    await reader.block_bot()
    with pytest.raises(Forbidden):  # refused: still a call the listener hears of
        await fake_bot.send_message(reader.id, "سلام دوباره")
    methods = [(r.method, r.ok) for r in heard]
    assert ("sendMessage", True) in methods and ("sendMessage", False) in methods
