"""Cards in the moderators' chat and decisions through their buttons."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.callbacks import Action, encode
from bot.moderation.reasons import REASONS
from bot.texts import moderation as t
from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from fakegram.world import StoredMessage
from storage.models import Comment, ModerationAction, User
from tests.e2e.harness import Khabar, World
from tests.moderation import factory


def cards(fake: FakeTelegram, world: World) -> list[StoredMessage]:
    """The bot's messages in the moderators' chat, oldest first."""
    return fake.bot_messages(world.mods_chat)


def card_of(fake: FakeTelegram, world: World, comment_id: int) -> StoredMessage:
    """The card carrying buttons (or having carried them) for a comment."""
    data = encode(Action.APPROVE, comment_id)
    for msg in cards(fake, world):
        for old in [msg.data, *msg.history]:
            buttons = [b for row in (old.get("reply_markup") or {}).get("inline_keyboard", []) for b in row]
            if any(b.get("callback_data") == data for b in buttons):
                return msg
    raise AssertionError(f"no card for comment {comment_id}")


async def open_menu(fake: FakeTelegram, mod: FakeUser, card: StoredMessage, data: str, marker: str) -> None:
    """Press a menu button and wait until the card shows the menu (buttons whose data has ``marker``)."""
    await (await mod.press(card, data)).wait_answered()
    await fake.wait_for("editMessageText", lambda r: str(r.params.get("message_id")) == str(card.message_id)
                        and marker in str(r.params.get("reply_markup")))


async def reload(khabar: Khabar, comment_id: int) -> Comment:
    async with khabar.db.transaction() as session:
        row = await session.get(Comment, comment_id)
        assert row is not None
        return row


async def test_card_shows_comment_and_approve_publishes(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await factory.reader(fake, khabar.db, "زهرا <b>", "zahra")
    await factory.user(khabar.db, reader.id, "زهرا <b>", "zahra", approved_count=2, rejected_count=1)
    art = await factory.article(khabar.db, title="خبر <مهم> & فوری")
    checks = {"reasons": [{"code": "language_uncertain"}, {"code": "link"}], "insult": True}
    c = await factory.pending(khabar.deps, art, reader.id, "متن <نظر> & آزمایشی", checks=checks)
    await khabar.settle()
    card = card_of(fake, world, c.id)
    text = card.text or ""
    assert "متن <نظر> & آزمایشی" in text and "خبر <مهم> & فوری" in text
    assert "زهرا <b>" in text and "@zahra" in text and str(reader.id) in text
    assert "زبان نامطمئن" in text and "پیوند" in text and "توهین" in text
    assert any(e["type"] == "text_link" for e in card.entities)
    mod = world.moderators[0]
    handle = await mod.press(card, encode(Action.APPROVE, c.id))
    await handle.wait_answered()
    assert handle.text == "✅ منتشر شد: «متن <نظر> & آزمایشی»"  # the toast names what it acted on
    await khabar.settle()
    row = await reload(khabar, c.id)
    assert row.status == "approved" and row.moderator_id == mod.id and row.decided_at is not None
    assert "منتشر شد" in (card.text or "") and "مدیر یک" in (card.text or "")
    assert [b["callback_data"] for b in card.buttons()] == [encode(Action.UNDO, c.id)]
    note = await fake.wait_for("sendMessage", lambda r: str(r.params.get("chat_id")) == str(reader.id)
                               and "منتشر شد" in r.params.get("text", ""))
    assert f"start=a-{art.token}" in note.params["text"]
    async with khabar.db.transaction() as session:
        author = await session.get(User, reader.id)
        audit = (await session.execute(select(ModerationAction))).scalars().all()
    assert author is not None and author.approved_count == 3
    assert [(a.action, a.moderator_id, a.comment_id) for a in audit] == [("approve", mod.id, c.id)]


async def test_reject_with_each_reason_tells_the_author(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await factory.reader(fake, khabar.db, "علی", "ali")
    art = await factory.article(khabar.db)
    pending = [await factory.pending(khabar.deps, art, reader.id) for _ in REASONS]
    await khabar.settle()
    mod = world.moderators[1]
    for index, (c, reason) in enumerate(zip(pending, REASONS, strict=True)):
        card = card_of(fake, world, c.id)
        await open_menu(fake, mod, card, encode(Action.REJECT_MENU, c.id), "v1:rr:")
        handle = await mod.press(card, encode(Action.REJECT, c.id, index))
        await handle.wait_answered()
        assert (handle.text or "").startswith(f"❌ رد شد ({reason.label}): «")
    await khabar.settle()
    for c, reason in zip(pending, REASONS, strict=True):
        row = await reload(khabar, c.id)
        assert (row.status, row.reason, row.moderator_id) == ("rejected", reason.code, mod.id)
        card = card_of(fake, world, c.id)
        assert f"رد شد</b> ({reason.label})" in (card.data.get("text") or "") or reason.label in (card.text or "")
        sentence = t.REASON_SENTENCES[reason.code]  # a sentence the author understands, not «دلیل: سایر»
        notes = [r.params["text"] for r in fake.calls_of("sendMessage")
                 if str(r.params.get("chat_id")) == str(reader.id) and sentence in r.params.get("text", "")]
        assert len(notes) == 1 and "منتشر نشد" in notes[0] and "دلیل:" not in notes[0]
    async with khabar.db.transaction() as session:
        author = await session.get(User, reader.id)
    assert author is not None and author.rejected_count == len(REASONS)


async def test_ban_rejects_and_bans_for_the_chosen_duration(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await factory.reader(fake, khabar.db, "مزاحم", "troll")
    art = await factory.article(khabar.db)
    first = await factory.pending(khabar.deps, art, reader.id)
    second = await factory.pending(khabar.deps, art, reader.id)
    await khabar.settle()
    mod = world.moderators[0]
    card = card_of(fake, world, first.id)
    await open_menu(fake, mod, card, encode(Action.BAN_MENU, first.id), "v1:bd:")
    assert "🚫 ۷ روز" in [b["text"] for b in card.buttons()]
    handle = await mod.press(card, encode(Action.BAN, first.id, 1))
    await handle.wait_answered()
    assert "مسدود" in (handle.text or "")
    await khabar.settle()
    assert (await reload(khabar, first.id)).reason == "banned"
    assert (await reload(khabar, second.id)).status == "rejected"  # the rest of their queue goes too
    async with khabar.db.transaction() as session:
        user = await session.get(User, reader.id)
        actions = [a.action for a in (await session.execute(select(ModerationAction))).scalars()]
    assert user is not None and user.banned_until is not None
    days = (user.banned_until - khabar.clock()).total_seconds() / 86400
    assert 6.9 < days <= 7.0
    assert actions.count("ban") == 1 and actions.count("reject") == 2
    assert "نویسنده مسدود شد" in (card.text or "")


async def test_outsider_gets_an_alert_and_nothing_changes(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await factory.reader(fake, khabar.db, "نرگس")
    art = await factory.article(khabar.db)
    c = await factory.pending(khabar.deps, art, reader.id)
    await khabar.settle()
    card = card_of(fake, world, c.id)
    before = card.snapshot()
    for data in (encode(Action.APPROVE, c.id), encode(Action.REJECT_MENU, c.id), encode(Action.BAN_MENU, c.id)):
        handle = await world.outsider.press(card, data)
        await handle.wait_answered()
        assert handle.show_alert and handle.text
    await khabar.settle()
    assert (await reload(khabar, c.id)).status == "pending"
    assert card.snapshot() == before
    async with khabar.db.transaction() as session:
        assert (await session.execute(select(func.count()).select_from(ModerationAction))).scalar_one() == 0


async def test_double_click_decides_once(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await factory.reader(fake, khabar.db, "رضا")
    art = await factory.article(khabar.db)
    c = await factory.pending(khabar.deps, art, reader.id)
    await khabar.settle()
    card = card_of(fake, world, c.id)
    mod = world.moderators[0]
    a, b = await asyncio.gather(mod.press(card, encode(Action.APPROVE, c.id)),
                                mod.press(card, encode(Action.APPROVE, c.id)))
    await asyncio.gather(a.wait_answered(), b.wait_answered())
    done, again = sorted([a.text or "", b.text or ""], key=lambda text: "قبلاً" in text)
    assert done.startswith("✅ منتشر شد: «") and again == "این نظر قبلاً بررسی شده است: منتشر شد · مدیر یک"
    await khabar.settle()
    async with khabar.db.transaction() as session:
        author = await session.get(User, reader.id)
        n = (await session.execute(select(func.count()).select_from(ModerationAction))).scalar_one()
    assert author is not None and author.approved_count == 1 and n == 1
    notes = [r for r in fake.calls_of("sendMessage") if str(r.params.get("chat_id")) == str(reader.id)
             and "منتشر شد" in r.params.get("text", "")]
    assert len(notes) == 1


async def test_a_press_on_a_copy_of_a_decided_card_closes_that_copy(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    """A lost answer left two cards for one comment: the comment is decided on one; a late press on the
    other gets «قبلاً بررسی شده» and that copy shows the decision without buttons."""
    reader = await factory.reader(fake, khabar.db, "رضا")
    art = await factory.article(khabar.db)
    fake.faults.add("sendMessage", "lost", times=1, when=lambda p: str(p.get("chat_id")) == str(world.mods_chat.id))
    c = await factory.pending(khabar.deps, art, reader.id)
    await khabar.settle()
    copies = [m for m in cards(fake, world) if encode(Action.APPROVE, c.id) in str(m.buttons())]
    assert len(copies) == 2
    kept = (await reload(khabar, c.id)).card_message_id
    (stale,) = [m for m in copies if m.message_id != kept]
    (card,) = [m for m in copies if m.message_id == kept]
    mod = world.moderators[0]
    await (await mod.press(card, encode(Action.APPROVE, c.id))).wait_answered()
    late = await mod.press(stale, encode(Action.APPROVE, c.id))
    await late.wait_answered()
    assert late.text == "این نظر قبلاً بررسی شده است: منتشر شد · مدیر یک"  # with who decided
    await khabar.settle()
    assert stale.buttons() == [] and "منتشر شد" in (stale.text or "") and "مدیر یک" in (stale.text or "")
    assert [b["callback_data"] for b in card.buttons()] == [encode(Action.UNDO, c.id)]  # the card keeps its undo


async def test_press_after_restart_with_cards_outstanding(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await factory.reader(fake, khabar.db, "سارا")
    art = await factory.article(khabar.db)
    c1 = await factory.pending(khabar.deps, art, reader.id)
    c2 = await factory.pending(khabar.deps, art, reader.id)
    await khabar.settle()
    await khabar.restart()
    mod = world.moderators[1]
    h1 = await mod.press(card_of(fake, world, c1.id), encode(Action.APPROVE, c1.id))
    await h1.wait_answered()
    assert (h1.text or "").startswith("✅ منتشر شد: «")
    # The other moderator's stale view of the decided card: a late press changes nothing.
    h2 = await world.moderators[0].press(card_of(fake, world, c2.id), encode(Action.APPROVE, c2.id))
    await h2.wait_answered()
    await khabar.settle()
    assert (await reload(khabar, c1.id)).status == "approved"
    assert (await reload(khabar, c2.id)).status == "approved"
    assert "منتشر شد" in (card_of(fake, world, c2.id).text or "")
