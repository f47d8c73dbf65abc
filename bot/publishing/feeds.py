"""Feeds: the list moderators manage, and polling with conditional GET, backoff and a first-poll limit."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from bot.publishing.article_file import ArticleDraft
from bot.publishing.articles import Target, add_article
from bot.publishing.feed_parse import FeedError, FeedItem, ParsedFeed, parse_feed
from bot.publishing.post_format import is_web_url
from storage.db import Database
from storage.models import Feed
from storage.repos import feeds as repo
from storage.repos import leases

log = logging.getLogger(__name__)

LEASE = "feeds"
MAX_BACKOFF = timedelta(hours=6)
MAX_NEW_PER_POLL = 20  # a feed that suddenly lists many unseen items does not flood the channel
USER_AGENT = "Khabar feed reader (+https://github.com/)"


@dataclass(frozen=True, slots=True)
class Fetched:
    """What one conditional GET gave: a new document, or "not modified"."""

    document: bytes | None
    etag: str | None
    last_modified: str | None


async def add_feed(session: AsyncSession, url: str, now: datetime) -> tuple[Feed, bool]:
    """Register a feed (due at once); (feed, False) if the URL is already there. ValueError if not http(s)."""
    url = url.strip()
    if not is_web_url(url):
        raise ValueError("feed URL must start with http:// or https://")
    created = await repo.insert_feed(session, url, now)
    feed = await repo.feed_by_url(session, url)
    return feed, created


async def list_feeds(session: AsyncSession) -> list[Feed]:
    """Every feed, oldest first."""
    return await repo.all_feeds(session)


async def remove_feed(session: AsyncSession, feed_id: int) -> bool:
    """Forget a feed (its articles stay); False if there was none."""
    return await repo.delete_feed(session, feed_id)


async def fetch(client: httpx.AsyncClient, url: str, etag: str | None, last_modified: str | None) -> Fetched:
    """GET ``url`` with If-None-Match / If-Modified-Since; raises httpx errors and for bad statuses."""
    headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, application/xml, */*"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    response = await client.get(url, headers=headers, follow_redirects=True)
    if response.status_code == 304:
        return Fetched(None, etag, last_modified)
    response.raise_for_status()
    return Fetched(response.content, response.headers.get("ETag"), response.headers.get("Last-Modified"))


def _draft(item: FeedItem) -> ArticleDraft:
    return ArticleDraft(
        title=item.title, lead=item.lead, link=item.link, image=item.image, published_at=item.published_at
    )


async def _store_items(
    session: AsyncSession, target: Target, feed: Feed, parsed: ParsedFeed, now: datetime
) -> int:
    """Articles for unseen items, oldest first; on the first poll only the newest few are posted."""
    limit = target.settings.feed_first_poll_items if not feed.first_poll_done else MAX_NEW_PER_POLL
    posted = 0
    for index, item in reversed(list(enumerate(parsed.items))):
        post = index < limit
        article = await add_article(
            session, target, _draft(item), now=now, dedupe_key=item.key, source="feed", feed_id=feed.id, post=post
        )
        posted += int(article is not None and post)
    return posted


async def _due(session: AsyncSession, now: datetime) -> list[Feed]:
    return await repo.due_feeds(session, now)


async def any_due(db: Database, now: datetime) -> bool:
    """Whether some feed is due (a cheap read before taking the lease)."""
    async with db.transaction() as session:
        return bool(await _due(session, now))


async def poll_feed(db: Database, client: httpx.AsyncClient, target: Target, feed: Feed, now: datetime) -> int:
    """Fetch one feed and store its new items; the number of posts queued (failures are recorded)."""
    every = timedelta(seconds=target.settings.feed_poll_seconds)
    try:
        fetched = await fetch(client, feed.url, feed.etag, feed.last_modified)
        parsed = parse_feed(fetched.document) if fetched.document is not None else None
    except (httpx.HTTPError, FeedError) as exc:
        failures = feed.failures + 1
        wait = min(MAX_BACKOFF, every * 2 ** min(failures, 10))
        error = f"{type(exc).__name__}: {exc}"[:1000]
        log.warning("feed poll failed", extra={"feed_id": feed.id, "failures": failures, "error": error})
        async with db.transaction() as session:
            row = await repo.feed(session, feed.id)
            if row is not None:
                row.failures, row.last_error, row.last_polled_at, row.next_poll_at = failures, error, now, now + wait
        return 0
    async with db.transaction() as session:
        row = await repo.feed(session, feed.id)
        if row is None:
            return 0  # removed while we fetched
        posted = await _store_items(session, target, row, parsed, now) if parsed is not None else 0
        if parsed is not None and parsed.title and not row.title:
            row.title = parsed.title[:500]
        row.etag, row.last_modified = fetched.etag, fetched.last_modified
        row.failures, row.last_error, row.first_poll_done = 0, None, True
        row.last_polled_at, row.next_poll_at = now, now + every
    log.info("feed polled", extra={"feed_id": feed.id, "posted": posted, "modified": parsed is not None})
    return posted


async def poll_due(db: Database, client: httpx.AsyncClient, target: Target, owner: str, now: datetime) -> int:
    """Poll every due feed if this instance holds the feeds lease; posts queued."""
    if not await any_due(db, now):
        return 0
    ttl = timedelta(seconds=max(60.0, 3 * target.settings.feed_timeout_seconds))
    async with db.transaction() as session:
        if not await leases.acquire(session, LEASE, owner, ttl, now):
            return 0
        due = await _due(session, now)
    posted = 0
    for feed in due:
        posted += await poll_feed(db, client, target, feed, now)
    return posted
