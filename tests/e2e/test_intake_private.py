"""Deep link → article view → comment → captcha → pending, through the fake and real SQLite."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from bot.callbacks import Action, encode
from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from storage.models import Comment, User
from tests.e2e.harness import Khabar, World
from tests.e2e.test_intake_support import (
    COMMENT,
    add_approved,
    add_article,
    answer_typed,
    comment_and_captcha,
    comments_of,
    last_bot_message,
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
    receipt = await answer_typed(fake, reader, captcha)
    assert await status_of(khabar, comment.id) == "pending"
    for shown in (receipt, message):  # the reply under the answer, and the captcha message edited
        assert "نظر شما ثبت شد؛ پس از بررسی، در صورت تأیید منتشر می‌شود" in (shown.text or "")
        assert comment.token in (shown.text or "") and not shown.buttons()
    # Writing ended with the receipt: a greeting now is not a second comment.
    await reader.send("سلام")
    await sent_to(fake, reader, "نخست خبری را باز کنید")
    assert len(await comments_of(khabar, reader)) == 1


async def test_deep_link_enters_writing_with_a_visible_prompt(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    reader = fake.make_user("زهرا")
    await reader.start_bot(f"a-{article.token}")
    view = await sent_to(fake, reader, "بنویسید و بفرستید")  # said in the article view itself
    assert "حداکثر ۱٬۰۰۰ نویسه" in view.params["text"] and "قیمت نان" in view.params["text"]
    # The «✍️ ثبت نظر» button says it again in a prompt of its own, with «انصراف».
    message = next(m for m in reversed(fake.bot_messages(reader.private_chat)) if "📰" in (m.text or ""))
    await (await reader.press(message, encode(Action.WRITE, article.id))).wait_answered()
    prompt = await sent_to(fake, reader, "نظر خود را دربارهٔ «افزایش")
    assert "حداکثر ۱٬۰۰۰ نویسه" in prompt.params["text"]
    assert encode(Action.CANCEL) in str(prompt.params["reply_markup"])


async def test_hello_after_help_is_answered_not_a_comment(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    reader = fake.make_user("سامان")
    await reader.start_bot(f"a-{article.token}")
    await sent_to(fake, reader, "بنویسید و بفرستید")
    await reader.send("/help", entities=[{"type": "bot_command", "offset": 0, "length": 5}])
    await sent_to(fake, reader, "/notify — اعلانِ پاسخ‌ها")
    await reader.send("سلام")
    await sent_to(fake, reader, "نخست خبری را باز کنید")
    await reader.send("۱۳")  # a bare number with no question open: said so, not refused as "not Persian"
    note = await sent_to(fake, reader, "پرسشی منتظر پاسخ شما نیست")
    assert "فارسی" not in note.params["text"]
    assert await comments_of(khabar, reader) == []


async def test_sending_a_registered_comment_again_shows_its_receipt(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    """A reader whose receipt never arrived (a lost edit) writes the same text again: told it is
    registered, with its tracking number; no second comment, no refusal, no rate-limit strike."""
    article = await add_article(khabar)
    reader = fake.make_user("زهرا", "zahra")
    await reader.start_bot(f"a-{article.token}")
    await sent_to(fake, reader, "قیمت نان")
    comment, captcha, _message = await comment_and_captcha(fake, khabar, reader)
    await answer_typed(fake, reader, captcha)
    await khabar.settle()
    for _ in range(2):
        await reader.start_bot(f"a-{article.token}")  # the receipt ended writing: open the article again
        await sent_to(fake, reader, "بنویسید و بفرستید")
        await reader.send(COMMENT)
        note = await sent_to(fake, reader, "پیش‌تر ثبت شده")
        assert comment.token in note.params["text"] and "ثبت نشد" not in note.params["text"]
    assert [c.id for c in await comments_of(khabar, reader)] == [comment.id]
    assert await status_of(khabar, comment.id) == "pending"


async def test_reply_button_is_stored_with_its_parent(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    other = fake.make_user("علی <i>ع</i>", "ali")
    parent = await add_approved(khabar, article, other, "قیمت نان سنگک <b>دو برابر</b> شده و این برای مردم سنگین است")
    reader = fake.make_user("مریم", "maryam")
    # Reply deep links (r-…) were never produced and are gone: the «↩️ پاسخ» button is the way.
    await reader.start_bot(f"r-{parent.token}")
    await sent_to(fake, reader, "معتبر نیست")
    await reader.start_bot(f"a-{article.token}")
    await sent_to(fake, reader, "بنویسید و بفرستید")
    view = next(m for m in reversed(fake.bot_messages(reader.private_chat)) if "نظرها (۱)" in (m.text or ""))
    await (await reader.press(view, encode(Action.REPLY, parent.id))).wait_answered()
    prompt = await sent_to(fake, reader, "در پاسخ به نظر")
    assert prompt.params["text"].startswith("↩️ در پاسخ به نظر علی &lt;i&gt;ع&lt;/i&gt;: «قیمت نان سنگک")
    assert "&lt;b&gt;دو برابر&lt;/b&gt;" in prompt.params["text"]  # the parent is escaped
    assert encode(Action.CANCEL) in str(prompt.params["reply_markup"])
    comment, captcha, _message = await comment_and_captcha(fake, khabar, reader,
                                                          "موافقم، قیمت نان سنگک در محلهٔ ما هم گران شده است.")
    assert comment.parent_id == parent.id and comment.article_id == article.id
    await answer_typed(fake, reader, captcha)
    assert await status_of(khabar, comment.id) == "pending"


async def test_reply_button_in_view_then_cancel(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    parent = await add_approved(khabar, article, fake.make_user("علی"), "نان بربری هم گران شد")
    reader = fake.make_user("سارا")
    await reader.start_bot(f"a-{article.token}")
    await sent_to(fake, reader, "نان بربری هم گران شد")
    view = next(m for m in reversed(fake.bot_messages(reader.private_chat)) if "نظرها (۱)" in (m.text or ""))
    await (await reader.press(view, encode(Action.REPLY, parent.id))).wait_answered()
    await sent_to(fake, reader, "در پاسخ به نظر علی: «نان بربری هم گران شد»")
    prompt = last_bot_message(fake, reader)
    await (await reader.press(prompt, encode(Action.CANCEL))).wait_answered()
    await fake.wait_for("editMessageText", lambda c: "لغو" in c.params.get("text", ""))
    await reader.send("این متن دیگر نظر نیست چون پیش‌نویس لغو شده است")
    await sent_to(fake, reader, "نخست خبری را باز کنید")
    assert await comments_of(khabar, reader) == []


async def test_private_reply_to_the_article_view_comments_on_it(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    first = await add_article(khabar)
    second = await add_article(khabar, "بارش برف در شمال کشور", "برف سنگین جاده‌های شمال را بست.")
    reader = fake.make_user("رضا")
    await reader.start_bot(f"a-{first.token}")
    await sent_to(fake, reader, "قیمت نان")
    first_view = next(m for m in reversed(fake.bot_messages(reader.private_chat)) if "📰" in (m.text or ""))
    await reader.start_bot(f"a-{second.token}")  # the open draft is now the second article
    await sent_to(fake, reader, "بارش برف")
    await reader.send(COMMENT, reply_to=first_view)
    await fake.wait_for("sendMessage", lambda c: to(reader)(c) and "= ؟" in str(c.params.get("text")))
    [comment] = await comments_of(khabar, reader)
    assert comment.article_id == first.id


async def test_comment_pages_oldest_first_with_stable_numbers(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    author = fake.make_user("نویسنده")
    first = None
    for n in range(7):
        khabar.clock.advance(60)
        added = await add_approved(khabar, article, author, f"نظر شماره {n}")
        first = first or added
    assert first is not None
    reader = fake.make_user("خواننده")
    await reader.start_bot(f"a-{article.token}")
    page_one = await sent_to(fake, reader, "نظر شماره 0")
    assert "۱. <b>نویسنده</b>" in page_one.params["text"] and "نظر شماره 6" not in page_one.params["text"]
    assert "نظرها (۷) — صفحهٔ ۱ از ۲" in page_one.params["text"]
    view = next(m for m in reversed(fake.bot_messages(reader.private_chat)) if "نظرها (۷)" in (m.text or ""))
    # A new comment — a reply to the first — arrives; numbers already shown stay put.
    khabar.clock.advance(60)
    reply = await add_approved(khabar, article, fake.make_user("پاسخ‌دهنده"), "پاسخ به نظر نخست")
    async with khabar.db.transaction() as session:
        row = await session.get(Comment, reply.id)
        assert row is not None
        row.parent_id = first.id
    await (await reader.press(view, encode(Action.PAGE, article.id, 1))).wait_answered()
    await fake.wait_for("editMessageText", lambda c: "نظر شماره 6" in c.params.get("text", ""))
    text = view.text or ""
    assert "۷. نویسنده" in text and "نظر شماره 0" not in text  # (the fake keeps text, not the <b> tags)
    assert "۸. پاسخ‌دهنده" in text and "↩️ در پاسخ به نظر ۱، نویسنده:" in text
    assert "↩️ پاسخ ۸" in str(view.buttons())


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
    assert f"start=c-{comment.token}" in str(listing.params["reply_markup"])  # it can be continued from here


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


async def test_unknown_command_in_private_lists_the_commands(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = fake.make_user("پویا")
    await reader.start_bot()
    await sent_to(fake, reader, "سلام")
    await reader.send("/comment", entities=[{"type": "bot_command", "offset": 0, "length": 8}])
    reply = await sent_to(fake, reader, "این فرمان را نمی‌شناسم")
    assert "/my" in reply.params["text"] and "/notify — اعلانِ پاسخ‌ها" in reply.params["text"]


@pytest.mark.khabar_settings(comment_mode="native")
async def test_native_welcome_does_not_mention_a_button_posts_lack(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    reader = fake.make_user("پویا")
    await reader.start_bot()
    welcome = await sent_to(fake, reader, "سلام")
    assert "ثبت نظر»" not in welcome.params["text"] and "بخش نظرها" in welcome.params["text"]


async def test_buttons_welcome_names_the_post_button(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = fake.make_user("پویا")
    await reader.start_bot()
    welcome = await sent_to(fake, reader, "سلام")
    assert "«💬 ثبت نظر»" in welcome.params["text"] and "دربارهٔ" in welcome.params["text"]


async def test_trusted_author_receipt_promises_no_review(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    reader = fake.make_user("مورد اعتماد")
    await reader.start_bot(f"a-{article.token}")
    await sent_to(fake, reader, "بنویسید و بفرستید")
    async with khabar.db.transaction() as session:
        await session.execute(update(User).where(User.id == reader.id).values(trusted=True))
    comment, captcha, message = await comment_and_captcha(fake, khabar, reader,
                                                          COMMENT + " <b>نان</b> & آرد")
    assert "&lt;b&gt;نان&lt;/b&gt; &amp; آرد" in last_sent_text(fake, reader, "= ؟")  # quoted, escaped
    receipt = await answer_typed(fake, reader, captcha)
    assert "ثبت شد" in (receipt.text or "") and "پس از بررسی" not in (receipt.text or "")
    assert "به‌زودی منتشر می‌شود" in (message.text or "")
    assert comment.id


def last_sent_text(fake: FakeTelegram, reader: FakeUser, contains: str) -> str:
    """The HTML of the newest sendMessage to ``reader`` containing ``contains``."""
    calls = [c for c in fake.calls_of("sendMessage") if to(reader)(c) and contains in c.params.get("text", "")]
    return str(calls[-1].params["text"])
