"""A comment within KHABAR_MAX_COMMENT_LENGTH can still be longer than one Telegram message in UTF-16
units (emoji are two): its copy in the discussion thread is cut to fit, instead of Telegram refusing
it and the approved comment never reaching the thread."""

from __future__ import annotations

import pytest

from fakegram.control import FakeTelegram
from tests.e2e.harness import Khabar, World
from tests.e2e.test_moderation_cards import reload
from tests.e2e.test_moderation_publish import approve, discussed_article
from tests.moderation import factory


@pytest.mark.khabar_settings(max_comment_length="4000")
async def test_a_long_comment_with_emoji_reaches_the_thread(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    art, _forward = await discussed_article(fake, world, khabar)
    author = await factory.reader(fake, khabar.db, "نویسنده")
    text = "نان گران شد " + "😡" * 2500  # 2,512 characters, 5,012 UTF-16 units
    comment = await factory.pending(khabar.deps, art, author.id, text)
    await approve(fake, world, khabar, comment)
    row = await reload(khabar, comment.id)
    assert row.status == "approved" and row.thread_message_id is not None
    copy = world.group.messages[row.thread_message_id]
    shown = copy.text or ""
    assert shown.startswith("💬 نویسنده:\nنان گران شد 😡") and shown.endswith("…")
    assert len(shown.encode("utf-16-le")) // 2 <= 4096
    assert row.text == text  # the comment itself is kept whole (the article view, the website)


@pytest.mark.khabar_settings(max_comment_length="4000")
async def test_a_fancy_letter_name_and_a_long_comment_still_fit(fake: FakeTelegram, world: World,
                                                               khabar: Khabar) -> None:
    art, _forward = await discussed_article(fake, world, khabar)
    name = "𝓜𝓪𝓻𝔂𝓪𝓶" * 11  # 66 letters outside the BMP: two UTF-16 units each
    author = await factory.reader(fake, khabar.db, name)
    comment = await factory.pending(khabar.deps, art, author.id, "نان " + "😡" * 2500)
    await approve(fake, world, khabar, comment)
    row = await reload(khabar, comment.id)
    assert row.thread_message_id is not None
    shown = world.group.messages[row.thread_message_id].text or ""
    assert len(shown.encode("utf-16-le")) // 2 <= 4096
    assert shown.startswith("💬 " + name[:63] + "…:\n")  # the name cut to 64 characters, as everywhere
