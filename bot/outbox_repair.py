"""Removing the copy an uncertain send may have left in a group.

The Bot API has no idempotency key and no way to look a message up, so a send whose answer was lost
(a dropped connection, a timeout, a crash between the call and the commit) is retried and may show
twice. In a group, message ids only grow and a bot can edit only its own messages, so once the retry
has succeeded with id ``M`` every copy lies between the highest id known before the first attempt and
``M``. Each id there that the database does not know is probed with a no-op ``editMessageReplyMarkup``
(Khabar's thread messages carry no keyboard): "message is not modified" (or a successful edit) means a
message of this bot that nothing recorded — a copy — and it is deleted. A user's message or the
channel's automatic forward answers "message can't be edited" and is left alone; besides, ids the bot
has seen arrive as updates (anything not sent by the bot itself) are never probed, nor ids the
database knows (the outbox's sends, articles' forwards, readers' comments). The repair is bounded
(ids probed, seconds spent) and stops when the worker stops; a row stays marked ``uncertain`` until
its repair has run to the end.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from storage.db import Database
from storage.models import Delivery
from storage.repos import outbox as repo

log = logging.getLogger(__name__)

PROBE_LIMIT = 20  # ids probed per repair; the copy of a lost answer lies just above the bound
TRIES = 5
SEEN_PER_CHAT = 5000


class SeenMessages:
    """Ids of messages that reached the bot as updates, per chat: never the bot's own (bounded)."""

    def __init__(self, per_chat: int = SEEN_PER_CHAT) -> None:
        self._per_chat = per_chat
        self._order: dict[int, deque[int]] = {}
        self._ids: dict[int, set[int]] = {}

    def add(self, chat_id: int, message_id: int) -> None:
        """Remember one incoming message."""
        ids = self._ids.setdefault(chat_id, set())
        if message_id in ids:
            return
        order = self._order.setdefault(chat_id, deque())
        order.append(message_id)
        ids.add(message_id)
        if len(order) > self._per_chat:
            ids.discard(order.popleft())

    def __contains__(self, key: tuple[int, int]) -> bool:
        chat_id, message_id = key
        return message_id in self._ids.get(chat_id, ())


class _Clock:
    """Deadline and stop checks shared by the probe and delete retries."""

    def __init__(self, budget: float, backoff: float, stopping: Callable[[], bool]) -> None:
        loop = asyncio.get_running_loop()
        self._loop, self._end, self.backoff, self._stopping = loop, loop.time() + budget, backoff, stopping

    def over(self) -> bool:
        return self._stopping() or self._loop.time() >= self._end

    async def pause(self, exc: TelegramError, attempt: int) -> bool:
        """Sleep before the next try; False if the repair must end instead."""
        if isinstance(exc, RetryAfter):
            value = exc.retry_after
            wait = float(value.total_seconds() if isinstance(value, timedelta) else value)
        else:
            wait = self.backoff * 2.0 ** attempt
        if self.over() or self._loop.time() + wait >= self._end:
            return False
        await asyncio.sleep(wait)
        return not self.over()


async def _attempt(
    clock: _Clock, call: Callable[[], Awaitable[object]], refused: Callable[[BadRequest], bool]
) -> bool | None:
    """``call`` with retries on 429 and network errors: True if it went through, ``refused(exc)`` on a
    Bad Request, None if it could not be told (other errors, out of tries or time, stopping)."""
    for attempt in range(TRIES):
        try:
            await call()
            return True
        except BadRequest as exc:
            return refused(exc)
        except (RetryAfter, NetworkError) as exc:  # after BadRequest, which is a NetworkError in PTB
            if not await clock.pause(exc, attempt):
                return None
        except TelegramError:
            return None
    return None


async def _is_stray(bot: Bot, chat_id: int, message_id: int, clock: _Clock) -> bool | None:
    """True: a message of this bot (unknown to the database); False: not ours or gone; None: unknown.

    A successful edit means it had a keyboard: still the bot's own message."""
    return await _attempt(clock, lambda: bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id),
                          lambda exc: "not modified" in exc.message.lower())


async def _delete(bot: Bot, chat_id: int, message_id: int, clock: _Clock) -> bool:
    """Deleted now, or already gone (a lost answer: the first try did it)."""
    done = await _attempt(clock, lambda: bot.delete_message(chat_id, message_id),
                          lambda exc: "not found" in exc.message.lower())
    return bool(done)


async def _still_unknown(db: Database, row: Delivery, owner: str, message_id: int) -> bool:
    """Right before a delete: no other instance mid-send here, and the id still unrecorded."""
    async with db.transaction() as session:
        if await repo.sending_elsewhere(session, row.chat_key, owner):
            return False
        return message_id not in await repo.known_message_ids(session, row.chat_key, message_id - 1, message_id + 1)


async def remove_copies(
    bot: Bot,
    db: Database,
    row: Delivery,
    message_id: int,
    *,
    owner: str,
    seen: SeenMessages,
    backoff: float,
    stopping: Callable[[], bool],
    budget: float,
) -> bool:
    """Delete this bot's unrecorded messages sent between ``row``'s first attempt and ``message_id``.

    True when the repair ran to the end (the row is then marked certain); False when it was skipped
    or cut short (the row stays ``uncertain``, visible to operators).
    """
    above = row.after_message_id
    if above is None:
        return False
    extra = {"delivery_id": row.id, "chat": row.chat_key, "kept": message_id}
    chat_id = int(row.chat_key)
    async with db.transaction() as session:
        if await repo.sending_elsewhere(session, row.chat_key, owner):
            # Another instance's message may be out but not yet recorded: probing could take it for a copy.
            log.warning("duplicate check skipped: another instance is sending to this chat", extra=extra)
            return False
        known = await repo.known_message_ids(session, row.chat_key, above, message_id)
    candidates = [m for m in range(above + 1, message_id) if m not in known and (chat_id, m) not in seen]
    complete = len(candidates) <= PROBE_LIMIT
    if not complete:
        log.warning("duplicate check limited to %d of %d messages", PROBE_LIMIT, len(candidates), extra=extra)
        candidates = candidates[:PROBE_LIMIT]
    clock = _Clock(budget, backoff, stopping)
    removed: list[int] = []
    for candidate in candidates:
        if clock.over():
            log.warning("duplicate check cut short (stopping or out of time)", extra={**extra, "removed": removed})
            return False
        stray = await _is_stray(bot, chat_id, candidate, clock)
        if stray is None:
            complete = False
        elif stray and await _still_unknown(db, row, owner, candidate):
            if await _delete(bot, chat_id, candidate, clock):
                removed.append(candidate)
            else:
                complete = False
    if removed:
        log.warning("removed copies left by an uncertain send", extra={**extra, "removed": removed})
    if complete:
        async with db.transaction() as session:
            await repo.repaired(session, row.id)
    return complete
