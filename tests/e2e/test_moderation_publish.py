"""Approved comments in the discussion thread, counts, notifications (incl. a blocked bot), undo."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from bot.callbacks import Action, encode
from bot.outbox import call
from fakegram.control import FakeTelegram
from fakegram.world import StoredMessage
from storage.models import Article, Comment, Delivery, ModerationAction, User
from storage.repos import outbox
from tests.e2e.harness import Khabar, World
from tests.e2e.test_moderation_cards import card_of, open_menu, reload
from tests.moderation import factory


async def discussed_article(fake: FakeTelegram, world: World, khabar: Khabar) -> tuple[Article, StoredMessage]:
    """An article whose channel post has its automatic forward in the discussion group."""
    post = await fake.channel_post(world.channel, "افزایش قیمت نان در تهران")
    copy = fake.discussion_copy(post)
    assert copy is not None
    art = await factory.article(khabar.db, discussion_chat_id=world.group.id, discussion_message_id=copy.message_id)
    return art, copy


async def approve(fake: FakeTelegram, world: World, khabar: Khabar, comment: Comment) -> None:
    await khabar.settle()
    handle = await world.moderators[0].press(card_of(fake, world, comment.id), encode(Action.APPROVE, comment.id))
    await handle.wait_answered()
    await khabar.settle()


def notes_to(fake: FakeTelegram, user_id: int, marker: str) -> list[str]:
    return [r.params.get("text", "") for r in fake.calls_of("sendMessage")
            if str(r.params.get("chat_id")) == str(user_id) and marker in r.params.get("text", "")]


async def test_published_as_replies_to_the_right_messages_with_counts_and_notices(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    art, forward = await discussed_article(fake, world, khabar)
    alice = await factory.reader(fake, khabar.db, "آلیس <ا>", "alice")
    bob = await factory.reader(fake, khabar.db, "باب", "bob")
    top = await factory.pending(khabar.deps, art, alice.id, "نظر اصلی دربارهٔ نان & گرانی")
    await approve(fake, world, khabar, top)
    top_row = await reload(khabar, top.id)
    assert top_row.thread_message_id is not None and top_row.published_at is not None
    published = world.group.messages[top_row.thread_message_id]
    assert published.by_bot and published.data["reply_to_message"]["message_id"] == forward.message_id
    assert "آلیس <ا>" in (published.text or "") and "نظر اصلی دربارهٔ نان & گرانی" in (published.text or "")
    assert published in fake.thread(world.group, forward.message_id)

    reply = await factory.pending(khabar.deps, art, bob.id, "پاسخ من به آلیس", parent=top_row)
    await approve(fake, world, khabar, reply)
    reply_row = await reload(khabar, reply.id)
    assert reply_row.thread_message_id is not None
    answer = world.group.messages[reply_row.thread_message_id]
    assert answer.data["reply_to_message"]["message_id"] == top_row.thread_message_id
    assert len(notes_to(fake, alice.id, "به نظر شما")) == 1  # told of the reply
    assert len(notes_to(fake, bob.id, "منتشر شد")) == 1

    async with khabar.db.transaction() as session:
        article = await session.get(Article, art.id)
    assert article is not None and article.approved_count == 2


async def test_notify_off_and_a_blocked_bot(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    art = await factory.article(khabar.db)
    quiet = await factory.reader(fake, khabar.db, "ساکت")
    await quiet.send("/notify")
    await fake.wait_for("sendMessage", lambda r: str(r.params.get("chat_id")) == str(quiet.id)
                        and "🔕" in r.params.get("text", ""))
    talker = await factory.reader(fake, khabar.db, "پرحرف")
    parent = await factory.comment(khabar.db, art, quiet.id, "نظر قبلی", status=factory.CommentStatus.APPROVED)
    reply = await factory.pending(khabar.deps, art, talker.id, "پاسخ", parent=parent)
    await approve(fake, world, khabar, reply)
    assert notes_to(fake, quiet.id, "به نظر شما") == []

    await talker.block_bot()
    again = await factory.pending(khabar.deps, art, talker.id, "نظر دوم")
    await approve(fake, world, khabar, again)
    failed = [r for r in fake.calls_of("sendMessage") if str(r.params.get("chat_id")) == str(talker.id) and not r.ok]
    assert len(failed) == 1 and failed[0].status == 403
    async with khabar.db.transaction() as session:
        user = await session.get(User, talker.id)
    assert user is not None and user.blocked_bot
    third = await factory.pending(khabar.deps, art, talker.id, "نظر سوم")
    await approve(fake, world, khabar, third)
    failed = [r for r in fake.calls_of("sendMessage") if str(r.params.get("chat_id")) == str(talker.id) and not r.ok]
    assert len(failed) == 1  # skipped from now on
    assert (await reload(khabar, third.id)).status == "approved"


async def test_undo_takes_the_comment_back_and_fixes_the_count(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    art, _forward = await discussed_article(fake, world, khabar)
    reader = await factory.reader(fake, khabar.db, "مهسا")
    c = await factory.pending(khabar.deps, art, reader.id, "نظری که برمی‌گردد")
    await approve(fake, world, khabar, c)
    copy_id = (await reload(khabar, c.id)).thread_message_id
    assert copy_id is not None
    card = card_of(fake, world, c.id)
    handle = await world.moderators[1].press(card, encode(Action.UNDO, c.id))
    await handle.wait_answered()
    await khabar.settle()
    row = await reload(khabar, c.id)
    assert row.status == "pending" and row.thread_message_id is None and row.moderator_id is None
    assert world.group.messages[copy_id].deleted
    assert encode(Action.APPROVE, c.id) in [b["callback_data"] for b in card.buttons()]
    async with khabar.db.transaction() as session:
        article = await session.get(Article, art.id)
        user = await session.get(User, reader.id)
        actions = [a.action for a in (await session.execute(select(ModerationAction))).scalars()]
    assert article is not None and article.approved_count == 0
    assert user is not None and user.approved_count == 0
    assert actions == ["approve", "undo"]

    # Decided again, then the window closes: undo is refused and its button goes away.
    await open_menu(fake, world.moderators[0], card, encode(Action.REJECT_MENU, c.id), "v1:rr:")
    handle = await world.moderators[0].press(card, encode(Action.REJECT, c.id, 2))
    await handle.wait_answered()
    await khabar.settle()
    assert (await reload(khabar, c.id)).status == "rejected"
    khabar.clock.advance(khabar.settings.undo_window_seconds + 1)
    late = await world.moderators[0].press(card, encode(Action.UNDO, c.id))
    await late.wait_answered()
    assert late.show_alert and "مهلت" in (late.text or "")
    await khabar.settle()
    assert card.buttons() == []
    assert (await reload(khabar, c.id)).status == "rejected"


def into_group(world: World) -> Callable[[dict[str, Any]], bool]:
    return lambda params: str(params.get("chat_id")) == str(world.group.id)


async def test_a_lost_answer_leaves_one_copy_in_the_thread(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    """Telegram published the comment but its answer was lost, twice: the retry publishes again and
    the copies are found and deleted; members' messages and the automatic forward are left alone."""
    art, forward = await discussed_article(fake, world, khabar)
    member = fake.make_user("عضو گروه")
    chatter = await member.send(world.group, "سلام به همه")  # not a reply to a post: not a comment
    alice = await factory.reader(fake, khabar.db, "آلیس", "alice")
    top = await factory.pending(khabar.deps, art, alice.id, "نظر اصلی دربارهٔ نان و گرانی")
    fake.faults.add("sendMessage", "lost", times=2, when=into_group(world))
    await approve(fake, world, khabar, top)
    row = await reload(khabar, top.id)
    shown = [m for m in fake.bot_messages(world.group) if "نظر اصلی" in (m.text or "")]
    assert [m.message_id for m in shown] == [row.thread_message_id]
    stray = [m for m in world.group.messages.values() if m.by_bot and m.deleted]
    assert len(stray) == 2 and all("نظر اصلی" in (m.text or "") for m in stray)
    assert not chatter.deleted and not forward.deleted
    probed = {c.params["message_id"] for c in fake.calls_of("editMessageReplyMarkup")}
    assert probed == {m.message_id for m in stray}  # a member's message the bot saw is never probed
    assert len(notes_to(fake, alice.id, "منتشر شد")) == 1
    async with khabar.db.transaction() as s:
        delivery = (await s.execute(select(Delivery).where(Delivery.comment_id == top.id,
                                                           Delivery.chat_key == str(world.group.id)))).scalar_one()
    assert delivery.uncertain is False  # the repair ran to the end


async def test_a_lost_group_note_with_a_button_leaves_one_note(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    """The deep-link note to a reader who never started the bot has a keyboard: its copy is still found."""
    _art, forward = await discussed_article(fake, world, khabar)
    reader = fake.make_user("امیر")
    fake.faults.add("sendMessage", "lost", times=1, when=into_group(world))
    mine = await reader.send(world.group, "نظر من دربارهٔ قیمت نان در تهران", reply_to=forward)
    await khabar.settle()
    assert mine.deleted
    notes = fake.bot_messages(world.group)
    assert len(notes) == 1 and notes[0].buttons()
    assert [m for m in world.group.messages.values() if m.by_bot and m.deleted and m.buttons() == []]


async def test_no_repair_while_another_instance_sends_into_the_group(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    """A message of another live instance may be out but not yet recorded: nothing is probed and the
    row stays marked uncertain; the periodic sweep removes the copy once nobody else is sending."""
    art, _forward = await discussed_article(fake, world, khabar)
    alice = await factory.reader(fake, khabar.db, "آلیس", "alice")
    top = await factory.pending(khabar.deps, art, alice.id, "نظر اصلی دربارهٔ نان و گرانی")
    fake.faults.add("sendMessage", "lost", times=1, when=into_group(world))
    await khabar.settle()  # the card (settle waits for rows in flight, so before the other instance's row)
    async with khabar.db.transaction() as s:
        await outbox.enqueue(s, kind="test", dedupe_key="other", chat_key=world.group.id,
                             payload=call("send_message", chat_id=world.group.id, text="x"), now=khabar.clock())
        await s.execute(update(Delivery).where(Delivery.dedupe_key == "other").values(
            status="sending", claimed_by="another-instance", claimed_until=khabar.clock() + timedelta(hours=1)))
    handle = await world.moderators[0].press(card_of(fake, world, top.id), encode(Action.APPROVE, top.id))
    await handle.wait_answered()
    # Rows of a chat go out in order: the publication waits behind the earlier row in flight elsewhere.
    await asyncio.sleep(0.3)
    assert [m for m in fake.bot_messages(world.group) if "نظر اصلی" in (m.text or "")] == []
    async with khabar.db.transaction() as s:  # the other instance's row is now one queued after ours
        await s.execute(update(Delivery).where(Delivery.dedupe_key == "other").values(id=10**9))
    khabar.deps.outbox.wake()

    async def publication() -> Delivery:
        async with khabar.db.transaction() as s:
            return (await s.execute(select(Delivery).where(
                Delivery.comment_id == top.id, Delivery.chat_key == str(world.group.id)))).scalar_one()

    for _ in range(500):  # the outbox worker runs by itself; wait for the retry to be recorded
        if (await publication()).status == "sent":
            break
        await asyncio.sleep(0.02)
    delivery = await publication()
    assert delivery.status == "sent" and delivery.uncertain is True
    copies = [m for m in fake.bot_messages(world.group) if "نظر اصلی" in (m.text or "")]
    assert len(copies) == 2 and fake.calls_of("editMessageReplyMarkup") == []
    async with khabar.db.transaction() as s:  # the other instance's row, done
        await s.execute(update(Delivery).where(Delivery.dedupe_key == "other").values(status="cancelled"))
    # The periodic sweep finishes the check now that nobody else is sending there.
    assert await khabar.deps.outbox.repair_pending() == 1
    copies = [m for m in fake.bot_messages(world.group) if "نظر اصلی" in (m.text or "")]
    assert [m.message_id for m in copies] == [(await publication()).message_id]
    assert (await publication()).uncertain is False
    assert await khabar.deps.outbox.repair_pending() == 0


async def test_a_lost_answer_before_any_known_message_is_not_probed(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    """With no message of the chat in the database there is no safe lower bound: nothing is probed
    or deleted (the copy stays; at-least-once)."""
    member = fake.make_user("عضو گروه")
    await member.send(world.group, "سلام")
    note = call("send_message", chat_id=world.group.id, text="یادداشت آزمایشی")
    fake.faults.add("sendMessage", "lost", times=1)
    async with khabar.db.transaction() as s:
        await outbox.enqueue(s, kind="test", dedupe_key="n1", chat_key=world.group.id, payload=note, now=khabar.clock())
    khabar.deps.outbox.wake()
    await khabar.settle()
    assert [m.text for m in fake.bot_messages(world.group)] == ["یادداشت آزمایشی", "یادداشت آزمایشی"]
    assert fake.calls_of("editMessageReplyMarkup") == []
