"""Issue 18, item 5: escalating penalties — repeated rejections for insults ban the author automatically,
one step further each time; the author is told, moderators can undo a penalty from its card."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.callbacks import Action, encode
from bot.jalali import fa_digits
from bot.states import CommentStatus
from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from fakegram.world import StoredMessage
from storage.models import Article, Comment, ModerationAction, User
from tests.e2e.harness import Khabar, World
from tests.e2e.test_moderation_cards import card_of, reload
from tests.e2e.test_moderation_publish import notes_to
from tests.e2e.test_moderation_tools import command
from tests.moderation import factory

S = CommentStatus
INSULT, OFF_TOPIC = 0, 2  # indexes of the reasons on the card
PENALTY = "جریمهٔ خودکار"
pytestmark = pytest.mark.khabar_settings(penalty_rejections="2", penalty_window_days="7",
                                         penalty_reasons="insult,accusation", penalty_steps="1,7,0")


async def reject(fake: FakeTelegram, world: World, khabar: Khabar, comment: Comment, reason: int) -> str:
    """A moderator rejects the comment from its card (the reasons menu, then a reason); the toast."""
    await khabar.settle()
    card = card_of(fake, world, comment.id)
    mod = world.moderators[0]
    await (await mod.press(card, encode(Action.REJECT_MENU, comment.id))).wait_answered(60)
    wanted = encode(Action.REJECT, comment.id, reason)
    await fake.wait_for("editMessageText", lambda c: c.params.get("message_id") == card.message_id
                        and wanted in str(c.params.get("reply_markup")), timeout=60)
    handle = await (await mod.press(card, wanted)).wait_answered(60)
    await khabar.settle()
    return handle.text or ""


async def banned_until(khabar: Khabar, user: FakeUser) -> datetime | None:
    async with khabar.db.transaction() as session:
        row = await session.get(User, user.id, populate_existing=True)
        assert row is not None
        return row.banned_until


async def penalty_cards(fake: FakeTelegram, world: World) -> list[StoredMessage]:
    return [m for m in fake.bot_messages(world.mods_chat) if PENALTY in (m.text or "")]


async def written(khabar: Khabar, art: Article, author: FakeUser, n: int) -> list[Comment]:
    return [await factory.pending(khabar.deps, art, author.id, f"نظر شمارهٔ {k} دربارهٔ نان") for k in range(n)]


async def test_the_ladder_bans_one_step_further_each_time_and_a_moderator_can_undo(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    art = await factory.article(khabar.db)
    troll = await factory.reader(fake, khabar.db, "مزاحم", "troll")
    first, other_reason, second, waiting = await written(khabar, art, troll, 4)
    assert "⚖️" not in await reject(fake, world, khabar, first, INSULT)
    [probe] = await written(khabar, art, troll, 1)  # a card sent now shows where the author stands
    await khabar.settle()
    assert "⚖️ ۱ از ۲ ردِ اتهام، توهین در ۷ روز؛ پلهٔ بعد (۱): مسدود ۱ روز" in (card_of(fake, world, probe.id).text or "")
    assert "⚖️" not in await reject(fake, world, khabar, other_reason, OFF_TOPIC)  # not a counted reason
    assert await banned_until(khabar, troll) is None
    toast = await reject(fake, world, khabar, second, INSULT)
    assert f"⚖️ نویسنده {fa_digits(1)} روز مسدود شد (پلهٔ {fa_digits(1)})" in toast
    until = await banned_until(khabar, troll)
    assert until is not None and timedelta(hours=23) < until - khabar.clock() <= timedelta(days=1)
    assert (await reload(khabar, waiting.id)).status == S.REJECTED.value  # the ban closes what still waited
    await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(troll.id)
                        and "⚖️" in c.params.get("text", ""), timeout=60)
    told = notes_to(fake, troll.id, "⚖️")
    assert len(told) == 1 and f"{fa_digits(2)} نظر شما" in told[0] and "توهین" in told[0] and "پلهٔ ۱" in told[0]
    assert "۷ روز" in told[0]  # the next step, said in advance
    await khabar.settle()
    # One message about the ban, not the ban notice and the ladder's sentence apart; it names what the ban closed.
    assert notes_to(fake, troll.id, "بسته شد") == told and "منتشر نمی‌شود" in told[0]
    [card] = await penalty_cards(fake, world)
    assert "مزاحم" in (card.text or "") and str(troll.id) in (card.text or "")

    undo = encode(Action.PENALTY_UNDO, int(card.buttons()[0]["callback_data"].rsplit(":", 1)[1]))
    refused = await (await world.outsider.press(card, undo)).wait_answered(60)
    assert "فقط" in (refused.text or "") and await banned_until(khabar, troll) is not None
    done = await (await world.moderators[1].press(card, undo)).wait_answered(60)
    assert "لغو شد" in (done.text or "")
    await fake.wait_for("editMessageText", lambda c: "جریمه لغو شد" in c.params.get("text", ""), timeout=60)
    assert await banned_until(khabar, troll) is None
    assert "مدیر دو" in (fake.resolve_message(card).text or "") and not fake.resolve_message(card).buttons()

    # An undone penalty does not count: the next two insults give step 1 again; two more, after that
    # ban is over, step 2 (seven days).
    khabar.clock.advance(60)
    one, two = await written(khabar, art, troll, 2)
    await reject(fake, world, khabar, one, INSULT)
    assert f"{fa_digits(1)} روز مسدود شد (پلهٔ {fa_digits(1)})" in await reject(fake, world, khabar, two, INSULT)
    khabar.clock.advance(int(timedelta(days=1, minutes=1).total_seconds()))
    three, four = await written(khabar, art, troll, 2)
    await khabar.settle()
    assert "پلهٔ بعد (۲): مسدود ۷ روز · جریمه‌های پیشین: ۱" in (card_of(fake, world, three.id).text or "")
    assert "⚖️" not in await reject(fake, world, khabar, three, INSULT)  # rejections before the penalty were paid for
    assert f"{fa_digits(7)} روز مسدود شد (پلهٔ {fa_digits(2)})" in await reject(fake, world, khabar, four, INSULT)
    stats = await command(fake, world, "/stats", "آمار")
    assert f"⚖️ جریمه‌های خودکار: {fa_digits(3)} · لغوشده: {fa_digits(1)}" in stats


async def test_unban_of_a_penalised_author_undoes_the_penalty(fake: FakeTelegram, world: World,
                                                              khabar: Khabar) -> None:
    art = await factory.article(khabar.db)
    troll = await factory.reader(fake, khabar.db, "مزاحم", "troll")
    first, second = await written(khabar, art, troll, 2)
    await reject(fake, world, khabar, first, INSULT)
    assert f"(پلهٔ {fa_digits(1)})" in await reject(fake, world, khabar, second, INSULT)
    assert await banned_until(khabar, troll) is not None
    await khabar.settle()
    khabar.clock.advance(khabar.settings.undo_window_seconds + 60)  # later: a message of its own says it is over
    await command(fake, world, f"/unban {troll.id}", "دیگر مسدود نیست")
    assert await banned_until(khabar, troll) is None
    await khabar.settle()
    lifted = notes_to(fake, troll.id, "محدودیت برداشته شد")
    assert lifted  # the author's last word: they may write again

    # The penalty lifted by /unban is no step of the ladder: two more insults give step 1 again.
    khabar.clock.advance(60)
    one, two = await written(khabar, art, troll, 2)
    await reject(fake, world, khabar, one, INSULT)
    assert f"{fa_digits(1)} روز مسدود شد (پلهٔ {fa_digits(1)})" in await reject(fake, world, khabar, two, INSULT)
    stats = await command(fake, world, "/stats", "آمار")
    assert f"⚖️ جریمه‌های خودکار: {fa_digits(2)} · لغوشده: {fa_digits(1)}" in stats
    # A ban of the moderators' own is not a penalty: /unban of it undoes none.
    khabar.clock.advance(int(timedelta(days=2).total_seconds()))
    await command(fake, world, f"/ban {troll.id} 3", "مسدود شد؛")
    await command(fake, world, f"/unban {troll.id}", "دیگر مسدود نیست")
    stats = await command(fake, world, "/stats", "آمار")
    assert f"لغوشده: {fa_digits(1)}" in stats


async def test_two_rejections_at_once_give_one_penalty(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    # Two moderators reject the author's two insults in the same instant: the ladder's step is taken once
    # (on PostgreSQL both checks would otherwise read the author unbanned and ban twice).
    art = await factory.article(khabar.db)
    troll = await factory.reader(fake, khabar.db, "مزاحم", "troll")
    first, second = await written(khabar, art, troll, 2)
    await khabar.settle()
    presses = []
    for mod, comment in zip(world.moderators, (first, second), strict=False):
        card = card_of(fake, world, comment.id)
        await (await mod.press(card, encode(Action.REJECT_MENU, comment.id))).wait_answered(60)
        wanted = encode(Action.REJECT, comment.id, INSULT)
        await fake.wait_for("editMessageText", lambda c, card=card, wanted=wanted: c.params.get("message_id") == card.message_id
                            and wanted in str(c.params.get("reply_markup")), timeout=60)
        presses.append((mod, card, wanted))
    handles = await asyncio.gather(*(mod.press(card, wanted) for mod, card, wanted in presses))
    await asyncio.gather(*(h.wait_answered(60) for h in handles))
    await khabar.settle()
    assert [(await reload(khabar, c.id)).status for c in (first, second)] == ["rejected", "rejected"]
    async with khabar.db.transaction() as session:
        count = (await session.execute(select(func.count()).where(ModerationAction.action == "penalty"))).scalar_one()
    assert count == 1
    assert len(await penalty_cards(fake, world)) == 1
    assert await banned_until(khabar, troll) is not None
