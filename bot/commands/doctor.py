"""``khabar doctor``: is the bot set up right in each chat? ✓/✗ per check, with the fix."""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import dataclass
from typing import Any

from telegram import Bot, ChatMemberAdministrator, ChatMemberOwner
from telegram.error import TelegramError

from bot.network import telegram_request
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


async def _rights(bot: Bot, chat: str, label: str, needed: dict[str, str]) -> list[Check]:
    try:
        target = await bot.get_chat(int(chat) if chat.lstrip("-").isdigit() else chat)
        member = await bot.get_chat_member(target.id, bot.id)
    except TelegramError as exc:
        return [Check(False, f"{label} {chat}: reachable ({exc.message})", f"add the bot to {label} {chat}")]
    out = [Check(True, f"{label} «{target.title or chat}» is reachable")]
    if isinstance(member, ChatMemberOwner):
        return [*out, Check(True, f"bot owns {label}")]
    if not isinstance(member, ChatMemberAdministrator):
        return [*out, Check(False, f"bot is an admin of {label}", f"make the bot an admin of {label} {chat}")]
    for right, name in needed.items():
        ok = bool(getattr(member, right, False))
        out.append(Check(ok, f"{label}: right '{name}'", f"make the bot an admin of {label} with '{name}'"))
    return out


async def diagnose(settings: Settings) -> list[Check]:
    """Run every check against the Bot API and the database."""
    checks: list[Check] = []
    bot = Bot(settings.token, base_url=settings.bot_api_url, base_file_url=settings.file_api_url,
              request=telegram_request(settings))  # through KHABAR_PROXY_URL, as `run` goes
    try:
        async with bot:
            me = await bot.get_me()
            checks.append(Check(True, f"token works: @{me.username}"))
            post = {"can_post_messages": "Post messages", "can_edit_messages": "Edit messages of others",
                    "can_delete_messages": "Delete messages of others"}
            checks += await _rights(bot, settings.channel or "", "the channel", post)
            if settings.discussion_chat:
                checks += await _rights(
                    bot, settings.discussion_chat, "the discussion group", {"can_delete_messages": "Delete messages"}
                )
            checks += await _rights(
                bot, settings.moderator_chat or "", "the moderators' group", {"can_delete_messages": "Delete messages"}
            )
    except TelegramError as exc:
        checks.append(Check(False, f"token works ({exc.message})", "check KHABAR_BOT_TOKEN and KHABAR_BOT_API_URL"))
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
