"""The «💬 نظرها (۳)» button: coalesced edits of a post's keyboard when its approved count changes."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.message_kinds import MessageKind
from bot.outbox import call
from bot.publishing.articles import Target, post_markup
from bot.settings import Settings
from storage.db import Database
from storage.models import Article, Delivery
from storage.repos import outbox
from storage.repos import publishing as repo

log = logging.getLogger(__name__)

COUNT_PREFIX = "count:"


def count_key(article_id: int) -> str:
    """The one outbox row that edits an article's count button."""
    return f"{COUNT_PREFIX}{article_id}"


async def _schedule(
    session: AsyncSession, target: Target, article: Article, existing: Delivery | None, now: datetime
) -> bool:
    """Queue (or refresh) the article's count edit; ``existing``: its outbox row, if it has one."""
    if article.channel_message_id is None or article.channel_chat_id is None:
        return False
    markup = post_markup(target, article, article.approved_count)
    if markup is None:
        return False
    # A raw editMessageReplyMarkup: PTB's edit_message_reply_markup adds the default parse_mode,
    # a parameter this method does not have (Telegram ignores it; strict servers refuse it).
    # Bot API method names are case-insensitive; the lowercase name avoids PTB's "use the method" warning.
    payload = call(
        "do_api_request",
        endpoint="editmessagereplymarkup",
        api_kwargs={"chat_id": article.channel_chat_id, "message_id": article.channel_message_id, "reply_markup": markup},
    )
    payload["shown_count"] = article.approved_count
    key = count_key(article.id)
    if existing is None:
        return await outbox.enqueue(
            session,
            kind=MessageKind.COUNT_EDIT,
            dedupe_key=key,
            chat_key=article.channel_chat_id,
            payload=payload,
            now=now,
            article_id=article.id,
        )
    if existing.status == outbox.SENDING:
        return False  # its on_sent will leave a difference the next run sees
    if existing.status == outbox.QUEUED and existing.payload.get("shown_count") == article.approved_count:
        return False  # already on its way (maybe waiting out a 429): keep its schedule
    await outbox.requeue(session, key, payload, now)
    return True


def edit_may_be_due(article: Article | None, settings: Settings, now: datetime) -> bool:
    """Whether `schedule_count_edits` could queue an edit of this article's button now: False when the
    article is not in the channel or its button was edited less than an interval ago (then the count job
    queues the edit once the interval has passed; counts_job runs at least every 5 seconds)."""
    if article is None or settings.comment_mode != "buttons" or article.channel_message_id is None:
        return False
    since = now - timedelta(seconds=settings.count_edit_interval_seconds)
    return article.count_edited_at is None or article.count_edited_at <= since


async def schedule_count_edits(
    db: Database, target: Target, now: datetime, *, article_id: int | None = None
) -> int:
    """Queue one keyboard edit per article whose shown count is stale and whose interval has passed."""
    if target.settings.comment_mode != "buttons":
        return 0
    since = now - timedelta(seconds=target.settings.count_edit_interval_seconds)
    scheduled = 0
    async with db.transaction() as session:
        stale = await repo.stale_counts(session, since, article_id=article_id, row_prefix=COUNT_PREFIX)
        for article, existing in stale:
            if await _schedule(session, target, article, existing, now):
                scheduled += 1
    return scheduled


async def on_count_sent(session: AsyncSession, row: Delivery, _message_id: int | None, now: datetime) -> None:
    """Outbox hook: the button now shows the payload's count."""
    await repo.count_shown(session, row.article_id, int(row.payload.get("shown_count", 0)), now)


# Answers meaning the channel post cannot carry a new count at all: an admin deleted it, or it can no
# longer be edited. Trying again each interval would fail the same way for as long as the bot runs.
_POST_GONE = ("message to edit not found", "message can't be edited", "message_id_invalid")


async def on_count_failed(session: AsyncSession, row: Delivery, error: str, now: datetime) -> None:
    """Outbox hook: a failed edit is tried again no sooner than the next interval; a post that is gone or
    can no longer be edited is left alone until its count changes again."""
    if any(text in error.lower() for text in _POST_GONE):
        await repo.count_shown(session, row.article_id, int(row.payload.get("shown_count", 0)), now)
        log.warning("count button cannot be edited: the channel post is gone or too old",
                    extra={"article_id": row.article_id, "error": error})
        return
    await repo.count_edit_tried(session, row.article_id, now)
    log.warning("count button edit failed", extra={"article_id": row.article_id, "error": error})
