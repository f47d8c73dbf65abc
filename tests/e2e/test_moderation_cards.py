"""Cards in the moderators' chat and decisions through their buttons."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.callbacks import Action, encode
from bot.moderation.reasons import REASONS
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


async def reload(khabar: Khabar, comment_id: int) -> Comment:
    async with khabar.db.transaction() as session:
        row = await session.get(Comment, comment_id)
        assert row is not None
        return row


async def test_card_shows_comment_and_approve_publishes(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = fake.make_user("زهرا <b>", "zahra")
    await reader.start_bot()
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
    assert handle.text == "✅ منتشر شد."
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
