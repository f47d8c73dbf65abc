"""The captcha: typed answers and their replies, tries, cooldown, expiry, resends, restarts, forged presses."""

from __future__ import annotations

import pytest

from bot.callbacks import Action, encode
from bot.intake import service_captcha
from fakegram.actors import CallbackHandle, FakeUser
from fakegram.control import FakeTelegram
from fakegram.world import StoredMessage
from storage.models import Captcha
from tests.e2e.harness import Khabar, World
from tests.e2e.test_intake_support import (
    COMMENT,
    add_article,
    answer_typed,
    captcha_for,
    comment_and_captcha,
    comments_of,
    option_data,
    receipt_shown,
    sent_to,
    status_of,
    typed,
)

OTHER = "نانوایی‌های محله ما از صبح شلوغ هستند و مردم برای خرید نان بربری در صف می‌ایستند."


async def _reader_with_draft(fake: FakeTelegram, khabar: Khabar, name: str = "زهرا") -> FakeUser:
    article = await add_article(khabar)
    reader = fake.make_user(name)
    await reader.start_bot(f"a-{article.token}")
    await sent_to(fake, reader, "قیمت نان")
    return reader


async def test_wrong_typed_answer_is_answered_below_it_and_renews_the_question(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    reader = await _reader_with_draft(fake, khabar)
    comment, captcha, message = await comment_and_captcha(fake, khabar, reader)
    assert "گرانی نان" in (message.text or "")  # the captcha quotes the comment it guards
    assert not message.buttons()  # answers are typed: no button gives the answer away
    reply = await answer_typed(fake, reader, captcha, right=False)
    renewed = await captcha_for(khabar, comment.id)
    assert renewed.generation == 2 and renewed.tries_left == 2 and renewed.message_id == message.message_id
    question = f"{renewed.a + 0} + {renewed.b} = ؟".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert "درست نبود" in (reply.text or "") and "دو فرصت دیگر" in (reply.text or "")
    assert question in (reply.text or "")  # the new question is right under the reader's answer
    assert "دو فرصت دیگر" in (message.text or "") and question in (message.text or "")  # and in the captcha
    # Wrong again, replying to that reply: a third question, shown under it.
    second = await answer_typed(fake, reader, renewed, right=False, reply_to=reply)
    third = await captcha_for(khabar, comment.id)
    assert third.tries_left == 1 and "یک فرصت دیگر" in (second.text or "")
    # The right sum of the question shown in the first reply, typed under it: that question is no longer
    # asked, so no try is used and the reader is shown the one now asked.
    stale = await answer_typed(fake, reader, renewed, right=True, reply_to=reply)
    assert "دیگر پرسیده نمی‌شود" in (stale.text or "")
    assert (await captcha_for(khabar, comment.id)).tries_left == 1
    renewed = third
    receipt = await answer_typed(fake, reader, renewed, right=True, reply_to=second)
    assert "پس از بررسی، در صورت تأیید منتشر می‌شود" in (receipt.text or "")
    assert "ثبت شد" in (message.text or "") and await status_of(khabar, comment.id) == "pending"


async def _fail(fake: FakeTelegram, khabar: Khabar, reader: FakeUser, comment_id: int) -> StoredMessage:
    reply = None
    for _ in range(khabar.settings.captcha_tries):
        reply = await answer_typed(fake, reader, await captcha_for(khabar, comment_id), right=False)
    assert reply is not None
    return reply


async def test_failed_captcha_costs_a_growing_cooldown_then_the_resend_works(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    reader = await _reader_with_draft(fake, khabar)
    comment, _, message = await comment_and_captcha(fake, khabar, reader)
    failed = await _fail(fake, khabar, reader, comment.id)
    assert "ثبت نشد" in (failed.text or "") and "یک دقیقه" in (failed.text or "")
    assert await status_of(khabar, comment.id) == "expired"
    assert "ثبت نشد" in (message.text or "")
    assert [b["text"] for b in message.buttons()] == ["✍️ نوشتن دوباره"]
    # At once: the cooldown says how long; the same text is not called a duplicate.
    await reader.send(COMMENT)
    wait = await sent_to(fake, reader, "دوباره بفرستید")
    assert "یک دقیقه" in wait.params["text"] and "پیش‌تر" not in wait.params["text"]
    khabar.clock.advance(61)
    again, _, _ = await comment_and_captcha(fake, khabar, reader)
    assert again.id != comment.id and again.text == comment.text
    # A second failure costs two minutes.
    failed = await _fail(fake, khabar, reader, again.id)
    assert "دو دقیقه" in (failed.text or "")
    khabar.clock.advance(61)
    await reader.send(COMMENT)
    await sent_to(fake, reader, "۵۹ ثانیه")
    khabar.clock.advance(60)
    third, _, _ = await comment_and_captcha(fake, khabar, reader)
    assert third.status == "awaiting_captcha"


async def test_expiry_sweep_then_the_resend_works(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await _reader_with_draft(fake, khabar)
    comment, captcha, message = await comment_and_captcha(fake, khabar, reader)
    assert await service_captcha.sweep(khabar.deps) == 0
    khabar.clock.advance(khabar.settings.captcha_ttl_seconds + 1)
    assert await service_captcha.sweep(khabar.deps) == 1
    await khabar.settle()
    assert await status_of(khabar, comment.id) == "expired"
    assert "زمان پاسخ" in (message.text or "")
    assert [b["text"] for b in message.buttons()] == ["✍️ نوشتن دوباره"]
    # A late answer changes nothing and is answered.
    late = await reader.send(typed(captcha), reply_to=message)
    await fake.wait_for("sendMessage", lambda c: "پرسشی منتظر" in c.params.get("text", ""))
    assert late.message_id and await status_of(khabar, comment.id) == "expired"
    # «نوشتن دوباره» opens writing again; the same text gets a captcha (no cooldown after a timeout).
    handle = await reader.press(message, message.buttons()[0]["callback_data"])
    await handle.wait_answered()
    await sent_to(fake, reader, "نظر خود را")
    again, _, _ = await comment_and_captcha(fake, khabar, reader)
    assert again.id != comment.id


@pytest.mark.parametrize("digits", ["۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩", "0123456789"])
async def test_typed_answers(fake: FakeTelegram, world: World, khabar: Khabar, digits: str) -> None:
    reader = await _reader_with_draft(fake, khabar)
    comment, captcha, message = await comment_and_captcha(fake, khabar, reader)
    reply = await answer_typed(fake, reader, captcha, digits=digits)
    assert "ثبت شد" in (reply.text or "") and "ثبت شد" in (message.text or "")
    assert await status_of(khabar, comment.id) == "pending"


@pytest.mark.parametrize("wrap", ["جواب {}", "{}؟", "= {}"])
async def test_wrapped_typed_answer_is_an_answer_not_a_comment(
    fake: FakeTelegram, world: World, khabar: Khabar, wrap: str
) -> None:
    reader = await _reader_with_draft(fake, khabar)
    comment, captcha, _ = await comment_and_captcha(fake, khabar, reader)
    await reader.send(wrap.format(typed(captcha)))
    await receipt_shown(fake, reader)
    assert await status_of(khabar, comment.id) == "pending"
    assert len(await comments_of(khabar, reader)) == 1


async def test_typed_answer_goes_to_the_captcha_shown_last(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await _reader_with_draft(fake, khabar)
    first, first_captcha, first_message = await comment_and_captcha(fake, khabar, reader)
    second, second_captcha, _ = await comment_and_captcha(fake, khabar, reader, OTHER)
    # The reader brings the first one back (its continue link): that is now the one in front of them.
    await reader.start_bot(f"c-{first.token}")
    shown = await fake.wait_for("sendMessage", lambda c: "= ؟" in c.params.get("text", "")
                                and "گرانی نان" in c.params.get("text", ""))
    assert int(shown.response["result"]["message_id"]) > first_message.message_id
    await answer_typed(fake, reader, await captcha_for(khabar, first.id))
    assert await status_of(khabar, first.id) == "pending"
    assert await status_of(khabar, second.id) == "awaiting_captcha"
    assert (await captcha_for(khabar, second.id)).tries_left == second_captcha.tries_left
    assert first_captcha.id != second_captcha.id


async def test_restart_between_comment_and_answer(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await _reader_with_draft(fake, khabar)
    comment, captcha, message = await comment_and_captcha(fake, khabar, reader)
    await khabar.restart()
    await answer_typed(fake, reader, captcha, reply_to=message)
    assert "ثبت شد" in (message.text or "")
    assert await status_of(khabar, comment.id) == "pending"


async def test_double_answer_submits_once(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    pending: list[int] = []

    async def listen(comment_id: int) -> None:
        pending.append(comment_id)

    khabar.deps.events.subscribe("comment_pending", listen)
    reader = await _reader_with_draft(fake, khabar)
    comment, captcha, _ = await comment_and_captcha(fake, khabar, reader)
    first = await answer_typed(fake, reader, captcha)
    second = await answer_typed(fake, reader, captcha)
    await khabar.settle()
    assert "ثبت شد" in (first.text or "") and "پرسشی منتظر" in (second.text or "")
    assert pending == [comment.id]


async def test_old_button_captcha_still_works(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    """A captcha made before the upgrade (four buttons) can still be answered with its buttons."""
    reader = await _reader_with_draft(fake, khabar)
    comment, captcha, message = await comment_and_captcha(fake, khabar, reader)
    right = captcha.a + captcha.b
    async with khabar.db.transaction() as session:
        row = await session.get(Captcha, captcha.id)
        assert row is not None
        row.options = [right + 1, right, right - 1, right + 2]
    old = await captcha_for(khabar, comment.id)
    handle = _forge(fake, reader, message, option_data(old, right=True))
    await handle.wait_answered()
    assert handle.text == "درست است ✅"
    assert await status_of(khabar, comment.id) == "pending"


def _forge(fake: FakeTelegram, user: FakeUser, message: StoredMessage, data: str) -> CallbackHandle:
    """A callback query with arbitrary data (a modified client can send anything)."""
    handle = CallbackHandle(f"9{len(fake.callbacks):018d}", user.user, message, data, fake.clock.now())
    fake.callbacks[handle.id] = handle
    fake.updates.push("callback_query", {"id": handle.id, "from": user.to_dict(), "message": message.snapshot(),
                                         "chat_instance": "42", "data": data})
    return handle


async def test_forged_and_foreign_presses_change_nothing(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    intruder = fake.make_user("مزاحم")
    reader2 = await _reader_with_draft(fake, khabar, "نرگس")
    comment2, captcha2, message2 = await comment_and_captcha(fake, khabar, reader2)
    forged = [
        (intruder, encode(Action.CAPTCHA, captcha2.id, captcha2.generation, 0)),  # someone else's captcha
        (reader2, encode(Action.CAPTCHA, captcha2.id, captcha2.generation + 5, 0)),  # a generation never shown
        (reader2, encode(Action.CAPTCHA, 999_999, 1, 0)),  # no such captcha
        (reader2, encode(Action.CAPTCHA, captcha2.id, captcha2.generation, 9)),  # no such option
        (reader2, "v1:cp:abc"),
        (reader2, "totally-forged"),
        (reader2, "v0:ap:1"),
    ]
    for user, data in forged:
        handle = _forge(fake, user, message2, data)
        await handle.wait_answered()
        assert handle.text
    again = await captcha_for(khabar, comment2.id)
    assert (again.generation, again.tries_left, again.solved_at) == (1, 3, None)
    assert await status_of(khabar, comment2.id) == "awaiting_captcha"
