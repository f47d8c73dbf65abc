"""The bot's update queue: getUpdates long polling, offsets, allowed_updates, expiry, webhook push."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from .clock import Clock
from .errors import POLL_CONFLICT, WEBHOOK_CONFLICT, ApiError

log = logging.getLogger("fakegram.updates")

KEEP_SECONDS = 24 * 3600
DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


@dataclass
class Update:
    update_id: int
    kind: str
    payload: dict[str, Any]
    created: float

    def to_dict(self) -> dict[str, Any]:
        return {"update_id": self.update_id, self.kind: self.payload}


@dataclass
class Webhook:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    allowed_updates: list[str] | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None
    deliveries: int = 0
    failures: int = 0
    attempts: list[dict[str, Any]] = field(default_factory=list)


class UpdateQueue:
    def __init__(self, clock: Clock, retry_base: float = 0.05, retry_max: float = 1.0) -> None:
        self.clock = clock
        self.pending: list[Update] = []
        self.delivered: list[Update] = []
        self.allowed_updates: list[str] | None = None
        self.webhook: Webhook | None = None
        self.retry_base = retry_base
        self.retry_max = retry_max
        self._next_id = 1
        self._wake = asyncio.Event()
        self._poll_generation = 0
        self._pusher: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._closed = False

    # ----- producing -----------------------------------------------------------------------------------
    def push(self, kind: str, payload: dict[str, Any]) -> Update | None:
        """Queue an update unless ``allowed_updates`` excludes its kind (decided at creation, as Telegram)."""
        allowed = self.allowed_updates
        if (allowed and kind not in allowed) or (not allowed and kind in DEFAULT_EXCLUDED):
            return None
        upd = Update(self._next_id, kind, payload, self.clock.now())
        self._next_id += 1
        self.pending.append(upd)
        self._notify()
        return upd

    def _notify(self) -> None:
        self._wake.set()
        self._wake = asyncio.Event()

    def _expire(self) -> None:
        cutoff = self.clock.now() - KEEP_SECONDS
        self.pending = [u for u in self.pending if u.created >= cutoff]

    def drop_pending(self) -> None:
        self.pending.clear()

    # ----- getUpdates ----------------------------------------------------------------------------------
    async def get_updates(self, offset: int | None, limit: int | None, poll_seconds: int | None,
                          allowed_updates: list[str] | None) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(409, WEBHOOK_CONFLICT)
        if allowed_updates is not None:
            self.allowed_updates = list(allowed_updates)
        limit = min(max(limit if limit is not None else 100, 1), 100)
        wait = min(max(poll_seconds or 0, 0), 50)
        self._confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()  # an older waiting getUpdates is terminated
        deadline = asyncio.get_running_loop().time() + wait
        while True:
            self._expire()
            if generation != self._poll_generation:
                raise ApiError(409, POLL_CONFLICT)
            if self.pending or self._closed:
                return [u.to_dict() for u in self.pending[:limit]]
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return []
            event = self._wake
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    def _confirm(self, offset: int | None) -> None:
        if not offset:
            return
        if offset < 0:
            keep = self.pending[offset:]
            self.delivered.extend(self.pending[: len(self.pending) - len(keep)])
            self.pending = keep
        else:
            self.delivered.extend(u for u in self.pending if u.update_id < offset)
            self.pending = [u for u in self.pending if u.update_id >= offset]

    # ----- webhook -------------------------------------------------------------------------------------
    def set_webhook(self, hook: Webhook, drop_pending: bool) -> None:
        self.stop_pusher()
        if drop_pending:
            self.drop_pending()
        self.webhook = hook
        if hook.allowed_updates is not None:
            self.allowed_updates = list(hook.allowed_updates)
        self._pusher = asyncio.get_running_loop().create_task(self._push_loop(hook))
        self._notify()

    def delete_webhook(self, drop_pending: bool) -> None:
        self.stop_pusher()
        self.webhook = None
        if drop_pending:
            self.drop_pending()
        self._notify()

    def stop_pusher(self) -> None:
        if self._pusher is not None:
            self._pusher.cancel()
            self._pusher = None

    async def close(self) -> None:
        self._closed = True
        self.stop_pusher()
        self._notify()
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _push_loop(self, hook: Webhook) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        delay = self.retry_base
        while True:
            self._expire()
            if not self.pending:
                await self._wake.wait()
                continue
            upd = self.pending[0]
            headers = {"Content-Type": "application/json"}
            if hook.secret_token:
                headers["X-Telegram-Bot-Api-Secret-Token"] = hook.secret_token
            error: str | None = None
            try:
                async with self._session.post(hook.url, data=json.dumps(upd.to_dict()), headers=headers) as resp:
                    await resp.read()
                    if not 200 <= resp.status < 300:
                        error = f"Wrong response from the webhook: {resp.status} {resp.reason}"
            except (aiohttp.ClientError, OSError, TimeoutError) as e:
                error = f"Connection failed: {type(e).__name__}"
            hook.attempts.append({"update_id": upd.update_id, "error": error})
            if error is None:
                hook.deliveries += 1
                if self.pending and self.pending[0] is upd:
                    self.pending.pop(0)
                    self.delivered.append(upd)
                delay = self.retry_base
                continue
            hook.failures += 1
            hook.last_error_date = int(self.clock.now())
            hook.last_error_message = error
            log.debug("webhook delivery failed (%s); retrying in %.2fs", error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.retry_max)

    def webhook_info(self) -> dict[str, Any]:
        self._expire()
        hook = self.webhook
        info: dict[str, Any] = {"url": hook.url if hook else "", "has_custom_certificate": False,
                                "pending_update_count": len(self.pending)}
        if hook is not None:
            info["max_connections"] = hook.max_connections
            if hook.allowed_updates:
                info["allowed_updates"] = hook.allowed_updates
            if hook.last_error_date is not None:
                info["last_error_date"] = hook.last_error_date
                info["last_error_message"] = hook.last_error_message
        return info
