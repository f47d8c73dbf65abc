"""People (and other bots) acting in the fake world: the control API's user handle and callback queries."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .posting import deliver
from .text import detect_entities
from .world import Chat, Member, StoredMessage, User

if TYPE_CHECKING:
    from .control import FakeTelegram

_callback_ids = itertools.count(4_382_000_000_000_001)


@dataclass(eq=False)
class CallbackHandle:
    """A pressed inline button; tracks how the bot answered the callback query."""

    id: str
    user: User
    message: StoredMessage
    data: str
    created: float
    answered: bool = False
    late: bool = False  # answered after Telegram let it lapse ("query is too old")
    text: str | None = None
    show_alert: bool = False
    url: str | None = None
    answered_event: asyncio.Event = field(default_factory=asyncio.Event)

    async def wait_answered(self, timeout: float = 5.0) -> CallbackHandle:  # noqa: ASYNC109
        await asyncio.wait_for(self.answered_event.wait(), timeout)
        return self


class FakeUser:
    """A Telegram user in the fake world (``fake.make_user``). Actions queue updates for the bot."""

    def __init__(self, fake: FakeTelegram, user: User) -> None:
        self.fake = fake
        self.user = user

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def username(self) -> str | None:
        return self.user.username

    @property
    def first_name(self) -> str:
        return self.user.first_name

    @property
    def private_chat(self) -> Chat:
        return self.fake.world.private_chat(self.user)

    def to_dict(self) -> dict[str, Any]:
        return self.user.to_dict()

    def __repr__(self) -> str:
        return f"<FakeUser {self.id} {self.first_name!r}>"

    # ----- private chat with the bot -------------------------------------------------------------------
    async def start_bot(self, payload: str | None = None) -> StoredMessage:
        """Press Start (optionally via a deep link ``t.me/<bot>?start=PAYLOAD``): sends ``/start PAYLOAD``."""
        was_blocked = self.user.blocked
        self.user.started = True
        self.user.blocked = False
        if was_blocked:
            self._my_chat_member("kicked", "member")
        text = "/start" if payload is None else f"/start {payload}"
        return await self._post(self.private_chat, {"text": text,
                                                    "entities": [{"type": "bot_command", "offset": 0, "length": 6}]})

    async def block_bot(self) -> None:
        """Block the bot: later sends to this user answer 403 ``Forbidden: bot was blocked by the user``."""
        self.user.blocked = True
        self._my_chat_member("member", "kicked")
        await asyncio.sleep(0)

    async def unblock_bot(self) -> None:
        self.user.blocked = False
        self._my_chat_member("kicked", "member")
        await asyncio.sleep(0)

    def _my_chat_member(self, old: str, new: str) -> None:
        bot = self.fake.world.bot.to_dict()
        new_member: dict[str, Any] = {"status": new, "user": bot}
        if new == "kicked":
            new_member["until_date"] = 0
        old_member: dict[str, Any] = {"status": old, "user": bot}
        if old == "kicked":
            old_member["until_date"] = 0
        self.fake.updates.push("my_chat_member", {
            "chat": self.private_chat.to_dict(), "from": self.to_dict(), "date": int(self.fake.clock.now()),
            "old_chat_member": old_member, "new_chat_member": new_member,
        })

    # ----- messages ------------------------------------------------------------------------------------
    async def send(self, chat: Chat | str | None = None, text: str = "", *, reply_to: StoredMessage | None = None,
                   entities: list[dict[str, Any]] | None = None) -> StoredMessage:
        """Send ``text`` to ``chat``, entities auto-detected; ``user.send("hi")`` writes to the bot privately."""
        if isinstance(chat, str):
            text, chat = chat, None
        body: dict[str, Any] = {"text": text, "entities": detect_entities(text) if entities is None else entities}
        return await self._post(chat, body, reply_to)

    async def send_photo(self, chat: Chat | None = None, caption: str | None = None, *,
                         reply_to: StoredMessage | None = None, content: bytes = b"\xff\xd8fake-jpeg") -> StoredMessage:
        stored = self.fake.world.add_file(content, "photos", "jpg")
        body: dict[str, Any] = {"photo": self.fake.world.photo_sizes(stored)}
        if caption:
            body.update(caption=caption, caption_entities=detect_entities(caption))
        return await self._post(chat, body, reply_to)

    async def send_sticker(self, chat: Chat | None = None, emoji: str = "😀", *,
                           reply_to: StoredMessage | None = None) -> StoredMessage:
        stored = self.fake.world.add_file(b"RIFFfake-webp", "stickers", "webp")
        sticker = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "type": "regular",
                   "width": 512, "height": 512, "is_animated": False, "is_video": False, "emoji": emoji,
                   "file_size": len(stored.content)}
        return await self._post(chat, {"sticker": sticker}, reply_to)

    async def send_voice(self, chat: Chat | None = None, duration: int = 3, *,
                         reply_to: StoredMessage | None = None) -> StoredMessage:
        stored = self.fake.world.add_file(b"OggSfake-voice", "voice", "oga")
        voice = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "duration": duration,
                 "mime_type": "audio/ogg", "file_size": len(stored.content)}
        return await self._post(chat, {"voice": voice}, reply_to)

    async def send_document(self, chat: Chat | None = None, file_name: str = "file.pdf", *,
                            content: bytes = b"%PDF-fake", caption: str | None = None,
                            reply_to: StoredMessage | None = None) -> StoredMessage:
        stored = self.fake.world.add_file(content, "documents", file_name.rsplit(".", 1)[-1])
        doc = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id, "file_name": file_name,
               "file_size": len(content)}
        body: dict[str, Any] = {"document": doc}
        if caption:
            body.update(caption=caption, caption_entities=detect_entities(caption))
        return await self._post(chat, body, reply_to)

    async def edit(self, msg: StoredMessage, text: str) -> StoredMessage:
        """Edit one of this user's text messages: the bot gets an ``edited_message`` update."""
        if msg.sender_id != self.id:
            raise ValueError(f"{self} did not send {msg}")
        msg.history.append(msg.snapshot())
        msg.data["text"] = text
        entities = detect_entities(text)
        if entities:
            msg.data["entities"] = entities
        else:
            msg.data.pop("entities", None)
        msg.data["edit_date"] = int(self.fake.clock.now())
        msg.edited = True
        deliver(self.fake, msg, edited=True)
        await asyncio.sleep(0)
        return msg

    async def press(self, message: StoredMessage | dict[str, Any], callback_data: str, *,
                    stale: bool = False) -> CallbackHandle:
        """Press the inline button carrying ``callback_data``: the bot gets a ``callback_query`` update.

        ``stale``: a client still showing ``message`` as it was (a dict the bot was sent earlier) presses a
        button it no longer has — Telegram delivers such presses, with the message as it is now."""
        msg = self.fake.resolve_message(message)
        if not stale and not any(b.get("callback_data") == callback_data for b in msg.buttons()):
            raise ValueError(f"{msg} has no button with callback_data {callback_data!r}: {msg.buttons()}")
        handle = CallbackHandle(str(next(_callback_ids)), self.user, msg, callback_data, self.fake.clock.now())
        self.fake.callbacks[handle.id] = handle
        self.fake.updates.push("callback_query", {
            "id": handle.id, "from": self.to_dict(), "message": msg.snapshot(),
            "chat_instance": str(abs(msg.chat.id) * 7919 % 10**18), "data": callback_data,
        })
        await asyncio.sleep(0)
        return handle

    async def _post(self, chat: Chat | None, body: dict[str, Any],
                    reply_to: StoredMessage | None = None) -> StoredMessage:
        target = chat or self.private_chat
        if target.type == "private":
            self.user.started = True
        elif self.id not in target.members or not target.members[self.id].present:
            target.members[self.id] = Member("member")
        body = {"from": self.to_dict(), **body}
        msg = self.fake.world.new_message(target, self.id, body, reply_to=reply_to)
        deliver(self.fake, msg)
        await asyncio.sleep(0)
        return msg
