"""Issue 18, item 3: readers report published comments from the bot's article view; enough distinct
reporters send the comment back to the moderators as a card (keep / remove)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.callbacks import Action, encode
from bot.jalali import fa_digits
from bot.states import CommentStatus
from fakegram.actors import CallbackHandle, FakeUser, _callback_ids
from fakegram.control import FakeTelegram
from fakegram.world import StoredMessage
from storage.models import Article, Comment, CommentReport, ModerationAction, ReportReview
from tests.e2e.harness import Khabar, World
from tests.e2e.test_intake_support import sent_to
from tests.e2e.test_moderation_cards import reload
from tests.e2e.test_moderation_publish import approve, discussed_article, notes_to
from tests.e2e.test_moderation_tools import command
from tests.moderation import factory

S = CommentStatus
REVIEW = "نظر منتشرشده گزارش شد"
pytestmark = pytest.mark.khabar_settings(reports_to_review="2", reports_per_hour="3")


async def view_of(fake: FakeTelegram, reader: FakeUser, art: Article) -> StoredMessage:
    """The reader opens the article in the bot (its deep link): the view message."""
    await reader.start_bot(f"a-{art.token}")
    return fake.resolve_message((await sent_to(fake, reader, "🗓")).result)


async def press(fake: FakeTelegram, reader: FakeUser, message: StoredMessage, text: str) -> str | None:
    """Press the button labelled ``text`` on ``message`` (as it is now); the toast or alert."""
    current = fake.resolve_message(message)
    data = next(b["callback_data"] for b in current.buttons() if b.get("text") == text)
    return (await (await reader.press(current, data)).wait_answered(60)).text


async def report(fake: FakeTelegram, reader: FakeUser, art: Article, n: int, reason: str) -> str | None:
    """From the article view: «🚩 گزارش» → comment ``n`` → ``reason``; the answer the reader gets."""
    view = await view_of(fake, reader, art)
    await press(fake, reader, view, "🚩 گزارش")
    await press(fake, reader, view, f"🚩 {fa_digits(n)}")
    return await press(fake, reader, view, reason)


async def reviews(khabar: Khabar) -> list[ReportReview]:
    async with khabar.db.transaction() as session:
        return list((await session.execute(select(ReportReview).order_by(ReportReview.id))).scalars())


def review_cards(fake: FakeTelegram, world: World) -> list[StoredMessage]:
    return [m for m in fake.bot_messages(world.mods_chat) if REVIEW in (m.text or "")]


async def published(fake: FakeTelegram, world: World, khabar: Khabar, texts: list[str],
                    author: FakeUser | None = None) -> tuple[Article, list[Comment]]:
    art, _ = await discussed_article(fake, world, khabar)
    author = author or await factory.reader(fake, khabar.db, "نویسنده", "writer")
    made = [await factory.pending(khabar.deps, art, author.id, text) for text in texts]
    for comment in made:
        await approve(fake, world, khabar, comment)
    return art, made


def no_preview(params: dict[str, Any]) -> bool:
    """Whether a sendMessage/editMessageText call disabled the link preview."""
    options = params.get("link_preview_options")
    if isinstance(options, str):
        options = json.loads(options)
    return isinstance(options, dict) and options.get("is_disabled") is True


async def test_enough_distinct_readers_send_a_comment_back_and_a_moderator_removes_it(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    art, (good, bad) = await published(fake, world, khabar, ["نظری آرام دربارهٔ نان", "نظری زننده دربارهٔ نان"])
    copy_id = (await reload(khabar, bad.id)).thread_message_id
    readers = [await factory.reader(fake, khabar.db, name) for name in ("یک", "دو", "سه")]

    view = await view_of(fake, readers[0], art)
    await press(fake, readers[0], view, "🚩 گزارش")
    which = fake.resolve_message(view)
    assert "کدام نظر" in (which.text or "")
    assert {b["text"] for b in which.buttons()} >= {"🚩 ۱", "🚩 ۲", "↪️ بازگشت"}
    await press(fake, readers[0], view, "🚩 ۲")
    why = fake.resolve_message(view)
    assert "نظر ۲" in (why.text or "") and "زننده" in (why.text or "") and "نویسنده" in (why.text or "")
    thanks = await press(fake, readers[0], view, "توهین")
    assert thanks is not None and "ثبت شد" in thanks
    assert "🗓" in (fake.resolve_message(view).text or "")  # back to the article view
    assert await report(fake, readers[0], art, 2, "اتهام") == "این نظر را پیش‌تر گزارش کرده‌اید."
    await khabar.settle()
    assert review_cards(fake, world) == []  # one reader is not enough

    assert "ثبت شد" in (await report(fake, readers[1], art, 2, "اتهام") or "")
    await khabar.settle()
    card = await fake.wait_for("sendMessage", lambda c: REVIEW in c.params.get("text", ""))
    text = card.params["text"]
    assert bad.token in text and "زننده" in text and "نویسنده" in text and "توهین ۱" in text and "اتهام ۱" in text
    assert f"{fa_digits(2)} خواننده" in text
    assert "ثبت شد" in (await report(fake, readers[2], art, 2, "سایر") or "")  # joins the open review
    await khabar.settle()
    assert len(review_cards(fake, world)) == 1
    [review] = await reviews(khabar)
    assert review.comment_id == bad.id and review.status == "open"

    message = review_cards(fake, world)[0]
    remove = encode(Action.REPORT_REMOVE, review.id)
    refused = await (await world.outsider.press(message, remove)).wait_answered(60)
    assert "فقط" in (refused.text or "")
    assert (await reload(khabar, bad.id)).status == S.APPROVED.value
    done = await (await world.moderators[1].press(message, remove)).wait_answered(60)
    assert done.text == "نظر حذف شد."
    decided = await fake.wait_for("editMessageText", lambda c: "🗑 حذف شد" in c.params.get("text", ""))
    assert no_preview(decided.params)  # as the card was sent: an edit without it would show the article's preview
    await khabar.settle()
    edited = fake.resolve_message(message)
    assert "🗑 حذف شد" in (edited.text or "") and "مدیر دو" in (edited.text or "") and not edited.buttons()
    assert (await reload(khabar, bad.id)).status == S.REMOVED.value
    assert (await reload(khabar, good.id)).status == S.APPROVED.value
    assert copy_id is not None and world.group.messages[copy_id].deleted
    assert len(notes_to(fake, bad.author_id, "به تشخیص مدیران حذف شد")) == 1
    async with khabar.db.transaction() as session:
        actions = list((await session.execute(select(ModerationAction.action, ModerationAction.details)
                                              .where(ModerationAction.comment_id == bad.id))).all())
    kinds = [a for a, _ in actions]
    assert kinds.count("report_review") == 1 and kinds.count("remove") == 1 and "report_keep" not in kinds
    assert any(d.get("review_id") == review.id for a, d in actions if a == "remove")
    stats = await command(fake, world, "/stats", "آمار")
    assert f"🚩 گزارش خوانندگان: {fa_digits(3)} · بازگشت به مدیران: {fa_digits(1)}" in stats
    assert f"حذف: {fa_digits(1)}" in stats


async def test_kept_comments_stay_and_come_back_only_for_new_readers(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    art, (comment,) = await published(fake, world, khabar, ["نظری بحث‌برانگیز دربارهٔ نان"])
    readers = [await factory.reader(fake, khabar.db, f"خواننده {n}") for n in range(4)]
    for reader in readers[:2]:
        await report(fake, reader, art, 1, "نامرتبط")
    await khabar.settle()
    [review] = await reviews(khabar)
    message = review_cards(fake, world)[0]
    kept = await (await world.moderators[0].press(message, encode(Action.REPORT_KEEP, review.id))).wait_answered(60)
    assert kept.text == "نظر ماند."
    decided = await fake.wait_for("editMessageText", lambda c: "✅ ماند" in c.params.get("text", ""))
    assert no_preview(decided.params)
    edited = fake.resolve_message(message)
    assert "✅ ماند" in (edited.text or "") and "مدیر یک" in (edited.text or "") and not edited.buttons()
    assert (await reload(khabar, comment.id)).status == S.APPROVED.value

    await report(fake, readers[0], art, 1, "توهین")  # already reported: changes nothing
    await report(fake, readers[2], art, 1, "توهین")
    await khabar.settle()
    assert len(await reviews(khabar)) == 1  # one new reader is not enough
    await report(fake, readers[3], art, 1, "توهین")
    await khabar.settle()
    first, second = await reviews(khabar)
    assert first.status == "kept" and second.status == "open" and second.round == 2
    await fake.wait_for("sendMessage", lambda c: REVIEW in c.params.get("text", "") and "توهین ۲" in c.params["text"])


async def test_authors_and_banned_readers_do_not_count_and_reporters_are_rate_limited(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    writer = await factory.reader(fake, khabar.db, "نویسنده", "writer")
    art, _ = await published(fake, world, khabar, [f"نظر شمارهٔ {n} دربارهٔ نان" for n in range(1, 6)], writer)
    assert await report(fake, writer, art, 1, "توهین") == "نظر خودتان را نمی‌توانید گزارش کنید."

    banned = await factory.reader(fake, khabar.db, "مسدود")
    await factory.user(khabar.db, banned.id, "مسدود", banned_until=khabar.clock() + timedelta(days=3))
    honest = await factory.reader(fake, khabar.db, "درستکار")
    assert "ثبت شد" in (await report(fake, banned, art, 1, "توهین") or "")  # told the same, counted not
    assert "ثبت شد" in (await report(fake, honest, art, 1, "توهین") or "")
    await khabar.settle()
    assert review_cards(fake, world) == [] and await reviews(khabar) == []
    async with khabar.db.transaction() as session:
        rows = list((await session.execute(select(CommentReport).order_by(CommentReport.id))).scalars())
    assert [(r.reporter_id, r.counted) for r in rows] == [(banned.id, False), (honest.id, True)]

    busy = await factory.reader(fake, khabar.db, "پرکار")
    for n in (1, 2, 3):
        assert "ثبت شد" in (await report(fake, busy, art, n, "تبلیغ یا هرزنامه") or "")
    refused = await report(fake, busy, art, 4, "تبلیغ یا هرزنامه")
    assert refused is not None and f"بیش از {fa_digits(3)} گزارش" in refused
    khabar.clock.advance(3601)  # an hour later the reader may report again
    assert "ثبت شد" in (await report(fake, busy, art, 4, "تبلیغ یا هرزنامه") or "")


async def test_closed_articles_can_still_be_reported(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    art, _ = await published(fake, world, khabar, ["نظری دربارهٔ نان"])
    await command(fake, world, f"/close {art.id}", "بسته شد")
    reader = await factory.reader(fake, khabar.db, "خواننده")
    view = await view_of(fake, reader, art)
    labels = [b["text"] for b in view.buttons()]
    assert "🚩 گزارش" in labels and not any("ثبت نظر" in label for label in labels)
    assert "ثبت شد" in (await report(fake, reader, art, 1, "اتهام") or "")


async def test_forged_report_and_review_presses_change_nothing(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    from tests.e2e import hostile_cases as h

    art, (comment,) = await published(fake, world, khabar, ["نظری دربارهٔ نان"])
    reader = await factory.reader(fake, khabar.db, "خواننده")
    view = await view_of(fake, reader, art)
    forged = [encode(Action.REPORT, 987654321, 0, 0), encode(Action.REPORT, comment.id, 99, 0),
              encode(Action.REPORT_PICK, 987654321, 0), encode(Action.REPORT_MENU, 987654321, 0)]
    for data in forged:
        handle = await h.forge_press(fake, reader, view, data).wait_answered(60)
        assert handle.text in ("این نظر دیگر منتشرشده نیست.", None), (data, handle.text)
    # A reader pressing moderators' buttons on their own chat's message: refused.
    for data in (encode(Action.REPORT_KEEP, 1), encode(Action.REPORT_REMOVE, 1), encode(Action.FIGURES, comment.id),
                 encode(Action.PENALTY_UNDO, 1)):
        handle = await h.forge_press(fake, reader, view, data).wait_answered(60)
        assert "فقط" in (handle.text or ""), data
    card = fake.bot_messages(world.mods_chat)[-1]
    for data in (encode(Action.REPORT_KEEP, 424242), encode(Action.PENALTY_UNDO, 424242)):
        handle = await h.forge_press(fake, world.moderators[0], card, data).wait_answered(60)
        assert "پیش‌تر" in (handle.text or ""), data
    assert (await reload(khabar, comment.id)).status == S.APPROVED.value
    async with khabar.db.transaction() as session:
        assert list((await session.execute(select(CommentReport))).scalars()) == []


async def test_a_press_on_an_inaccessible_card_says_the_button_is_old(fake: FakeTelegram, world: World,
                                                                     khabar: Khabar) -> None:
    await published(fake, world, khabar, ["نظری دربارهٔ نان"])
    card = fake.bot_messages(world.mods_chat)[-1]
    for who in (world.moderators[0], world.outsider):
        handle = CallbackHandle(str(next(_callback_ids)), who.user, card, encode(Action.REPORT_KEEP, 1),
                                fake.clock.now())
        fake.callbacks[handle.id] = handle
        fake.updates.push("callback_query", {  # Bot API: an InaccessibleMessage has date 0
            "id": handle.id, "from": who.to_dict(), "chat_instance": "1",
            "message": {"message_id": card.message_id, "chat": card.chat.to_dict(), "date": 0},
            "data": handle.data,
        })
        await handle.wait_answered(60)
        if who is world.outsider:
            assert handle.text == "این کار فقط برای مدیران مجاز است."
        else:
            assert handle.text == "این دکمه دیگر معتبر نیست."
    assert await reviews(khabar) == []
