"""The stateful world: private chats, channel → discussion auto-forward, threads, edits and deletes."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, ReplyParameters
from telegram.error import BadRequest, Forbidden

from fakegram import FakeTelegram
from fakegram.world import ANONYMOUS_ADMIN_ID, TELEGRAM_ID


async def test_private_chat_needs_start_and_block_is_403(fake: FakeTelegram, fake_bot: Bot) -> None:
    user = fake.make_user("Reza", "reza_n")
    with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
        await fake_bot.send_message(user.id, "hi")
    with pytest.raises(BadRequest, match="Chat not found"):
        await fake_bot.send_message(123456, "hi")
    start = await user.start_bot("post_42")
    assert start.text == "/start post_42"
    assert start.entities == [{"type": "bot_command", "offset": 0, "length": 6}]
    await fake_bot.send_message(user.id, "welcome")
    await user.block_bot()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await fake_bot.send_message(user.id, "still there?")
    updates = await fake_bot.get_updates()
    assert updates[-1].my_chat_member.new_chat_member.status == "kicked"


async def test_bot_channel_post_is_auto_forwarded(fake: FakeTelegram, fake_bot: Bot) -> None:
    channel = fake.make_channel("خبر", "khabar_news")
    group = fake.make_group("گفتگو", linked_channel=channel)
    post = await fake_bot.send_message(channel.id, "<b>تیتر</b>", parse_mode="HTML")
    assert post.sender_chat.id == channel.id and post.from_user is None
    updates = await fake_bot.get_updates()
    assert len(updates) == 1  # no channel_post update for the bot's own post, only the group copy
    copy = updates[0].message
    assert copy.chat.id == group.id
    assert copy.is_automatic_forward is True
    assert copy.from_user.id == TELEGRAM_ID and copy.from_user.first_name == "Telegram"
    assert copy.sender_chat.id == channel.id
    assert copy.forward_origin.type == "channel"
    assert copy.forward_origin.chat.id == channel.id and copy.forward_origin.message_id == post.message_id
    assert copy.text == "تیتر" and copy.entities[0].type == "bold"
    raw = await fake_bot.get_chat(channel.id)
    assert raw.linked_chat_id == group.id
    assert (await fake_bot.get_chat(group.id)).linked_chat_id == channel.id


async def test_admin_post_comments_and_thread(fake: FakeTelegram, fake_bot: Bot) -> None:
    channel = fake.make_channel("خبر")
    group = fake.make_group("گفتگو", linked_channel=channel)
    reader = fake.make_user("Nima")
    post = await fake.channel_post(channel, "news")
    updates = await fake_bot.get_updates()
    assert [u.channel_post is not None for u in updates] == [True, False]
    copy = fake.discussion_copy(post)
    assert copy is not None and updates[1].message.message_id == copy.message_id
    comment = await reader.send(group, "first!", reply_to=copy)
    assert comment.data["message_thread_id"] == copy.message_id
    assert comment.data["reply_to_message"]["message_id"] == copy.message_id
    reply = await fake_bot.send_message(group.id, "approved", reply_parameters=ReplyParameters(comment.message_id))
    assert reply.message_thread_id == copy.message_id
    nested = await reader.send(group, "thanks", reply_to=fake.resolve_message(reply.to_dict()))
    assert nested.data["message_thread_id"] == copy.message_id
    assert [m.text for m in fake.thread(group, copy.message_id)] == ["news", "first!", "approved", "thanks"]
    got = await fake_bot.get_updates(offset=updates[-1].update_id + 1)
    assert [u.message.text for u in got] == ["first!", "thanks"]  # not the bot's own reply


async def test_reply_to_missing_message(fake: FakeTelegram, fake_bot: Bot) -> None:
    user = fake.make_user("Ali")
    await user.start_bot()
    with pytest.raises(BadRequest, match="Message to be replied not found"):
        await fake_bot.send_message(user.id, "x", reply_parameters=ReplyParameters(999))
    msg = await fake_bot.send_message(user.id, "x", reply_parameters=ReplyParameters(
        999, allow_sending_without_reply=True))
    assert msg.reply_to_message is None


async def test_channel_rights(fake: FakeTelegram, fake_bot: Bot) -> None:
    outside = fake.make_channel("other", bot=None)
    member = fake.make_channel("member only", bot="member")
    with pytest.raises(Forbidden, match="bot is not a member of the channel chat"):
        await fake_bot.send_message(outside.id, "x")
    with pytest.raises(BadRequest, match="Need administrator rights in the channel chat"):
        await fake_bot.send_message(member.id, "x")
    group = fake.make_group("restricted", bot=None)
    fake.set_bot_rights(group, "restricted", can_send_messages=False)
    with pytest.raises(BadRequest, match="Not enough rights to send text messages to the chat"):
        await fake_bot.send_message(group.id, "x")
    admins = await fake_bot.get_chat_administrators(member.id)
    assert [a.status for a in admins] == ["creator"]


async def test_edit_semantics(fake: FakeTelegram, fake_bot: Bot) -> None:
    user = fake.make_user("Ali")
    await user.start_bot()
    kb = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="ok")]])
    msg = await fake_bot.send_message(user.id, "<b>v1</b>", parse_mode="HTML", reply_markup=kb)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await fake_bot.edit_message_text("<b>v1</b>", user.id, msg.message_id, parse_mode="HTML", reply_markup=kb)
    edited = await fake_bot.edit_message_text("<b>v1</b>", user.id, msg.message_id, parse_mode="HTML")
    assert edited.reply_markup is None  # no reply_markup: the keyboard is removed
    stored = fake.chat_messages(user.private_chat)[-1]
    assert stored.edited and stored.reply_markup is None and stored.text == "v1"
    await fake_bot.edit_message_reply_markup(user.id, msg.message_id, reply_markup=kb)
    assert stored.buttons() == [{"text": "ok", "callback_data": "ok"}]
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await fake_bot.edit_message_text("x", user.id, 999)
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await fake_bot.edit_message_text("x", user.id, 1)  # the user's /start
    with pytest.raises(BadRequest, match="There is no caption in the message to edit"):
        await fake_bot.edit_message_caption(user.id, msg.message_id, caption="c")
    photo = await fake_bot.send_photo(user.id, b"\xff\xd8jpeg", caption="old")
    await fake_bot.edit_message_caption(user.id, photo.message_id, caption="<i>new</i>", parse_mode="HTML")
    assert fake.chat_messages(user.private_chat)[-1].data["caption_entities"][0]["type"] == "italic"
    file = await fake_bot.get_file(photo.photo[-1].file_id)
    assert await file.download_as_bytearray() == bytearray(b"\xff\xd8jpeg")


async def test_user_edit_gives_edited_message(fake: FakeTelegram, fake_bot: Bot) -> None:
    user = fake.make_user("Ali")
    msg = await user.send("helo")
    await user.edit(msg, "hello @someone")
    updates = await fake_bot.get_updates()
    assert updates[-1].edited_message.text == "hello @someone"
    assert updates[-1].edited_message.entities[0].type == "mention"


async def test_delete_semantics(fake: FakeTelegram, fake_bot: Bot) -> None:
    channel = fake.make_channel("c")
    group = fake.make_group("g", linked_channel=channel)
    reader = fake.make_user("Nima")
    comment = await reader.send(group, "spam")
    await fake_bot.delete_message(group.id, comment.message_id)
    assert comment.deleted and comment not in fake.chat_messages(group)
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await fake_bot.delete_message(group.id, comment.message_id)
    fake.set_bot_rights(group, "administrator", can_delete_messages=False)
    other = await reader.send(group, "hello")
    with pytest.raises(BadRequest, match="Message can't be deleted"):
        await fake_bot.delete_message(group.id, other.message_id)
    mine = await fake_bot.send_message(group.id, "mine")
    fake.clock.advance(49 * 3600)
    with pytest.raises(BadRequest, match="Message can't be deleted"):
        await fake_bot.delete_message(group.id, mine.message_id)
    fresh = await fake_bot.send_message(group.id, "fresh")
    assert await fake_bot.delete_messages(group.id, [fresh.message_id, 12345])
    admin_post = await fake.channel_post(channel, "by admin")
    with pytest.raises(BadRequest, match="Message can't be deleted"):
        fake.set_bot_rights(channel, "administrator", can_post_messages=True)
        await fake_bot.delete_message(channel.id, admin_post.message_id)


async def test_anonymous_admin_and_channel_sender(fake: FakeTelegram, fake_bot: Bot) -> None:
    channel = fake.make_channel("c")
    group = fake.make_group("g", linked_channel=channel)
    await fake.anonymous_admin_send(group, "from the admins")
    await fake.send_as_chat(group, channel, "as the channel")
    other_bot = fake.make_user("OtherBot", "other_bot", is_bot=True)
    await other_bot.send(group, "beep")
    updates = await fake_bot.get_updates()
    assert updates[0].message.from_user.id == ANONYMOUS_ADMIN_ID
    assert updates[0].message.sender_chat.id == group.id
    assert updates[1].message.sender_chat.id == channel.id
    assert len(updates) == 2  # nothing from the other bot


async def test_callback_queries(fake: FakeTelegram, fake_bot: Bot) -> None:
    fake.expect_failure("MESSAGE_TOO_LONG")
    user = fake.make_user("Ali")
    await user.start_bot()
    kb = InlineKeyboardMarkup([[InlineKeyboardButton("yes", callback_data="v:1")]])
    msg = await fake_bot.send_message(user.id, "vote", reply_markup=kb)
    handle = await user.press(fake.resolve_message(msg.to_dict()), "v:1")
    with pytest.raises(ValueError, match="no button"):
        await user.press(fake.resolve_message(msg.to_dict()), "v:2")
    query = (await fake_bot.get_updates())[-1].callback_query
    assert query.data == "v:1" and query.message.message_id == msg.message_id
    with pytest.raises(BadRequest):
        await fake_bot.answer_callback_query(query.id, text="x" * 201)
    await fake_bot.answer_callback_query(query.id, text="ثبت شد", show_alert=True)
    assert handle.answered and handle.text == "ثبت شد" and handle.show_alert
    with pytest.raises(BadRequest, match="Query is too old"):
        await fake_bot.answer_callback_query(query.id)
    late = await user.press(msg.to_dict(), "v:1")
    fake.clock.advance(120)
    with pytest.raises(BadRequest, match="Query is too old"):
        await fake_bot.answer_callback_query(late.id)
    fake.callbacks.pop(late.id)  # the test knowingly leaves it unanswered


async def test_unanswered_callback_is_reported() -> None:
    async with FakeTelegram() as fake:
        user = fake.make_user("Ali")
        msg = fake.world.new_message(user.private_chat, fake.world.bot.id, {
            "text": "x", "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "a"}]]}}, by_bot=True)
        await user.press(msg, "a")
    assert any("never answered" in p for p in fake.problems())


async def test_get_chat_member(fake: FakeTelegram, fake_bot: Bot) -> None:
    group = fake.make_group("g")
    user = fake.make_user("Ali")
    fake.add_admin(group, user, can_delete_messages=True)
    member = await fake_bot.get_chat_member(group.id, user.id)
    assert member.status == "administrator" and member.can_delete_messages
    me = await fake_bot.get_chat_member(group.id, fake_bot.id)
    assert me.status == "administrator"
    stranger = fake.make_user("Stranger")
    assert (await fake_bot.get_chat_member(group.id, stranger.id)).status == "left"
