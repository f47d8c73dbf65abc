"""The one typed object through which handlers reach Khabar's services."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.metrics import Metrics
from bot.moderators import ModeratorDirectory
from bot.outbox import OutboxWorker
from bot.seen import SeenChats
from bot.settings import Settings
from bot.telegram_reach import QuietWhileAway, TelegramReach
from storage.availability import QuietWhileDown, unavailable
from storage.db import Database

if TYPE_CHECKING:  # modules that import this one (or aiohttp): only their types are needed here
    from aiohttp import web

    from bot.health import MonitorServer
    from bot.intake.checking import ChecksResources
    from bot.moderation.service_cards import Dispatcher
    from bot.moderation.service_words import Cache as WordListsCache
    from bot.ops_alerts import OpsAlerts
    from bot.publishing.service import FeedPoller
    from bot.website.service import Website

log = logging.getLogger(__name__)
Listener = Callable[[int], Awaitable[None]]


class Events:
    """In-process signals between areas, sent after a commit (e.g. ``comment_pending``, comment id).

    A listener must only speed things up: periodic jobs re-find the same work from the database,
    so nothing depends on a signal arriving (another instance may have committed it).
    """

    def __init__(self) -> None:
        self._listeners: dict[str, list[Listener]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def subscribe(self, topic: str, listener: Listener) -> None:
        """Call ``listener(id)`` whenever ``topic`` is emitted."""
        self._listeners.setdefault(topic, []).append(listener)

    def emit(self, topic: str, ident: int) -> None:
        """Run every listener of ``topic`` in the background; errors are logged, not raised."""
        for listener in self._listeners.get(topic, []):
            task = asyncio.create_task(self._run(topic, listener, ident))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _run(self, topic: str, listener: Listener, ident: int) -> None:
        try:
            await listener(ident)
        except Exception as exc:
            if not unavailable(exc):
                log.exception("event listener failed", extra={"topic": topic, "ident": ident})
                return
            # The database went away midway: the periodic job finds the same work once it is back.
            log.info("event listener stopped by a database outage", extra={"topic": topic, "ident": ident})

    async def settle(self) -> None:
        """Wait for running listeners (shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


def utc_now() -> datetime:
    """The real clock (tests pass their own)."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Chats:
    """Numeric ids of the chats Khabar works in, resolved from settings at start-up."""

    channel: int
    moderators: int
    discussion: int | None = None
    channel_title: str = ""  # what readers know the channel as (for the welcome text)


@dataclass
class Parts:
    """What the areas build or start once (post_init, or first use), one attribute each; None until then.

    Whoever starts a part sets it here; ``bot.app._post_shutdown`` stops what is set.
    """

    checks: ChecksResources | None = None  # lexicons, detector, term statistics (bot/intake/setup.py)
    dispatcher: Dispatcher | None = None  # sends pending comments to the moderators (bot/moderation/setup.py)
    feed_poller: FeedPoller | None = None  # polls the newsroom's feeds in the background (bot/publishing/service.py)
    word_lists: WordListsCache | None = None  # /words lists, reread when their version moves (first use)
    seen_chats: SeenChats = field(default_factory=SeenChats)  # chats met, for ``khabar chats`` (handlers/seen.py)
    leases: list[str] = field(default_factory=list)  # the instance leases this process holds (bot/instance.py)
    ops_alerts: OpsAlerts | None = None  # errors forwarded to KHABAR_OPS_CHAT
    quiet_while_down: QuietWhileDown | None = None  # jobs waiting out a database outage log no WARNING per run
    quiet_while_away: QuietWhileAway | None = None  # the same for jobs waiting on Telegram
    monitor: MonitorServer | None = None  # /healthz and /metrics (KHABAR_METRICS_PORT)
    website: Website | None = None  # the website's comments service (KHABAR_WEB_PORT; handlers/web/server.py)
    web_runner: web.AppRunner | None = None  # the website's HTTP server


@dataclass
class Deps:
    """Settings, database, clock, randomness and workers, created in post_init."""

    settings: Settings
    db: Database
    outbox: OutboxWorker
    chats: Chats
    bot_username: str
    owner: str
    moderators: ModeratorDirectory
    clock: Callable[[], datetime] = utc_now
    rng: random.Random = field(default_factory=random.SystemRandom)
    events: Events = field(default_factory=Events)
    parts: Parts = field(default_factory=Parts)  # what the areas build or start once, typed (above)
    metrics: Metrics = field(default_factory=Metrics)  # this Application's Prometheus series (bot/metrics.py)
    telegram: TelegramReach = field(default_factory=TelegramReach)  # whether Telegram answers (bot/telegram_reach.py)


class AppState:
    """PTB's bot_data: created empty by PTB, filled by post_init."""

    def __init__(self) -> None:
        self._deps: Deps | None = None
        # Set by build_application, read by post_init.
        self.settings: Settings | None = None
        self.clock: Callable[[], datetime] = utc_now
        self.rng: random.Random = random.SystemRandom()
        self.mode: str = "polling"  # or "webhook": how updates arrive
        self.metrics: Metrics = Metrics()  # replaced by build_application with the one its bot counts into
        self.poll_request: object = None  # the getUpdates request object (bot.network.WatchedRequest)
        self.reach: TelegramReach = TelegramReach()  # told by both request objects whether Telegram answers

    @property
    def deps(self) -> Deps:
        """The dependencies (only after post_init)."""
        if self._deps is None:
            raise RuntimeError("Khabar's dependencies are not ready (post_init has not run)")
        return self._deps

    @deps.setter
    def deps(self, value: Deps | None) -> None:
        self._deps = value


class KhabarContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], AppState]):
    """Callback context with typed access to the dependencies."""

    @property
    def deps(self) -> Deps:
        """Khabar's dependencies."""
        return self.bot_data.deps


KhabarApp = Application[ExtBot[None], KhabarContext, dict[Any, Any], dict[Any, Any], AppState, Any]
