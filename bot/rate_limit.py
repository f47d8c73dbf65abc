"""Telegram's flood limits: per group a sliding window (bursts go out at once, no window holds too many)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import timedelta
from types import TracebackType
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

from storage.db import Database

log = logging.getLogger(__name__)
Callback = Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]]
FloodListener = Callable[[object], None]

# Windows are kept a little longer than Telegram's so that network jitter (a request overtaking
# the one it follows) never puts one message too many into Telegram's own window.
MARGIN = 1.03


class SlidingWindow:
    """At most ``count`` entries in any ``period`` seconds (aiolimiter's buckets let 2×count through)."""

    def __init__(self, count: int, period: float) -> None:
        self.max_rate = count
        self.period = period
        self._times: deque[float] = deque()
        self._lock = asyncio.Lock()

    def _prune(self, now: float) -> None:
        while self._times and self._times[0] <= now - self.period:
            self._times.popleft()

    def has_capacity(self, amount: float = 1) -> bool:
        """Whether ``amount`` entries could go now (AIORateLimiter's clean-up asks this)."""
        self._prune(asyncio.get_running_loop().time())
        return len(self._times) + amount <= self.max_rate

    async def __aenter__(self) -> None:
        async with self._lock:
            loop = asyncio.get_running_loop()
            while True:
                now = loop.time()
                self._prune(now)
                if len(self._times) < self.max_rate:
                    break
                await asyncio.sleep(self._times[0] + self.period - now)
            self._times.append(loop.time())

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        return None


class KhabarRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (retries, 429 pauses) with a sliding window per group and even overall spacing."""

    __slots__ = ("_shared", "on_flood")

    def __init__(self, per_second: int, per_minute: int, max_retries: int = 3, *, speed: float = 1.0,
                 on_flood: FloodListener | None = None) -> None:
        """``speed`` > 1 shortens the windows (for benchmarks against a fake Telegram on a faster clock);
        ``on_flood(chat_id)`` is told of every 429 (metrics)."""
        self.on_flood = on_flood
        self._shared: Database | None = None
        super().__init__(overall_max_rate=per_second, overall_time_period=1 / speed if per_second else 0,
                         group_max_rate=per_minute, group_time_period=60 / speed if per_minute else 0,
                         max_retries=max_retries)
        if per_second:
            # Overall: evenly spaced (a one-second window is too short to trust to arrival order).
            self._base_limiter = AsyncLimiter(1, 1 / (per_second * speed))

    def share(self, db: Database) -> None:
        """Pace through the database from now on, with every instance on it (bot/pacing.py)."""
        from bot.pacing import MARGIN as SHARED_MARGIN
        from bot.pacing import SharedPace

        if self._shared is not None:
            return
        self._shared = db
        self._group_limiters.clear()
        if self._base_limiter is not None:
            per_second = 1 / self._base_limiter.time_period  # the even spacing set up in __init__
            self._base_limiter = SharedPace(db, "bot", SHARED_MARGIN / per_second, int(per_second))  # type: ignore[assignment]

    def _get_group_limiter(self, group_id: str | int | bool) -> SlidingWindow:  # type: ignore[override]
        if self._shared is not None:
            from bot.pacing import MARGIN as SHARED_MARGIN
            from bot.pacing import SharedPace

            period = self._group_time_period * SHARED_MARGIN
            known: object = self._group_limiters.get(group_id)
            if isinstance(known, SharedPace):
                return known  # type: ignore[return-value]
            if len(self._group_limiters) > 512:
                self._group_limiters.clear()
            made = SharedPace(self._shared, f"chat:{group_id}", period / self._group_max_rate, int(self._group_max_rate))
            self._group_limiters[group_id] = made  # type: ignore[assignment]
            return made  # type: ignore[return-value]
        if len(self._group_limiters) > 512:
            for key, old in list(self._group_limiters.items()):
                if key != group_id and old.has_capacity(old.max_rate):
                    del self._group_limiters[key]
        found: object = self._group_limiters.get(group_id)
        if isinstance(found, SlidingWindow):
            return found
        limiter = SlidingWindow(int(self._group_max_rate), self._group_time_period * MARGIN)
        self._group_limiters[group_id] = limiter  # type: ignore[assignment]
        return limiter

    async def process_request(
        self, callback: Callback, args: Any, kwargs: dict[str, Any], endpoint: str, data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """PTB's retry loop, quieter: a 429 is expected traffic, not an ERROR with a traceback.

        Each 429 pauses every request for ``retry_after`` (as PTB does) and is logged at INFO; when
        the retries are spent, one WARNING without traceback and RetryAfter goes to the caller (the
        outbox reschedules its row, so the message is still delivered).
        """
        retries = rate_limit_args or self._max_retries
        chat_id = data.get("chat_id")
        group: str | int | bool = False
        target: Any = chat_id
        with contextlib.suppress(ValueError, TypeError):
            target = int(chat_id)  # type: ignore[arg-type]
        if (isinstance(target, int) and target < 0) or isinstance(target, str):
            group = target  # channels and groups (a string id can only be one of those)
        for attempt in range(retries + 1):
            try:
                return await self._run_request(
                    chat=chat_id is not None, group=group, allow_paid_broadcast=bool(data.get("allow_paid_broadcast")),
                    callback=callback, args=args, kwargs=kwargs,
                )
            except RetryAfter as exc:
                if self.on_flood is not None:
                    self.on_flood(chat_id)
                wait = retry_seconds(exc)
                extra = {"method": endpoint, "chat_id": chat_id, "retry_after_s": wait}
                if attempt == retries:
                    log.warning("Telegram flood limit: retries spent, the caller retries later",
                                extra={**extra, "retries": retries})
                    raise
                log.info("Telegram flood limit: pausing requests, then retrying", extra=extra)
                self._retry_after_event.clear()  # every request waits, as Telegram asks
                await asyncio.sleep(wait + 0.1)
            finally:
                self._retry_after_event.set()
        raise AssertionError("unreachable: the last attempt returns or raises")


def retry_seconds(exc: RetryAfter) -> float:
    """Seconds Telegram asked to wait (PTB 22 gives an int or a timedelta)."""
    value: Any = exc._retry_after  # the timedelta behind the deprecated int-or-timedelta property
    return float(value.total_seconds() if isinstance(value, timedelta) else value)
