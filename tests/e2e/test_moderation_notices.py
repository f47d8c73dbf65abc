"""What authors are told follows the truth: reversed decisions, undone bans, permanent bans, one notice per ban."""

from __future__ import annotations

from sqlalchemy import select

from bot.callbacks import Action, encode
from bot.moderation.reasons import BAN_DURATIONS, REASONS
from bot.texts import moderation as t
from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from storage.models import ModerationAction, User
from tests.e2e.harness import Khabar, World
from tests.e2e.test_moderation_cards import card_of, open_menu, reload
from tests.moderation import factory

FOREVER = len(BAN_DURATIONS) - 1
WEEK = next(i for i, d in enumerate(BAN_DURATIONS) if d.days == 7)
OFF_TOPIC = next(i for i, r in enumerate(REASONS) if r.code == "off_topic")


def told(fake: FakeTelegram, reader: FakeUser) -> list[str]:
    """The bot's messages in the reader's private chat as they read now (edits applied), oldest first."""
    return [m.text or "" for m in fake.bot_messages(reader.private_chat)]


async def press(fake: FakeTelegram, world: World, khabar: Khabar, comment_id: int, data: str) -> str:
    """A moderator presses a decision on the comment's card; the toast."""
    card = card_of(fake, world, comment_id)
    mod = world.moderators[0]
    if data.startswith("v1:rr:"):
        await open_menu(fake, mod, card, encode(Action.REJECT_MENU, comment_id), "v1:rr:")
    elif data.startswith("v1:bd:"):
        await open_menu(fake, mod, card, encode(Action.BAN_MENU, comment_id), "v1:bd:")
    handle = await mod.press(card, data)
    await handle.wait_answered()
    await khabar.settle()
    return handle.text or ""


async def test_approve_undo_reject_undo_approve_leaves_the_author_told_published(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    reader = await factory.reader(fake, khabar.db, "نیلوفر")
    art = await factory.article(khabar.db, title="بودجهٔ شهرداری")
    c = await factory.pending(khabar.deps, art, reader.id, "نظر من دربارهٔ بودجه")
    await khabar.settle()

    await press(fake, world, khabar, c.id, encode(Action.APPROVE, c.id))
    assert len(told(fake, reader)) == 1 and "منتشر شد" in told(fake, reader)[-1]
    await press(fake, world, khabar, c.id, encode(Action.UNDO, c.id))
    # Taken back moments later: the notice that announced it now says so (no new alert).
    assert len(told(fake, reader)) == 1 and "دوباره در صف بررسی" in told(fake, reader)[-1]
    await press(fake, world, khabar, c.id, encode(Action.REJECT, c.id, OFF_TOPIC))
    assert len(told(fake, reader)) == 2  # a new outcome: a new message
    assert "منتشر نشد" in told(fake, reader)[-1] and t.REASON_SENTENCES["off_topic"] in told(fake, reader)[-1]
    await press(fake, world, khabar, c.id, encode(Action.UNDO, c.id))
    assert "دوباره در صف بررسی" in told(fake, reader)[-1]
    await press(fake, world, khabar, c.id, encode(Action.APPROVE, c.id))

    messages = told(fake, reader)
    assert (await reload(khabar, c.id)).status == "approved"
    assert "منتشر شد" in messages[-1] and "منتشر نشد" not in messages[-1]
    assert not any("منتشر نشد" in m for m in messages)  # no message still says «not published»
    assert len(messages) == 3


async def test_a_decision_undone_before_its_notice_went_out_sends_nothing(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    reader = await factory.reader(fake, khabar.db, "کاوه")
    art = await factory.article(khabar.db)
    c = await factory.pending(khabar.deps, art, reader.id)
    await khabar.settle()
    # The author's chat is throttled: the notice waits (four refusals outlast the rate limiter's retries).
    throttled = fake.faults.add("sendMessage", "429", times=4, retry_after=1,
                                when=lambda p: str(p.get("chat_id")) == str(reader.id))
    mod = world.moderators[0]
    card = card_of(fake, world, c.id)
    await (await mod.press(card, encode(Action.APPROVE, c.id))).wait_answered()
    await fake.wait_for("editMessageText", lambda r: encode(Action.UNDO, c.id) in str(r.params.get("reply_markup")))
    await (await mod.press(card, encode(Action.UNDO, c.id))).wait_answered()
    await khabar.settle()
    assert (await reload(khabar, c.id)).status == "pending"
    assert throttled.hits >= 1  # the notice was on its way when the decision was undone
    assert told(fake, reader) == []  # superseded while queued: the author never read «منتشر شد»


async def test_ban_undo_ban_forever_tells_each_step(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await factory.reader(fake, khabar.db, "سیاوش")
    art = await factory.article(khabar.db)
    c = await factory.pending(khabar.deps, art, reader.id)
    await khabar.settle()

    await press(fake, world, khabar, c.id, encode(Action.BAN, c.id, WEEK))
    (first,) = told(fake, reader)
    assert "امکان نظر دادن شما تا" in first and "۹۳۷۷" not in first
    await press(fake, world, khabar, c.id, encode(Action.UNDO, c.id))
    assert told(fake, reader) == [told(fake, reader)[0]] and "محدودیت برداشته شد" in told(fake, reader)[0]
    async with khabar.db.transaction() as session:
        user = await session.get(User, reader.id)
    assert user is not None and user.banned_until is None
    assert (await reload(khabar, c.id)).status == "pending"

    await press(fake, world, khabar, c.id, encode(Action.BAN, c.id, FOREVER))
    messages = told(fake, reader)
    assert len(messages) == 2  # the permanent ban is a second notice
    assert "برای همیشه" in messages[-1] and "۹۳۷۷" not in messages[-1]


async def test_a_ban_closing_two_comments_sends_one_notice_and_its_undo_reopens_both(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    reader = await factory.reader(fake, khabar.db, "مزاحم")
    bread = await factory.article(khabar.db, title="قیمت نان")
    metro = await factory.article(khabar.db, title="مترو تهران")
    first = await factory.pending(khabar.deps, bread, reader.id)
    second = await factory.pending(khabar.deps, metro, reader.id)
    await khabar.settle()

    toast = await press(fake, world, khabar, first.id, encode(Action.BAN, first.id, FOREVER))
    assert "مسدود" in toast
    (notice,) = told(fake, reader)  # one notice for the ban and both comments it closed
    assert "برای همیشه" in notice and "قیمت نان" in notice and "مترو تهران" in notice
    assert (await reload(khabar, second.id)).status == "rejected"
    second_card = card_of(fake, world, second.id)
    assert [b["callback_data"] for b in second_card.buttons()] == [encode(Action.UNDO, second.id)]

    # Undo from the card of the other comment the ban closed: the whole ban is undone.
    toast = await press(fake, world, khabar, second.id, encode(Action.UNDO, second.id))
    assert "۲" in toast
    for c in (first, second):
        assert (await reload(khabar, c.id)).status == "pending"
        assert encode(Action.APPROVE, c.id) in [b["callback_data"] for b in card_of(fake, world, c.id).buttons()]
    async with khabar.db.transaction() as session:
        user = await session.get(User, reader.id)
        actions = [a.action for a in (await session.execute(select(ModerationAction))).scalars()]
    assert user is not None and user.banned_until is None and user.rejected_count == 0
    assert actions.count("undo") == 2 and actions.count("unban") == 1
    (notice,) = told(fake, reader)
    assert "محدودیت برداشته شد" in notice and "دوباره در صف بررسی" in notice


async def test_ban_and_unban_commands_tell_the_user(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await factory.reader(fake, khabar.db, "بردیا")
    await world.moderators[0].send(world.mods_chat, f"/ban {reader.id}")
    await khabar.settle()
    (notice,) = told(fake, reader)
    assert "برای همیشه" in notice and "۹۳۷۷" not in notice
    reply = [r.params["text"] for r in fake.calls_of("sendMessage") if str(r.params.get("chat_id")) == str(world.mods_chat.id)]
    assert any("برای همیشه" in text for text in reply)
    khabar.clock.advance(khabar.settings.undo_window_seconds + 60)  # a later decision, not a correction
    await world.moderators[0].send(world.mods_chat, f"/unban {reader.id}")
    await khabar.settle()
    messages = told(fake, reader)
    assert len(messages) == 2 and "محدودیت برداشته شد" in messages[-1]
