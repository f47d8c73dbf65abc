"""Telegram's flood limits: per group a sliding window (bursts go out at once, no window holds too many)."""

from __future__ import annotations

import asyncio
from collections import deque
from types import TracebackType

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter

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

    __slots__ = ()

    def __init__(self, per_second: int, per_minute: int, max_retries: int = 3, *, speed: float = 1.0) -> None:
        """``speed`` > 1 shortens the windows (for benchmarks against a fake Telegram on a faster clock)."""
        super().__init__(overall_max_rate=per_second, overall_time_period=1 / speed if per_second else 0,
                         group_max_rate=per_minute, group_time_period=60 / speed if per_minute else 0,
                         max_retries=max_retries)
        if per_second:
            # Overall: evenly spaced (a one-second window is too short to trust to arrival order).
            self._base_limiter = AsyncLimiter(1, 1 / (per_second * speed))

    def _get_group_limiter(self, group_id: str | int | bool) -> SlidingWindow:  # type: ignore[override]
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
