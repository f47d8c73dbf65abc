"""The outbox worker: sends queued Bot API calls, retries, and records what Telegram answered."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Message, MessageId, ReplyParameters
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.outbox_repair import SeenMessages, remove_copies
from bot.telegram_reach import TelegramReach, not_sent, outage_error
from storage.availability import unavailable
from storage.db import Database
from storage.models import Delivery
from storage.repos import outbox as repo

log = logging.getLogger(__name__)

SentHook = Callable[[AsyncSession, Delivery, int | None, datetime], Awaitable[None]]
FailHook = Callable[[AsyncSession, Delivery, str, datetime], Awaitable[None]]
PrepareHook = Callable[[AsyncSession, Delivery, datetime], Awaitable[dict[str, Any] | None]]

# Bad Request answers that mean the wanted end state already holds.
_ALREADY_DONE = ("message is not modified", "message to delete not found")
# A payload's message to reply to when the one in its reply_to is gone ("message to be replied not found").
REPLY_INSTEAD = "reply_instead"
# A payload's other call when Telegram refuses this one so: {"on": "<words of the refusal>", "payload": {…}}.
OTHERWISE = "otherwise"
MAX_ATTEMPTS = 15
# A bot can delete its messages in a group for 48 hours; copies older than that are left alone.
REPAIR_HORIZON = timedelta(hours=47)
REPAIR_BUDGET = 60.0  # seconds one duplicate check (or one sweep of them) may take


@dataclass(frozen=True, slots=True)
class Hooks:
    """What to record in the database when a delivery of one kind succeeds or fails for good."""

    on_sent: SentHook | None = None
    on_failed: FailHook | None = None
    # Right before sending: the payload to send instead of the stored one (rendered from the
    # database as it is now), or None if there is nothing to send any more (the row counts as sent).
    # When it returns a payload, ``on_sent`` and ``on_failed`` see that payload as ``row.payload``.
    before_send: PrepareHook | None = None


def call(method: str, **args: Any) -> dict[str, Any]:
    """A payload describing one Bot API call (PTB method name and JSON-safe arguments)."""
    return {"method": method, "args": args}


def _inflate(args: dict[str, Any]) -> dict[str, Any]:
    out = dict(args)
    if isinstance(out.get("reply_markup"), dict):
        out["reply_markup"] = InlineKeyboardMarkup.de_json(out["reply_markup"], None)
    if isinstance(out.get("reply_to"), int):
        out["reply_parameters"] = ReplyParameters(
            message_id=out.pop("reply_to"), allow_sending_without_reply=out.pop("allow_without_reply", True)
        )
    if out.pop("no_preview", False):
        out["link_preview_options"] = LinkPreviewOptions(is_disabled=True)
    return out


async def perform(bot: Bot, payload: dict[str, Any]) -> int | None:
    """Make the call a payload describes; the resulting message id, if any."""
    method = getattr(bot, payload["method"])
    result = await method(**_inflate(payload.get("args", {})))
    return result.message_id if isinstance(result, Message | MessageId) else None


def _reply_instead(payload: dict[str, Any], error: str) -> dict[str, Any] | None:
    """The payload again, replying to its `REPLY_INSTEAD` message, when Telegram could not find the one it
    replied to; None otherwise (no fallback, or not that error)."""
    instead, args = payload.get(REPLY_INSTEAD), payload.get("args", {})
    if not isinstance(instead, int) or "replied not found" not in error.lower() or args.get("reply_to") == instead:
        return None
    again = {k: v for k, v in payload.items() if k != REPLY_INSTEAD}
    again["args"] = {k: v for k, v in args.items() if k != "allow_without_reply"} | {"reply_to": instead}
    return again


def _otherwise(payload: dict[str, Any], error: str) -> dict[str, Any] | None:
    """The payload's `OTHERWISE` call when Telegram refused this one with the words it names; else None."""
    other = payload.get(OTHERWISE)
    if not isinstance(other, dict) or not isinstance(other.get("payload"), dict):
        return None
    return dict(other["payload"]) if str(other.get("on", "")).lower() in error.lower() and other.get("on") else None


def _retry_seconds(exc: RetryAfter) -> float:
    value: Any = exc.retry_after
    return float(value.total_seconds() if isinstance(value, timedelta) else value)


@dataclass
class OutboxWorker:
    """Claims due rows and sends them, one lane per chat so a throttled group blocks no one else."""

    db: Database
    bot: Bot
    owner: str
    clock: Callable[[], datetime]
    hooks: dict[str, Hooks] = field(default_factory=dict)  # by row kind: bot/outbox_kinds.py's table
    lease: timedelta = timedelta(seconds=120)
    batch: int = 50
    idle_poll: float = 1.0
    backoff_base: float = 1.0  # seconds before the first retry of a transient error; doubles each time
    fresh_claim: timedelta = timedelta(seconds=10)  # a claim younger than this is not renewed before sending
    _wake: asyncio.Event = field(default_factory=asyncio.Event)
    _lanes: dict[str, asyncio.Task[None]] = field(default_factory=dict)
    _task: asyncio.Task[None] | None = None
    # Chats (chat_key) where a copy left by an uncertain send is found and removed: the discussion group.
    repair_chats: frozenset[str] = frozenset()
    seen: SeenMessages = field(default_factory=SeenMessages)  # incoming ids: never the bot's own messages
    _claiming: asyncio.Lock = field(default_factory=asyncio.Lock)
    _calls: set[asyncio.Future[int | None]] = field(default_factory=set)
    _stopping: bool = False
    _rng: random.Random = field(default_factory=random.Random)
    # Whether Telegram answers (bot/telegram_reach.py): while it does not, nothing is claimed, and a row
    # whose call failed for that reason goes back to the queue without counting an attempt.
    reach: TelegramReach | None = None

    @property
    def telegram_down(self) -> bool:
        """Whether Telegram is known to be out of reach right now."""
        return self.reach is not None and self.reach.down

    def saw(self, chat_id: int, message_id: int) -> None:
        """A message arrived as an update: never one of the bot's own, so never probed as a copy."""
        if str(chat_id) in self.repair_chats:
            self.seen.add(chat_id, message_id)

    def wake(self) -> None:
        """Look for work now (call after committing new rows)."""
        self._wake.set()

    def start(self) -> None:
        """Run the loop in the background."""
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._loop(), name="khabar-outbox")

    async def stop(self, grace: float = 3.0) -> None:
        """Stop claiming; give Telegram calls in flight ``grace`` seconds, then abandon them.

        Only a Telegram call is ever cancelled, never a task inside a transaction: a connection
        cancelled mid-transaction can be left holding SQLite's write lock. A call that finishes in
        the grace period is recorded as usual; an abandoned call's row stays claimed and is sent
        again after a restart (``instance`` expires orphaned claims), so Telegram may show it twice
        if it had in fact been performed — the grace period makes that rare.
        """
        self._stopping = True
        self._wake.set()
        if self._calls:
            await asyncio.wait(list(self._calls), timeout=grace)
        for pending in list(self._calls):
            pending.cancel()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await asyncio.gather(*list(self._lanes.values()), return_exceptions=True)

    async def _loop(self) -> None:
        while not self._stopping:
            while self.reach is not None and self.reach.down and not self._stopping:
                await self.reach.wait_up(self.idle_poll)  # one probe at a time, not one call per row
            if self._stopping:
                return
            try:
                await self.run_once()
            except Exception as exc:
                if unavailable(exc):  # the database went away midway: one WARNING for the outage, no traceback
                    self.db.availability.report(exc)
                    await self.db.availability.wait_up()
                else:
                    log.exception("outbox cycle failed")
            if self._stopping:
                return
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.idle_poll)

    async def run_once(self) -> int:
        """Claim what is due and start lanes; the number of rows claimed (one claim at a time, so that
        a chat never gets two lanes: ``drain`` and the loop may both call this)."""
        async with self._claiming:
            return await self._claim_and_start()

    async def _claim_and_start(self) -> int:
        async with self.db.transaction() as session:
            rows = await repo.claim_due(
                session,
                owner=self.owner,
                now=self.clock(),
                lease=self.lease,
                limit=self.batch,
                exclude_chats=list(self._lanes),
                ordered_chats=self.repair_chats,
            )
        by_chat: dict[str, list[Delivery]] = {}
        for row in rows:
            by_chat.setdefault(row.chat_key, []).append(row)
        for chat, chat_rows in by_chat.items():
            task = asyncio.create_task(self._lane(chat_rows), name=f"khabar-outbox-{chat}")
            self._lanes[chat] = task
            task.add_done_callback(functools.partial(self._lane_done, chat))
        return len(rows)

    def _lane_done(self, chat: str, task: asyncio.Task[None]) -> None:
        self._lanes.pop(chat, None)
        error = None if task.cancelled() else task.exception()
        if error is not None:  # its rows stay claimed: sent again, in order, once the claim lapses
            if unavailable(error):
                self.db.availability.report(error)
            else:
                log.error("outbox lane failed", exc_info=error, extra={"chat_id": chat})
        self._wake.set()

    async def _lane(self, rows: list[Delivery]) -> None:
        """One chat's rows in order. In a discussion group (a thread must read in the order moderators
        approved) a row put back to wait (retry_after, backoff) holds up the rest of its chat, which go
        back to the queue behind it (claim_due keeps them there); elsewhere the rest go on."""
        for i, row in enumerate(rows):
            if self._stopping:
                return  # still claimed by this owner: resent after a restart
            if self.telegram_down:  # back to the queue, in order, for when Telegram answers again
                async with self.db.transaction() as session:
                    await repo.release(session, [r.id for r in rows[i:]], self.owner)
                return
            if not await self.deliver(row) and row.chat_key in self.repair_chats:
                rest = [r.id for r in rows[i + 1 :]]
                if rest:
                    async with self.db.transaction() as session:
                        await repo.release(session, rest, self.owner)
                return

    async def _perform(self, payload: dict[str, Any]) -> int | None:
        """The Telegram call as its own future, so that ``stop`` can abandon it and nothing else."""
        if self._stopping:  # no new call once stopping (checked and started without a pause between)
            raise asyncio.CancelledError
        pending = asyncio.ensure_future(perform(self.bot, payload))
        self._calls.add(pending)
        try:
            return await pending
        finally:
            self._calls.discard(pending)

    async def deliver(self, row: Delivery) -> bool:
        """Send one claimed row and record the outcome (never raises for Telegram errors); False if the
        row was put back to be tried again later (its chat's later rows must wait for it)."""
        extra = {"delivery_id": row.id, "kind": row.kind}
        hooks = self.hooks.get(row.kind)
        prepare = hooks.before_send if hooks else None
        payload: dict[str, Any] | None = row.payload
        # Rows wait their turn in the lane (and in the rate limiter): renew the claim right before
        # the call, so that a claim never lapses while its row is still to be sent by this worker
        # (a claim made moments ago still has nearly the whole lease: no write needed).
        aging = row.claimed_until is None or row.claimed_until - self.clock() < self.lease - self.fresh_claim
        first_here = row.chat_key in self.repair_chats and row.after_message_id is None
        if aging or prepare is not None or first_here:
            async with self.db.transaction() as session:
                if not await repo.renew_claim(session, row.id, self.owner, self.clock() + self.lease):
                    log.warning("claim lost before sending; another worker has the row", extra=extra)
                    return True
                if first_here:
                    row.after_message_id = await repo.last_message_id(session, row.chat_key)
                    if row.after_message_id is not None:  # no known message: no safe lower bound, no repair
                        await repo.mark_attempt(session, row.id, self.owner, row.after_message_id)
                if prepare is not None:
                    payload = await prepare(session, row, self.clock())
        if payload is None:
            await self._sent(row, None)
            return True
        if prepare is not None:
            row.payload = payload  # the hooks see what was sent (the stored row keeps its own payload)
        try:
            message_id = await self._perform(payload)
        except asyncio.CancelledError:
            me = asyncio.current_task()
            if not self._stopping or (me is not None and me.cancelling()):
                raise  # this lane itself was cancelled, not just its call
            log.info("stopping: a call in flight was abandoned; resent after restart", extra=extra)
            return True
        except RetryAfter as exc:
            wait = _retry_seconds(exc)
            log.warning("flood limit: retrying after %ss", wait, extra=extra)
            await self._retry(row, wait, f"Too Many Requests: retry after {wait:g}")  # not held back (reconcile)
            return False
        except BadRequest as exc:
            instead = _reply_instead(payload, exc.message) or _otherwise(payload, exc.message)
            if any(text in exc.message.lower() for text in _ALREADY_DONE):
                await self._sent(row, None)
            elif instead is not None:
                log.warning("Telegram refused the call; making the one the row names instead",
                            extra={**extra, "error": exc.message})
                await self._retry(row, 0.0, exc.message, payload=instead)
                return False
            else:
                log.error("permanent error: %s", exc.message, extra=extra)
                await self._fail(row, exc.message)
        except (TimedOut, NetworkError) as exc:  # after BadRequest: PTB's BadRequest is a NetworkError
            if self.telegram_down and outage_error(exc):
                # Telegram is away (logged once by bot/telegram_reach.py): not this row's fault, so no
                # attempt counted and no backoff of its own; the loop claims it again once Telegram answers.
                log.debug("Telegram out of reach; the row waits for it", extra=extra)
                await self._retry(row, 0.0, str(exc), uncertain=not not_sent(exc), refund=True)
                return False
            if row.attempts >= MAX_ATTEMPTS:
                await self._fail(row, f"gave up after {row.attempts} attempts: {exc}")
                return True
            wait = min(300.0, self.backoff_base * 2.0 ** min(row.attempts - 1, 8)) * (0.5 + self._rng.random())
            log.warning("transient error, retrying in %.1fs: %s", wait, exc, extra=extra)
            await self._retry(row, wait, str(exc), uncertain=True)  # the call may have reached Telegram
            return False
        except (Forbidden, TelegramError) as exc:
            log.warning("permanent error: %s", exc, extra=extra)
            await self._fail(row, str(exc))
        except Exception as exc:
            # A bug or a bad payload must not leave the row claimed forever: retry later, loudly.
            log.exception("unexpected error sending a delivery", extra=extra)
            await self._retry(row, min(600.0, 30.0 * row.attempts), repr(exc), uncertain=True)
            return False
        else:
            await self._sent(row, message_id)
            if row.uncertain and message_id is not None and row.chat_key in self.repair_chats:
                await self._repair(row, message_id)
        return True

    async def _repair(self, row: Delivery, message_id: int, budget: float = REPAIR_BUDGET) -> None:
        """Look for the copies an uncertain attempt may have left (never raises: the row is sent)."""
        try:
            await remove_copies(self.bot, self.db, row, message_id, owner=self.owner, seen=self.seen,
                                backoff=self.backoff_base, stopping=lambda: self._stopping, budget=budget)
        except Exception:
            log.exception("duplicate check failed; the row stays marked uncertain", extra={"delivery_id": row.id})

    async def repair_pending(self) -> int:
        """Finish the duplicate checks that were skipped, cut short or killed (a periodic job); how
        many rows were looked at. Safe beside the lanes: a row's window lies below its own message id,
        which every later send is above."""
        if not self.repair_chats or self._stopping or self.telegram_down:
            return 0
        since = self.clock() - REPAIR_HORIZON
        async with self.db.transaction() as session:
            rows = await repo.unrepaired(session, self.repair_chats, since)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + REPAIR_BUDGET  # one sweep, however many rows: a shutdown waits for it
        for row in rows:
            left = deadline - loop.time()
            if self._stopping or left <= 0:
                break
            if row.message_id is not None:
                await self._repair(row, row.message_id, budget=left)
        return len(rows)

    async def _sent(self, row: Delivery, message_id: int | None) -> None:
        now = self.clock()
        async with self.db.transaction() as session:
            if await repo.mark_sent(session, row.id, self.owner, message_id, now):
                hooks = self.hooks.get(row.kind)
                if hooks and hooks.on_sent:
                    await hooks.on_sent(session, row, message_id, now)
            else:
                log.warning("claim lost before recording a sent delivery", extra={"delivery_id": row.id})

    async def _retry(self, row: Delivery, wait: float, error: str, *, uncertain: bool = False,
                     refund: bool = False, payload: dict[str, Any] | None = None) -> None:
        at = self.clock() + timedelta(seconds=wait)
        async with self.db.transaction() as session:
            await repo.mark_retry(session, row.id, self.owner, at, error, uncertain=uncertain, refund=refund,
                                  payload=payload)

    async def _fail(self, row: Delivery, error: str) -> None:
        now = self.clock()
        async with self.db.transaction() as session:
            if await repo.mark_failed(session, row.id, self.owner, error):
                hooks = self.hooks.get(row.kind)
                if hooks and hooks.on_failed:
                    await hooks.on_failed(session, row, error, now)

    async def drain(self, budget: float = 10.0, horizon: float = 5.0) -> None:
        """Deliver until nothing is in flight or due within ``horizon`` seconds (tests, one-shot jobs)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + budget
        while loop.time() < deadline:
            await self.run_once()
            if self._lanes:
                await asyncio.gather(*list(self._lanes.values()), return_exceptions=True)
                continue
            async with self.db.transaction() as session:
                due = await repo.next_due_at(session)
                in_flight = (await repo.counts(session)).get(repo.SENDING, 0)
            now = self.clock()
            if not in_flight and (due is None or due > now + timedelta(seconds=horizon)):
                return
            await asyncio.sleep(0.02)
