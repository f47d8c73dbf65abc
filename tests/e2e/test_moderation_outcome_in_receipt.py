"""A comment's outcome is written into its receipt: the author gets the article view and the captcha,
nothing more (issue 15) — unless they have written since, or the receipt is gone."""

from __future__ import annotations

import asyncio

from sqlalchemy import select

from bot.callbacks import Action, encode
from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from fakegram.world import StoredMessage
from storage.models import Captcha
from tests.e2e.driver import (
    approve,
    captcha_answer,
    find_card,
    persian,
    send_comment,
    solve_captcha,
    start_payload,
)
from tests.e2e.harness import Khabar, World
from tests.e2e.publishing_helpers import TRAFFIC, queue_article

FIRST = "ترافیک میدان آزادی واقعاً کلافه‌کننده شده و باید مترو را زودتر تکمیل کنند."
SECOND = "کاش شهرداری برای خطوط اتوبوس تندرو هم فکری بکند، صف‌ها خیلی طولانی است."


async def _post(fake: FakeTelegram, world: World, khabar: Khabar) -> str:
    await queue_article(khabar, TRAFFIC)
    await khabar.settle()
    (post,) = fake.bot_messages(world.channel)
    return start_payload(post)


async def _comment(fake: FakeTelegram, reader: FakeUser, payload: str, text: str) -> tuple[StoredMessage, int]:
    """View, comment, captcha solved by typing under it; the captcha message (now the receipt), its answer."""
    captcha = await send_comment(fake, reader, payload, text)
    answer = captcha_answer(captcha.params["text"])
    await solve_captcha(fake, reader, captcha)
    return fake.resolve_message(captcha.result), answer


def _sent_to(fake: FakeTelegram, reader: FakeUser) -> int:
    return sum(1 for c in fake.calls_of("sendMessage") if str(c.params.get("chat_id")) == str(reader.id))


async def _approve(fake: FakeTelegram, world: World, khabar: Khabar, text: str) -> None:
    await khabar.settle()
    card = find_card(fake, world.mods_chat, text)
    assert card is not None
    await approve(fake, world.moderators[0], card)
    await khabar.settle()


async def test_published_is_written_into_the_receipt(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    payload = await _post(fake, world, khabar)
    reader = fake.make_user("سارا", "sara")
    receipt, answer = await _comment(fake, reader, payload, FIRST)
    assert "ثبت شد" in (receipt.text or "")

    await _approve(fake, world, khabar, FIRST)
    messages = fake.bot_messages(reader.private_chat)
    assert len(messages) == 2 and _sent_to(fake, reader) == 2  # the article view and the captcha
    assert messages[-1].message_id == receipt.message_id
    assert "منتشر شد" in (messages[-1].text or "") and messages[-1].buttons() == []

    # The answer typed again under it does not turn it back into «ثبت شد».
    await reader.send(persian(answer), reply_to=receipt)
    await khabar.settle()
    assert "منتشر شد" in (fake.resolve_message(receipt.data).text or "")
    assert "ثبت شد" not in (fake.bot_messages(reader.private_chat)[-1].text or "")


async def test_a_reader_who_wrote_again_gets_the_outcome_as_a_message(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    payload = await _post(fake, world, khabar)
    reader = fake.make_user("رضا", "reza")
    first, _ = await _comment(fake, reader, payload, FIRST)
    second, _ = await _comment(fake, reader, payload, SECOND)
    sent = _sent_to(fake, reader)

    await _approve(fake, world, khabar, FIRST)  # its receipt is no longer the newest: a message of its own
    assert _sent_to(fake, reader) == sent + 1
    assert "منتشر شد" in (fake.bot_messages(reader.private_chat)[-1].text or "")
    assert "ثبت شد" in (fake.resolve_message(first.data).text or "")

    await _approve(fake, world, khabar, SECOND)  # the newest receipt: written into it
    assert _sent_to(fake, reader) == sent + 1
    assert "منتشر شد" in (fake.resolve_message(second.data).text or "")


async def test_a_deleted_receipt_gives_the_outcome_a_message_of_its_own(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    payload = await _post(fake, world, khabar)
    reader = fake.make_user("مینا", "mina")
    receipt, _ = await _comment(fake, reader, payload, FIRST)
    receipt.deleted = True  # the reader cleared the chat
    sent = _sent_to(fake, reader)

    await _approve(fake, world, khabar, FIRST)
    await fake.wait_for("sendMessage", lambda c: "منتشر شد" in str(c.params.get("text")), timeout=10)
    assert _sent_to(fake, reader) == sent + 1
    told = [m.text or "" for m in fake.bot_messages(reader.private_chat)]
    assert sum("منتشر شد" in m for m in told) == 1


async def test_a_press_on_the_old_captcha_at_the_moment_of_approval_never_puts_the_receipt_back(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    payload = await _post(fake, world, khabar)
    reader = fake.make_user("نرگس", "narges")
    captcha = await send_comment(fake, reader, payload, FIRST)
    await solve_captcha(fake, reader, captcha)
    async with khabar.db.transaction() as session:
        row = (await session.execute(select(Captcha).where(Captcha.message_id == captcha.result["message_id"]))).scalar_one()
    button = encode(Action.CAPTCHA, row.id, row.generation, 0)  # an answer button, as captchas once had
    await khabar.settle()
    receipt = fake.resolve_message(captcha.result)
    card = find_card(fake, world.mods_chat, FIRST)
    assert card is not None and "ثبت شد" in (receipt.text or "")

    # A phone still showing an answer button of the captcha presses it: the receipt is shown again, Telegram
    # is slow to make that edit, and a moderator approves meanwhile.
    slow = fake.faults.add("editMessageText", "slow", delay=3.0, when=lambda p: str(p.get("chat_id")) == str(
        reader.id) and "ثبت شد" in str(p.get("text")))
    await reader.press(receipt, button, stale=True)
    for _ in range(1000):
        if slow.hits:
            break
        await asyncio.sleep(0.01)
    assert slow.hits == 1
    await approve(fake, world.moderators[0], card)
    await khabar.settle()
    await fake.wait_for("editMessageText", lambda c: "منتشر شد" in str(c.params.get("text")), timeout=15)
    await asyncio.sleep(3.5)  # past the slow edit, whichever came first
    await khabar.settle()

    shown = fake.resolve_message(receipt).text or ""
    assert "منتشر شد" in shown and "ثبت شد" not in shown  # the author's last word is the truth
