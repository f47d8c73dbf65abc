"""The captcha: wrong answers, tries, expiry, typed digits, restarts, forged and foreign presses."""

from __future__ import annotations

import pytest

from bot.callbacks import Action, encode
from bot.intake import service_captcha
from fakegram.actors import CallbackHandle, FakeUser
from fakegram.control import FakeTelegram
from fakegram.world import StoredMessage
from tests.e2e.harness import Khabar, World
from tests.e2e.test_intake_support import (
    add_article,
    captcha_for,
    comment_and_captcha,
    option_data,
    sent_to,
    status_of,
)


async def _reader_with_draft(fake: FakeTelegram, khabar: Khabar, name: str = "زهرا") -> FakeUser:
    article = await add_article(khabar)
    reader = fake.make_user(name)
    await reader.start_bot(f"a-{article.token}")
    await sent_to(fake, reader, "قیمت نان")
    return reader


async def _edited(fake: FakeTelegram, contains: str) -> str:
    call = await fake.wait_for("editMessageText", lambda c: contains in c.params.get("text", ""))
    return str(call.params["text"])


async def test_wrong_answer_gives_new_numbers_in_the_same_message(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    reader = await _reader_with_draft(fake, khabar)
    comment, captcha, message = await comment_and_captcha(fake, khabar, reader)
    handle = await reader.press(message, option_data(captcha, right=False))
    await handle.wait_answered()
    assert handle.text and "نادرست" in handle.text
    text = await _edited(fake, "فرصت دیگر")
    assert "۲ فرصت دیگر" in text
    renewed = await captcha_for(khabar, comment.id)
    assert renewed.generation == 2 and renewed.tries_left == 2 and renewed.message_id == message.message_id
    # The old generation's buttons no longer count, even the right one.
    assert message.buttons()[0]["callback_data"].split(":")[3] == "2"
    await (await reader.press(message, option_data(renewed, right=True))).wait_answered()
    await _edited(fake, "ثبت شد")
    assert await status_of(khabar, comment.id) == "pending"


async def test_exhausting_tries_expires_the_comment(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await _reader_with_draft(fake, khabar)
    comment, _, message = await comment_and_captcha(fake, khabar, reader)
    for _ in range(3):
        current = await captcha_for(khabar, comment.id)
        await (await reader.press(message, option_data(current, right=False))).wait_answered()
    await _edited(fake, "ثبت نشد")
    assert await status_of(khabar, comment.id) == "expired"
    assert not message.buttons()


async def test_expiry_sweep(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await _reader_with_draft(fake, khabar)
    comment, captcha, message = await comment_and_captcha(fake, khabar, reader)
    assert await service_captcha.sweep(khabar.deps) == 0
    khabar.clock.advance(khabar.settings.captcha_ttl_seconds + 1)
    assert await service_captcha.sweep(khabar.deps) == 1
    await khabar.settle()
    assert await status_of(khabar, comment.id) == "expired"
    assert "زمان پاسخ" in (message.text or "") and not message.buttons()
    # A late press changes nothing and is answered.
    handle = _forge(fake, reader, message, option_data(captcha, right=True))
    await handle.wait_answered()
    assert await status_of(khabar, comment.id) == "expired"


@pytest.mark.parametrize("digits", ["۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩", "0123456789"])
async def test_typed_answers(fake: FakeTelegram, world: World, khabar: Khabar, digits: str) -> None:
    reader = await _reader_with_draft(fake, khabar)
    comment, captcha, _ = await comment_and_captcha(fake, khabar, reader)
    typed = str(captcha.a + captcha.b).translate(str.maketrans("0123456789", digits))
    await reader.send(typed)
    await _edited(fake, "ثبت شد")
    assert await status_of(khabar, comment.id) == "pending"


async def test_restart_between_comment_and_answer(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await _reader_with_draft(fake, khabar)
    comment, captcha, message = await comment_and_captcha(fake, khabar, reader)
    await khabar.restart()
    await (await reader.press(message, option_data(captcha, right=True))).wait_answered()
    await _edited(fake, "ثبت شد")
    assert await status_of(khabar, comment.id) == "pending"


async def test_double_press_on_the_right_answer_submits_once(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    pending: list[int] = []

    async def listen(comment_id: int) -> None:
        pending.append(comment_id)

    khabar.deps.events.subscribe("comment_pending", listen)
    reader = await _reader_with_draft(fake, khabar)
    comment, captcha, message = await comment_and_captcha(fake, khabar, reader)
    data = option_data(captcha, right=True)
    first = await reader.press(message, data)
    second = await reader.press(message, data)
    await first.wait_answered()
    await second.wait_answered()
    await khabar.settle()
    assert sorted([first.text or "", second.text or ""]) == sorted(["درست است ✅", "این نظر قبلاً ثبت شده است."])
    assert pending == [comment.id]


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
        (intruder, option_data(captcha2, right=True)),  # someone else's captcha
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
