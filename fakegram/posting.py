"""How a new or edited message travels: updates to the bot and the channel → discussion auto-forward."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .world import TELEGRAM_ID, Chat, StoredMessage

if TYPE_CHECKING:
    from .control import FakeTelegram


def bot_sees(fake: FakeTelegram, msg: StoredMessage) -> bool:
    """Would Telegram send this message to the bot as an update?"""
    world = fake.world
    chat = msg.chat
    if msg.by_bot or msg.sender_id == world.bot.id:
        return False  # bots get no updates for their own messages
    sender = world.users.get(msg.sender_id) if msg.sender_id is not None else None
    if sender is not None and sender.is_bot and sender.id not in (TELEGRAM_ID,) and not msg.data.get("sender_chat"):
        return False  # nor for other bots' messages
    member = world.bot_member(chat)
    if chat.type == "private":
        return sender is not None and not sender.blocked
    if not member.present:
        return False
    if chat.type == "channel":
        return member.is_admin
    if member.is_admin or not fake.privacy_mode:
        return True
    text = msg.text or msg.caption or ""
    parent = msg.data.get("reply_to_message") or {}
    replies_to_bot = (parent.get("from") or {}).get("id") == world.bot.id
    return text.startswith("/") or replies_to_bot


def deliver(fake: FakeTelegram, msg: StoredMessage, *, edited: bool = False) -> None:
    """Queue the update for a new (or edited) message and run Telegram's side effects."""
    channel = msg.chat.type == "channel"
    if bot_sees(fake, msg):
        kind = ("edited_channel_post" if edited else "channel_post") if channel else (
            "edited_message" if edited else "message")
        fake.updates.push(kind, msg.snapshot())
    if channel and not edited:
        auto_forward(fake, msg)
    elif channel and edited:
        sync_forward(fake, msg)


def auto_forward(fake: FakeTelegram, post: StoredMessage) -> StoredMessage | None:
    """Copy a channel post into the linked discussion group, as Telegram does."""
    channel = post.chat
    if channel.linked_chat_id is None:
        return None
    group = fake.world.chats[channel.linked_chat_id]
    body: dict[str, Any] = {
        "from": fake.world.users[TELEGRAM_ID].to_dict(),
        "sender_chat": channel.to_dict(),
        "is_automatic_forward": True,
        "forward_origin": {"type": "channel", "chat": channel.to_dict(), "message_id": post.message_id,
                           "date": post.date},
        "forward_from_chat": channel.to_dict(),
        "forward_from_message_id": post.message_id,
        "forward_date": post.date,
    }
    for key in ("text", "entities", "photo", "caption", "caption_entities"):
        if key in post.data:
            body[key] = post.data[key]
    copy = fake.world.new_message(group, TELEGRAM_ID, body)
    copy.thread_root = copy.message_id
    copy.html = post.html
    fake.forwards[(channel.id, post.message_id)] = copy
    deliver(fake, copy)
    return copy


def sync_forward(fake: FakeTelegram, post: StoredMessage) -> None:
    """An edited channel post is edited in the discussion copy too (no update is sent for the copy)."""
    copy = fake.forwards.get((post.chat.id, post.message_id))
    if copy is None or copy.deleted:
        return
    for key in ("text", "entities", "caption", "caption_entities"):
        if key in post.data:
            copy.data[key] = post.data[key]
        else:
            copy.data.pop(key, None)
    copy.data["edit_date"] = post.data.get("edit_date", int(fake.clock.now()))
    copy.edited = True
    copy.html = post.html


def thread(group: Chat, root_message_id: int) -> list[StoredMessage]:
    """What a discussion thread shows: the root and every live message in its thread."""
    return [m for m in group.messages.values()
            if not m.deleted and (m.message_id == root_message_id or m.thread_root == root_message_id)]
