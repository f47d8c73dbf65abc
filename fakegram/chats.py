"""Resolving a chat for a bot request and checking what the bot may do there."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import BLOCKED, CANT_INITIATE, CHAT_NOT_FOUND, bad_request, forbidden, too_many
from .world import Chat, Member, StoredMessage, User

if TYPE_CHECKING:
    from .control import FakeTelegram

DELETE_WINDOW = 48 * 3600
_KIND = {"supergroup": "supergroup chat", "group": "group chat", "channel": "channel chat"}


def resolve(fake: FakeTelegram, ref: int | str, *, for_write: bool = True) -> Chat:
    """The chat ``ref`` names, with the 400/403 answers Telegram gives for private chats."""
    world = fake.world
    chat = world.find_chat(ref)
    if chat is None and isinstance(ref, int) and ref in world.users:
        chat = world.private_chat(world.users[ref])
    if chat is None:
        raise bad_request(CHAT_NOT_FOUND)
    if chat.type == "private":
        user = chat.user
        assert user is not None
        if user.is_bot:
            raise forbidden("bot can't send messages to bots")
        if for_write and user.blocked:
            raise forbidden(BLOCKED)
        if not user.started:
            raise forbidden(CANT_INITIATE) if for_write else bad_request(CHAT_NOT_FOUND)
        return chat
    member = world.bot_member(chat)
    if not member.present:
        if not for_write and chat.username:
            return chat
        if not for_write:
            raise bad_request(CHAT_NOT_FOUND)
        verb = "was kicked from" if member.status == "kicked" else "is not a member of"
        raise forbidden(f"bot {verb} the {_KIND[chat.type]}")
    return chat


def check_can_send(fake: FakeTelegram, chat: Chat, what: str = "text messages") -> None:
    member = fake.world.bot_member(chat)
    if chat.type == "channel":
        if not member.is_admin:
            raise bad_request("need administrator rights in the channel chat")
        if not member.can("can_post_messages"):
            raise bad_request("have no rights to send a message")
        return
    if chat.type in ("group", "supergroup") and member.status == "restricted":
        right = "can_send_messages" if what == "text messages" else "can_send_photos"
        if not member.rights.get(right, True) or not member.rights.get("can_send_messages", True):
            if chat.type == "group":
                raise bad_request("have no rights to send a message")
            raise bad_request(f"not enough rights to send {what} to the chat")


def check_flood(fake: FakeTelegram, method: str, chat: Chat) -> None:
    retry_after = fake.flood.check(method, chat.id, chat.type)
    if retry_after is not None:
        raise too_many(retry_after)


def can_edit(fake: FakeTelegram, msg: StoredMessage) -> bool:
    if msg.by_bot:
        return True
    member = fake.world.bot_member(msg.chat)
    return msg.chat.type == "channel" and member.can("can_edit_messages")


def can_delete(fake: FakeTelegram, msg: StoredMessage) -> bool:
    if fake.clock.now() - msg.date > DELETE_WINDOW:
        return False
    chat = msg.chat
    member = fake.world.bot_member(chat)
    if chat.type == "private":
        return True  # own messages and, as Telegram allows, incoming ones
    if chat.type == "channel":
        return (msg.by_bot and member.can("can_post_messages")) or member.can("can_delete_messages")
    if msg.by_bot:
        return member.present
    return member.can("can_delete_messages")


def bot_body(fake: FakeTelegram, chat: Chat) -> dict[str, Any]:
    """``from``/``sender_chat`` of a message the bot sends into ``chat``."""
    if chat.type == "channel":
        return {"sender_chat": chat.to_dict()}
    return {"from": fake.world.bot.to_dict()}


def member_dict(fake: FakeTelegram, chat: Chat, user: User) -> dict[str, Any]:
    member = chat.members.get(user.id, Member("left"))
    base: dict[str, Any] = {"status": member.status, "user": user.to_dict()}
    spec = fake.spec
    if member.status == "creator":
        return spec.defaults("ChatMemberOwner", **base)
    if member.status == "administrator":
        td = spec.types["ChatMemberAdministrator"]
        rights = {k: v for k, v in member.rights.items() if td.field(k)}
        return spec.defaults("ChatMemberAdministrator", **base, **rights, can_be_edited=False)
    if member.status == "restricted":
        td = spec.types["ChatMemberRestricted"]
        rights = {k: v for k, v in member.rights.items() if td.field(k)}
        allowed = {f.name: True for f in td.fields if f.name.startswith("can_")}
        return spec.defaults("ChatMemberRestricted", **base, **{**allowed, **rights}, is_member=True,
                             until_date=0)
    if member.status == "kicked":
        return {**base, "until_date": 0}
    return base
