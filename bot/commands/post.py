"""``khabar post FILE [--yes]``: queue an article from a JSON or Markdown file for the channel."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.settings import ConfigError, Settings, load_settings


def add_parser(sub: Any) -> None:
    """Register ``post``."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "post",
        help="queue an article (JSON, or Markdown with front matter) for the channel",
        description=(
            "Store the article and its channel post in the database; the running bot sends it. "
            "Keys: kicker, title (required), lead, body, link, image, published_at (ISO 8601), hashtags."
        ),
    )
    parser.add_argument("file", help="article file: .json, or .md with '---' front matter and the body below")
    parser.add_argument("--yes", "-y", action="store_true", help="do not ask before queueing")
    parser.set_defaults(handler=run)


def _fail(message: str) -> int:
    sys.stderr.write(f"khabar post: {message}\n")
    return 2


def run(args: argparse.Namespace) -> int:
    """Validate the file, show the post, ask, then store the article and its outbox row."""
    from bot.publishing.article_file import ArticleFileError, parse_article_file

    settings = load_settings(env_file=args.env_file)
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"{path}: cannot read the file: {exc}")
    try:
        draft = parse_article_file(text, path.suffix, settings.tz)
    except ArticleFileError as exc:
        return _fail(f"{path}: field '{exc.field}': {exc.problem}")
    sys.stdout.write(_preview(settings, draft) + "\n")
    if not args.yes:
        sys.stdout.write("Post this to the channel? [y/N] ")
        sys.stdout.flush()
        if sys.stdin.readline().strip().lower() not in ("y", "yes", "بله"):
            sys.stdout.write("cancelled: nothing stored\n")
            return 1
    return asyncio.run(_store(settings, draft))


def _preview(settings: Settings, draft: Any) -> str:
    from bot.publishing.post_format import CAPTION_LIMIT, TEXT_LIMIT, PostContent, parse_hashtags, render

    content = PostContent(
        title=draft.title,
        published_at=draft.published_at or datetime.now(UTC),
        kicker=draft.kicker,
        lead=draft.lead,
        link=draft.link,
        hashtags=parse_hashtags(settings.hashtags, draft.hashtags),
    )
    limit = CAPTION_LIMIT if draft.image else TEXT_LIMIT
    shown = render(content, settings.tz, limit=limit).visible
    photo = f"photo: {draft.image}\n" if draft.image else ""
    rule = "-" * 40
    return f"{rule}\n{photo}{shown}\n{rule}"


async def _store(settings: Settings, draft: Any) -> int:
    from telegram import Bot
    from telegram.error import BadRequest, NetworkError, TelegramError

    from bot.app import resolve_chat
    from bot.commands.doctor import redact
    from bot.network import telegram_request
    from bot.publishing.articles import Target, add_article
    from storage.db import Database

    settings.require_bot()
    try:
        async with Bot(settings.token, base_url=settings.bot_api_url, request=telegram_request(settings)) as bot:
            sys.stdout.write(f"bot: @{bot.username}\n")
            channel = await resolve_chat(bot, settings.channel)
    except NetworkError as exc:  # TimedOut is one; BadRequest is Telegram answering
        if isinstance(exc, BadRequest):
            sys.stderr.write(f"khabar post: Telegram refused: {redact(str(exc), settings)}\n")
            return 1
        sys.stderr.write(f"khabar post: Telegram could not be reached ({redact(str(exc), settings)}): "
                         "check KHABAR_PROXY_URL, KHABAR_BOT_API_URL and the network\n")
        return 1
    except TelegramError as exc:
        sys.stderr.write(f"khabar post: Telegram refused: {redact(str(exc), settings)}\n")
        return 1
    if channel is None:
        raise ConfigError("KHABAR_CHANNEL is not set: the channel's @username or numeric id")
    db = Database(settings.database_url)
    try:
        async with db.transaction() as session:
            article = await add_article(
                session, Target(settings, channel, bot.username), draft, now=datetime.now(UTC), source="manual"
            )
    finally:
        await db.close()
    if article is None:
        sys.stdout.write("this article was stored before (same title and link): nothing to do\n")
        return 0
    sys.stdout.write(f"article {article.id} stored; its post is queued: the running bot sends it to the channel\n")
    return 0
