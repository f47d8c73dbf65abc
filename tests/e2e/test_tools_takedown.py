"""Issue 18, item 4: a moderator takes a published comment down at any time with /remove."""

from __future__ import annotations

from sqlalchemy import select

from bot.jalali import fa_digits
from bot.states import CommentStatus
from bot.website import identity
from fakegram.control import FakeTelegram
from storage.models import Article, ModerationAction, User
from tests.e2e.harness import Khabar, World
from tests.e2e.test_intake_support import sent_to
from tests.e2e.test_moderation_cards import reload
from tests.e2e.test_moderation_publish import approve, discussed_article, notes_to
from tests.e2e.test_moderation_tools import command
from tests.moderation import factory

S = CommentStatus
REMOVED_NOTE = "که منتشر شده بود، به تشخیص مدیران حذف شد"


async def removals(khabar: Khabar) -> list[ModerationAction]:
    async with khabar.db.transaction() as session:
        stmt = select(ModerationAction).where(ModerationAction.action == "remove").order_by(ModerationAction.id)
        return list((await session.execute(stmt)).scalars())


async def test_a_fresh_comment_is_deleted_from_the_thread_the_view_and_the_count(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    art, _ = await discussed_article(fake, world, khabar)
    alice = await factory.reader(fake, khabar.db, "آلیس", "alice")
    bob = await factory.reader(fake, khabar.db, "باب", "bob")
    kept = await factory.pending(khabar.deps, art, bob.id, "نظری که می‌ماند دربارهٔ نان")
    bad = await factory.pending(khabar.deps, art, alice.id, "نظری که بعدها حذف می‌شود دربارهٔ نان")
    await approve(fake, world, khabar, kept)
    await approve(fake, world, khabar, bad)
    copy_id = (await reload(khabar, bad.id)).thread_message_id
    assert copy_id is not None and not world.group.messages[copy_id].deleted
    khabar.clock.advance(khabar.settings.undo_window_seconds + 60)  # the undo window is over

    answer = await command(fake, world, f"/remove {bad.token}", "حذف شد")
    assert bad.token in answer and "آلیس" in answer and "پاک می‌شود" in answer
    await khabar.settle()
    assert world.group.messages[copy_id].deleted
    row = await reload(khabar, bad.id)
    assert row.status == S.REMOVED.value and row.moderator_id == world.moderators[0].id
    async with khabar.db.transaction() as session:
        article = await session.get(Article, art.id)
        author = await session.get(User, alice.id)
    assert article is not None and article.approved_count == 1
    assert author is not None and author.approved_count == 0
    told = notes_to(fake, alice.id, REMOVED_NOTE)
    assert len(told) == 1 and "نان" in told[0]

    await alice.start_bot(f"a-{art.token}")  # the bot's view lists only what stays
    view = await sent_to(fake, alice, "🗓")
    assert "نظری که می‌ماند" in view.params["text"] and "بعدها حذف" not in view.params["text"]
    await alice.send("/my")
    mine = await sent_to(fake, alice, "حذف شده")
    assert "🗑" in mine.params["text"]

    again = await command(fake, world, f"/remove {bad.token}", "پیش‌تر حذف")
    assert bad.token in again
    actions = await removals(khabar)
    assert len(actions) == 1 and actions[0].comment_id == bad.id and actions[0].details["thread"] == "deleted"
    assert len(notes_to(fake, alice.id, REMOVED_NOTE)) == 1  # told once
    stats = await command(fake, world, "/stats", "آمار")
    assert f"🗑 حذف نظر منتشرشده: {fa_digits(1)}" in stats


async def test_an_old_comment_is_edited_in_the_thread(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    art, _ = await discussed_article(fake, world, khabar)
    alice = await factory.reader(fake, khabar.db, "آلیس", "alice")
    old = await factory.pending(khabar.deps, art, alice.id, "نظر قدیمی دربارهٔ نان")
    await approve(fake, world, khabar, old)
    copy_id = (await reload(khabar, old.id)).thread_message_id
    assert copy_id is not None
    khabar.clock.advance(49 * 3600)  # past Telegram's 48 hours for deleting
    answer = await command(fake, world, f"/remove {old.token}", "حذف شد")
    assert "۴۸ ساعت" in answer
    await khabar.settle()
    message = world.group.messages[copy_id]
    assert not message.deleted and message.text == "این نظر به تشخیص مدیران حذف شد"
    assert (await reload(khabar, old.id)).status == S.REMOVED.value
    assert (await removals(khabar))[0].details["thread"] == "edited"
    assert len(notes_to(fake, alice.id, REMOVED_NOTE)) == 1


async def test_only_published_comments_by_moderators(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    art = await factory.article(khabar.db)
    alice = await factory.reader(fake, khabar.db, "آلیس", "alice")
    waiting = await factory.pending(khabar.deps, art, alice.id, "نظری در صف دربارهٔ نان")
    await khabar.settle()
    answer = await command(fake, world, f"/remove {waiting.token}", "منتشر نشده")
    assert "در انتظار بررسی" in answer
    assert (await reload(khabar, waiting.id)).status == S.PENDING.value
    assert "پیدا نشد" in await command(fake, world, "/remove <i>x</i>", "پیدا نشد")
    assert "کاربرد" in await command(fake, world, "/remove", "کاربرد")
    await world.outsider.send(world.mods_chat, f"/remove {waiting.token}")
    await fake.wait_for("sendMessage", lambda c: "فقط برای مدیران" in c.params.get("text", ""))
    assert await removals(khabar) == []


async def test_banning_offers_to_remove_the_authors_published_comments(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    art, _ = await discussed_article(fake, world, khabar)
    troll = await factory.reader(fake, khabar.db, "مزاحم", "troll")
    other = await factory.reader(fake, khabar.db, "باب", "bob")
    mine = [await factory.pending(khabar.deps, art, troll.id, f"نظر شمارهٔ {n} دربارهٔ نان") for n in (1, 2)]
    theirs = await factory.pending(khabar.deps, art, other.id, "نظر دیگری دربارهٔ نان")
    for comment in [*mine, theirs]:
        await approve(fake, world, khabar, comment)
    copies = [(await reload(khabar, c.id)).thread_message_id for c in mine]

    await world.moderators[0].send(world.mods_chat, f"/ban {troll.id} 7")
    offer = await fake.wait_for("sendMessage", lambda c: "نظر منتشرشده دارد" in c.params.get("text", ""))
    assert f"{fa_digits(2)} نظر منتشرشده" in offer.params["text"] and "مزاحم" in offer.params["text"]
    message = fake.resolve_message(offer.result)
    data = next(b["callback_data"] for b in message.buttons() if "🗑" in b.get("text", ""))

    refused = await world.outsider.press(message, data)  # not a moderator: nothing happens
    await refused.wait_answered()
    assert [(await reload(khabar, c.id)).status for c in mine] == [S.APPROVED.value] * 2

    handle = await world.moderators[1].press(message, data)
    await handle.wait_answered()
    await khabar.settle()
    edited = fake.resolve_message(offer.result)
    assert "حذف شد" in (edited.text or "") and "مدیر دو" in (edited.text or "") and not edited.buttons()
    for comment, copy_id in zip(mine, copies, strict=True):
        assert (await reload(khabar, comment.id)).status == S.REMOVED.value
        assert copy_id is not None and world.group.messages[copy_id].deleted
    assert (await reload(khabar, theirs.id)).status == S.APPROVED.value
    async with khabar.db.transaction() as session:
        article = await session.get(Article, art.id)
    assert article is not None and article.approved_count == 1
    assert len(notes_to(fake, troll.id, REMOVED_NOTE)) == 2
    actions = await removals(khabar)
    assert len(actions) == 2 and all(a.details.get("purge") for a in actions)
    assert "ندارد" in await command(fake, world, f"/purge {troll.id}", "ندارد")
    await world.moderators[0].send(world.mods_chat, f"/ban {other.id} 0")  # refused by /ban: nothing offered
    await fake.wait_for("sendMessage", lambda c: "کاربرد" in c.params.get("text", ""))
    await command(fake, world, "/stats", "آمار")  # handled after that /ban's update, offer step included
    assert not [r for r in fake.calls_of("sendMessage") if "باب" in r.params.get("text", "") and "دارد" in r.params.get("text", "")]


async def test_purge_counts_first(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    art = await factory.article(khabar.db)
    alice = await factory.reader(fake, khabar.db, "آلیس", "alice")
    await approve(fake, world, khabar, await factory.pending(khabar.deps, art, alice.id, "نظری دربارهٔ نان"))
    answer = await command(fake, world, f"/purge {fa_digits(alice.id)}", "نظر منتشرشده دارد")
    assert f"{fa_digits(1)} نظر منتشرشده" in answer
    assert await removals(khabar) == []  # nothing removed before the button is pressed
    assert "کاربرد" in await command(fake, world, "/purge", "کاربرد")
    assert "پیدا نشد" in await command(fake, world, "/purge 123456", "پیدا نشد")


async def test_purge_of_a_website_author_whose_id_is_negative(fake: FakeTelegram, world: World,
                                                              khabar: Khabar) -> None:
    art, _ = await discussed_article(fake, world, khabar)
    web_id = identity.user_id("web-author-for-purge")
    assert web_id < 0
    await factory.user(khabar.db, web_id, "نویسندهٔ وبگاه", started=False)
    made = [await factory.pending(khabar.deps, art, web_id, f"نظر وبگاهی شمارهٔ {n} دربارهٔ نان", source="web",
                                  web_author="نویسندهٔ وبگاه", web_address="a" * 32) for n in (1, 2)]
    for comment in made:
        await approve(fake, world, khabar, comment)
    assert [(await reload(khabar, c.id)).status for c in made] == [S.APPROVED.value] * 2

    await world.moderators[0].send(world.mods_chat, f"/purge {fa_digits(web_id)}")
    offer = await fake.wait_for("sendMessage", lambda c: "نظر منتشرشده دارد" in c.params.get("text", ""))
    assert f"{fa_digits(2)} نظر منتشرشده" in offer.params["text"]
    message = fake.resolve_message(offer.result)
    data = next(b["callback_data"] for b in message.buttons() if "🗑" in b.get("text", ""))
    handle = await world.moderators[0].press(message, data)
    await handle.wait_answered()
    await khabar.settle()
    assert [(await reload(khabar, c.id)).status for c in made] == [S.REMOVED.value] * 2
    edited = fake.resolve_message(offer.result)
    assert "حذف شد" in (edited.text or "") and not edited.buttons()


async def test_remove_by_a_comment_number_in_persian_digits(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    art, _ = await discussed_article(fake, world, khabar)
    alice = await factory.reader(fake, khabar.db, "آلیس", "alice")
    comment = await factory.pending(khabar.deps, art, alice.id, "نظری که با شمارهٔ فارسی حذف می‌شود دربارهٔ نان")
    await approve(fake, world, khabar, comment)
    answer = await command(fake, world, f"/remove {fa_digits(comment.id)}", "حذف شد")
    assert comment.token in answer
    assert (await reload(khabar, comment.id)).status == S.REMOVED.value


async def test_ids_and_days_too_large_or_wrong_get_the_usage(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    alice = await factory.reader(fake, khabar.db, "آلیس", "alice")
    huge = "9" * 20  # no id: answered with the usage, never a database error
    for text in (f"/purge {huge}", f"/unban {huge}", f"/ban {huge}", f"/ban {alice.id} {huge}",
                 f"/ban {alice.id} -3", f"/ban {alice.id} {fa_digits(10**12)}"):
        assert "کاربرد" in await command(fake, world, text, "کاربرد"), text
    async with khabar.db.transaction() as session:
        author = await session.get(User, alice.id)
    assert author is not None and author.banned_until is None
