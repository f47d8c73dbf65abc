"""Whether Telegram answers: one WARNING when it stops, one INFO (with how long) when it is back.

Every Bot API request goes through :class:`bot.network.WatchedRequest`, which tells this object what
happened: an answer (any HTTP status below 500) or a failure (no connection, a dropped or timed-out
request, a 5xx gateway answer). Work that needs Telegram (the outbox, a captcha being sent) waits for
it instead of failing call after call; a probe (``getMe``, backing off) notices when it is back even
if nothing else is calling.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx
from telegram.error import BadRequest, NetworkError, TelegramError, TimedOut

log = logging.getLogger("khabar.telegram")

GRACE = 2.0  # seconds of failures without any answer before a flaky link counts as an outage
UNREACHABLE_ALERT = 600.0  # seconds of outage before one ERROR (someone should look at the network)
PROBE_FIRST = 1.0  # seconds before the first probe of a Telegram that stopped answering
PROBE_MAX = 15.0  # the longest pause between probes
PATIENCE = 900.0  # seconds an interactive send (a captcha) waits for Telegram before giving up on it
T = TypeVar("T")
_GATEWAY = ("bad gateway", "(503)", "(504)", "service unavailable", "gateway timeout")


def outage_error(exc: BaseException) -> bool:
    """Whether ``exc`` from a Bot API call means Telegram could not be reached (not that it refused the call)."""
    if isinstance(exc, BadRequest):  # PTB's BadRequest is a NetworkError; it is an answer
        return False
    if isinstance(exc, TimedOut):
        return "pool timeout" not in str(exc).lower()  # our own connection pool being busy is not an outage
    return isinstance(exc, NetworkError)


def not_sent(exc: BaseException) -> bool:
    """Whether the failed call certainly did not reach Telegram (so sending it again cannot double it)."""
    if not outage_error(exc):
        return False
    if isinstance(exc.__cause__, httpx.ConnectError | httpx.ConnectTimeout):
        return True
    return not isinstance(exc, TimedOut) and any(text in str(exc).lower() for text in _GATEWAY)


class TelegramReach:
    """Telegram's state as this process sees it (real time: ``time.monotonic``)."""

    def __init__(self) -> None:
        self._up = asyncio.Event()
        self._up.set()
        self.probe: Callable[[], Awaitable[object]] | None = None  # set once the bot exists (bot/app.py)
        self._prober: asyncio.Task[None] | None = None
        self.last_answer: float | None = None
        self.failing_since: float | None = None  # first failure with no answer after it
        self.down_since: float | None = None  # when the outage was declared (None: Telegram answers)
        self.failed_calls = 0  # failed requests during the current (or last) outage
        self.outages = 0
        self.alerted = False
        self.closed = False
        self.back_at: float | None = None  # when it answered again after the last outage

    @property
    def down(self) -> bool:
        """Whether an outage is in progress."""
        return self.down_since is not None

    def answered(self) -> None:
        """A request got an HTTP answer (any status below 500)."""
        now = time.monotonic()
        self.last_answer = now
        self.failing_since = None
        if self.down_since is None:
            return
        log.info("Telegram answers again", extra={"down_s": round(now - self.down_since, 1),
                                                  "failed_calls": self.failed_calls})
        self.down_since = None
        self.alerted = False
        self.back_at = now
        self._up.set()
        prober, self._prober = self._prober, None
        if prober is not None and prober is not asyncio.current_task():
            prober.cancel()

    def failed(self, exc: BaseException, *, at_once: bool = False) -> None:
        """A request failed with ``exc``; ``at_once``: no connection at all (or a gateway answer), an
        outage now rather than after GRACE seconds of failures."""
        now = time.monotonic()
        if self.down_since is not None:
            self.failed_calls += 1
            if not self.alerted and now - self.down_since >= UNREACHABLE_ALERT:
                self.alerted = True
                log.error("Telegram has not answered for minutes: check the network or KHABAR_PROXY_URL",
                          extra={"down_s": round(now - self.down_since), "error": _describe(exc)})
            return
        if self.failing_since is None:
            self.failing_since = now
        if not at_once and now - self.failing_since < GRACE:
            return
        self.down_since = self.failing_since
        self.failed_calls = 1
        self.outages += 1
        self._up.clear()
        log.warning("Telegram stopped answering; sends wait and are retried when it is back",
                    extra={"error": _describe(exc)})
        with contextlib.suppress(RuntimeError):  # no running loop: nothing to probe from
            self._prober = asyncio.get_running_loop().create_task(self._watch(), name="telegram-probe")

    async def wait_up(self, within: float | None = None) -> bool:
        """Return once Telegram answers again (at once if it does); False if ``within`` seconds passed first."""
        if self._up.is_set():
            return True
        try:
            await asyncio.wait_for(self._up.wait(), within)
        except TimeoutError:
            return False
        return True

    async def _watch(self) -> None:
        pause = PROBE_FIRST
        while self.down:
            await asyncio.sleep(pause)
            if self.probe is None or not self.down:
                continue
            with contextlib.suppress(TelegramError):  # the request itself reports what happened
                await self.probe()
            pause = min(pause * 2, PROBE_MAX)

    async def close(self) -> None:
        """Stop probing (shutdown); anyone waiting is let go."""
        self.closed = True
        prober, self._prober = self._prober, None
        if prober is not None:
            prober.cancel()
            await asyncio.gather(prober, return_exceptions=True)
        self._up.set()


class QuietWhileAway(logging.Filter):
    """Drops the scheduler's "skipped: maximum number of running instances reached" lines while
    Telegram is away and for AFTERMATH seconds after: a job whose run waits for Telegram (a slow
    answer, a send waiting for it) makes its next runs skip, each a WARNING."""

    AFTERMATH = 60.0
    LOGGER = "apscheduler.scheduler"

    def __init__(self, reach: TelegramReach) -> None:
        super().__init__()
        self.reach = reach

    def filter(self, record: logging.LogRecord) -> bool:
        """Pass every record except a skipped run during (or just after) an outage."""
        reach = self.reach
        recent = (reach.down or reach.failing_since is not None
                  or (reach.back_at is not None and time.monotonic() - reach.back_at < self.AFTERMATH))
        return not (recent and "maximum number of running instances" in record.getMessage())

    def attach(self) -> None:
        """Start filtering."""
        logging.getLogger(self.LOGGER).addFilter(self)

    def detach(self) -> None:
        """Stop filtering."""
        logging.getLogger(self.LOGGER).removeFilter(self)


async def patiently(reach: TelegramReach | None, call: Callable[[], Awaitable[T]], *,
                    within: float = PATIENCE) -> T:
    """``call()``; when it failed without reaching Telegram (see :func:`not_sent`), again once Telegram
    answers, for up to ``within`` seconds. Any other error (and the last one) is raised."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        try:
            return await call()
        except NetworkError as exc:
            left = deadline - loop.time()
            if reach is None or reach.closed or not not_sent(exc) or left <= 0:
                raise
            log.debug("a send waits for Telegram", extra={"error": _describe(exc)})
            if not await reach.wait_up(left) or reach.closed:
                raise
            await asyncio.sleep(0.2)  # answered once: not a tight loop if the next call fails again


def _describe(exc: BaseException) -> str:
    text = exc.message if isinstance(exc, TelegramError) else str(exc)
    return f"{type(exc).__name__}: {text}"[:200]
