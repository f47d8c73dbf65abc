"""The real Application against the fake: start-up sequence and a /start answered, both modes."""

from __future__ import annotations

import pytest

from fakegram.control import FakeTelegram
from tests.e2e.harness import Khabar, World


@pytest.mark.parametrize("mode", ["polling", "webhook"], indirect=True)
async def test_startup_and_start_answered(fake: FakeTelegram, world: World, khabar: Khabar, mode: str) -> None:
    reader = fake.make_user("زهرا", "zahra")
    await reader.start_bot()
    reply = await fake.wait_for("sendMessage", lambda c: c.params.get("chat_id") in (reader.id, str(reader.id)))
    assert "ثبت نظر" in reply.params["text"]
    methods = [c.method.lower() for c in fake.calls]
    assert methods[0] == "getme"
    if mode == "polling":
        # getUpdates is a long poll: it is recorded when it returns, after deleteWebhook.
        assert methods.index("deletewebhook") < methods.index("getupdates")
    else:
        assert "setwebhook" in methods and "getupdates" not in methods
    assert khabar.deps.chats.discussion == world.group.id
