"""Play readers and moderators through what the fake Telegram shows — no access to Khabar's internals.

Used by the end-to-end flow tests, the multi-instance test and the benchmarks, so it follows only
what a person would see: buttons, their labels, message texts.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from fakegram.server import CallRecord
from fakegram.world import Chat, StoredMessage

_FA = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
_SUM = re.compile(r"([۰-۹0-9]+)\s*\+\s*([۰-۹0-9]+)\s*=\s*؟")
APPROVE_LABEL = "✅ انتشار"


def start_payload(message: StoredMessage) -> str:
    """The deep-link payload of a channel post's «ثبت نظر» button."""
    for button in message.buttons():
        url = button.get("url", "")
        if "start=" in url:
            return parse_qs(urlparse(url).query)["start"][0]
    raise LookupError(f"{message} has no deep-link button")


def _to(user: FakeUser) -> object:
    return lambda c: str(c.params.get("chat_id")) == str(user.id)


def captcha_answer(text: str) -> int:
    """The sum a captcha text asks for («۹ + ۶ = ؟» → 15)."""
    match = _SUM.search(text)
    if match is None:
        raise LookupError(f"no captcha question in {text!r}")
    return int(match.group(1).translate(_FA)) + int(match.group(2).translate(_FA))


def captcha_button(message: StoredMessage, answer: int) -> str:
    """The callback data of the button labelled with ``answer``."""
    for button in message.buttons():
        if button.get("text", "").translate(_FA).strip() == str(answer) and "callback_data" in button:
            return str(button["callback_data"])
    raise LookupError(f"no button {answer} on {message}")


def is_captcha(message: StoredMessage) -> bool:
    """Whether a bot message asks a captcha question («۳۴۷ + ۸ = ؟»)."""
    return _SUM.search(message.text or "") is not None


def persian(value: int) -> str:
    """A number as a reader on a Persian keyboard types it."""
    return str(value).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


async def type_answer(reader: FakeUser, captcha: StoredMessage, answer: int | None = None) -> StoredMessage:
    """Type the captcha's answer (Persian digits) as a reply to it, as a person does; the typed message."""
    value = captcha_answer(captcha.text or "") if answer is None else answer
    return await reader.send(persian(value), reply_to=captcha)


async def send_comment(fake: FakeTelegram, reader: FakeUser, payload: str, text: str, timeout: float = 10) -> CallRecord:
    """Open the deep link, write the comment; the bot's captcha message (a sendMessage record)."""
    await reader.start_bot(payload)
    await fake.wait_for("sendMessage", _to(reader), timeout=timeout)  # type: ignore[arg-type]
    await reader.send(text)
    return await fake.wait_for(
        "sendMessage", lambda c: _to(reader)(c) and "؟" in c.params.get("text", ""), timeout=timeout  # type: ignore[operator]
    )


async def solve_captcha(fake: FakeTelegram, reader: FakeUser, captcha: CallRecord, timeout: float = 10) -> CallRecord:
    """Type the right answer; the edit that turns the captcha into the receipt."""
    message = fake.resolve_message(captcha.result)
    await type_answer(reader, message)
    return await fake.wait_for(
        "editMessageText",
        lambda c: _to(reader)(c) and c.params.get("message_id") in (message.message_id, str(message.message_id)),  # type: ignore[operator]
        timeout=timeout,
    )


def find_card(fake: FakeTelegram, mods_chat: Chat, needle: str) -> StoredMessage | None:
    """The moderators' card (with buttons) that shows ``needle``."""
    for message in reversed(fake.bot_messages(mods_chat)):
        if needle in (message.text or "") and any(b.get("text") == APPROVE_LABEL for b in message.buttons()):
            return message
    return None


async def approve(fake: FakeTelegram, moderator: FakeUser, card: StoredMessage) -> None:
    """Press «✅ انتشار» on a card and wait for the answer."""
    data = next(b["callback_data"] for b in card.buttons() if b.get("text") == APPROVE_LABEL)
    handle = await moderator.press(card, data)
    await handle.wait_answered()
