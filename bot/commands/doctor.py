"""``khabar doctor``: is the bot set up right in each chat? ✓/✗ per check, with the fix."""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from typing import Any

from telegram import Bot, ChatFullInfo, ChatMemberAdministrator, ChatMemberOwner
from telegram.error import BadRequest, NetworkError, TelegramError

from bot.logs import TOKEN_RE
from bot.network import proxy_secrets, telegram_request
from bot.settings import Settings, load_settings
from storage import migrate


@dataclass(frozen=True, slots=True)
class Check:
    """One line of the report."""

    ok: bool
    what: str
    fix: str = ""


def add_parser(sub: Any) -> None:
    """Register ``doctor``."""
    parser: argparse.ArgumentParser = sub.add_parser("doctor", help="check the token, chats and admin rights")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print every check; exit 0 only if all pass."""
    settings = load_settings(env_file=args.env_file)
    settings.require_bot()
    checks = asyncio.run(diagnose(settings))
    for check in checks:
        mark = "✓" if check.ok else "✗"
        line = f"{mark} {check.what}"
        if not check.ok and check.fix:
            line += f"\n    fix: {check.fix}"
        sys.stdout.write(line + "\n")
    return 0 if all(c.ok for c in checks) else 1


async def _chat(bot: Bot, ref: str, label: str, needed: dict[str, str]) -> tuple[ChatFullInfo | None, list[Check]]:
    """Reach the chat and check the bot's rights there; the numeric id is always shown."""
    try:
        target = await bot.get_chat(int(ref) if ref.lstrip("-").isdigit() else ref)
        member = await bot.get_chat_member(target.id, bot.id)
    except TelegramError as exc:
        return None, [Check(False, f"{label} {ref}: reachable ({exc.message})", f"add the bot to {label} {ref}")]
    name = f"{label} «{target.title or ref}» (id {target.id})"
    out = [Check(True, f"{name} is reachable")]
    if isinstance(member, ChatMemberOwner):
        return target, [*out, Check(True, f"bot owns {label}")]
    if not isinstance(member, ChatMemberAdministrator):
        return target, [*out, Check(False, f"bot is an admin of {label}", f"make the bot an admin of {label} {ref}")]
    for right, title in needed.items():
        ok = bool(getattr(member, right, False))
        out.append(Check(ok, f"{label}: right '{title}'", f"make the bot an admin of {label} with '{title}'"))
    return target, out


async def _discussion(bot: Bot, settings: Settings, channel: ChatFullInfo | None) -> list[Check]:
    """The linked discussion group: the configured one, or (as `khabar run` does) the channel's link."""
    linked = channel.linked_chat_id if channel is not None else None
    ref = settings.discussion_chat or (str(linked) if linked else None)
    if ref is None:
        native = settings.comment_mode == "native"
        return [Check(not native, "the channel has no linked discussion group: comments come through the bot's "
                      "private chat only", "link a discussion group to the channel (KHABAR_COMMENT_MODE=native needs one)")]
    label = "the discussion group" + ("" if settings.discussion_chat else " (linked to the channel)")
    group, checks = await _chat(bot, ref, label, {"can_delete_messages": "Delete messages"})
    if settings.discussion_chat and group is not None and linked is not None and group.id != linked:
        checks.append(Check(False, f"KHABAR_DISCUSSION_CHAT is the channel's linked group (linked: id {linked})",
                            f"set KHABAR_DISCUSSION_CHAT={linked}, or leave it empty to use the channel's link"))
    return checks


async def _moderators(bot: Bot, settings: Settings, chat_id: int) -> list[Check]:
    """Who may moderate: the configured ids (each must be in the moderators' group), or its human admins."""
    if not settings.moderators:
        try:
            admins = [m.user for m in await bot.get_chat_administrators(chat_id) if not m.user.is_bot]
        except TelegramError as exc:
            return [Check(False, f"moderators: the admins of the moderators' group ({exc.message})",
                          "make the bot an admin of the moderators' group")]
        names = ", ".join(f"«{u.full_name}» (id {u.id})" for u in admins) or "nobody"
        return [Check(bool(admins), f"moderators: every admin of the moderators' group may moderate: {names}",
                      "make the moderators admins of that group, or list their ids in KHABAR_MODERATORS")]
    out = []
    for uid in settings.moderators:
        try:
            member = await bot.get_chat_member(chat_id, uid)
        except TelegramError as exc:
            out.append(Check(False, f"moderator id {uid}: in the moderators' group ({exc.message})",
                             f"add user {uid} to the moderators' group, or correct KHABAR_MODERATORS (`khabar chats`)"))
            continue
        inside = member.status not in ("left", "kicked")
        out.append(Check(inside, f"moderator «{member.user.full_name}» (id {uid}) is in the moderators' group",
                         f"add user {uid} to the moderators' group, or correct KHABAR_MODERATORS (`khabar chats`)"))
    return out


def redact(text: str, settings: Settings) -> str:
    """Telegram's (and PTB's) error text with the token and proxy passwords taken out: some quote them back."""
    for secret in [settings.token, *proxy_secrets(settings)]:
        text = text.replace(secret, "***")
    return TOKEN_RE.sub("***", text)


async def diagnose(settings: Settings) -> list[Check]:
    """Run every check against the Bot API and the database."""
    checks: list[Check] = []
    bot = Bot(settings.token, base_url=settings.bot_api_url, base_file_url=settings.file_api_url,
              request=telegram_request(settings))  # through KHABAR_PROXY_URL, as `run` goes
    try:
        async with bot:
            me = await bot.get_me()
            checks.append(Check(True, f"token works: @{me.username} (id {me.id})"))
            post = {"can_post_messages": "Post messages", "can_edit_messages": "Edit messages of others",
                    "can_delete_messages": "Delete messages of others"}
            channel, found = await _chat(bot, settings.channel or "", "the channel", post)
            checks += found
            checks += await _discussion(bot, settings, channel)
            mods, found = await _chat(
                bot, settings.moderator_chat or "", "the moderators' group", {"can_delete_messages": "Delete messages"}
            )
            checks += found
            if mods is not None:
                checks += await _moderators(bot, settings, mods.id)
    except NetworkError as exc:  # TimedOut included; BadRequest is an answer from Telegram, not a network fault
        if isinstance(exc, BadRequest):
            checks.append(Check(False, f"token works ({redact(exc.message, settings)})",
                                "copy the token again from @BotFather (/mybots → API Token); check KHABAR_BOT_API_URL"))
        else:
            checks.append(Check(False, f"Telegram can be reached ({redact(exc.message, settings)})",
                                "check the network, KHABAR_PROXY_URL (is the proxy running?) and KHABAR_BOT_API_URL"))
    except TelegramError as exc:
        checks.append(Check(False, f"token works ({redact(exc.message, settings)})",
                            "copy the token again from @BotFather (/mybots → API Token); check KHABAR_BOT_API_URL"))
    rev = await migrate.current_revision(settings.database_url)
    head = migrate.head_revision()
    checks.append(Check(rev == head, f"database schema at {rev or '(empty)'} (newest {head})", "run `khabar db upgrade`"))
    if rev == head:
        checks += await _outbox(settings)
    return checks


async def _outbox(settings: Settings) -> list[Check]:
    """The outbox as an operator should see it: failures, a backlog nobody sends, unfinished repairs."""
    from datetime import UTC, datetime, timedelta

    from storage.db import Database
    from storage.repos import outbox

    now = datetime.now(UTC)
    db = Database(settings.database_url)
    try:
        async with db.transaction() as session:
            health = await outbox.health(session, now, failed_since=now - timedelta(days=1),
                                         overdue_before=now - timedelta(minutes=10))
    finally:
        await db.close()
    last = f"; last error: {health.last_error[:200]}" if health.last_error else ""
    return [
        Check(health.failed_recently == 0, f"outbox: {health.failed_recently} message(s) queued in the last 24 h failed for good{last}",
              "a permanent Telegram error (a right missing, a chat gone): fix the cause shown; the log has each one"),
        Check(health.overdue == 0, f"outbox: {health.overdue} message(s) waiting for over 10 minutes",
              "is `khabar run` running? Its log shows flood waits (429) and network errors"),
        Check(health.unrepaired == 0,
              f"outbox: {health.unrepaired} thread message(s) whose possible copies are not checked yet",
              "a send's answer was lost; while `khabar run` runs, its sweep looks every 5 minutes"),
    ]
