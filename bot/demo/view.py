"""What the demo page shows: fakegram's chats as JSON, each bot message rendered from the HTML it sent."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

from bot.demo.newsroom import Newsroom
from bot.demo.sanitize import plain_html, telegram_html
from bot.jalali import fa_digits
from fakegram.world import TELEGRAM_ID, Chat, StoredMessage

QUOTE_CHARS = 90
MEDIA_LABELS = {"photo": "🖼", "sticker": "🙂", "voice": "🎤", "document": "📄"}


def start_payload(url: str, bot_username: str) -> str | None:
    """The ``start`` payload of a ``t.me/<bot>?start=…`` deep link to this bot, else None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.netloc.lower() not in ("t.me", "telegram.me"):
        return None
    if parts.path.strip("/").lower() != bot_username.lower():
        return None
    values = parse_qs(parts.query).get("start")
    return values[0] if values else ""


def _sender(room: Newsroom, msg: StoredMessage) -> tuple[str, str, int | None]:
    """(display name, kind, user id) of a message: kind is bot, channel, user or service."""
    data = msg.data
    if msg.chat.type == "channel":  # a channel's posts are signed by the channel, whoever sent them
        return msg.chat.title or "", "channel", None
    if msg.by_bot:
        return room.fake.world.bot.first_name, "bot", room.fake.world.bot.id
    sender_chat = data.get("sender_chat")
    if sender_chat is not None:
        return str(sender_chat.get("title") or ""), "channel", None
    sender = data.get("from") or {}
    if sender.get("id") == TELEGRAM_ID:
        return "Telegram", "service", TELEGRAM_ID
    name = " ".join(str(sender.get(k)) for k in ("first_name", "last_name") if sender.get(k))
    return name, "user", sender.get("id")


def _body_html(msg: StoredMessage) -> str:
    if msg.html is not None:
        return telegram_html(msg.html)
    text = msg.text if msg.text is not None else msg.caption
    media = next((label for key, label in MEDIA_LABELS.items() if key in msg.data), "")
    return (media + " " if media and text else media) + plain_html(text or "")


def _quote(parent: dict[str, Any]) -> dict[str, Any]:
    sender = parent.get("sender_chat") or parent.get("from") or {}
    text = " ".join(str(parent.get("text") or parent.get("caption") or "").split())
    if len(text) > QUOTE_CHARS:
        text = text[: QUOTE_CHARS - 1] + "…"
    return {"id": parent.get("message_id"), "name": sender.get("title") or sender.get("first_name") or "",
            "text": text}


def _buttons(msg: StoredMessage, bot_username: str) -> list[list[dict[str, Any]]]:
    rows: list[list[dict[str, Any]]] = []
    for row in (msg.reply_markup or {}).get("inline_keyboard", []):
        out: list[dict[str, Any]] = []
        for button in row:
            item: dict[str, Any] = {"text": str(button.get("text", ""))}
            if "callback_data" in button:
                item.update(kind="callback", data=str(button["callback_data"]))
            elif "url" in button:
                url = str(button["url"])
                payload = start_payload(url, bot_username)
                item.update(kind="url", url=url if payload is None else "", start=payload)
            else:
                item.update(kind="other")
            out.append(item)
        rows.append(out)
    return rows


def message_view(room: Newsroom, msg: StoredMessage, tz: ZoneInfo) -> dict[str, Any]:
    """One message as the page draws it."""
    name, kind, user_id = _sender(room, msg)
    moment = datetime.fromtimestamp(msg.date, UTC).astimezone(tz)
    parent = msg.data.get("reply_to_message")
    return {
        "id": msg.message_id,
        "name": name,
        "kind": kind,
        "user": user_id,
        "html": _body_html(msg),
        "time": fa_digits(moment.strftime("%H:%M")),
        "edited": msg.edited,
        "forward": bool(msg.data.get("is_automatic_forward")),
        "thread": msg.thread_root,
        "reply": _quote(parent) if parent else None,
        "buttons": _buttons(msg, room.fake.world.bot.username or ""),
    }


def chat_view(room: Newsroom, chat: Chat, tz: ZoneInfo) -> dict[str, Any]:
    """A chat's title and the messages it shows now (deleted ones are gone, as in Telegram)."""
    return {
        "id": chat.id,
        "title": chat.title or "",
        "messages": [message_view(room, m, tz) for m in room.fake.chat_messages(chat)],
    }


def world_view(room: Newsroom, tz: ZoneInfo) -> dict[str, Any]:
    """Every pane of the page: channel, discussion group, moderators' group, each reader's private chat."""
    bot = room.fake.world.bot
    return {
        "bot": {"username": bot.username, "name": bot.first_name, "id": bot.id},
        "people": [{"key": p.key, "name": p.name, "role": p.role, "id": p.user.id} for p in room.people.values()],
        "channel": chat_view(room, room.channel, tz),
        "group": chat_view(room, room.group, tz),
        "mods": chat_view(room, room.mods_chat, tz),
        "private": {
            p.key: chat_view(room, p.user.private_chat, tz)["messages"] for p in room.of_role("reader")
        },
    }
