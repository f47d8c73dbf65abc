"""Errors worth a person's attention, sent to the operators' chat: batched, rate-limited, without secrets.

Sent directly through the bot (and its rate limiter), not through the outbox: the outbox lives in the
database, and a failing database is among the errors an operator most needs to hear about. An alert
is not a message that must not be lost — every one is in the logs too — so a bounded buffer and a
minimum interval between messages are enough: at most one message per ``interval`` seconds, each
summing up the errors since the previous one (the same error repeated counts once, with ×N).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import html
import logging
from collections import Counter, deque
from collections.abc import Iterable

from telegram import Bot
from telegram.error import TelegramError

from bot.jalali import fa_digits
from bot.logs import CONTEXT_FIELDS, RedactFilter
from bot.metrics import Metrics
from bot.texts import ops as texts

log = logging.getLogger(__name__)

INTERVAL = 60.0  # seconds between two messages to the operators' chat
BUFFER = 200  # errors kept between two messages (older ones are only in the logs)
LINES = 10  # distinct errors shown in one message
LINE_CHARS = 300
_sending: contextvars.ContextVar[bool] = contextvars.ContextVar("khabar_ops_sending", default=False)


class OpsAlerts(logging.Handler):
    """A logging handler (ERROR and above) that forwards a summary to one chat."""

    def __init__(self, bot: Bot, chat_id: int, *, instance: str, secrets: Iterable[str] = (),
                 metrics: Metrics | None = None, interval: float = INTERVAL) -> None:
        super().__init__(logging.ERROR)
        self.bot, self.chat_id, self.instance, self.metrics, self.interval = bot, chat_id, instance, metrics, interval
        self.redact = RedactFilter(secrets).redact
        self._pending: deque[str] = deque(maxlen=BUFFER)
        self._dropped = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Attach to the root logger and send in the background."""
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run(), name="khabar-ops-alerts")
        logging.getLogger().addHandler(self)

    async def stop(self, grace: float = 5.0) -> None:
        """Detach; send what is pending (within ``grace`` seconds), then stop."""
        logging.getLogger().removeHandler(self)
        if self._task is None:
            return
        task, self._task = self._task, None
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        if self._pending:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._send_pending(), grace)

    def emit(self, record: logging.LogRecord) -> None:
        """Queue a one-line summary of ``record`` (any thread; never raises, never sends from here)."""
        if _sending.get() or record.name == __name__ or self._loop is None or self._loop.is_closed():
            return
        try:
            line = self._line(record)
            self._loop.call_soon_threadsafe(self._queue, line)
        except Exception:  # a logging handler must not break the code that logged
            self.handleError(record)

    def _line(self, record: logging.LogRecord) -> str:
        text = f"{record.name}: {record.getMessage()}"
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text += f" — {type(exc).__name__}: {exc}"  # the exception, never the traceback
        fields = [f"{key}={getattr(record, key)}" for key in CONTEXT_FIELDS if getattr(record, key, None) is not None]
        if fields:
            text += " [" + " ".join(fields) + "]"
        text = self.redact(text)
        return text if len(text) <= LINE_CHARS else text[: LINE_CHARS - 1] + "…"

    def _queue(self, line: str) -> None:
        if len(self._pending) == self._pending.maxlen:
            self._dropped += 1
        self._pending.append(line)
        self._wake.set()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            await self._send_pending()
            await asyncio.sleep(self.interval)  # errors meanwhile wait here and go out together

    def render(self, lines: list[str], dropped: int = 0) -> str:
        """The message for a batch of error lines."""
        counts = Counter(lines)
        out = [texts.HEADER.format(instance=html.escape(self.instance))]
        for line, count in list(counts.items())[:LINES]:
            repeated = texts.REPEATED.format(count=fa_digits(count)) if count > 1 else ""
            out.append(f"• <code>{html.escape(line)}</code>{repeated}")
        hidden = sum(list(counts.values())[LINES:]) + dropped
        if hidden:
            out.append(texts.MORE.format(count=fa_digits(hidden)))
        return "\n".join(out)

    async def _send_pending(self) -> None:
        lines, dropped = list(self._pending), self._dropped
        self._pending.clear()
        self._dropped = 0
        if not lines:
            return
        token = _sending.set(True)
        try:
            await self.bot.send_message(self.chat_id, self.render(lines, dropped), disable_web_page_preview=True)
        except TelegramError as exc:
            log.warning("could not send errors to the operators' chat", extra={"error": exc.message})
            outcome = "failed"
        else:
            outcome = "sent"
        finally:
            _sending.reset(token)
        if self.metrics is not None:
            self.metrics.ops_alerts.labels(outcome).inc(len(lines) + dropped)
