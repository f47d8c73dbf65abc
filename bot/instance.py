"""Guard rails for running several Khabar processes: who polls, who owns a SQLite file."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.deps import Deps, KhabarApp, KhabarContext
from bot.settings import ConfigError
from storage.db import is_sqlite
from storage.models import Lease
from storage.repos import leases

log = logging.getLogger(__name__)

TTL = timedelta(seconds=60)
RENEW_EVERY = 15.0
POLLING = "updates:polling"
SQLITE = "sqlite:instance"


class StartupRefused(ConfigError):
    """Another live instance holds what this one needs; the message says what to do."""


def _names(deps: Deps, mode: str) -> list[str]:
    names = []
    if mode == "polling":
        names.append(POLLING)
    if is_sqlite(deps.settings.database_url):
        names.append(SQLITE)
    return names


async def claim(app: KhabarApp, deps: Deps, mode: str) -> None:
    """Take this instance's leases or refuse to start; renew them while running."""
    names = _names(deps, mode)
    now = deps.clock()
    async with deps.db.transaction() as session:
        for name in names:
            if not await leases.acquire(session, name, deps.owner, TTL, now):
                holder = await session.get(Lease, name)
                who = holder.owner if holder else "another instance"
                raise StartupRefused(_refusal(name, who))
    deps.resources["instance_leases"] = names
    if names and app.job_queue is not None:
        app.job_queue.run_repeating(_renew, interval=RENEW_EVERY, first=RENEW_EVERY, name="instance-leases")


def _refusal(name: str, who: str) -> str:
    if name == POLLING:
        return (
            f"another Khabar instance ({who}) is already polling Telegram for this bot. Telegram allows one "
            "getUpdates client per bot: stop the other instance, or run every instance with "
            "`khabar run --webhook` behind one webhook URL (needs PostgreSQL)."
        )
    return (
        f"another Khabar instance ({who}) already uses this SQLite database. SQLite serves one process: "
        "stop the other instance, or set KHABAR_DATABASE_URL to PostgreSQL to run several."
    )


async def _renew(context: KhabarContext) -> None:
    """Keep this instance's leases alive (a dead instance's leases lapse after TTL)."""
    deps = context.deps
    async with deps.db.transaction() as session:
        for name in deps.resources.get("instance_leases", []):
            if not await leases.acquire(session, name, deps.owner, TTL, deps.clock()):
                log.error("lost an instance lease to another process", extra={"lease": name})


async def release(deps: Deps) -> None:
    """Give the leases back at a clean shutdown so a restart need not wait for TTL."""
    names = deps.resources.get("instance_leases", [])
    if not names:
        return
    async with deps.db.transaction() as session:
        for name in names:
            await leases.release(session, name, deps.owner)
