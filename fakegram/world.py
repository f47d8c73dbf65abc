"""The fake's state: bot, users, chats, memberships, messages and files."""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from typing import Any

from .clock import Clock
from .spec import Spec

TELEGRAM_ID = 777000
ANONYMOUS_ADMIN_ID = 1087968824
CHANNEL_RIGHTS = ("can_post_messages", "can_edit_messages", "can_delete_messages")
GROUP_RIGHTS = ("can_delete_messages", "can_pin_messages", "can_restrict_members", "can_invite_users")


@dataclass
class User:
    id: int
    first_name: str
    username: str | None = None
    last_name: str | None = None
    language_code: str | None = None
    is_bot: bool = False
    started: bool = False
    blocked: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            out["last_name"] = self.last_name
        if self.username:
            out["username"] = self.username
        if self.language_code and not self.is_bot:
            out["language_code"] = self.language_code
        return out


@dataclass
class Member:
    status: str  # creator, administrator, member, restricted, left, kicked
    rights: dict[str, bool] = field(default_factory=dict)

    @property
    def is_admin(self) -> bool:
        return self.status in ("creator", "administrator")

    def can(self, right: str) -> bool:
        return self.status == "creator" or (self.status == "administrator" and self.rights.get(right, False))

    @property
    def present(self) -> bool:
        return self.status not in ("left", "kicked")


@dataclass
class Chat:
    id: int
    type: str  # private, group, supergroup, channel
    title: str | None = None
    username: str | None = None
    user: User | None = None  # for private chats
    linked_chat_id: int | None = None
    members: dict[int, Member] = field(default_factory=dict)
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.user is not None:
            out.update({k: v for k, v in self.user.to_dict().items() if k in ("first_name", "last_name", "username")})
        else:
            out["title"] = self.title
            if self.username:
                out["username"] = self.username
        return out

    def __hash__(self) -> int:
        return hash(self.id)


@dataclass(eq=False)
class StoredMessage:
    """A message as a chat shows it now; ``data`` is the Bot API ``Message`` object."""

    chat: Chat
    data: dict[str, Any]
    sender_id: int | None
    by_bot: bool = False
    thread_root: int | None = None
    deleted: bool = False
    edited: bool = False
    history: list[dict[str, Any]] = field(default_factory=list)
    html: str | None = None  # the markup the bot sent (parse_mode HTML), as it sent it

    @property
    def message_id(self) -> int:
        return int(self.data["message_id"])

    @property
    def date(self) -> int:
        return int(self.data["date"])

    @property
    def text(self) -> str | None:
        return self.data.get("text")

    @property
    def caption(self) -> str | None:
        return self.data.get("caption")

    @property
    def entities(self) -> list[dict[str, Any]]:
        return list(self.data.get("entities") or self.data.get("caption_entities") or [])

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        return self.data.get("reply_markup")

    def buttons(self) -> list[dict[str, Any]]:
        markup = self.reply_markup or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]

    def snapshot(self) -> dict[str, Any]:
        return copy.deepcopy(self.data)

    def __repr__(self) -> str:
        flags = "".join(f" {f}" for f in ("edited", "deleted") if getattr(self, f))
        body = self.text if self.text is not None else self.caption
        return f"<Message {self.chat.id}/{self.message_id}{flags} {body!r}>"


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes
    path: str


class World:
    def __init__(self, spec: Spec, clock: Clock, bot_id: int, bot_username: str, bot_name: str) -> None:
        self.spec = spec
        self.clock = clock
        self.bot = User(bot_id, bot_name, username=bot_username, is_bot=True)
        self.users: dict[int, User] = {TELEGRAM_ID: User(TELEGRAM_ID, "Telegram")}
        self.users[ANONYMOUS_ADMIN_ID] = User(ANONYMOUS_ADMIN_ID, "Group", username="GroupAnonymousBot", is_bot=True)
        self.chats: dict[int, Chat] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self._user_ids = itertools.count(100_000_001)
        self._channel_ids = itertools.count(1_000_000_001)
        self._group_ids = itertools.count(4_000_001)
        self._file_ids = itertools.count(1)

    # ----- creation ------------------------------------------------------------------------------------
    def add_user(self, first_name: str, username: str | None, language_code: str | None,
                 last_name: str | None, is_bot: bool) -> User:
        user = User(next(self._user_ids), first_name, username, last_name, language_code, is_bot)
        self.users[user.id] = user
        return user

    def private_chat(self, user: User) -> Chat:
        chat = self.chats.get(user.id)
        if chat is None:
            chat = Chat(user.id, "private", user=user)
            chat.members = {user.id: Member("member"), self.bot.id: Member("member")}
            self.chats[user.id] = chat
        return chat

    def add_chat(self, kind: str, title: str, username: str | None) -> Chat:
        chat_id = -next(self._group_ids) if kind == "group" else -1_000_000_000_000 - next(self._channel_ids)
        chat = Chat(chat_id, kind, title=title, username=username)
        self.chats[chat_id] = chat
        return chat

    # ----- lookup --------------------------------------------------------------------------------------
    def find_chat(self, ref: int | str) -> Chat | None:
        if isinstance(ref, str):
            name = ref.lstrip("@").lower()
            return next((c for c in self.chats.values() if c.username and c.username.lower() == name
                         and c.type != "private"), None)
        return self.chats.get(ref)

    def bot_member(self, chat: Chat) -> Member:
        return chat.members.get(self.bot.id, Member("left"))

    def message(self, chat: Chat, message_id: int) -> StoredMessage | None:
        msg = chat.messages.get(message_id)
        return None if msg is None or msg.deleted else msg

    # ----- messages ------------------------------------------------------------------------------------
    def new_message(self, chat: Chat, sender_id: int | None, body: dict[str, Any], *, by_bot: bool = False,
                    reply_to: StoredMessage | None = None, thread_root: int | None = None) -> StoredMessage:
        """Store a message; ``body`` holds from/sender_chat/text/... (everything but id, date, chat)."""
        message_id = chat.next_message_id
        chat.next_message_id += 1
        data: dict[str, Any] = {"message_id": message_id}
        if reply_to is not None and chat.type == "supergroup":
            thread_root = reply_to.thread_root or reply_to.message_id
        if thread_root is not None:
            data["message_thread_id"] = thread_root
        data.update({k: v for k, v in body.items() if k not in ("text", "entities", "caption", "caption_entities",
                                                               "photo", "reply_markup")})
        data["date"] = int(self.clock.now())
        data["chat"] = chat.to_dict()
        if reply_to is not None:
            parent = reply_to.snapshot()
            parent.pop("reply_to_message", None)
            data["reply_to_message"] = parent
        for key in ("text", "entities", "photo", "caption", "caption_entities", "reply_markup"):
            if body.get(key):
                data[key] = body[key]
        msg = StoredMessage(chat, data, sender_id, by_bot=by_bot, thread_root=thread_root)
        chat.messages[message_id] = msg
        return msg

    def add_file(self, content: bytes, folder: str, ext: str) -> StoredFile:
        n = next(self._file_ids)
        stored = StoredFile(f"AgACAgIAAxkB{n:08d}fake", f"AQAD{n:06d}", content, f"{folder}/file_{n}.{ext}")
        self.files[stored.file_id] = stored
        self.files_by_path[stored.path] = stored
        return stored

    def photo_sizes(self, stored: StoredFile) -> list[dict[str, Any]]:
        base = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        self.files[stored.file_id + "_s"] = stored
        return [
            {**base, "file_id": stored.file_id + "_s", "file_unique_id": stored.file_unique_id + "s",
             "width": 90, "height": 68, "file_size": min(len(stored.content), 1000)},
            {**base, "width": 800, "height": 600, "file_size": len(stored.content)},
        ]
