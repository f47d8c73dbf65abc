"""Bot API methods about the bot itself, updates/webhooks, chats, callbacks, commands and files."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from . import chats
from .errors import QUERY_TOO_OLD, bad_request, invalid
from .updates import Webhook

if TYPE_CHECKING:
    from .control import FakeTelegram

Params = dict[str, Any]
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


async def get_me(fake: FakeTelegram, p: Params) -> Any:
    return {**fake.world.bot.to_dict(), "can_join_groups": True,
            "can_read_all_group_messages": not fake.privacy_mode, "supports_inline_queries": False,
            "can_connect_to_business": False, "has_main_web_app": False}


async def get_updates(fake: FakeTelegram, p: Params) -> Any:
    return await fake.updates.get_updates(p.get("offset"), p.get("limit"), p.get("timeout"),
                                          p.get("allowed_updates"))


async def set_webhook(fake: FakeTelegram, p: Params) -> Any:
    url = p["url"]
    if not url:
        fake.updates.delete_webhook(False)
        return True
    if not re.match(r"https?://[^/\s]+", url):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.get("secret_token")
    if secret is not None and not _SECRET.fullmatch(secret):
        raise invalid("secret token contains unallowed characters" if len(secret) <= 256
                      else "secret token is too long")
    max_connections = p.get("max_connections", 40)
    if not 1 <= max_connections <= 100:
        raise invalid("bad webhook: max_connections must be between 1 and 100")
    hook = Webhook(url, secret, max_connections, p.get("allowed_updates"))
    fake.updates.set_webhook(hook, bool(p.get("drop_pending_updates")))
    return True


async def delete_webhook(fake: FakeTelegram, p: Params) -> Any:
    fake.updates.delete_webhook(bool(p.get("drop_pending_updates")))
    return True


async def get_webhook_info(fake: FakeTelegram, p: Params) -> Any:
    return fake.updates.webhook_info()


async def close(fake: FakeTelegram, p: Params) -> Any:
    return True


async def log_out(fake: FakeTelegram, p: Params) -> Any:
    return True


async def get_chat(fake: FakeTelegram, p: Params) -> Any:
    chat = chats.resolve(fake, p["chat_id"], for_write=False)
    info = fake.spec.defaults("ChatFullInfo", **chat.to_dict(), max_reaction_count=11)
    if chat.linked_chat_id is not None:
        info["linked_chat_id"] = chat.linked_chat_id
    if chat.type == "private":
        info.pop("title", None)
    return info


def _user(fake: FakeTelegram, user_id: int) -> Any:
    user = fake.world.users.get(user_id)
    if user is None and user_id == fake.world.bot.id:
        user = fake.world.bot
    if user is None:
        raise bad_request("user not found")
    return user


async def get_chat_member(fake: FakeTelegram, p: Params) -> Any:
    chat = chats.resolve(fake, p["chat_id"], for_write=False)
    user = fake.world.bot if p["user_id"] == fake.world.bot.id else _user(fake, p["user_id"])
    return chats.member_dict(fake, chat, user)


async def get_chat_administrators(fake: FakeTelegram, p: Params) -> Any:
    chat = chats.resolve(fake, p["chat_id"], for_write=False)
    if chat.type == "private":
        raise bad_request("there are no administrators in the private chat")
    out = []
    for user_id, member in chat.members.items():
        if member.is_admin:
            user = fake.world.bot if user_id == fake.world.bot.id else fake.world.users[user_id]
            out.append(chats.member_dict(fake, chat, user))
    return out


async def answer_callback_query(fake: FakeTelegram, p: Params) -> Any:
    text = p.get("text")
    if text is not None and len(text) > 200:
        raise invalid("MESSAGE_TOO_LONG: callback answer text must be at most 200 characters")
    handle = fake.callbacks.get(p["callback_query_id"])
    if handle is None or handle.answered or fake.clock.now() - handle.created > fake.callback_timeout:
        if handle is not None and not handle.answered:
            handle.late = True  # the bot tried, too late: Telegram let the query lapse
        raise bad_request(QUERY_TOO_OLD)
    handle.answered = True
    handle.text = text
    handle.show_alert = bool(p.get("show_alert"))
    handle.url = p.get("url")
    handle.answered_event.set()
    return True


def _commands_key(p: Params) -> tuple[str, str]:
    scope = p.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), p.get("language_code") or ""


async def set_my_commands(fake: FakeTelegram, p: Params) -> Any:
    commands = p["commands"]
    if len(commands) > 100:
        raise invalid("too many commands (at most 100)")
    language = p.get("language_code")
    if language is not None and not re.fullmatch(r"[a-z]{2}", language):
        raise invalid("invalid language_code: must be a two-letter ISO 639-1 code")
    fake.commands[_commands_key(p)] = [dict(c) for c in commands]
    return True


async def get_my_commands(fake: FakeTelegram, p: Params) -> Any:
    return fake.commands.get(_commands_key(p), [])


async def delete_my_commands(fake: FakeTelegram, p: Params) -> Any:
    fake.commands.pop(_commands_key(p), None)
    return True


async def get_file(fake: FakeTelegram, p: Params) -> Any:
    stored = fake.world.files.get(p["file_id"])
    if stored is None:
        raise bad_request("invalid file_id")
    return {"file_id": p["file_id"], "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content), "file_path": stored.path}


HANDLERS = {
    "getme": get_me,
    "getupdates": get_updates,
    "setwebhook": set_webhook,
    "deletewebhook": delete_webhook,
    "getwebhookinfo": get_webhook_info,
    "close": close,
    "logout": log_out,
    "getchat": get_chat,
    "getchatmember": get_chat_member,
    "getchatadministrators": get_chat_administrators,
    "answercallbackquery": answer_callback_query,
    "setmycommands": set_my_commands,
    "getmycommands": get_my_commands,
    "deletemycommands": delete_my_commands,
    "getfile": get_file,
}
