"""Deep link → article view → comment → captcha → pending, through the fake and real SQLite."""

from __future__ import annotations

from fakegram.control import FakeTelegram
from tests.e2e.harness import Khabar, World
from tests.e2e.test_intake_support import (
    add_article,
    comment_and_captcha,
    option_data,
    sent_to,
    status_of,
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
