"""The race behind the receipt that moves: a trusted author's comment is approved automatically while the
receipt under their typed answer is still on its way, so its outcome is first written into the captcha
far above. When the new receipt lands, the outcome is written into it too: the chat ends on «منتشر شد»."""

from __future__ import annotations

import asyncio

from sqlalchemy import update

from fakegram.control import FakeTelegram
from storage.models import User
from tests.e2e.harness import Khabar, World
from tests.e2e.test_intake_support import (
    add_article,
    answer_typed,
    captcha_for,
    comment_and_captcha,
    sent_to,
    status_of,
    typed,
)

RECEIPT = "ثبت شد"


async def test_an_outcome_written_before_the_receipt_moved_follows_it(fake: FakeTelegram, world: World,
                                                                       khabar: Khabar) -> None:
    article = await add_article(khabar)
    reader = fake.make_user("رضا")
    await reader.start_bot(f"a-{article.token}")
    await sent_to(fake, reader, "قیمت نان")
    async with khabar.db.transaction() as session:
        await session.execute(update(User).where(User.id == reader.id).values(trusted=True))
    comment, captcha, message = await comment_and_captcha(fake, khabar, reader)
    await answer_typed(fake, reader, captcha, right=False)
    # The receipt under the right answer is slow to arrive; meanwhile the comment is approved (the sweep).
    fake.faults.add("sendMessage", "slow", delay=1.5,
                    when=lambda p: str(p.get("chat_id")) == str(reader.id) and RECEIPT in str(p.get("text", "")))
    await reader.send(typed(await captcha_for(khabar, comment.id), True))
    for _ in range(100):
        if await status_of(khabar, comment.id) == "pending":
            break
        await asyncio.sleep(0.01)
    dispatcher = khabar.deps.parts.dispatcher
    assert dispatcher is not None
    await dispatcher.kick()
    assert await status_of(khabar, comment.id) == "approved"
    await khabar.deps.outbox.drain(budget=10)
    assert "منتشر شد" in (message.text or "")  # the outcome went into the captcha far above first
    await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(reader.id)
                        and RECEIPT in str(c.params.get("text", "")), timeout=30)  # the slow receipt lands
    await khabar.settle()
    last = fake.bot_messages(reader.private_chat)[-1]
    assert last.message_id > message.message_id
    assert "منتشر شد" in (last.text or "") and RECEIPT not in (last.text or "")
