"""Articles into the database and the outbox: one transaction records the article and its post."""

from __future__ import annotations

import html
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.helpers import create_deep_linked_url

from bot.domain.message_kinds import MessageKind
from bot.outbox import call
from bot.publishing.article_file import ArticleDraft
from bot.publishing.dedupe import manual_key
from bot.publishing.post_format import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    PostContent,
    keyboard,
    parse_hashtags,
    render,
)
from bot.settings import Settings
from bot.texts import publishing as texts
from storage.models import Article, Delivery
from storage.repos import outbox
from storage.repos import publishing as repo

log = logging.getLogger(__name__)

QUEUED, POSTED, FAILED, SKIPPED = "queued", "posted", "failed", "skipped"


@dataclass(frozen=True, slots=True)
class Target:
    """Where and how posts go: settings, the channel's numeric id, the bot's username for deep links."""

    settings: Settings
    channel_id: int
    bot_username: str


def new_token() -> str:
    """A random, URL-safe article token (12 characters of A-Za-z0-9_-), never starting with «-».

    Operators type tokens after options (``khabar export --article TOKEN``); one starting with «-»
    would be read as another option.
    """
    while True:
        token = secrets.token_urlsafe(9)
        if not token.startswith("-"):
            return token


def deep_link(bot_username: str, token: str) -> str:
    """``https://t.me/<bot>?start=a-<token>``: opens the article in the bot."""
    return create_deep_linked_url(bot_username, "a-" + token)


def post_content(settings: Settings, article: Article) -> PostContent:
    """The article as the post format sees it."""
    return PostContent(
        title=article.title,
        published_at=article.published_at,
        kicker=article.kicker,
        lead=article.lead,
        link=article.link,
        hashtags=parse_hashtags(settings.hashtags, article.hashtags),
    )


def post_markup(target: Target, article: Article, count: int) -> dict[str, Any] | None:
    """The post's inline keyboard, or None in native-comments mode."""
    if target.settings.comment_mode != "buttons":
        return None
    return keyboard(deep_link(target.bot_username, article.token), count)


def post_payload(target: Target, article: Article) -> dict[str, Any]:
    """The outbox payload that posts ``article`` (a photo post when it has an image)."""
    content = post_content(target.settings, article)
    markup = post_markup(target, article, article.approved_count)
    extra: dict[str, Any] = {} if markup is None else {"reply_markup": markup}
    tz = target.settings.tz
    text = call("send_message", chat_id=target.channel_id, text=render(content, tz, limit=TEXT_LIMIT).html, **extra)
    if article.image:
        caption = render(content, tz, limit=CAPTION_LIMIT)
        payload = call("send_photo", chat_id=target.channel_id, photo=article.image, caption=caption.html, **extra)
        payload[TEXT_INSTEAD] = text  # if Telegram cannot take the image (see on_post_failed)
    else:
        payload = text
    payload["shown_count"] = article.approved_count
    return payload


TEXT_INSTEAD = "text_instead"
# Telegram fetches a post's image from its URL itself; these answers mean it could not use the image
# (too large, not an image, the site refused it, unreachable), not that the channel refused the post.
_IMAGE_REFUSED = ("url", "file", "photo", "image", "web page content", "dimensions")


async def _next_slot(session: AsyncSession, chat_key: str, now: datetime, per_minute: int) -> datetime:
    """The earliest time for the next channel post so that posts stay under ``per_minute``."""
    last = await repo.last_post_slot(session, chat_key)
    if last is None:
        return now
    return max(now, last + timedelta(seconds=60.0 / per_minute))


async def add_article(
    session: AsyncSession,
    target: Target,
    draft: ArticleDraft,
    *,
    now: datetime,
    dedupe_key: str | None = None,
    source: str = "manual",
    feed_id: int | None = None,
    post: bool = True,
) -> Article | None:
    """Store a new article and (``post``) its channel post in the outbox; None if it is a duplicate."""
    key = dedupe_key or manual_key(draft.title, draft.link)
    values = {
        "token": new_token(),
        "source": source,
        "feed_id": feed_id,
        "dedupe_key": key,
        "kicker": draft.kicker,
        "title": draft.title[:1000],
        "lead": draft.lead,
        "body": draft.body,
        "link": draft.link,
        "image": draft.image,
        "hashtags": draft.hashtags,
        "published_at": draft.published_at or now,
        "created_at": now,
        "delivery_state": QUEUED if post else SKIPPED,
        "is_photo": bool(draft.image),
    }
    if not await repo.insert_article(session, values):
        return None
    article = await repo.article_by_dedupe_key(session, key)
    if post:
        chat_key = str(target.channel_id)
        slot = await _next_slot(session, chat_key, now, target.settings.channel_posts_per_minute)
        await outbox.enqueue(
            session,
            kind=MessageKind.ARTICLE_POST,
            dedupe_key=f"article:{article.id}",
            chat_key=chat_key,
            payload=post_payload(target, article),
            now=now,
            not_before=slot,
            article_id=article.id,
        )
    log.info("article stored", extra={"article_id": article.id, "source": source, "posted": post})
    return article


async def record_posted(session: AsyncSession, article_id: int, chat_id: int, message_id: int, shown: int) -> bool:
    """Remember the channel message of an article; False if it was already known."""
    return await repo.mark_posted(session, article_id, chat_id, message_id, POSTED, shown)


async def on_post_sent(session: AsyncSession, row: Delivery, message_id: int | None, now: datetime) -> None:
    """Outbox hook: the post is in the channel."""
    if row.article_id is None or message_id is None:
        return
    shown = int(row.payload.get("shown_count", 0))
    if await record_posted(session, row.article_id, int(row.chat_key), message_id, shown):
        log.info("article posted", extra={"article_id": row.article_id, "message_id": message_id})


async def on_post_failed(moderators_chat: int, session: AsyncSession, row: Delivery, error: str, now: datetime) -> None:
    """Outbox hook (the moderators' chat bound by bot/outbox_kinds.py): mark the article failed, tell them once.

    A photo post whose image Telegram could not use is posted as text instead (in this transaction), so
    a feed's oversized or hot-link-protected image does not keep the news out of the channel."""
    if row.article_id is None:
        return
    instead = row.payload.get(TEXT_INSTEAD)
    # Only Telegram's answer about the image itself, to a send that surely did not post (an uncertain
    # attempt may have posted the photo after all: a text post beside it would be a second post).
    about_image = any(word in error.lower() for word in _IMAGE_REFUSED) and "button" not in error.lower()
    if isinstance(instead, dict) and about_image and not row.uncertain and not error.startswith("gave up"):
        await outbox.enqueue(session, kind=MessageKind.ARTICLE_POST, dedupe_key=f"article-text:{row.article_id}",
                             chat_key=row.chat_key, payload={**instead, "shown_count": row.payload.get("shown_count", 0)},
                             now=now, article_id=row.article_id)
        log.warning("article image refused by Telegram; posting it as text",
                    extra={"article_id": row.article_id, "error": error})
        return
    await repo.set_delivery_state(session, row.article_id, FAILED)
    title = await repo.article_title(session, row.article_id)
    text = texts.POST_FAILED.format(title=html.escape(title[:300], quote=False), error=html.escape(error[:500]))
    await outbox.enqueue(
        session,
        kind=MessageKind.NOTIFY,
        dedupe_key=f"report:article:{row.article_id}",
        chat_key=moderators_chat,
        payload=call("send_message", chat_id=moderators_chat, text=text, no_preview=True),
        now=now,
    )
    log.error("article post failed for good", extra={"article_id": row.article_id, "error": error})


async def by_token(session: AsyncSession, token: str) -> Article | None:
    """The article a deep link names."""
    return await repo.article_by_token(session, token)
