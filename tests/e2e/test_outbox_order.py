"""Per chat the outbox delivers strictly in order: after a 429 the thread reads in the order moderators approved."""

from __future__ import annotations

from datetime import timedelta

from bot.callbacks import Action, encode
from bot.outbox import call
from fakegram.control import FakeTelegram
from storage.repos import outbox
from tests.e2e.harness import Khabar, World
from tests.e2e.test_moderation_cards import card_of, reload
from tests.e2e.test_moderation_publish import discussed_article, into_group
from tests.moderation import factory

# The rate limiter retries a 429 three times inside the call; the fourth reaches the outbox as a retry.
OUTLASTS_THE_LIMITER = 4


async def test_after_a_429_burst_comments_appear_in_approval_order(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    art, forward = await discussed_article(fake, world, khabar)
    reader = await factory.reader(fake, khabar.db, "ترتیب")
    made = [await factory.pending(khabar.deps, art, reader.id, f"نظر ترتیبی {i}") for i in range(5)]
    await khabar.settle()
    order = [made[2], made[0], made[4], made[1], made[3]]  # not the order they were written in
    burst = fake.faults.add("sendMessage", "429", times=OUTLASTS_THE_LIMITER, retry_after=1,
                            when=lambda p: into_group(world)(p) and "نظر ترتیبی 2" in str(p.get("text")))
    mod = world.moderators[0]
    for c in order:
        handle = await mod.press(card_of(fake, world, c.id), encode(Action.APPROVE, c.id))
        await handle.wait_answered(timeout=15)
    await khabar.settle()
    assert burst.exhausted
    thread = [m for m in fake.thread(world.group, forward.message_id) if m.by_bot and not m.deleted]
    published = [next(i for i, c in enumerate(made) if f"نظر ترتیبی {i}" in (m.text or "")) for m in thread]
    assert published == [2, 0, 4, 1, 3]  # the moderators' order, the delayed first one included
    for c in made:
        assert (await reload(khabar, c.id)).thread_message_id is not None


async def test_rows_of_a_chat_wait_behind_a_retry_but_not_behind_a_scheduled_row(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    chat = world.group.id
    fake.faults.add("sendMessage", "429", times=OUTLASTS_THE_LIMITER, retry_after=1,
                    when=lambda p: p.get("text") == "پیام ۱")
    now = khabar.clock()
    async with khabar.db.transaction() as s:
        await outbox.enqueue(s, kind="test", dedupe_key="later", chat_key=chat, now=now,
                             payload=call("send_message", chat_id=chat, text="پیام زمان‌دار"),
                             not_before=now + timedelta(hours=1))  # scheduled on purpose: holds nothing up
        for n in ("۱", "۲", "۳"):
            await outbox.enqueue(s, kind="test", dedupe_key=f"m{n}", chat_key=chat, now=now,
                                 payload=call("send_message", chat_id=chat, text=f"پیام {n}"))
        await outbox.enqueue(s, kind="test", dedupe_key="elsewhere", chat_key=world.mods_chat.id, now=now,
                             payload=call("send_message", chat_id=world.mods_chat.id, text="پیام دیگر"))
    khabar.deps.outbox.wake()
    await khabar.settle()
    assert [m.text for m in fake.bot_messages(world.group)] == ["پیام ۱", "پیام ۲", "پیام ۳"]
    assert [m.text for m in fake.bot_messages(world.mods_chat)] == ["پیام دیگر"]
    async with khabar.db.transaction() as s:
        first = await outbox.by_key(s, "m۱")
        second = await outbox.by_key(s, "m۲")
    assert first is not None and first.attempts == 2  # one retry after the 429
    assert second is not None and second.attempts == 1  # held back, given back unsent: not counted
