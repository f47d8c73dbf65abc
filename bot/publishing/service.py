"""Publishing services other parts call with ``deps``: wiring, links, /feeds, the discussion copy."""

from __future__ import annotations

import asyncio
import html
import logging

from bot import network
from bot.deps import Deps, KhabarApp, KhabarContext
from bot.jalali import fa_digits
from bot.publishing import counts, feeds, reconcile
from bot.publishing.articles import Target, deep_link
from bot.texts import publishing as texts
from storage.models import Article

log = logging.getLogger(__name__)

FEED_CHECK_SECONDS = 2.0
HOLD_CHECK_SECONDS = 1.0


def target_of(deps: Deps) -> Target:
    """Where posts go, from the running bot's dependencies."""
    return Target(deps.settings, deps.chats.channel, deps.bot_username)


def article_link(deps: Deps, article: Article) -> str:
    """The deep link that opens ``article`` in the bot (for buttons and messages of other areas)."""
    return deep_link(deps.bot_username, article.token)


class FeedPoller:
    """Runs feed polls one at a time, in the background, so the JobQueue never waits on the network."""

    def __init__(self, app: KhabarApp, deps: Deps) -> None:
        self._app, self._deps = app, deps
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[int] | None = None

    async def run(self) -> int:
        """Poll every due feed now (waits for a poll in progress first); posts queued."""
        async with self._lock:
            deps = self._deps
            if not await feeds.any_due(deps.db, deps.clock()):
                return 0  # no HTTP client (and its TLS context, ~ms of CPU) every FEED_CHECK_SECONDS for nothing
            async with network.feed_client(deps.settings) as client:  # KHABAR_FEED_PROXY_URL, else direct
                posted = await feeds.poll_due(deps.db, client, target_of(deps), deps.owner, deps.clock())
        if posted:
            deps.outbox.wake()
        return posted

    def kick(self) -> None:
        """Start a poll unless one is running, or the bot is stopping (a job that fell due just before the
        scheduler was paused may still run: a task it started then would never be awaited)."""
        if not self._app.running:
            return
        if self._task is None or self._task.done():
            self._task = self._app.create_task(self.run(), name="khabar-feeds")


async def setup(app: KhabarApp, deps: Deps) -> None:
    """Count listener, feed/count/reconcile jobs; holds crash leftovers before the worker starts."""
    target = target_of(deps)
    if deps.chats.discussion is not None:
        await reconcile.settle_known_posts(deps.db, deps.clock(), deps.outbox.lease)
        await reconcile.hold_uncertain_posts(deps.db, deps.clock(), startup=True)

    async def count_changed(article_id: int) -> None:
        if await counts.schedule_count_edits(deps.db, target, deps.clock(), article_id=article_id):
            deps.outbox.wake()

    deps.events.subscribe("count_changed", count_changed)
    poller = FeedPoller(app, deps)
    deps.parts.feed_poller = poller

    async def feeds_changed(_feed_id: int) -> None:
        await poller.run()

    deps.events.subscribe("feeds_changed", feeds_changed)
    assert app.job_queue is not None, "python-telegram-bot[job-queue] is required"
    app.job_queue.run_repeating(_feeds_job, interval=FEED_CHECK_SECONDS, first=1.0, name="publishing-feeds")
    interval = min(5.0, float(deps.settings.count_edit_interval_seconds))
    app.job_queue.run_repeating(_counts_job, interval=interval, first=interval, name="publishing-counts")
    if deps.chats.discussion is not None:
        app.job_queue.run_repeating(_hold_job, interval=HOLD_CHECK_SECONDS, first=0.5, name="publishing-hold")


async def _feeds_job(context: KhabarContext) -> None:
    """Kick a background poll if it is not running."""
    poller = context.deps.parts.feed_poller
    if poller is not None:
        poller.kick()


async def _counts_job(context: KhabarContext) -> None:
    """Find stale count buttons (the listener only speeds this up)."""
    deps = context.deps
    if await counts.schedule_count_edits(deps.db, target_of(deps), deps.clock()):
        deps.outbox.wake()


async def _hold_job(context: KhabarContext) -> None:
    """Settle posts whose forward came; hold back retried posts that may already be in the channel."""
    deps = context.deps
    await reconcile.settle_known_posts(deps.db, deps.clock(), deps.outbox.lease)
    await reconcile.hold_uncertain_posts(deps.db, deps.clock())


async def poll_feeds_now(deps: Deps) -> int:
    """Poll due feeds right away (after /feeds add; tests)."""
    poller = deps.parts.feed_poller
    return await poller.run() if poller is not None else 0


def _feed_lines(rows: list[feeds.Feed]) -> str:
    lines = [texts.FEEDS_HEADER]
    for feed in rows:
        state = texts.FEED_DISABLED if not feed.enabled else ""
        if feed.failures:
            state = texts.FEED_FAILING.format(failures=fa_digits(feed.failures))
        lines.append(texts.FEED_LINE.format(id=fa_digits(feed.id), url=html.escape(feed.url), state=state))
    return "\n".join(lines)


async def feeds_command(deps: Deps, args: list[str]) -> str:
    """Run ``/feeds [add URL | remove ID]`` and return the Persian reply."""
    now = deps.clock()
    if not args:
        async with deps.db.transaction() as session:
            rows = await feeds.list_feeds(session)
        return _feed_lines(rows) if rows else texts.FEEDS_EMPTY
    action = args[0].lower()
    if action == "add" and len(args) == 2:
        try:
            async with deps.db.transaction() as session:
                feed, created = await feeds.add_feed(session, args[1], now)
        except ValueError:
            return texts.FEED_BAD_URL
        if not created:
            return texts.FEED_EXISTS.format(id=fa_digits(feed.id))
        deps.events.emit("feeds_changed", feed.id)
        first = fa_digits(deps.settings.feed_first_poll_items)
        return texts.FEED_ADDED.format(id=fa_digits(feed.id), url=html.escape(feed.url), first=first)
    if action == "remove" and len(args) == 2 and args[1].isdigit():
        async with deps.db.transaction() as session:
            removed = await feeds.remove_feed(session, int(args[1]))
        template = texts.FEED_REMOVED if removed else texts.FEED_NOT_FOUND
        return template.format(id=fa_digits(args[1]))
    return texts.FEEDS_USAGE


async def capture_forward(deps: Deps, *, post_id: int, copy_id: int, text: str) -> int | None:
    """Store the discussion copy of one of our channel posts (see reconcile)."""
    if deps.chats.discussion is None:
        return None
    return await reconcile.capture_forward(
        deps.db,
        channel_id=deps.chats.channel,
        post_id=post_id,
        group_id=deps.chats.discussion,
        copy_id=copy_id,
        text=text,
        now=deps.clock(),
    )
