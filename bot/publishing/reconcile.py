"""The discussion link, and exactly-once posting after a crash: the automatic forward tells the truth.

Telegram copies every channel post into the linked discussion group. When that copy arrives we
store it on the article. If the article's send had reached Telegram but its outcome was never
committed (a crash, a lost response), the copy is matched to the in-flight delivery by its visible
text and the delivery is marked sent, so the outbox never posts it a second time.

Without a linked discussion group there is no copy: a crash between Telegram's answer and the
commit then leads to a second post once the claim expires (at-least-once, not exactly-once).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.publishing.articles import record_posted
from bot.publishing.post_format import same_text, visible_text
from storage.db import Database
from storage.models import Delivery
from storage.repos import outbox
from storage.repos import reconcile as repo

log = logging.getLogger(__name__)

GRACE = timedelta(seconds=15)
SENDER_GRACE = timedelta(seconds=30)  # how long a live sender may take to record a post it sent  # how long a possibly-sent post waits for its automatic forward
_GRACE_MARK = "[grace] "


async def _in_flight_match(session: AsyncSession, channel_id: int, text: str) -> Delivery | None:
    for row in await repo.in_flight_posts(session, channel_id):
        args = row.payload.get("args", {})
        markup = args.get("text") or args.get("caption") or ""
        if same_text(visible_text(markup), text):
            return row
    return None


async def capture_forward(
    db: Database, *, channel_id: int, post_id: int, group_id: int, copy_id: int, text: str, now: datetime
) -> int | None:
    """Store the discussion copy of channel post ``post_id``; the article id, or None if not ours."""
    async with db.transaction() as session:
        article_id = await repo.article_of_post(session, channel_id, post_id)
        row = None if article_id is not None else await _in_flight_match(session, channel_id, text)
        if row is not None and row.article_id is not None:
            article_id = row.article_id
            await record_posted(session, article_id, channel_id, post_id, int(row.payload.get("shown_count", 0)))
            if row.status == outbox.SENDING and row.claimed_until is not None and row.claimed_until > now:
                # The sender is probably about to record it; settle_known_posts covers it if it died.
                log.info("post recorded from its automatic forward", extra={"article_id": article_id})
            else:
                await outbox.settle_post(session, row.id, post_id, now)
                log.warning(
                    "post recorded from its automatic forward (send outcome was not committed)",
                    extra={"article_id": article_id, "message_id": post_id},
                )
        elif article_id is None:
            # The sender may have committed between the two reads (PostgreSQL's READ COMMITTED shows
            # this transaction that commit now): look the post up once more before giving up.
            article_id = await repo.article_of_post(session, channel_id, post_id)
            if article_id is None:
                return None
        await repo.set_discussion_copy(session, article_id, group_id, copy_id)
    log.info("discussion copy stored", extra={"article_id": article_id, "discussion_message_id": copy_id})
    return article_id


async def settle_known_posts(db: Database, now: datetime, lease: timedelta) -> int:
    """Mark sent the post deliveries whose article is known to be in the channel (its forward came).

    A row still claimed is left to its sender for ``SENDER_GRACE``; after that the sender is taken
    for dead, long before its claim would expire and another worker would post again.
    """
    stale_claim = now + lease - SENDER_GRACE
    settled = 0
    async with db.transaction() as session:
        for row, message_id in await repo.known_posts_unsettled(session, stale_claim):
            if message_id is None:  # excluded by the query; narrows the type (SQLAlchemy 2.1 types rows)
                continue
            await outbox.settle_post(session, row.id, int(message_id), now)
            settled += 1
            log.warning("post delivery settled from its automatic forward", extra={"article_id": row.article_id})
    return settled


async def hold_uncertain_posts(db: Database, now: datetime, *, startup: bool = False) -> int:
    """Give posts that may already be in the channel time for their automatic forward to arrive.

    At start-up (before the outbox worker runs) rows left "sending" by a crashed process are put
    back in the queue after a grace period; while running, rows queued for a retry after a network
    error or timeout (not a 429) are held back once the same way. The number of rows held.
    """
    held = 0
    async with db.transaction() as session:
        for row in await repo.uncertain_posts(session, now, startup=startup):
            error = row.error or ""
            if error.startswith(_GRACE_MARK) or "retry after" in error.lower():
                continue
            outbox.hold_back(row, max(row.next_attempt_at, now + GRACE),
                           _GRACE_MARK + (error or "claim expired: the sender stopped before recording the outcome"))
            held += 1
            log.warning("post held back for its automatic forward", extra={"article_id": row.article_id})
    return held
