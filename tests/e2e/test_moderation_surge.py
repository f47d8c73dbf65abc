"""Many comments at once: two moderators racing on 50, and a surge of 200 in a minute under flood limits."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.callbacks import Action, encode
from bot.jalali import fa_digits
from bot.moderation import queue_view as qv
from fakegram.actors import CallbackHandle
from fakegram.control import FakeTelegram
from fakegram.world import StoredMessage
from storage.models import Article, Comment, ModerationAction
from tests.e2e.harness import Khabar, World
from tests.moderation import factory


def queue_message(fake: FakeTelegram, world: World) -> StoredMessage:
    found = [m for m in fake.bot_messages(world.mods_chat) if "صف بررسی" in (m.text or "")]
    assert len(found) == 1, found
    return found[0]


async def deliver_now(khabar: Khabar) -> None:
    """Run events and everything due now (without waiting for rows due in a few seconds)."""
    await khabar.deps.events.settle()
    await khabar.deps.outbox.drain(budget=10, horizon=0)


async def test_two_moderators_racing_on_50_comments(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    art = await factory.article(khabar.db)
    reader = await factory.reader(fake, khabar.db, "پرکار")
    made = [await factory.comment(khabar.db, art, reader.id, f"نظر شمارهٔ {i}") for i in range(50)]
    khabar.deps.events.emit("comment_pending", made[-1].id)
    await deliver_now(khabar)
    view = queue_message(fake, world)
    a, b = world.moderators
    answers: list[CallbackHandle] = []
    for _ in range(20):
        ids = [btn["callback_data"] for btn in view.buttons() if btn["callback_data"].startswith("v1:ap:")]
        if not ids:
            break
        presses = await asyncio.gather(*(mod.press(view, data) for data in ids for mod in (a, b)))
        await asyncio.gather(*(h.wait_answered() for h in presses))
        answers += presses
        khabar.clock.advance(qv.REFRESH_SECONDS + 1)
        await deliver_now(khabar)
    texts = [h.text for h in answers]
    assert sum((x or "").startswith("✅ منتشر شد: «") for x in texts) == 50
    assert sum("قبلاً بررسی شده است" in (x or "") for x in texts) == 50
    async with khabar.db.transaction() as session:
        statuses = (await session.execute(select(Comment.status, func.count()).group_by(Comment.status))).all()
        audit = (await session.execute(select(func.count()).select_from(ModerationAction))).scalar_one()
        article = await session.get(Article, art.id)
    assert dict(statuses) == {"approved": 50} and audit == 50
    assert article is not None and article.approved_count == 50
    assert "همهٔ نظرهای این فهرست بررسی شدند" in (view.text or "")


@pytest.mark.khabar_settings(api_messages_per_second="30", api_group_messages_per_minute="20")
async def test_surge_of_200_in_a_minute_reaches_moderators_without_429(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    fake.flood.enable()
    art = await factory.article(khabar.db)
    readers = [await factory.reader(fake, khabar.db, f"خواننده {i}") for i in range(20)]
    made: list[Comment] = []
    for i in range(5):  # a quiet start: one card each
        made.append(await factory.pending(khabar.deps, art, readers[i].id, f"نظر آرام {i}"))
        await deliver_now(khabar)
    for chunk in range(19):  # then 195 more within the same minute
        for i in range(10 if chunk < 18 else 15):
            made.append(await factory.comment(khabar.db, art, readers[i].id, f"نظر موج {chunk}-{i}"))
        khabar.deps.events.emit("comment_pending", made[-1].id)
        await deliver_now(khabar)
        khabar.clock.advance(3)
    khabar.clock.advance(qv.REFRESH_SECONDS)
    await deliver_now(khabar)
    assert len(made) == 200
    mods = world.mods_chat
    card_ids = {
        int(b["callback_data"].split(":")[2])
        for m in fake.bot_messages(mods) if "صف بررسی" not in (m.text or "")
        for b in m.buttons() if b["callback_data"].startswith("v1:ap:")
    }
    assert card_ids == {c.id for c in made[:5]}
    view = queue_message(fake, world)
    assert f"{fa_digits(195)} نظر در انتظار" in (view.text or "")
    first_page = [b["callback_data"] for b in view.buttons() if b["callback_data"].startswith("v1:ap:")]
    assert first_page == [encode(Action.APPROVE, c.id) for c in made[5:10]]
    handle = await world.moderators[0].press(view, encode(Action.QUEUE_PAGE, 1))
    await handle.wait_answered()
    await fake.wait_for("editMessageText", lambda r: "نظر موج 0-9" in r.params.get("text", ""))
    second_page = [b["callback_data"] for b in view.buttons() if b["callback_data"].startswith("v1:ap:")]
    assert second_page == [encode(Action.APPROVE, c.id) for c in made[10:15]]
    # Everything moderators saw arrived inside Telegram's per-group budget: no 429, ≤ 20 messages and edits.
    assert fake.flood.total_429 == 0
    to_mods = [c for c in fake.calls if str(c.params.get("chat_id")) == str(mods.id)
               and c.method.lower() in ("sendmessage", "editmessagetext")]
    assert len(to_mods) <= 20
