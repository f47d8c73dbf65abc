"""Per-address sliding-window rate limits for the website's writes (pure, in memory, one process)."""

from __future__ import annotations

from collections import deque

MAX_KEYS = 50_000


class AddressLimit:
    """At most ``limit`` hits per ``window`` seconds for each key."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = {}

    def allow(self, key: str, now: float) -> bool:
        """Count one hit for ``key`` at ``now`` (monotonic seconds); False when over the limit."""
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= MAX_KEYS:
                self._forget(now)
            hits = self._hits[key] = deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True

    def _forget(self, now: float) -> None:
        """Drop keys with no hit in the window (and, if still full, the oldest half)."""
        for key in [k for k, h in self._hits.items() if not h or h[-1] <= now - self.window]:
            del self._hits[key]
        if len(self._hits) >= MAX_KEYS:
            for key in list(self._hits)[: MAX_KEYS // 2]:
                del self._hits[key]
