"""Telegram's limits shared by every instance on one PostgreSQL database.

Each process's rate limiter (bot/rate_limit.py) keeps its own windows, so three instances behind
nginx could together send three times what Telegram allows. Shared, every message first takes the
next slot of an evenly spaced schedule kept in the database (``pacing_slots``): one per group or
channel (``chat:<id>``, KHABAR_API_GROUP_MESSAGES_PER_MINUTE) and one for the whole bot (``bot``,
KHABAR_API_MESSAGES_PER_SECOND), each spaced by its period × MARGIN, then waits for its slot. Even
spacing keeps every window of Telegram's within the limit whatever the instances' arrival order;
the margin (8 %: 4.8 s in a group's minute) absorbs messages that reach Telegram late (a busy
process, the network), and leaves 1/1.08 ≈ 93 % of the allowance used. A slot taken by a call that
then fails is simply not used.

On when the database is PostgreSQL and updates come by webhook (how several instances run; with
long polling only one process may poll). SQLite serves one process, which paces alone.
"""

from __future__ import annotations

import asyncio
from types import TracebackType

from storage.db import Database
from storage.repos import pacing as repo

MARGIN = 1.08  # slots this much further apart than Telegram's limit


class SharedPace:
    """An async context manager: entering waits for this process's next slot of ``key``."""

    def __init__(self, db: Database, key: str, gap: float, max_rate: int) -> None:
        self.db = db
        self.key = key
        self.gap = gap
        self.max_rate = max_rate  # what bot/rate_limit.py's clean-up reads

    def has_capacity(self, amount: float = 1) -> bool:
        """Nothing is kept in memory, so this one can always be dropped and made again."""
        return True

    async def __aenter__(self) -> None:
        async with self.db.transaction() as session:
            wait = await repo.reserve(session, self.key, self.gap)
        if wait > 0:
            await asyncio.sleep(wait)

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        return None
