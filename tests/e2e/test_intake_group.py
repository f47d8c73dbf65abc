"""The discussion-group path: replies under a post are taken down and continued privately."""

from __future__ import annotations

from sqlalchemy import update

from bot.intake import service_captcha
from fakegram.control import FakeTelegram
from fakegram.world import StoredMessage
from storage.models import Comment
from tests.e2e.harness import Khabar, World
from tests.e2e.test_intake_support import (
    COMMENT,
    add_approved,
    answer_typed,
    captcha_for,
    comments_of,
    sent_to,
    status_of,
    thread_article,
    to,
)


async def _captcha_message(fake: FakeTelegram, user_id: int) -> StoredMessage:
    sent = await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(user_id)
                               and "= ؟" in str(c.params.get("text")))
    return fake.chat(user_id).messages[int(sent.response["result"]["message_id"])]


async def test_group_comment_by_a_started_reader_ends_pending(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    article, copy = await thread_article(fake, world, khabar)
    reader = fake.make_user("زهرا", "zahra")
    await reader.start_bot()
    await sent_to(fake, reader, "ثبت نظر")
    mine = await reader.send(world.group, COMMENT, reply_to=copy)
    message = await _captcha_message(fake, reader.id)
    await khabar.settle()
    assert mine.deleted  # pre-moderation: gone from the group at once
    [comment] = await comments_of(khabar, reader)
    assert (comment.source, comment.article_id, comment.parent_id) == ("group", article.id, None)
    assert (comment.origin_chat_id, comment.origin_message_id) == (world.group.id, mine.message_id)
    captcha = await captcha_for(khabar, comment.id)
    await answer_typed(fake, reader, captcha, reply_to=message)
    assert "ثبت شد" in (message.text or "")
    assert await status_of(khabar, comment.id) == "pending"
    assert [m for m in fake.bot_messages(world.group)] == []  # nothing said in the group


async def test_reader_who_never_started_the_bot(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    _, copy = await thread_article(fake, world, khabar)
    reader = fake.make_user("امیر")
    mine = await reader.send(world.group, COMMENT, reply_to=copy)
    note_call = await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(world.group.id))
    await khabar.settle()
    assert mine.deleted
    [comment] = await comments_of(khabar, reader)
    assert comment.status == "awaiting_captcha"
    assert f"start=c-{comment.token}" in str(note_call.params["reply_markup"])
    [note] = fake.bot_messages(world.group)
    assert note.data.get("reply_to_message", {}).get("message_id") == copy.message_id
    await reader.start_bot(f"c-{comment.token}")
    message = await _captcha_message(fake, reader.id)
    captcha = await captcha_for(khabar, comment.id)
    await answer_typed(fake, reader, captcha)
    assert "ثبت شد" in (message.text or "")
    assert await status_of(khabar, comment.id) == "pending"
    # The note goes away about a minute later (a scheduled outbox row, so restarts keep it).
    khabar.clock.advance(61)
    await khabar.settle()
    assert fake.bot_messages(world.group) == []
    # The link cannot be used twice, nor by someone else.
    await reader.start_bot(f"c-{comment.token}")
    await sent_to(fake, reader, "پیش‌تر ثبت شده")


async def test_group_comment_stays_reachable_after_the_note_is_gone(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    """A reader who starts the bot minutes after writing in the group (the note long deleted) finds the
    comment on /start and /my with a continue button, and finishes it."""
    _, copy = await thread_article(fake, world, khabar)
    reader = fake.make_user("امیر")
    await reader.send(world.group, COMMENT, reply_to=copy)
    await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(world.group.id))
    await khabar.settle()
    khabar.clock.advance(600)
    await khabar.settle()
    assert fake.bot_messages(world.group) == []  # the note with its button is gone
    [comment] = await comments_of(khabar, reader)
    await reader.start_bot()
    offer = await sent_to(fake, reader, "منتظر پاسخ به پرسش امنیتی")
    assert "گرانی نان" in offer.params["text"] and f"start=c-{comment.token}" in str(offer.params["reply_markup"])
    await reader.send("/my", entities=[{"type": "bot_command", "offset": 0, "length": 3}])
    listing = await sent_to(fake, reader, "نظرهای اخیر شما")
    assert f"start=c-{comment.token}" in str(listing.params["reply_markup"])
    await reader.start_bot(f"c-{comment.token}")  # what the button opens
    message = await _captcha_message(fake, reader.id)
    await answer_typed(fake, reader, await captcha_for(khabar, comment.id), reply_to=message)
    assert await status_of(khabar, comment.id) == "pending"
    # Done: /start offers nothing unfinished any more.
    await reader.start_bot()
    welcome = await sent_to(fake, reader, "سلام")
    await khabar.settle()
    assert welcome and not any("منتظر پاسخ به پرسش امنیتی" in (m.text or "")
                               for m in fake.bot_messages(reader.private_chat)[-2:])


async def test_reply_to_a_published_comment_in_the_thread(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article, copy = await thread_article(fake, world, khabar)
    parent = await add_approved(khabar, article, fake.make_user("علی"), "نان بربری هم گران شد")
    published = await khabar.app.bot.send_message(world.group.id, "علی: نان بربری هم گران شد",
                                                  reply_to_message_id=copy.message_id)
    async with khabar.db.transaction() as session:
        await session.execute(update(Comment).where(Comment.id == parent.id)
                              .values(thread_message_id=published.message_id))
    reader = fake.make_user("مریم")
    await reader.start_bot()
    await sent_to(fake, reader, "ثبت نظر")
    await reader.send(world.group, "موافقم، نان بربری محله‌ی ما هم گران شده است.",
                      reply_to=world.group.messages[published.message_id])
    await _captcha_message(fake, reader.id)
    [comment] = await comments_of(khabar, reader)
    assert (comment.parent_id, comment.article_id) == (parent.id, article.id)


async def test_newsroom_bots_and_unrelated_messages_are_left_alone(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    _, copy = await thread_article(fake, world, khabar)
    as_channel = await fake.send_as_chat(world.group, world.channel, "توضیح تحریریه", reply_to=copy)
    anonymous = await fake.anonymous_admin_send(world.group, "یادداشت مدیر گروه", reply_to=copy)
    chatter = fake.make_user("گپ‌زن")
    unrelated = await chatter.send(world.group, "سلام به همه")  # not in any article's thread
    await fake.wait_for("getUpdates", timeout=2)
    await khabar.settle()
    assert not (as_channel.deleted or anonymous.deleted or unrelated.deleted)
    assert await comments_of(khabar, chatter) == []


async def test_group_sticker_and_not_persian(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    _, copy = await thread_article(fake, world, khabar)
    reader = fake.make_user("سارا")
    await reader.start_bot()
    await sent_to(fake, reader, "ثبت نظر")
    sticker = await reader.send_sticker(world.group, reply_to=copy)
    private = await sent_to(fake, reader, "فقط نظر متنی")
    assert "در این گفت" not in private.params["text"] and "گفت‌وگوی زیر خبر «افزایش" in private.params["text"]
    stranger = fake.make_user("Tom")
    english = await stranger.send(world.group, "Bread is expensive everywhere these days, sadly.", reply_to=copy)
    note = await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(world.group.id))
    assert "فارسی" in note.params["text"] and "Bread" not in note.params["text"]
    await khabar.settle()
    assert sticker.deleted and english.deleted
    [rejected] = await comments_of(khabar, stranger)
    assert rejected.status == "auto_rejected"
    assert fake.bot_messages(world.mods_chat) == []
    assert not [c for c in fake.calls_of("sendMessage") if to(stranger)(c)]


async def test_unfinished_group_comment_expires(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    _, copy = await thread_article(fake, world, khabar)
    reader = fake.make_user("بی‌حوصله")
    await reader.send(world.group, COMMENT, reply_to=copy)
    await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(world.group.id))
    [comment] = await comments_of(khabar, reader)
    assert await service_captcha.sweep(khabar.deps) == 0
    khabar.clock.advance(khabar.settings.comment_expiry_hours * 3600 + 1)
    assert await service_captcha.sweep(khabar.deps) == 1
    assert await status_of(khabar, comment.id) == "expired"
    await reader.start_bot(f"c-{comment.token}")
    await sent_to(fake, reader, "پیش‌تر ثبت شده")
