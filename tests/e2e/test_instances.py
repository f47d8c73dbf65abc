"""Guard rails: one poller per bot, one process per SQLite file; leases lapse when a process dies."""

from __future__ import annotations

import asyncio
import socket
import sys
from datetime import timedelta

import pytest

from bot.app import stop_app
from bot.instance import POLLING, SQLITE, StartupRefused
from fakegram.control import FakeTelegram
from storage.db import Database, is_sqlite
from storage.models import Lease
from tests.e2e.harness import Khabar, World, launch


@pytest.mark.parametrize("mode", ["webhook"])
async def test_second_webhook_instance_refused_on_sqlite_allowed_on_postgres(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    second = khabar.settings.model_copy(update={"instance_name": "second"})
    if is_sqlite(khabar.settings.database_url):
        with pytest.raises(StartupRefused, match="SQLite serves one process"):
            await launch(world, second, khabar.clock, webhook=True)
        return
    other = await launch(world, second, khabar.clock, webhook=True)
    await stop_app(other.app)


async def test_second_poller_is_refused_and_a_dead_ones_lease_lapses(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    async with khabar.db.transaction() as s:
        held = {lease.name for lease in [await s.get(Lease, POLLING), await s.get(Lease, SQLITE)] if lease}
    assert held == ({POLLING, SQLITE} if is_sqlite(khabar.settings.database_url) else {POLLING})
    second = khabar.settings.model_copy(update={"instance_name": "second"})
    with pytest.raises(StartupRefused, match="already polling"):
        await launch(world, second, khabar.clock)
    # The first instance "dies" without releasing: after the lease runs out a new one may start.
    khabar.clock.advance(timedelta(minutes=2).total_seconds())
    async with khabar.db.transaction() as s:
        for name in held:
            lease = await s.get(Lease, name)
            assert lease is not None and lease.expires_at < khabar.clock()


async def _hand_leases_to(khabar: Khabar, holder: str) -> None:
    """Make ``holder`` the lease holder, as if Khabar had been killed (no release at shutdown)."""
    await stop_app(khabar.app)
    db = Database(khabar.settings.database_url)
    try:
        async with db.transaction() as s:
            for name in (POLLING, SQLITE) if is_sqlite(khabar.settings.database_url) else (POLLING,):
                await s.merge(Lease(name=name, owner=holder, expires_at=khabar.clock() + timedelta(seconds=50)))
    finally:
        await db.close()


async def test_restart_after_sigkill_retakes_the_lease_of_the_dead_process(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    dead = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await dead.wait()  # reaped: its pid no longer exists
    await _hand_leases_to(khabar, f"{socket.gethostname()}-{dead.pid}|{socket.gethostname()}|{dead.pid}")
    restarted = await launch(world, khabar.settings, khabar.clock)  # no 60-second wait
    khabar.app = restarted.app


async def test_a_live_process_holding_the_lease_is_still_refused(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    alive = await asyncio.create_subprocess_exec(sys.executable, "-c", "import time; time.sleep(30)")
    try:
        await _hand_leases_to(khabar, f"{socket.gethostname()}-{alive.pid}|{socket.gethostname()}|{alive.pid}")
        with pytest.raises(StartupRefused, match="already polling"):
            await launch(world, khabar.settings, khabar.clock)
        named = khabar.settings.model_copy(update={"instance_name": f"{socket.gethostname()}-{alive.pid}"})
        with pytest.raises(StartupRefused):  # the same name, but that process is alive
            await launch(world, named, khabar.clock)
    finally:
        alive.kill()
        await alive.wait()


async def test_same_instance_name_from_another_host_retakes_the_lease(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    await _hand_leases_to(khabar, "newsroom-1|old-container|4242")
    with pytest.raises(StartupRefused):  # a different instance on another host: wait for the lease to lapse
        await launch(world, khabar.settings, khabar.clock)
    named = khabar.settings.model_copy(update={"instance_name": "newsroom-1"})
    restarted = await launch(world, named, khabar.clock)  # the operator says it is the same instance
    khabar.app = restarted.app
