"""Removing the copy an uncertain send may have left in a group.

The Bot API has no idempotency key and no way to look a message up, so a send whose answer was lost
(a dropped connection, a timeout, a crash between the call and the commit) is retried and may show
twice. In a group, message ids only grow and a bot can edit only its own messages, so once the retry
has succeeded with id ``M`` every copy lies between the highest id known before the first attempt and
``M``. Each id there that the database does not know is probed with a no-op ``editMessageReplyMarkup``
(Khabar's thread messages carry no keyboard): "message is not modified" (or a successful edit) means a
message of this bot that nothing recorded — a copy — and it is deleted. A user's message or the
channel's automatic forward answers "message can't be edited" and is left alone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from storage.db import Database
from storage.models import Delivery
from storage.repos import outbox as repo

log = logging.getLogger(__name__)

PROBE_LIMIT = 40  # ids probed per repair (a retry minutes later in a busy group spans more: not all probed)
TRIES = 6


def _pause(exc: TelegramError, base: float, attempt: int) -> float:
    if isinstance(exc, RetryAfter):
        value = exc.retry_after
        return float(value.total_seconds() if isinstance(value, timedelta) else value)
    return base * 2.0 ** attempt


async def _is_stray(bot: Bot, chat_id: int, message_id: int, base: float) -> bool | None:
    """True: a message of this bot (unknown to the database); False: not ours or gone; None: unknown."""
    for attempt in range(TRIES):
        try:
            await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id)
            return True  # it had a keyboard: still the bot's own message
        except BadRequest as exc:
            return "not modified" in exc.message.lower()
        except (RetryAfter, NetworkError) as exc:  # after BadRequest, which is a NetworkError in PTB
            await asyncio.sleep(_pause(exc, base, attempt))
        except TelegramError:
            return None
    return None


async def _delete(bot: Bot, chat_id: int, message_id: int, base: float) -> bool:
    for attempt in range(TRIES):
        try:
            await bot.delete_message(chat_id, message_id)
            return True
        except BadRequest as exc:
            return "not found" in exc.message.lower()  # a lost answer: the first try did it
        except (RetryAfter, NetworkError) as exc:
            await asyncio.sleep(_pause(exc, base, attempt))
        except TelegramError:
            return False
    return False


async def remove_copies(
    bot: Bot,
    db: Database,
    row: Delivery,
    message_id: int,
    *,
    owner: str,
    clock: Callable[[], datetime],
    backoff: float,
    stopping: Callable[[], bool],
) -> list[int]:
    """Delete this bot's unrecorded messages sent between ``row``'s first attempt and ``message_id``."""
    above = row.after_message_id
    if above is None or message_id - above <= 1:
        return []
    extra = {"delivery_id": row.id, "chat": row.chat_key, "kept": message_id}
    async with db.transaction() as session:
        if await repo.sending_elsewhere(session, row.chat_key, owner, clock()):
            # Another instance's message may be out but not yet recorded: probing could take it for a copy.
            log.warning("duplicate check skipped: another instance is sending to this chat", extra=extra)
            return []
        known = await repo.known_message_ids(session, row.chat_key, above, message_id)
    candidates = [m for m in range(above + 1, message_id) if m not in known]
    if len(candidates) > PROBE_LIMIT:
        log.warning("duplicate check limited to %d of %d messages", PROBE_LIMIT, len(candidates), extra=extra)
        candidates = candidates[:PROBE_LIMIT]
    removed: list[int] = []
    chat_id = int(row.chat_key)
    for candidate in candidates:
        if stopping():
            break
        if await _is_stray(bot, chat_id, candidate, backoff) and await _delete(bot, chat_id, candidate, backoff):
            removed.append(candidate)
    if removed:
        log.warning("removed copies left by an uncertain send", extra={**extra, "removed": removed})
    return removed
