"""``FakeTelegram``: the in-process control API that tests drive (start/stop, world building, inspection)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from .actors import CallbackHandle, FakeUser
from .clock import Clock
from .faults import Faults
from .flood import FloodLimiter
from .posting import deliver, thread
from .server import CallRecord, Server
from .spec import load_spec
from .text import detect_entities, format_text
from .updates import UpdateQueue
from .validate import Validator
from .world import ANONYMOUS_ADMIN_ID, CHANNEL_RIGHTS, GROUP_RIGHTS, Chat, Member, StoredMessage, World

DEFAULT_BOT_ID = 7_000_000_001


@dataclass
class Failure:
    """A request the fake rejected as malformed (validation, unknown method, unimplemented method)."""

    method: str
    params: dict[str, Any]
    description: str


@dataclass
class _Expectation:
    substring: str
    strict: bool
    seen: int = 0


class FakeTelegram:
    """A fake Telegram Bot API server plus the world behind it.

    ``speed`` makes the fake clock (and flood windows) run faster than real time.
    """

    def __init__(self, token: str | None = None, *, bot_username: str = "khabar_test_bot",
                 bot_name: str = "Khabar Test Bot", speed: float = 1.0, privacy_mode: bool = True,
                 callback_timeout: float = 60.0, host: str = "127.0.0.1") -> None:
        self.spec = load_spec()
        self.validator = Validator(self.spec)
        self.clock = Clock(speed)
        bot_id = int(token.split(":", 1)[0]) if token else DEFAULT_BOT_ID
        self.token = token or f"{bot_id}:AAFakegramTestToken_0123456789abcdefXYZ"
        self.world = World(self.spec, self.clock, bot_id, bot_username, bot_name)
        self.updates = UpdateQueue(self.clock)
        self.faults = Faults()
        self.flood = FloodLimiter(self.clock)
        self.privacy_mode = privacy_mode
        self.callback_timeout = callback_timeout  # fake seconds a callback query stays answerable
        self.host = host
        self.check_at_end = True  # the pytest fixture runs assert_clean() at teardown when True
        self.calls: list[CallRecord] = []
        self.failures: list[Failure] = []
        self.callbacks: dict[str, CallbackHandle] = {}
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.forwards: dict[tuple[int, int], StoredMessage] = {}  # (channel id, post id) -> group copy
        self._expected: list[_Expectation] = []
        self._consumed: set[int] = set()
        self._call_event = asyncio.Event()
        self.listeners: list[Callable[[CallRecord], None]] = []  # told of every call (e.g. the demo's live page)
        self._server = Server(self)
        self.port = 0

    # ----- lifecycle -----------------------------------------------------------------------------------
    async def start(self) -> FakeTelegram:
        self.port = await self._server.start(self.host)
        return self

    async def stop(self) -> None:
        await self.updates.close()
        await self._server.stop()

    async def go_away(self) -> None:
        """Telegram goes away: the port stops listening (connections refused) until :meth:`come_back`."""
        await self._server.stop()

    async def come_back(self) -> None:
        """Listen again on the same port (updates queued meanwhile are delivered as usual)."""
        self.port = await self._server.start(self.host, self.port)

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """What PTB's ``base_url`` expects (PTB appends the token)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def api_url(self) -> str:
        """``base_url`` plus the token: append ``/<method>`` for raw HTTP requests."""
        return self.base_url + self.token

    @property
    def bot(self) -> dict[str, Any]:
        return self.world.bot.to_dict()

    # ----- building the world --------------------------------------------------------------------------
    def make_user(self, first_name: str, username: str | None = None, language_code: str | None = "fa", *,
                  last_name: str | None = None, is_bot: bool = False) -> FakeUser:
        return FakeUser(self, self.world.add_user(first_name, username, language_code, last_name, is_bot))

    def make_channel(self, title: str, username: str | None = None, *, bot: str | None = "admin",
                     owner: FakeUser | None = None) -> Chat:
        """A channel; ``bot`` is "admin" (post/edit/delete rights), "member" or None (not in it)."""
        chat = self.world.add_chat("channel", title, username)
        self._setup(chat, bot, owner, CHANNEL_RIGHTS)
        return chat

    def make_supergroup(self, title: str, username: str | None = None, *, linked_channel: Chat | None = None,
                        bot: str | None = "admin", owner: FakeUser | None = None) -> Chat:
        chat = self.world.add_chat("supergroup", title, username)
        self._setup(chat, bot, owner, GROUP_RIGHTS)
        if linked_channel is not None:
            if linked_channel.type != "channel":
                raise ValueError("linked_channel must be a channel")
            linked_channel.linked_chat_id = chat.id
            chat.linked_chat_id = linked_channel.id
        return chat

    def make_group(self, title: str, username: str | None = None, *, linked_channel: Chat | None = None,
                   bot: str | None = "admin", owner: FakeUser | None = None, basic: bool = False) -> Chat:
        """A group: a supergroup (what discussion groups are) unless ``basic=True``."""
        if not basic:
            return self.make_supergroup(title, username, linked_channel=linked_channel, bot=bot, owner=owner)
        if linked_channel is not None:
            raise ValueError("only supergroups can be discussion groups")
        chat = self.world.add_chat("group", title, None)
        self._setup(chat, bot, owner, GROUP_RIGHTS)
        return chat

    def _setup(self, chat: Chat, bot: str | None, owner: FakeUser | None, rights: tuple[str, ...]) -> None:
        owner = owner or self.make_user(f"{chat.title} owner")
        chat.members[owner.id] = Member("creator")
        if bot == "admin":
            self.set_bot_rights(chat, "administrator", **dict.fromkeys(rights, True))
        elif bot is not None:
            self.set_bot_rights(chat, bot)

    def set_bot_rights(self, chat: Chat, status: str = "administrator", **rights: bool) -> None:
        """Set the bot's membership: "administrator" (with can_* rights), "member", "restricted", "left"..."""
        chat.members[self.world.bot.id] = Member(status, dict(rights))

    def add_member(self, chat: Chat, user: FakeUser, status: str = "member", **rights: bool) -> None:
        chat.members[user.id] = Member(status, dict(rights))

    def add_admin(self, chat: Chat, user: FakeUser, **rights: bool) -> None:
        self.add_member(chat, user, "administrator", **rights)

    # ----- things that happen in chats -----------------------------------------------------------------
    async def channel_post(self, channel: Chat, text: str, *, parse_mode: str | None = None,
                           author_signature: str | None = None) -> StoredMessage:
        """A channel admin posts ``text``: channel_post update, then the auto-forward into the group."""
        body = self._text_body(text, parse_mode)
        body["sender_chat"] = channel.to_dict()
        if author_signature:
            body["author_signature"] = author_signature
        msg = self.world.new_message(channel, None, body)
        deliver(self, msg)
        await asyncio.sleep(0)
        return msg

    async def send_as_chat(self, chat: Chat, sender_chat: Chat, text: str, *,
                           reply_to: StoredMessage | None = None) -> StoredMessage:
        """A message in ``chat`` sent on behalf of ``sender_chat`` (a channel, or the group: anonymous admin)."""
        body = self._text_body(text, None)
        sender_id = ANONYMOUS_ADMIN_ID if sender_chat is chat else 136817688  # @Channel_Bot
        body["from"] = (self.world.users[ANONYMOUS_ADMIN_ID].to_dict() if sender_chat is chat else
                        {"id": 136817688, "is_bot": True, "first_name": "Channel", "username": "Channel_Bot"})
        body["sender_chat"] = sender_chat.to_dict()
        msg = self.world.new_message(chat, sender_id, body, reply_to=reply_to)
        deliver(self, msg)
        await asyncio.sleep(0)
        return msg

    async def anonymous_admin_send(self, group: Chat, text: str, *,
                                   reply_to: StoredMessage | None = None) -> StoredMessage:
        return await self.send_as_chat(group, group, text, reply_to=reply_to)

    def _text_body(self, text: str, parse_mode: str | None) -> dict[str, Any]:
        if parse_mode:
            plain, entities = format_text(text, parse_mode, None)
        else:
            plain, entities = text, detect_entities(text)
        return {"text": plain, "entities": entities}

    # ----- inspection ----------------------------------------------------------------------------------
    def chat_messages(self, chat: Chat, *, include_deleted: bool = False) -> list[StoredMessage]:
        """What the chat shows now, oldest first (deleted ones only with ``include_deleted``)."""
        return [m for m in chat.messages.values() if include_deleted or not m.deleted]

    def bot_messages(self, chat: Chat) -> list[StoredMessage]:
        return [m for m in self.chat_messages(chat) if m.by_bot]

    def thread(self, group: Chat, root_message_id: int) -> list[StoredMessage]:
        return thread(group, root_message_id)

    def discussion_copy(self, post: StoredMessage) -> StoredMessage | None:
        """The automatic forward of a channel post in the linked group."""
        return self.forwards.get((post.chat.id, post.message_id))

    def resolve_message(self, message: StoredMessage | dict[str, Any]) -> StoredMessage:
        if isinstance(message, StoredMessage):
            return message
        chat = self.world.chats[message["chat"]["id"]]
        return chat.messages[message["message_id"]]

    def chat(self, chat_id: int) -> Chat:
        return self.world.chats[chat_id]

    async def wait_for(self, method: str | tuple[str, ...], predicate: Callable[[CallRecord], bool] | None = None,
                       timeout: float = 5.0, *, ok: bool | None = True) -> CallRecord:  # noqa: ASYNC109
        """The first not-yet-returned call of ``method`` (or of any of several) matching ``predicate`` (waits
        up to ``timeout``).

        ``ok=True`` (default) only matches successful calls, ``False`` only errors, ``None`` any.
        """
        deadline = time.monotonic() + timeout
        methods = {m.lower() for m in ((method,) if isinstance(method, str) else method)}
        while True:
            for i, rec in enumerate(self.calls):
                if i in self._consumed or rec.method.lower() not in methods:
                    continue
                if ok is not None and rec.ok != ok:
                    continue
                if predicate is None or predicate(rec):
                    self._consumed.add(i)
                    return rec
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seen = [(c.method, c.description) for c in self.calls[-10:]]
                raise TimeoutError(f"no {method} call matched within {timeout}s; last calls: {seen}")
            event = self._call_event
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                continue

    def calls_of(self, method: str) -> list[CallRecord]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    # ----- bookkeeping and end-of-test checks ----------------------------------------------------------
    def record_call(self, record: CallRecord) -> None:
        self.calls.append(record)
        self._call_event.set()
        self._call_event = asyncio.Event()
        for listener in self.listeners:
            listener(record)

    def record_failure(self, method: str, params: dict[str, Any], description: str) -> None:
        self.failures.append(Failure(method, params, description))

    def expect_failure(self, substring: str, *, strict: bool = True) -> None:
        """Declare that a validation failure containing ``substring`` is expected (strict: must happen)."""
        self._expected.append(_Expectation(substring, strict))

    def problems(self) -> list[str]:
        """What the end-of-test check complains about (empty when all is well)."""
        out: list[str] = []
        for f in self.failures:
            match = next((e for e in self._expected if e.substring in f.description), None)
            if match is None:
                out.append(f"unexpected failure: {f.method} {f.description!r} params={f.params!r}")
            else:
                match.seen += 1
        out.extend(f"expected failure never happened: {e.substring!r}" for e in self._expected
                   if e.strict and not e.seen)
        for handle in self.callbacks.values():
            if not handle.answered and not handle.late:
                out.append(f"callback query {handle.id} ({handle.data!r} by {handle.user.id}) never answered")
        if self.flood.total_429 and not self.flood.expected:
            out.append(f"unexpected flood-limit 429s: {self.flood.total_429} (per chat {dict(self.flood.rejected)})")
        return out

    def assert_clean(self) -> None:
        problems = self.problems()
        if problems:
            raise AssertionError("fakegram end-of-test check failed:\n  " + "\n  ".join(problems))
