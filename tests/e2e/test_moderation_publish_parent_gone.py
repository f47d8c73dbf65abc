"""A reply is published under its parent's copy in the discussion thread. If an admin deleted that copy,
Telegram would send the reply as a plain group message, outside the post's thread; Khabar replies to the
thread's root instead, so the reply still reads under the article."""

from __future__ import annotations

from fakegram.control import FakeTelegram
from tests.e2e.harness import Khabar, World
from tests.e2e.test_moderation_cards import reload
from tests.e2e.test_moderation_publish import approve, discussed_article
from tests.moderation import factory


async def test_a_reply_whose_parent_copy_was_deleted_goes_under_the_thread_root(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    art, forward = await discussed_article(fake, world, khabar)
    alice = await factory.reader(fake, khabar.db, "آلیس")
    bob = await factory.reader(fake, khabar.db, "باب")
    top = await factory.pending(khabar.deps, art, alice.id, "نظر اصلی دربارهٔ نان")
    await approve(fake, world, khabar, top)
    top_row = await reload(khabar, top.id)
    assert top_row.thread_message_id is not None
    world.group.messages[top_row.thread_message_id].deleted = True  # an admin removed the parent's copy

    reply = await factory.pending(khabar.deps, art, bob.id, "پاسخ من به آلیس", parent=top_row)
    await approve(fake, world, khabar, reply)
    reply_row = await reload(khabar, reply.id)
    assert reply_row.status == "approved" and reply_row.thread_message_id is not None
    published = world.group.messages[reply_row.thread_message_id]
    assert published.data["reply_to_message"]["message_id"] == forward.message_id
    assert published in fake.thread(world.group, forward.message_id)
    sends = [c for c in fake.calls_of("sendMessage") if str(c.params.get("chat_id")) == str(world.group.id)]
    assert [c.ok for c in sends] == [True, False, True]  # the top comment; the reply refused, then placed
    await khabar.restart()
    await khabar.settle()
    assert len([m for m in fake.bot_messages(world.group) if "پاسخ من به آلیس" in (m.text or "")]) == 1
