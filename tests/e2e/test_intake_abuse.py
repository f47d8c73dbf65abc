"""Odd input and abuse: rate limit, media, edits, bans, not Persian, huge texts, invisible characters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.moderation.reasons import FOREVER
from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from storage.models import User
from tests.e2e.harness import Khabar, World
from tests.e2e.test_intake_support import (
    COMMENT,
    add_article,
    comment_and_captcha,
    comments_of,
    sent_to,
    to,
)


async def _reader_with_draft(fake: FakeTelegram, khabar: Khabar) -> FakeUser:
    article = await add_article(khabar)
    reader = fake.make_user("زهرا")
    await reader.start_bot(f"a-{article.token}")
    await sent_to(fake, reader, "قیمت نان")
    return reader


@pytest.mark.khabar_settings(rate_limit_comments="2")
async def test_rate_limit_and_two_quick_comments(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await _reader_with_draft(fake, khabar)
    first, _, _ = await comment_and_captcha(fake, khabar, reader)
    second, _, _ = await comment_and_captcha(fake, khabar, reader,
                                             "نانوایی محله‌ی ما هم قیمت نان بربری را بالا برده است.")
    assert first.id != second.id  # two comments, each with its own captcha
    await reader.send("قیمت آرد هم گران شده و نانوایان حق دارند قیمت نان را بالا ببرند.")
    limited = await sent_to(fake, reader, "بیش از این پذیرفته نمی‌شود")
    assert "۱۰ دقیقه گذشته ۲ نظر" in limited.params["text"] and "لطفاً ۱۰ دقیقه دیگر" in limited.params["text"]
    assert len(await comments_of(khabar, reader)) == 2
    khabar.clock.advance(240)
    await reader.send("قیمت آرد هم گران شده و نانوایان حق دارند قیمت نان را بالا ببرند.")
    later = await sent_to(fake, reader, "بیش از این پذیرفته نمی‌شود")
    assert "لطفاً ۶ دقیقه دیگر" in later.params["text"]
    khabar.clock.advance(khabar.settings.rate_limit_window_seconds - 240 + 1)
    await comment_and_captcha(fake, khabar, reader, "قیمت آرد هم گران شده و نانوایان حق دارند قیمت نان را بالا ببرند.")


@pytest.mark.khabar_settings(rate_limit_comments="2")
async def test_refused_texts_do_not_count_against_the_rate_limit(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    reader = await _reader_with_draft(fake, khabar)
    for n in range(5):  # rewriting as told, five times
        await reader.send(f"Bread prices keep going up every single month here, attempt {n}.")
        await sent_to(fake, reader, "نظر شما ثبت نشد")
    first, _, _ = await comment_and_captcha(fake, khabar, reader)  # still welcome: nothing reached moderators
    assert first.status == "awaiting_captcha"
    assert [c.status for c in await comments_of(khabar, reader)].count("auto_rejected") == 5


async def test_every_non_text_kind_gets_a_polite_note(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await _reader_with_draft(fake, khabar)
    await reader.send_sticker()
    await sent_to(fake, reader, "فقط نظر متنی")
    await reader.send_photo(caption="عکس نانوایی")
    await sent_to(fake, reader, "فقط نظر متنی")
    await reader.send_voice()
    await sent_to(fake, reader, "فقط نظر متنی")
    await reader.send_document()
    await sent_to(fake, reader, "فقط نظر متنی")
    await reader._post(None, {"location": {"latitude": 35.7, "longitude": 51.4}})
    await sent_to(fake, reader, "فقط نظر متنی")
    assert await comments_of(khabar, reader) == []


async def test_not_persian_is_rejected_with_a_persian_explanation(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    reader = await _reader_with_draft(fake, khabar)
    await reader.send("This is terrible, bread prices keep going up every single month here.")
    reply = await sent_to(fake, reader, "نظر شما ثبت نشد")
    assert "فارسی" in reply.params["text"] and "reply_markup" not in reply.params
    await reader.send("ghimat nan kheili geroon shode, dolat bayad kari kone")
    reply = await sent_to(fake, reader, "نظر شما ثبت نشد")
    assert "حروف فارسی" in reply.params["text"]
    rows = await comments_of(khabar, reader)
    assert [c.status for c in rows] == ["auto_rejected", "auto_rejected"]
    assert rows[0].reason in ("not_persian", "finglish") and rows[0].checks["decision"] == "reject"
    await khabar.settle()
    assert fake.bot_messages(world.mods_chat) == []  # moderators receive nothing


async def test_huge_text_is_refused_without_echo(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await _reader_with_draft(fake, khabar)
    huge = "قیمت نان " * 450
    await reader.send(huge)
    reply = await sent_to(fake, reader, "حداکثر ۱٬۰۰۰ نویسه پذیرفته می‌شود")
    assert "قیمت نان قیمت نان" not in reply.params["text"] and "۴٬۰۴۹ نویسه" in reply.params["text"]
    [row] = await comments_of(khabar, reader)
    assert row.status == "auto_rejected" and row.reason == "too_long"


async def test_the_tail_of_a_split_long_text_is_not_a_comment(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    """A 5,000-character text arrives as Telegram clients split it: 4,096 + 904 characters."""
    reader = await _reader_with_draft(fake, khabar)
    whole = ("قیمت نان در محلهٔ ما هر ماه بالاتر می‌رود و خانواده‌ها نگران هستند. " * 80)[:5000]
    await reader.send(whole[:4096])
    await sent_to(fake, reader, "حداکثر ۱٬۰۰۰ نویسه")
    khabar.clock.advance(2)
    await reader.send(whole[4096:])
    tail = await sent_to(fake, reader, "دنبالهٔ همان پیام بلند")
    assert "حداکثر ۱٬۰۰۰ نویسه" in tail.params["text"]
    assert [c.status for c in await comments_of(khabar, reader)] == ["auto_rejected"]  # no captcha for a fragment
    # Written again, shortened, a little later: a comment.
    khabar.clock.advance(30)
    comment, _, _ = await comment_and_captcha(fake, khabar, reader, whole[:300].rsplit(" ", 1)[0])
    assert comment.status == "awaiting_captcha"


async def test_invisible_characters_are_cleaned(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await _reader_with_draft(fake, khabar)
    comment, _, _ = await comment_and_captcha(fake, khabar, reader, "\u202e" + COMMENT + "\u200b\u2066")
    assert comment.text == COMMENT


async def test_edits_are_ignored_with_a_note(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await _reader_with_draft(fake, khabar)
    await comment_and_captcha(fake, khabar, reader)
    sent = next(m for m in reader.private_chat.messages.values() if m.text == COMMENT)
    await reader.edit(sent, "متن ویرایش‌شدهٔ نظر دربارهٔ قیمت نان")
    await sent_to(fake, reader, "ویرایش")
    [row] = await comments_of(khabar, reader)
    assert row.text == COMMENT


async def test_banned_author_is_told_once(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await _reader_with_draft(fake, khabar)
    async with khabar.db.transaction() as session:
        until = khabar.clock() + timedelta(days=1)
        await session.execute(update(User).where(User.id == reader.id).values(banned_until=until))
    await reader.send(COMMENT)
    await sent_to(fake, reader, "بسته شده")
    await reader.send(COMMENT + " دوباره")
    await reader.send("/my", entities=[{"type": "bot_command", "offset": 0, "length": 3}])
    await sent_to(fake, reader, "نظری نفرستاده")  # /my answered; the second comment got no message
    told = [c for c in fake.calls_of("sendMessage") if to(reader)(c) and "بسته شده" in c.params.get("text", "")]
    assert len(told) == 1
    assert await comments_of(khabar, reader) == []


async def test_a_permanently_banned_author_is_told_for_ever_not_a_date(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    reader = await _reader_with_draft(fake, khabar)
    async with khabar.db.transaction() as session:
        await session.execute(update(User).where(User.id == reader.id).values(banned_until=FOREVER))
    await reader.send(COMMENT)
    told = await sent_to(fake, reader, "بسته شده")
    assert "برای همیشه" in told.params["text"] and "۹۳۷۷" not in told.params["text"], told.params["text"]
