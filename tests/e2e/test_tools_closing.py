"""Issue 18, item 1: an article's comments close by the clock or by a moderator, and reopen."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.callbacks import Action, encode
from bot.comments_open import is_open
from bot.jalali import fa_digits
from fakegram.control import FakeTelegram
from storage.models import ModerationAction
from tests.e2e.driver import approve, find_card
from tests.e2e.harness import Khabar, World
from tests.e2e.test_intake_support import (
    COMMENT,
    add_approved,
    add_article,
    answer_typed,
    comment_and_captcha,
    comments_of,
    sent_to,
    status_of,
    thread_article,
)
from tests.e2e.test_moderation_tools import command

CLOSED_VIEW = "ثبت نظر برای این خبر بسته شده است"
REFUSED = "نظر شما ثبت نشد"


async def audit(khabar: Khabar, action: str) -> list[ModerationAction]:
    async with khabar.db.transaction() as session:
        stmt = select(ModerationAction).where(ModerationAction.action == action).order_by(ModerationAction.id)
        return list((await session.execute(stmt)).scalars())


@pytest.mark.khabar_settings(comments_open_hours="2")
async def test_comments_close_by_the_clock_and_a_moderator_reopens(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    article = await add_article(khabar)
    reader = fake.make_user("زهرا", "zahra")
    await reader.start_bot(f"a-{article.token}")
    view = await sent_to(fake, reader, "قیمت نان")
    assert "تا " in view.params["text"] and "باز است" in view.params["text"]  # readers see when it closes
    assert encode(Action.WRITE, article.id) in str(view.params["reply_markup"])
    assert await is_open(khabar.deps, article.id)

    khabar.clock.advance(2 * 3600 + 1)  # two hours after posting: closed by the clock
    assert not await is_open(khabar.deps, article.id)
    await reader.start_bot(f"a-{article.token}")
    closed = await sent_to(fake, reader, "قیمت نان")
    assert CLOSED_VIEW in closed.params["text"] and "ثبت نظر، متن خود" not in closed.params["text"]
    assert encode(Action.WRITE, article.id) not in str(closed.params.get("reply_markup"))
    await reader.send(COMMENT)
    refused = await sent_to(fake, reader, REFUSED)
    assert "بسته" in refused.params["text"]
    assert await comments_of(khabar, reader) == []  # nothing stored, no captcha

    answer = await command(fake, world, f"/open {article.id}", "دوباره باز شد")
    assert "با گذشت زمان بسته نمی‌شود" in answer
    assert await is_open(khabar.deps, article.id)
    await reader.start_bot(f"a-{article.token}")
    reopened = await sent_to(fake, reader, "قیمت نان")
    assert CLOSED_VIEW not in reopened.params["text"] and "باز است" not in reopened.params["text"]
    comment, _, _ = await comment_and_captcha(fake, khabar, reader)
    assert comment.status == "awaiting_captcha"
    assert "از پیش باز است" in await command(fake, world, f"/open {article.id}", "از پیش")
    rows = await audit(khabar, "open")
    assert len(rows) == 1 and rows[0].details["article_id"] == article.id and rows[0].moderator_id == world.moderators[0].id


async def test_a_moderator_closes_from_a_card_reference_and_pending_comments_are_still_decided(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    article = await add_article(khabar)
    early = fake.make_user("نخستین", "first_reader")
    published = await add_approved(khabar, article, early, "نظری که پیش از بستن منتشر شده بود دربارهٔ نان")
    reader = fake.make_user("زهرا", "zahra")
    await reader.start_bot(f"a-{article.token}")
    before = await sent_to(fake, reader, "قیمت نان")  # the view while open, with «پاسخ» buttons
    comment, captcha, _ = await comment_and_captcha(fake, khabar, reader)
    await answer_typed(fake, reader, captcha)
    await khabar.settle()
    card = find_card(fake, world.mods_chat, comment.token)
    assert card is not None

    answer = await command(fake, world, f"/close {comment.token}", "بسته شد")  # the reference on the card
    assert "قیمت نان" in answer and f"{fa_digits(1)} نظرِ ثبت‌شده هنوز در صف است" in answer
    assert "از پیش بسته است" in await command(fake, world, f"/close {article.id}", "از پیش")
    assert len(await audit(khabar, "close")) == 1

    await approve(fake, world.moderators[1], card)  # decided after closing, published as usual
    await khabar.settle()
    assert await status_of(khabar, comment.id) == "approved"

    # The author's notice, written into the receipt (the captcha message).
    await fake.wait_for("editMessageText", lambda c: str(c.params.get("chat_id")) == str(reader.id)
                        and "منتشر شد" in str(c.params.get("text")), timeout=10)
    await reader.start_bot(f"a-{article.token}")
    closed = await sent_to(fake, reader, CLOSED_VIEW)
    assert "نظری که پیش از بستن" in closed.params["text"]
    markup = str(closed.params.get("reply_markup"))
    assert encode(Action.WRITE, article.id) not in markup and encode(Action.REPLY, published.id) not in markup
    reply = await reader.press(before.result, encode(Action.REPLY, published.id))  # an old view's button
    await reply.wait_answered()
    await sent_to(fake, reader, CLOSED_VIEW)
    await reader.send("این هم نظر دیگری است که پس از بستن خبر دربارهٔ نان نوشته شد.")
    await sent_to(fake, reader, REFUSED)
    assert len(await comments_of(khabar, reader)) == 1

    stats = await command(fake, world, "/stats", "آمار")
    assert f"🔒 بستن نظرهای خبر: {fa_digits(1)}" in stats and f"🔓 بازکردن دوباره: {fa_digits(0)}" in stats


async def test_a_thread_reply_on_a_closed_article_is_refused(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article, copy = await thread_article(fake, world, khabar)
    await command(fake, world, f"/close {article.token}", "بسته شد")
    member = fake.make_user("سارا", "sara")
    await member.start_bot()
    await sent_to(fake, member, "ثبت نظر")
    await member.send(world.group, COMMENT, reply_to=copy)
    await sent_to(fake, member, REFUSED)
    assert await comments_of(khabar, member) == []


async def test_only_moderators_close_and_bad_references_are_explained(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    article = await add_article(khabar)
    await world.outsider.send(world.mods_chat, f"/close {article.id}")
    await fake.wait_for("sendMessage", lambda c: "فقط برای مدیران" in c.params.get("text", ""))
    assert await is_open(khabar.deps, article.id)
    assert "کاربرد" in await command(fake, world, "/close", "کاربرد")
    unknown = await command(fake, world, "/close <b>nope</b>", "پیدا نشد")
    assert "&lt;b&gt;" in unknown  # escaped back to the moderator
    assert await audit(khabar, "close") == []


async def test_article_numbers_in_persian_or_arabic_digits(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    persian, arabic = fa_digits(article.id), str(article.id).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert persian != str(article.id) and arabic != str(article.id)
    await command(fake, world, f"/close {persian}", "بسته شد")
    assert not await is_open(khabar.deps, article.id)
    await command(fake, world, f"/open {arabic}", "دوباره باز شد")
    assert await is_open(khabar.deps, article.id)
    assert len(await audit(khabar, "close")) == 1
