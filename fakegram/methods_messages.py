"""Bot API methods that send, edit and delete messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import chats
from .errors import (
    CANT_DELETE,
    CANT_EDIT,
    DELETE_NOT_FOUND,
    EDIT_NOT_FOUND,
    NOT_MODIFIED,
    REPLY_NOT_FOUND,
    ApiError,
    bad_request,
    invalid,
)
from .posting import deliver
from .text import format_text
from .validate import Upload
from .world import Chat, StoredMessage

if TYPE_CHECKING:
    from .control import FakeTelegram

Params = dict[str, Any]
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024


def _text(p: Params, key: str = "text", entities_key: str = "entities") -> tuple[str, list[dict[str, Any]]]:
    text, entities = format_text(p.get(key) or "", p.get("parse_mode"), p.get(entities_key))
    if not text:
        raise invalid("message text is empty")
    if len(text) > TEXT_LIMIT:
        raise invalid("message is too long")
    return text, entities


def _caption(p: Params) -> tuple[str, list[dict[str, Any]]]:
    caption, entities = format_text(p.get("caption") or "", p.get("parse_mode"), p.get("caption_entities"))
    if len(caption) > CAPTION_LIMIT:
        raise invalid("message caption is too long")
    return caption, entities


def _markup(p: Params) -> dict[str, Any] | None:
    """The reply_markup a message keeps: only inline keyboards are part of a Message."""
    markup = p.get("reply_markup")
    if markup and "inline_keyboard" in markup:
        return dict(markup)
    return None


def _reply(fake: FakeTelegram, chat: Chat, p: Params) -> tuple[StoredMessage | None, int | None]:
    reply_to: StoredMessage | None = None
    rp = p.get("reply_parameters")
    if rp:
        if "chat_id" in rp and fake.world.find_chat(rp["chat_id"]) is not chat:
            raise invalid("fakegram does not implement replies to messages in other chats")
        reply_to = fake.world.message(chat, rp["message_id"])
        if reply_to is None and not rp.get("allow_sending_without_reply"):
            raise bad_request(REPLY_NOT_FOUND)
    thread_root: int | None = None
    if "message_thread_id" in p:
        root = fake.world.message(chat, p["message_thread_id"]) if chat.type == "supergroup" else None
        if root is None:
            raise bad_request("message thread not found")
        thread_root = root.thread_root or root.message_id
    return reply_to, thread_root


def sent_html(p: Params, key: str) -> str | None:
    """The text or caption exactly as the bot sent it, when it sent HTML (kept for viewers like the demo)."""
    value = p.get(key)
    return value if isinstance(value, str) and str(p.get("parse_mode") or "").lower() == "html" else None


def _send(fake: FakeTelegram, chat: Chat, p: Params, body: dict[str, Any], html_key: str = "text") -> dict[str, Any]:
    reply_to, thread_root = _reply(fake, chat, p)
    body.update(chats.bot_body(fake, chat))
    markup = _markup(p)
    if markup:
        body["reply_markup"] = markup
    if p.get("protect_content"):
        body["has_protected_content"] = True
    msg = fake.world.new_message(chat, fake.world.bot.id, body, by_bot=True, reply_to=reply_to,
                                 thread_root=thread_root)
    msg.html = sent_html(p, html_key)
    deliver(fake, msg)
    return msg.snapshot()


async def send_message(fake: FakeTelegram, p: Params) -> Any:
    chat = chats.resolve(fake, p["chat_id"])
    chats.check_can_send(fake, chat)
    text, entities = _text(p)
    chats.check_flood(fake, "sendMessage", chat)
    body: dict[str, Any] = {"text": text, "entities": entities}
    if p.get("link_preview_options"):
        body["link_preview_options"] = p["link_preview_options"]
    return _send(fake, chat, p, body)


async def send_photo(fake: FakeTelegram, p: Params) -> Any:
    chat = chats.resolve(fake, p["chat_id"])
    chats.check_can_send(fake, chat, "photos")
    caption, entities = _caption(p)
    photo = p["photo"]
    if isinstance(photo, Upload):
        stored = fake.world.add_file(photo.content, "photos", "jpg")
    elif photo.startswith(("http://", "https://")):
        stored = fake.world.add_file(b"fake photo from " + photo.encode(), "photos", "jpg")
    elif photo in fake.world.files:
        stored = fake.world.files[photo]
    else:
        raise bad_request("wrong file identifier/HTTP URL specified")
    chats.check_flood(fake, "sendPhoto", chat)
    body: dict[str, Any] = {"photo": fake.world.photo_sizes(stored), "caption": caption,
                            "caption_entities": entities}
    return _send(fake, chat, p, body, "caption")


def _edit_target(fake: FakeTelegram, p: Params, method: str) -> StoredMessage:
    if "inline_message_id" in p:
        raise invalid("fakegram does not implement inline messages (inline_message_id)")
    chat = chats.resolve(fake, p["chat_id"])
    msg = fake.world.message(chat, p["message_id"])
    if msg is None:
        raise bad_request(EDIT_NOT_FOUND)
    if not chats.can_edit(fake, msg):
        raise bad_request(CANT_EDIT)
    return msg


def _apply_edit(fake: FakeTelegram, msg: StoredMessage, changes: dict[str, Any], method: str,
                html: tuple[Params, str] | None = None) -> Any:
    current = {k: msg.data.get(k) or None for k in changes}
    wanted = {k: v or None for k, v in changes.items()}
    if current == wanted:
        raise bad_request(NOT_MODIFIED)
    chats.check_flood(fake, method, msg.chat)
    msg.history.append(msg.snapshot())
    for key, value in wanted.items():
        if value is None:
            msg.data.pop(key, None)
        else:
            msg.data[key] = value
    msg.data["edit_date"] = int(fake.clock.now())
    msg.edited = True
    if html is not None:
        msg.html = sent_html(*html)
    deliver(fake, msg, edited=True)
    return msg.snapshot()


async def edit_message_text(fake: FakeTelegram, p: Params) -> Any:
    if "rich_message" in p:
        raise invalid("fakegram does not implement rich_message")
    msg = _edit_target(fake, p, "editMessageText")
    if msg.text is None:
        raise bad_request("there is no text in the message to edit")
    text, entities = _text(p)
    changes = {"text": text, "entities": entities, "reply_markup": _markup(p)}
    # As Telegram does: an edit without link_preview_options gets the default (a preview of the text's
    # first link), whatever the message had before.
    if p.get("link_preview_options"):
        msg.data["link_preview_options"] = p["link_preview_options"]
    else:
        msg.data.pop("link_preview_options", None)
    return _apply_edit(fake, msg, changes, "editMessageText", (p, "text"))


async def edit_message_caption(fake: FakeTelegram, p: Params) -> Any:
    msg = _edit_target(fake, p, "editMessageCaption")
    if msg.text is not None:
        raise bad_request("there is no caption in the message to edit")
    caption, entities = _caption(p)
    changes = {"caption": caption, "caption_entities": entities, "reply_markup": _markup(p)}
    return _apply_edit(fake, msg, changes, "editMessageCaption", (p, "caption"))


async def edit_message_reply_markup(fake: FakeTelegram, p: Params) -> Any:
    msg = _edit_target(fake, p, "editMessageReplyMarkup")
    return _apply_edit(fake, msg, {"reply_markup": _markup(p)}, "editMessageReplyMarkup")


def _delete_one(fake: FakeTelegram, chat: Chat, message_id: int) -> None:
    msg = fake.world.message(chat, message_id)
    if msg is None:
        raise bad_request(DELETE_NOT_FOUND)
    if not chats.can_delete(fake, msg):
        raise bad_request(CANT_DELETE)
    msg.deleted = True


async def delete_message(fake: FakeTelegram, p: Params) -> Any:
    chat = chats.resolve(fake, p["chat_id"])
    _delete_one(fake, chat, p["message_id"])
    return True


async def delete_messages(fake: FakeTelegram, p: Params) -> Any:
    ids = p["message_ids"]
    if not 1 <= len(ids) <= 100:
        raise invalid("message_ids must contain 1-100 identifiers")
    chat = chats.resolve(fake, p["chat_id"])
    deleted = 0
    for message_id in ids:
        try:
            _delete_one(fake, chat, message_id)
            deleted += 1
        except ApiError:  # Telegram skips messages it can't delete
            continue
    if not deleted:
        raise bad_request(DELETE_NOT_FOUND)
    return True


HANDLERS = {
    "sendmessage": send_message,
    "sendphoto": send_photo,
    "editmessagetext": edit_message_text,
    "editmessagecaption": edit_message_caption,
    "editmessagereplymarkup": edit_message_reply_markup,
    "deletemessage": delete_message,
    "deletemessages": delete_messages,
}
