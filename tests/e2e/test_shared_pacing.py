"""Several instances on one PostgreSQL database share Telegram's allowance (bot/pacing.py)."""

from __future__ import annotations

import asyncio

import pytest

from bot.app import stop_app
from fakegram.control import FakeTelegram
from storage.db import is_sqlite
from tests.e2e.harness import Khabar, World, launch

PER_INSTANCE = 6


@pytest.mark.parametrize("mode", ["webhook"])
@pytest.mark.khabar_settings(api_group_messages_per_minute="60", api_messages_per_second="30")
async def test_three_instances_together_stay_within_one_groups_allowance(
    fake: FakeTelegram, world: World, khabar: Khabar, db_url: str
) -> None:
    if is_sqlite(db_url):
        pytest.skip("SQLite serves one process: nothing to share")
    others = [await launch(world, khabar.settings.model_copy(update={"instance_name": f"instance-{i}"}), khabar.clock,
                           webhook=True) for i in (2, 3)]
    try:
        # The group allows 10 messages in any 10 s (60 a minute, as configured); each instance alone
        # would send 1 a second, together 3 a second.
        fake.flood.enable(group=(10, 10.0))
        before = len(fake.bot_messages(world.group))
        apps = [khabar.app] + [o.app for o in others]
        sends = [app.bot.send_message(world.group.id, f"پیام {n} از نمونهٔ {i + 1}")
                 for i, app in enumerate(apps) for n in range(PER_INSTANCE)]
        await asyncio.wait_for(asyncio.gather(*sends), 120)
        assert fake.flood.total_429 == 0, dict(fake.flood.rejected)
        assert len(fake.bot_messages(world.group)) - before == PER_INSTANCE * len(apps)
    finally:
        for other in others:
            await stop_app(other.app)
