"""Guard rails for running several Khabar processes: who polls, who owns a SQLite file."""

from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps, KhabarApp, KhabarContext
from bot.settings import ConfigError
from storage.db import is_sqlite
from storage.repos import leases, outbox

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


def holder_id(deps: Deps) -> str:
    """Who holds a lease: the outbox owner name, host and process id (``owner|host|pid``)."""
    return f"{deps.owner[:60]}|{socket.gethostname()[:30]}|{os.getpid()}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def _dead_holder(held_by: str, me: str) -> str | None:
    """The outbox owner of a lease holder known to be gone (None if it may be alive).

    Gone: a process on this host whose pid no longer exists (killed, crashed, or restarted by a
    supervisor), or the same configured instance name on another host (a restarted container).
    A live process is never taken for dead: a different name, or the same name with a live pid, is refused.
    """
    try:
        owner, host, pid = held_by.rsplit("|", 2)
        my_owner, my_host, my_pid = me.rsplit("|", 2)
        pid_no = int(pid)
    except ValueError:
        return None  # an older format: wait for the lease to lapse
    if host == my_host:
        return owner if pid != my_pid and not _pid_alive(pid_no) else None
    return owner if owner == my_owner else None


async def _take_over(session: AsyncSession, name: str, me: str, now: datetime) -> str | None:
    """Take ``name`` from a dead holder; the dead holder's outbox owner, or None if refused."""
    lease = await leases.holder(session, name)
    if lease is None:
        return None
    dead = _dead_holder(lease.owner, me)
    if dead is None:
        return None
    if not await leases.take_over(session, name, lease.owner, me, now + TTL):
        return None
    log.warning("took over the lease of a stopped instance", extra={"lease": name, "previous": lease.owner})
    return dead


async def _expire_orphan_claims(session: AsyncSession, owners: set[str], everyone: bool, now: datetime) -> None:
    """Outbox rows a dead process was sending become due now instead of when its claim lapses."""
    await outbox.expire_claims(session, None if everyone else owners, now, now - timedelta(seconds=1))


async def claim(app: KhabarApp, deps: Deps, mode: str) -> None:
    """Take this instance's leases or refuse to start; renew them while running."""
    names = _names(deps, mode)
    now = deps.clock()
    me = holder_id(deps)
    dead_owners = {deps.owner}  # rows claimed under this name were claimed by a process no longer running
    async with deps.db.transaction() as session:
        for name in names:
            if await leases.acquire(session, name, me, TTL, now):
                continue
            dead = await _take_over(session, name, me, now)
            if dead is None:
                holder = await leases.holder(session, name)
                who = holder.owner if holder else "another instance"
                raise StartupRefused(_refusal(name, who))
            dead_owners.add(dead)
        if names:
            # With the SQLite lease this process is the only one: every row still "sending" is orphaned.
            await _expire_orphan_claims(session, dead_owners, SQLITE in names, now)
    deps.parts.leases = names
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
        for name in deps.parts.leases:
            if not await leases.acquire(session, name, holder_id(deps), TTL, deps.clock()):
                log.error("lost an instance lease to another process", extra={"lease": name})


async def release(deps: Deps) -> None:
    """Give the leases back at a clean shutdown so a restart need not wait for TTL."""
    names = deps.parts.leases
    if not names:
        return
    async with deps.db.transaction() as session:
        for name in names:
            await leases.release(session, name, holder_id(deps))
