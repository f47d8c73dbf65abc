"""After a wrong typed answer, the right one is answered with the receipt in a reply under it: the captcha
message far above is not where the reader's chat ends. The outcome is written into that reply, the
newest receipt, so the author's last word from the bot is the truth («منتشر شد»), not «ثبت شد»."""

from __future__ import annotations

from fakegram.control import FakeTelegram
from tests.e2e.driver import approve, find_card
from tests.e2e.harness import Khabar, World
from tests.e2e.test_intake_support import (
    COMMENT,
    add_article,
    answer_typed,
    captcha_for,
    comment_and_captcha,
    sent_to,
    status_of,
)


async def test_after_a_wrong_answer_the_outcome_goes_into_the_newest_receipt(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    article = await add_article(khabar)
    reader = fake.make_user("رضا")
    await reader.start_bot(f"a-{article.token}")
    await sent_to(fake, reader, "قیمت نان")
    comment, captcha, message = await comment_and_captcha(fake, khabar, reader)
    question = await answer_typed(fake, reader, captcha, right=False)  # a new question, under the answer
    receipt = await answer_typed(fake, reader, await captcha_for(khabar, comment.id), right=True)
    assert receipt.message_id > question.message_id > message.message_id  # a reply of its own, at the end
    assert "ثبت شد" in (receipt.text or "") and await status_of(khabar, comment.id) == "pending"
    sends = len(fake.calls_of("sendMessage"))

    await khabar.settle()
    card = find_card(fake, world.mods_chat, COMMENT)
    assert card is not None
    await approve(fake, world.moderators[0], card)
    await khabar.settle()

    last = fake.bot_messages(reader.private_chat)[-1]
    assert last.message_id == receipt.message_id
    assert "منتشر شد" in (last.text or "") and "ثبت شد" not in (last.text or "")
    to_reader = [c for c in fake.calls_of("sendMessage")[sends:] if str(c.params.get("chat_id")) == str(reader.id)]
    assert to_reader == []  # written into the receipt: no message more
