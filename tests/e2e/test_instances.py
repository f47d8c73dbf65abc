"""Guard rails: one poller per bot, one process per SQLite file; leases lapse when a process dies."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.instance import POLLING, SQLITE, StartupRefused
from fakegram.control import FakeTelegram
from storage.models import Lease
from tests.e2e.harness import Khabar, World, launch


async def test_second_instance_on_the_same_sqlite_file_is_refused(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    second = khabar.settings.model_copy(update={"instance_name": "second"})
    with pytest.raises(StartupRefused, match="SQLite serves one process"):
        await launch(world, second, khabar.clock, webhook=True)


async def test_second_poller_is_refused_and_a_dead_ones_lease_lapses(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    async with khabar.db.transaction() as s:
        held = {lease.name for lease in [await s.get(Lease, POLLING), await s.get(Lease, SQLITE)] if lease}
    assert held == {POLLING, SQLITE}
    second = khabar.settings.model_copy(update={"instance_name": "second"})
    with pytest.raises(StartupRefused, match="already polling"):
        await launch(world, second, khabar.clock)
    # The first instance "dies" without releasing: after the lease runs out a new one may start.
    khabar.clock.advance(timedelta(minutes=2).total_seconds())
    async with khabar.db.transaction() as s:
        for name in (POLLING, SQLITE):
            lease = await s.get(Lease, name)
            assert lease is not None and lease.expires_at < khabar.clock()
