"""A controllable clock: runs ``speed`` times faster than real time and can jump forward."""

from __future__ import annotations

import time


class Clock:
    def __init__(self, speed: float = 1.0, start: float | None = None) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._base = time.time() if start is None else start
        self._mono0 = time.monotonic()
        self._offset = 0.0

    def now(self) -> float:
        """Fake Unix time."""
        return self._base + (time.monotonic() - self._mono0) * self.speed + self._offset

    def advance(self, seconds: float) -> None:
        """Jump the fake clock forward (e.g. 48 hours to test the delete window)."""
        self._offset += seconds

    def real_seconds(self, fake_seconds: float) -> float:
        """How long ``fake_seconds`` of fake time last in real time."""
        return fake_seconds / self.speed
