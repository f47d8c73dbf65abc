"""/healthz and /metrics on KHABAR_METRICS_LISTEN:KHABAR_METRICS_PORT, the same in polling and webhook mode."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from aiohttp import web

from bot.metrics import CONTENT_TYPE, Metrics
from bot.network import WatchedRequest
from storage.availability import unavailable
from storage.db import Database
from storage.repos import monitoring

log = logging.getLogger(__name__)
T = TypeVar("T")

DB_TIMEOUT = 5.0  # seconds the database may take to answer a health check
# Polling is live while getUpdates answers: a long poll returns at least every ``timeout`` seconds
# (10 by default), so this long without an answer means Telegram (or the proxy) is out of reach.
POLL_STALE = 90.0


@dataclass(frozen=True, slots=True)
class Liveness:
    """Whether updates arrive, and why not."""

    live: bool
    detail: dict[str, Any]


def updates_liveness(mode: str, running: bool, poll: WatchedRequest | None, since: float) -> Liveness:
    """Polling: the updater runs and getUpdates answered lately. Webhook: the updater's server runs."""
    detail: dict[str, Any] = {"mode": mode, "running": running}
    if not running:
        return Liveness(False, detail)
    if mode != "polling" or poll is None:
        return Liveness(True, detail)
    last = poll.last_answer
    age = time.monotonic() - (since if last is None else max(last, since))
    detail["last_answer_age_s"] = round(age, 1)
    return Liveness(age < POLL_STALE, detail)


class MonitorServer:
    """A small aiohttp server: /healthz (200 or 503, JSON saying which part failed) and /metrics."""

    def __init__(self, *, metrics: Metrics, db: Database, clock: Callable[[], datetime],
                 liveness: Callable[[], Liveness]) -> None:
        self.metrics, self.db, self.clock, self.liveness = metrics, db, clock, liveness
        self._runner: web.AppRunner | None = None
        self._late: set[asyncio.Future[Any]] = set()
        self.port = 0

    async def start(self, listen: str, port: int) -> None:
        """Listen on ``listen:port`` (port 0: any free port, for tests)."""
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, listen, port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        server = site._server
        self.port = int(server.sockets[0].getsockname()[1]) if server is not None else port  # type: ignore[attr-defined]
        log.info("serving /healthz and /metrics", extra={"listen": listen, "port": self.port})

    async def stop(self) -> None:
        """Stop listening; let checks still running finish (they hold database connections)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._late:
            await asyncio.wait(set(self._late), timeout=DB_TIMEOUT)

    async def _bounded(self, work: Coroutine[Any, Any, T]) -> T:
        """``work``'s result within DB_TIMEOUT, else TimeoutError. Never cancelled midway: a transaction
        cut short can leave SQLite's write lock held, so a slow query finishes in the background."""
        task = asyncio.ensure_future(work)
        done, _ = await asyncio.wait({task}, timeout=DB_TIMEOUT)
        if not done:
            self._late.add(task)
            task.add_done_callback(self._late_done)
            raise TimeoutError
        return task.result()

    def _late_done(self, task: asyncio.Future[Any]) -> None:
        self._late.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: it was already reported as a timeout

    async def _ping(self) -> None:
        async with self.db.transaction(patient=False) as session:
            await monitoring.ping(session)

    async def _read(self) -> tuple[dict[str, int], monitoring.Backlog]:
        async with self.db.transaction(patient=False) as session:
            return await monitoring.comments_by_status(session), await monitoring.outbox_backlog(session)

    async def _database(self) -> dict[str, Any]:
        try:
            await self._bounded(self._ping())
        except Exception as exc:  # any failure means "does not answer"; the class name says which
            outage = self.db.availability
            # During a known outage (logged once by storage/availability.py) each check is not news.
            log.log(logging.DEBUG if outage.down else logging.WARNING, "health check: the database did not answer",
                    extra={"error": type(exc).__name__})
            if unavailable(exc):  # out of reach, or no answer within DB_TIMEOUT (SQLite locked by a long writer)
                outage.report(exc)
            self.metrics.database_up.set(0)
            body: dict[str, Any] = {"ok": False, "error": type(exc).__name__}
            if outage.down_since is not None:  # work is waiting for it (storage/availability.py)
                body.update(down_s=round(time.monotonic() - outage.down_since, 1), waiting=outage.waiting)
            return body
        self.metrics.database_up.set(1)
        return {"ok": True}

    async def _healthz(self, request: web.Request) -> web.Response:
        updates = self.liveness()
        self.metrics.updates_live.set(int(updates.live))
        database = await self._database()
        ok = updates.live and database["ok"]
        body = {"status": "ok" if ok else "unavailable", "updates": {"live": updates.live, **updates.detail},
                "database": database}
        return web.Response(text=json.dumps(body), status=200 if ok else 503, content_type="application/json")

    async def _metrics(self, request: web.Request) -> web.Response:
        self.metrics.updates_live.set(int(self.liveness().live))
        try:
            comments, backlog = await self._bounded(self._read())
        except Exception as exc:  # the in-process series are still worth serving
            log.warning("metrics: the database did not answer", extra={"error": type(exc).__name__})
            self.metrics.database_up.set(0)
        else:
            self.metrics.database_up.set(1)
            self.metrics.read_database(comments, backlog, self.clock())
        return web.Response(body=self.metrics.render(), headers={"Content-Type": CONTENT_TYPE})
