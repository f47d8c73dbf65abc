"""Deep link → article view → comment → captcha → pending, through the fake and real SQLite."""

from __future__ import annotations

from bot.callbacks import Action, encode
from fakegram.control import FakeTelegram
from tests.e2e.harness import Khabar, World
from tests.e2e.test_intake_support import (
    COMMENT,
    add_approved,
    add_article,
    comment_and_captcha,
    comments_of,
    last_bot_message,
    option_data,
    sent_to,
    status_of,
    to,
)


async def test_deep_link_comment_ends_pending(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    reader = fake.make_user("زهرا", "zahra")
    await reader.start_bot(f"a-{article.token}")
    view = await sent_to(fake, reader, "قیمت نان")
    assert "ثبت نظر" in str(view.params["reply_markup"])
    comment, captcha, message = await comment_and_captcha(fake, khabar, reader)
    assert comment.status == "awaiting_captcha" and comment.parent_id is None and comment.source == "private"
    assert "+" in (message.text or "") and "؟" in (message.text or "")
    handle = await reader.press(message, option_data(captcha, right=True))
    await handle.wait_answered()
    await fake.wait_for("editMessageText", lambda c: "ثبت شد" in c.params.get("text", ""))
    assert await status_of(khabar, comment.id) == "pending"
    assert "نظر شما ثبت شد و پس از بررسی منتشر می‌شود" in (message.text or "")
    assert comment.token in (message.text or "") and not message.buttons()


async def test_sending_a_registered_comment_again_shows_its_receipt(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    """A reader whose receipt never arrived (a lost edit) writes the same text again: told it is
    registered, with its tracking number; no second comment, no refusal, no rate-limit strike."""
    article = await add_article(khabar)
    reader = fake.make_user("زهرا", "zahra")
    await reader.start_bot(f"a-{article.token}")
    await sent_to(fake, reader, "قیمت نان")
    comment, captcha, message = await comment_and_captcha(fake, khabar, reader)
    await (await reader.press(message, option_data(captcha, right=True))).wait_answered()
    await khabar.settle()
    for _ in range(2):
        await reader.start_bot(f"a-{article.token}")
        await reader.send(COMMENT)
        note = await sent_to(fake, reader, "پیش‌تر ثبت شده")
        assert comment.token in note.params["text"] and "ثبت نشد" not in note.params["text"]
    assert [c.id for c in await comments_of(khabar, reader)] == [comment.id]
    assert await status_of(khabar, comment.id) == "pending"


async def test_reply_by_deep_link_is_stored_with_its_parent(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    other = fake.make_user("علی", "ali")
    parent = await add_approved(khabar, article, other, "قیمت نان سنگک <b>دو برابر</b> شده و این برای مردم سنگین است")
    reader = fake.make_user("مریم", "maryam")
    await reader.start_bot(f"r-{parent.token}")
    prompt = await sent_to(fake, reader, "شما در حال ارسال پاسخ به نظر")
    assert "&lt;b&gt;دو برابر&lt;/b&gt;" in prompt.params["text"]  # the parent is escaped
    assert encode(Action.CANCEL) in str(prompt.params["reply_markup"])
    comment, captcha, message = await comment_and_captcha(fake, khabar, reader,
                                                          "موافقم، قیمت نان سنگک در محله‌ی ما هم گران شده است.")
    assert comment.parent_id == parent.id and comment.article_id == article.id
    await (await reader.press(message, option_data(captcha, right=True))).wait_answered()
    await fake.wait_for("editMessageText", lambda c: "ثبت شد" in c.params.get("text", ""))
    assert await status_of(khabar, comment.id) == "pending"


async def test_reply_button_in_view_then_cancel(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    parent = await add_approved(khabar, article, fake.make_user("علی"), "نان بربری هم گران شد")
    reader = fake.make_user("سارا")
    await reader.start_bot(f"a-{article.token}")
    await sent_to(fake, reader, "نان بربری هم گران شد")
    view = last_bot_message(fake, reader)
    await (await reader.press(view, encode(Action.REPLY, parent.id))).wait_answered()
    await sent_to(fake, reader, "شما در حال ارسال پاسخ به نظر «نان بربری هم گران شد» هستید")
    prompt = last_bot_message(fake, reader)
    await (await reader.press(prompt, encode(Action.CANCEL))).wait_answered()
    await fake.wait_for("editMessageText", lambda c: "لغو" in c.params.get("text", ""))
    await reader.send("این متن دیگر نظر نیست چون پیش‌نویس لغو شده است")
    await sent_to(fake, reader, "ثبت نظر")
    assert await comments_of(khabar, reader) == []


async def test_private_reply_to_the_article_view_comments_on_it(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    first = await add_article(khabar)
    second = await add_article(khabar, "بارش برف در شمال کشور", "برف سنگین جاده‌های شمال را بست.")
    reader = fake.make_user("رضا")
    await reader.start_bot(f"a-{first.token}")
    await sent_to(fake, reader, "قیمت نان")
    first_view = last_bot_message(fake, reader)
    await reader.start_bot(f"a-{second.token}")  # the open draft is now the second article
    await sent_to(fake, reader, "بارش برف")
    await reader.send(COMMENT, reply_to=first_view)
    await fake.wait_for("sendMessage", lambda c: to(reader)(c) and "v1:cp:" in str(c.params.get("reply_markup")))
    [comment] = await comments_of(khabar, reader)
    assert comment.article_id == first.id


async def test_comment_pages_newest_first(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    author = fake.make_user("نویسنده")
    for n in range(7):
        khabar.clock.advance(60)
        await add_approved(khabar, article, author, f"نظر شماره {n}")
    reader = fake.make_user("خواننده")
    await reader.start_bot(f"a-{article.token}")
    first = await sent_to(fake, reader, "نظر شماره 6")
    assert "نظر شماره 1" not in first.params["text"]
    view = last_bot_message(fake, reader)
    await (await reader.press(view, encode(Action.PAGE, article.id, 1))).wait_answered()
    await fake.wait_for("editMessageText", lambda c: "نظر شماره 0" in c.params.get("text", ""))
    assert "نظر شماره 6" not in (view.text or "")


async def test_my_lists_recent_comments_with_status(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    reader = fake.make_user("نگار")
    await reader.start_bot(f"a-{article.token}")
    await sent_to(fake, reader, "قیمت نان")
    comment, _, _ = await comment_and_captcha(fake, khabar, reader)
    await reader.send("/my", entities=[{"type": "bot_command", "offset": 0, "length": 3}])
    listing = await sent_to(fake, reader, "نظرهای اخیر شما")
    assert "در انتظار پاسخ به پرسش" in listing.params["text"] and comment.token in listing.params["text"]
    assert "۱۴" in listing.params["text"]  # Jalali year in Persian digits


async def test_unknown_payload_explains_and_lists_latest(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    reader = fake.make_user("کاوه")
    for payload in ("a-doesNotExist1", "zz-what", "c-nosuchcomment"):
        await reader.start_bot(payload)
        reply = await sent_to(fake, reader, "معتبر نیست")
        assert f"start=a-{article.token}" in str(reply.params["reply_markup"])


async def test_started_without_draft_gets_a_hint(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    await add_article(khabar)
    reader = fake.make_user("پویا")
    await reader.start_bot()
    await sent_to(fake, reader, "ثبت نظر")
    await reader.send("سلام، این یک نظر بدون خبر است")
    await sent_to(fake, reader, "نخست خبری را باز کنید")
    assert await comments_of(khabar, reader) == []
