"""The hostile input corpus (data), the shared steps of its tests (test_hostile_text, test_hostile_actions)
and the few tools they need to act outside what buttons allow."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Iterator
from typing import Any

import pytest
from sqlalchemy import func, select, update

from fakegram.actors import CallbackHandle, FakeUser, _callback_ids
from fakegram.control import FakeTelegram
from fakegram.posting import deliver
from fakegram.server import CallRecord
from fakegram.world import Chat, StoredMessage
from storage.models import Article, Comment, ModerationAction, User
from tests.e2e.harness import Khabar
from tests.e2e.test_intake_support import answer_typed, captcha_for, to

# ----- HTML / Markdown / entity injection: (fragment appended to a real comment) -----------------------
INJECTIONS: list[str] = [
    "<b>", "</b>", "<b>پررنگ</b>", "</b></i></a>", "<i>کج", "<a href=\"javascript:alert(1)\">کلیک</a>",
    "<a href='tg://user?id=1'>مدیر</a>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
    "<tg-spoiler>راز</tg-spoiler>", "<span class=\"tg-spoiler\">x</span>", "<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji>",
    "<pre><code class=\"language-python\">x</code></pre>", "<blockquote expandable>نقل</blockquote>", "<code>",
    "<!-- یادداشت -->", "<br/>", "<<>>", "< b >", "<b attr='x\">'>", "*پررنگ*", "_کج_", "__زیرخط__", "~خط~",
    "||اسپویلر||", "`کد`", "```\nکد\n```", "[پیوند](خبر)", "[x](y)", "\\*نه\\*", "&amp;", "&lt;b&gt;", "&",
    "& و &&", "&#0;", "&#x0;", "&#128512;", "&#xD800;", "&nbsp;", "&quot;نقل&quot;", "&#60;b&#62;", "&;", "&amp",
    "%3Cb%3E", "{name}", "{0}", "%s %d", "{{}}",
]

# ----- invisible and direction-changing characters (removed from comments) ------------------------------
INVISIBLES: list[str] = [
    "\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u200b", "\u200e", "\u200f", "\ufeff", "\u2060", "\u061c", "\u00ad",
]

# ----- control characters (all but \n and \t are dropped from comments) --------------------------------
CONTROLS: list[str] = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + ["\x7f", "\x85", "\x9f"]

# ----- display names -----------------------------------------------------------------------------------
NAMES: list[str] = [
    "<b>نام</b>", "</b>", "<a href=\"javascript:x\">ن</a>", "<script>", "&amp; &lt; & &#0;", "*نام* [x](y)",
    "\u202eسارا", "زهرا\u2066\u2067", "\u200b\u200f\ufeffعلی", "نام\x00\x07\x1b", "😀" * 40, "ن" * 200,
    "\U0001F468\u200d\U0001F469\u200d\U0001F467 خانواده", "{name}",
]

# ----- callback data nobody can produce with Khabar's buttons --------------------------------------------
FORGED_DATA: list[str] = [
    "x", "v0:ap:1", "v2:ap:1", "v1", "v1:", "v1::", "v1:zz:1", "v1:ap", "v1:ap:abc", "v1:ap:-1", "v1:ap:1.5",
    "v1:ap:1e9", "v1:ap:۱", "v1:ap:" + "9" * 17, "v1:ap:9007199254740993", "v1:ap:1:2", "v1:cp:1:1",
    "v1:" + "a" * 70, "v1:ap:" + "1" * 60, "💥" * 20, "v1:ap:1\n", " v1:ap:1", "v1:ap: 1", "v1:ap:0x1",
    "v1:AP:1", "v1:ap:+1", "null", "{\"a\":1}", "<b>x</b>", "v1:xx:1", "v1:rr:1", "v1:bd:1:2:3",
    "v1:ap:\u0661", "v1:ap:\x00", "\u202ev1:ap:1",
]

UNKNOWN_BUTTON = "این دکمه دیگر معتبر نیست."
NOT_ALLOWED = "این کار فقط برای مدیران مجاز است."
BAD_LINK = "این پیوند معتبر نیست"
TEXT_ONLY = "فقط نظر متنی"
ONLY_MODERATORS = "این فرمان فقط برای مدیران"


def forge_press(fake: FakeTelegram, user: FakeUser, message: StoredMessage, data: str) -> CallbackHandle:
    """A callback query with any ``data`` on ``message`` (a modified client), tracked like a real press."""
    handle = CallbackHandle(str(next(_callback_ids)), user.user, message, data, fake.clock.now())
    fake.callbacks[handle.id] = handle
    fake.updates.push("callback_query", {
        "id": handle.id, "from": user.to_dict(), "message": message.snapshot(),
        "chat_instance": str(abs(message.chat.id) * 7919 % 10**18), "data": data,
    })
    return handle


def raw_message(fake: FakeTelegram, chat: Chat, sender: dict[str, Any] | None, body: dict[str, Any], *,
                reply_to: StoredMessage | None = None) -> StoredMessage:
    """Store a message with any body and push it to the bot as an update, bypassing the fake's visibility rules."""
    data = dict(body)
    if sender is not None:
        data["from"] = sender
    msg = fake.world.new_message(chat, sender["id"] if sender else None, data, reply_to=reply_to)
    kind = "channel_post" if chat.type == "channel" else "message"
    fake.updates.push(kind, msg.snapshot())
    return msg


def deliver_visible(fake: FakeTelegram, msg: StoredMessage) -> None:
    """Deliver an already stored message through the fake's usual rules."""
    deliver(fake, msg)


def command(text: str) -> list[dict[str, Any]]:
    """The bot_command entity of a text starting with a command."""
    word = text.split()[0]
    return [{"type": "bot_command", "offset": 0, "length": len(word.encode("utf-16-le")) // 2}]


class ErrorLog(logging.Handler):
    """Collects ERROR records (and worse) from every logger."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def problems(self) -> list[str]:
        return [f"{r.name}: {r.getMessage()} {r.exc_info[1]!r}" if r.exc_info else f"{r.name}: {r.getMessage()}"
                for r in self.records]


async def quiesce(fake: FakeTelegram, khabar: Khabar, rounds: int = 3) -> None:
    """Wait until the bot has taken every queued update and no handler runs, then let background work finish."""
    app = khabar.app
    calm = 0
    for _ in range(500):
        busy = bool(fake.updates.pending) or not app.update_queue.empty() or \
            app.update_processor.current_concurrent_updates > 0
        calm = 0 if busy else calm + 1
        if calm >= rounds:
            break
        await asyncio.sleep(0.01)
    else:  # pragma: no cover - a stuck bot
        raise TimeoutError("Khabar did not go idle")
    await khabar.settle()


async def snapshot(khabar: Khabar) -> dict[str, Any]:
    """What an unauthorised action would change: decisions, bans, trust, statuses."""
    async with khabar.db.transaction() as session:
        actions = (await session.execute(select(func.count()).select_from(ModerationAction))).scalar_one()
        banned = (await session.execute(select(func.count()).select_from(User).where(
            User.banned_until.is_not(None)))).scalar_one()
        trusted = (await session.execute(select(func.count()).select_from(User).where(User.trusted))).scalar_one()
        statuses = {cid: status for cid, status in await session.execute(select(Comment.id, Comment.status))}
    return {"actions": actions, "banned": banned, "trusted": trusted, "statuses": statuses}


def sends_to(fake: FakeTelegram, chat_id: int) -> list[str]:
    """Texts of every successful sendMessage to ``chat_id`` so far."""
    return [c.params.get("text", "") for c in fake.calls_of("sendMessage")
            if c.ok and str(c.params.get("chat_id")) == str(chat_id)]


# ----- shared steps of the hostile tests ------------------------------------------------------------------
SENTENCES = [
    "گرانی نان برای خانواده‌های کم‌درآمد تهران واقعاً سخت است و اتحادیه باید فکری بکند.",
    "قیمت نان سنگک در محله‌ی ما هم بالا رفته و نانوایی‌ها صف طولانی دارند.",
    "اتحادیه‌ی نانوایان باید توضیح بدهد چرا قیمت نان بربری این‌قدر گران شده است.",
    "دستمزد کارگران نانوایی کم است اما گرانی نان فشار زیادی به مردم تهران می‌آورد.",
]


@pytest.fixture(autouse=True)
def error_log() -> Iterator[ErrorLog]:
    """Every ERROR record any logger emits during the test; none is allowed."""
    handler = ErrorLog()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
    assert handler.problems() == []


WAIT = 20.0  # dozens of readers at once on a loaded machine: a bound on waiting, not a timing assertion


async def opened(fake: FakeTelegram, reader: FakeUser, article: Article) -> None:
    await reader.start_bot(f"a-{article.token}")
    await fake.wait_for("sendMessage", lambda c: to(reader)(c) and "v1:wr:" in str(c.params.get("reply_markup")),
                        timeout=WAIT)


async def reply_to(fake: FakeTelegram, reader: FakeUser) -> CallRecord:
    """The bot's next message to ``reader`` (a captcha or a refusal)."""
    return await fake.wait_for("sendMessage", to(reader), timeout=WAIT)


def is_captcha(reply: CallRecord) -> bool:
    return "= ؟" in str(reply.params.get("text"))


async def trust(khabar: Khabar, reader: FakeUser) -> None:
    async with khabar.db.transaction() as session:
        await session.execute(update(User).where(User.id == reader.id).values(trusted=True))


async def solve(fake: FakeTelegram, khabar: Khabar, reader: FakeUser, comment: Comment, shown: CallRecord) -> None:
    captcha = await captcha_for(khabar, comment.id)
    message = reader.private_chat.messages[int(shown.response["result"]["message_id"])]
    await answer_typed(fake, reader, captcha, reply_to=message)


async def gather_cases(cases: list[Awaitable[None]]) -> None:
    results = await asyncio.gather(*cases, return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures:
        details = "\n".join(repr(f) for f in failures)
        raise AssertionError(f"{len(failures)} of {len(results)} cases failed:\n{details}") from failures[0]
