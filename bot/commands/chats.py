"""``khabar chats``: the chats and users the bot has seen, with the ids to put in .env."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from typing import Any

from bot.settings import Settings, load_settings
from storage.repos.seen import Sighting

HOW = (
    "To be seen: add the bot to the channel (as an admin) and to each group, then send any message in each group\n"
    "(while the bot is not an admin there, a command such as /start@{bot} — privacy mode shows it only commands)."
)


def add_parser(sub: Any) -> None:
    """Register ``chats``."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "chats",
        help="list the chats and users the bot has seen, with their numeric ids (needs only the token)",
        description=(
            "Ids come from the bot's database (the running bot records every group, channel and group member it "
            "sees) and, when no bot is polling, from Telegram's pending updates (read without consuming them)."
        ),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print what is known; exit 0 (1 when nothing has been seen yet)."""
    settings = load_settings(env_file=args.env_file)
    settings.require_token()
    rows, username, notes = asyncio.run(_gather(settings))
    for note in notes:
        sys.stdout.write(note + "\n")
    if not rows:
        sys.stdout.write("no chats seen yet.\n" + HOW.format(bot=username) + "\n")
        return 1
    sys.stdout.write(_table(settings, rows))
    return 0


async def _gather(settings: Settings) -> tuple[list[Sighting], str, list[str]]:
    notes: list[str] = []
    found = await _stored(settings)
    ready = found is not None
    stored, polling = found or ([], False)
    if not ready:
        notes.append("(no database schema yet: showing what Telegram holds; `khabar db upgrade` keeps a record)")
    if polling:
        notes.append("the bot is running (polling): it records each chat as it sees one")
    # Never read updates beside a polling bot: a second getUpdates would cut its long poll short.
    username, peeked, problem = await _peek(settings, read_updates=not polling)
    if problem:
        notes.append(problem)
    if peeked and ready:
        from bot.seen import SeenChats
        from storage.db import Database

        db = Database(settings.database_url)
        try:
            await SeenChats().note(db, peeked, datetime.now(UTC))
        finally:
            await db.close()
    merged = {s.id: s for s in stored}
    merged.update({s.id: s for s in peeked})
    return list(merged.values()), username, notes


async def _stored(settings: Settings) -> tuple[list[Sighting], bool] | None:
    """What the running bot recorded and whether a bot is polling now (its lease is live); None: no table."""
    from sqlalchemy import inspect, select

    from bot.instance import POLLING
    from storage.backup import sqlite_file
    from storage.db import Database, is_sqlite
    from storage.models import Lease
    from storage.repos import seen

    if is_sqlite(settings.database_url) and not sqlite_file(settings.database_url).exists():
        return None  # do not create an empty database file just to look
    db = Database(settings.database_url)
    try:
        async with db.engine.connect() as conn:
            tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        if not {"seen_chats", "leases"} <= tables:
            return None
        async with db.transaction() as session:
            rows = await seen.all_seen(session)
            lease = await session.scalar(select(Lease).where(Lease.name == POLLING))
    finally:
        await db.close()
    polling = lease is not None and lease.expires_at > datetime.now(UTC)
    return [Sighting(r.id, r.kind, r.title, r.username, r.seen_in) for r in rows], polling


async def _peek(settings: Settings, *, read_updates: bool) -> tuple[str, list[Sighting], str]:
    """The bot's username and the chats in Telegram's pending updates (none is confirmed, so none is lost)."""
    from telegram import Bot
    from telegram.error import Conflict, InvalidToken, TelegramError

    from bot.network import telegram_request
    from bot.seen import sightings_of
    from bot.settings import ConfigError

    try:
        async with Bot(settings.token, base_url=settings.bot_api_url, request=telegram_request(settings)) as bot:
            if not read_updates:
                return bot.username, [], ""
            try:
                updates = await bot.get_updates(timeout=0, limit=100)
            except Conflict:
                return bot.username, [], (
                    "Telegram's pending updates are not readable now (a webhook is set, or a bot is polling): "
                    "the list below is what the running bot recorded")
    except InvalidToken:
        raise ConfigError("KHABAR_BOT_TOKEN: Telegram refused the token; copy it again from @BotFather") from None
    except TelegramError as exc:
        return "your_bot", [], f"Telegram did not answer ({type(exc).__name__}): showing only what is recorded"
    return bot.username, [s for u in updates for s in sightings_of(u)], ""


def _roles(settings: Settings) -> dict[str, str]:
    roles = {}
    for key, value in (("KHABAR_CHANNEL", settings.channel), ("KHABAR_DISCUSSION_CHAT", settings.discussion_chat),
                       ("KHABAR_MODERATOR_CHAT", settings.moderator_chat)):
        if value:
            roles[value.lower()] = key
    for uid in settings.moderators:
        roles[str(uid)] = "in KHABAR_MODERATORS"
    return roles


def _table(settings: Settings, rows: list[Sighting]) -> str:
    roles = _roles(settings)
    titles = {s.id: s.title for s in rows if s.kind != "user"}
    chats = sorted((s for s in rows if s.kind != "user"), key=lambda s: (s.kind, s.title))
    users = sorted((s for s in rows if s.kind == "user"), key=lambda s: (s.seen_in or 0, s.title))
    out = ["Chats (put an id in KHABAR_CHANNEL, KHABAR_MODERATOR_CHAT or KHABAR_DISCUSSION_CHAT):"]
    for s in chats:
        out.append(f"  {s.id:>15}  {s.kind:<10}  {_name(s)}{_role(roles, s)}")
    out.append("People seen writing in those groups (their ids go in KHABAR_MODERATORS, comma-separated):")
    for s in users:
        where = titles.get(s.seen_in or 0, str(s.seen_in))
        out.append(f"  {s.id:>15}  {_name(s)}  in «{where}»{_role(roles, s)}")
    if not users:
        out.append("  (nobody yet: ask each moderator to send a message in the moderators' group)")
    return "\n".join(out) + "\n"


def _name(s: Sighting) -> str:
    return f"«{s.title}»" + (f" @{s.username}" if s.username else "")


def _role(roles: dict[str, str], s: Sighting) -> str:
    role = roles.get(str(s.id)) or (roles.get("@" + s.username.lower()) if s.username else None)
    return f"  ← {role}" if role else ""
