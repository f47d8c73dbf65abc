"""The periodic purge: finished outbox rows and expired captchas go after 48 hours; nothing still
needed goes, and the bot works the same afterwards."""

from __future__ import annotations

from sqlalchemy import func, select

from bot import retention
from bot.intake import service_captcha
from fakegram.control import FakeTelegram
from storage.models import Captcha, Comment, Delivery, User
from tests.e2e.driver import approve, find_card, send_comment, solve_captcha, start_payload
from tests.e2e.harness import Khabar, World
from tests.e2e.publishing_helpers import TRAFFIC, channel_posts, queue_article

DECIDED = "ترافیک میدان آزادی هر روز بدتر می‌شود و خط مترو باید زودتر تکمیل شود."
WAITING = "به نظر من تکمیل خط مترو تنها راه کم شدن ترافیک میدان آزادی است."
ABANDONED = "ترافیک میدان آزادی را فقط مترو حل می‌کند، نه پل‌های تازه."
LATER = "کاش شهرداری دربارهٔ ترافیک میدان آزادی زودتر تصمیم بگیرد."


async def count(khabar: Khabar, model: type[Delivery] | type[Captcha], *where: object) -> int:
    async with khabar.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model).where(*where)) or 0)  # type: ignore[arg-type]


async def comment_of(khabar: Khabar, text: str) -> Comment:
    async with khabar.db.transaction() as session:
        return (await session.execute(select(Comment).where(Comment.text == text))).scalar_one()


async def settled_card(khabar: Khabar, fake: FakeTelegram, world: World, text: str) -> object:
    for _ in range(100):
        await khabar.settle()
        card = find_card(fake, world.mods_chat, text)
        if card is not None:
            return card
    raise AssertionError(f"no card for {text!r}")


async def test_the_purge_removes_finished_rows_after_48_hours_and_keeps_what_is_still_needed(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    await queue_article(khabar, TRAFFIC)
    await khabar.settle()
    (post,) = channel_posts(fake, world)
    payload = start_payload(post)
    # One comment decided and published, one waiting for a moderator, one whose captcha was abandoned.
    sara, kaveh, nima, leila = (fake.make_user(n) for n in ("سارا", "کاوه", "نیما", "لیلا"))
    await solve_captcha(fake, sara, await send_comment(fake, sara, payload, DECIDED, timeout=30), timeout=30)
    await solve_captcha(fake, kaveh, await send_comment(fake, kaveh, payload, WAITING, timeout=30), timeout=30)
    await send_comment(fake, nima, payload, ABANDONED, timeout=30)
    card = await settled_card(khabar, fake, world, DECIDED)
    await approve(fake, world.moderators[0], card)  # type: ignore[arg-type]
    khabar.clock.advance(khabar.settings.undo_window_seconds + 1)
    for _ in range(100):
        await khabar.settle()
        if any(DECIDED[:20] in (m.text or "") for m in fake.bot_messages(world.group)):
            break
    await settled_card(khabar, fake, world, WAITING)
    decided, waiting = await comment_of(khabar, DECIDED), await comment_of(khabar, WAITING)
    assert await service_captcha.sweep(khabar.deps) == 1  # nima's captcha expired (its note is sent)
    await khabar.settle()

    assert (await retention.purge(khabar.deps)).deliveries == 0  # nothing is 48 hours old yet
    assert await count(khabar, Captcha) == 3
    rows_before = await count(khabar, Delivery)
    khabar.clock.advance(49 * 3600)
    purged = await retention.purge(khabar.deps)

    assert purged.deliveries > 0 and purged.captchas == 3  # sara's, kaveh's (solved) and nima's (expired)
    assert await count(khabar, Captcha) == 0
    assert await count(khabar, Delivery, Delivery.comment_id == decided.id) == 0
    assert await count(khabar, Delivery, Delivery.comment_id == waiting.id) > 0  # still waiting: its card rows stay
    assert await count(khabar, Delivery) < rows_before
    async with khabar.db.transaction() as session:
        drafts = await session.scalar(select(func.count()).select_from(User).where(User.draft_expires_at.is_not(None)))
        assert drafts == 0  # the readers' drafts lapsed an hour after their comments
        assert await session.scalar(select(func.count()).select_from(Comment)) == 3  # the data stays
    assert (await retention.purge(khabar.deps)).total == 0  # idempotent: a second run finds nothing

    # Afterwards the bot works as before: the waiting card is still decided once, a new comment goes through.
    before = len(fake.bot_messages(world.mods_chat))
    await approve(fake, world.moderators[0], find_card(fake, world.mods_chat, WAITING))  # type: ignore[arg-type]
    await solve_captcha(fake, leila, await send_comment(fake, leila, payload, LATER, timeout=30), timeout=30)
    await settled_card(khabar, fake, world, LATER)
    khabar.clock.advance(khabar.settings.undo_window_seconds + 1)
    for _ in range(100):
        await khabar.settle()
        if any(WAITING[:20] in (m.text or "") for m in fake.bot_messages(world.group)):
            break
    published = [m.text or "" for m in fake.bot_messages(world.group)]
    assert sum(DECIDED[:20] in t for t in published) == 1
    assert sum(WAITING[:20] in t for t in published) == 1
    assert len(fake.bot_messages(world.mods_chat)) >= before  # no card lost
    assert sum(find_card(fake, world.mods_chat, t) is not None for t in (DECIDED, WAITING)) == 0
