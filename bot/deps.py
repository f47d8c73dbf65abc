"""The one typed object through which handlers reach Khabar's services."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.metrics import Metrics
from bot.moderators import ModeratorDirectory
from bot.outbox import OutboxWorker
from bot.settings import Settings
from bot.telegram_reach import TelegramReach
from storage.availability import unavailable
from storage.db import Database

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
    # Domain resources built once at start-up (check lexicons, term statistics …), by area.
    resources: dict[str, Any] = field(default_factory=dict)
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
