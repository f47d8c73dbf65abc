"""Flood limits: ~30 messages/s overall, 20/min per group or channel, 1/s per private chat.

Windows are measured on the fake clock, so with ``FakeTelegram(speed=k)`` they pass ``k`` times faster.
``retry_after`` is reported in *real* seconds (what PTB sleeps): ``max(1, ceil(fake_wait / speed))``.
Sending methods count toward all three limits; edits (editMessage*) count only toward the per-chat
limits, not the overall one (Telegram treats edits loosely; this is the fake's choice).
"""

from __future__ import annotations

import math
from collections import Counter, deque
from dataclasses import dataclass, field

from .clock import Clock

SENDING = frozenset(m.lower() for m in (
    "sendMessage", "sendPhoto", "sendAudio", "sendDocument", "sendVideo", "sendAnimation", "sendVoice",
    "sendVideoNote", "sendMediaGroup", "sendLocation", "sendVenue", "sendContact", "sendPoll", "sendDice",
    "sendSticker", "sendChecklist", "sendPaidMedia", "copyMessage", "copyMessages", "forwardMessage",
    "forwardMessages", "sendInvoice", "sendGame",
))
EDITING = frozenset(m.lower() for m in (
    "editMessageText", "editMessageCaption", "editMessageReplyMarkup", "editMessageMedia",
))


@dataclass
class Limits:
    overall: tuple[int, float] = (30, 1.0)  # (messages, per fake seconds)
    group: tuple[int, float] = (20, 60.0)
    private: tuple[int, float] = (1, 1.0)


@dataclass
class FloodLimiter:
    """``fake.flood``: off by default; ``enable()`` to enforce limits and count."""

    clock: Clock
    enabled: bool = False
    limits: Limits = field(default_factory=Limits)
    sent: Counter[int] = field(default_factory=Counter)  # accepted messages per chat id
    rejected: Counter[int] = field(default_factory=Counter)  # 429s per chat id
    total_429: int = 0
    expected: bool = False  # set True when a test wants 429s (no end-of-test complaint)
    _overall: deque[float] = field(default_factory=deque)
    _per_chat: dict[int, deque[float]] = field(default_factory=dict)

    def enable(self, *, overall: tuple[int, float] | None = None, group: tuple[int, float] | None = None,
               private: tuple[int, float] | None = None, expected: bool = False) -> None:
        self.enabled = True
        self.expected = expected
        if overall:
            self.limits.overall = overall
        if group:
            self.limits.group = group
        if private:
            self.limits.private = private

    def disable(self) -> None:
        self.enabled = False

    def check(self, method: str, chat_id: int, chat_type: str) -> int | None:
        """Count a message; return ``retry_after`` (real seconds) if it must be refused."""
        name = method.lower()
        if not self.enabled or (name not in SENDING and name not in EDITING):
            return None
        now = self.clock.now()
        chat_limit = self.limits.private if chat_type == "private" else self.limits.group
        queue = self._per_chat.setdefault(chat_id, deque())
        waits = [self._wait(queue, chat_limit, now)]
        if name in SENDING:
            waits.append(self._wait(self._overall, self.limits.overall, now))
        wait = max(waits)
        if wait > 0:
            self.rejected[chat_id] += 1
            self.total_429 += 1
            return max(1, math.ceil(self.clock.real_seconds(wait)))
        queue.append(now)
        if name in SENDING:
            self._overall.append(now)
            self.sent[chat_id] += 1
        return None

    @staticmethod
    def _wait(queue: deque[float], limit: tuple[int, float], now: float) -> float:
        count, window = limit
        while queue and queue[0] <= now - window:
            queue.popleft()
        if len(queue) < count:
            return 0.0
        return queue[len(queue) - count] + window - now
