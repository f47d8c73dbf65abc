"""getUpdates semantics: long polling, offsets, limits, allowed_updates, 24-hour expiry, conflicts."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from telegram import Bot
from telegram.error import Conflict

from fakegram import FakeTelegram


async def test_long_poll_waits_then_times_out(fake: FakeTelegram, fake_bot: Bot) -> None:
    started = time.monotonic()
    assert await fake_bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 3


async def test_long_poll_returns_early_on_new_update(fake: FakeTelegram, fake_bot: Bot) -> None:
    user = fake.make_user("Ali")

    async def later() -> None:
        await asyncio.sleep(0.3)
        await user.start_bot()

    task = asyncio.create_task(later())
    started = time.monotonic()
    updates = await fake_bot.get_updates(timeout=20)
    await task
    assert time.monotonic() - started < 3
    assert updates[0].message.text == "/start"


async def test_offset_confirms_and_negative_offset(fake: FakeTelegram, fake_bot: Bot) -> None:
    user = fake.make_user("Ali")
    await user.start_bot()
    for i in range(4):
        await user.send(f"m{i}")
    first = await fake_bot.get_updates()
    assert [u.update_id for u in first] == [1, 2, 3, 4, 5]
    again = await fake_bot.get_updates(limit=2)  # unconfirmed updates come back
    assert [u.update_id for u in again] == [1, 2]
    confirmed = await fake_bot.get_updates(offset=3)
    assert [u.update_id for u in confirmed] == [3, 4, 5]
    last = await fake_bot.get_updates(offset=-1)
    assert [u.update_id for u in last] == [5]
    assert [u.update_id for u in await fake_bot.get_updates()] == [5]  # earlier ones were forgotten
    assert await fake_bot.get_updates(offset=6) == ()
    await user.send("next")
    assert [u.update_id for u in await fake_bot.get_updates()] == [6]


async def test_limit_and_timeout_are_clamped(fake: FakeTelegram) -> None:
    user = fake.make_user("Ali")
    for i in range(105):
        await user.send(f"m{i}")
    async with httpx.AsyncClient() as client:
        r = await client.post(f"{fake.api_url}/getUpdates", data={"limit": "500", "timeout": "-5"})
        assert len(r.json()["result"]) == 100
        r = await client.post(f"{fake.api_url}/getUpdates", data={"limit": "0", "offset": "106"})
        assert r.json()["result"] == []


async def test_allowed_updates_persist_between_calls(fake: FakeTelegram, fake_bot: Bot) -> None:
    user = fake.make_user("Ali")
    await user.start_bot()
    msg = await fake_bot.send_message(user.id, "choose", reply_markup={"inline_keyboard": [[  # type: ignore[arg-type]
        {"text": "a", "callback_data": "a"}]]})
    await fake_bot.get_updates(offset=-1, allowed_updates=["callback_query"])
    await fake_bot.get_updates(offset=2)
    await user.send("ignored: not an allowed update")
    handle = await user.press(fake.resolve_message(msg.to_dict()), "a")
    updates = await fake_bot.get_updates()  # allowed_updates omitted: the previous setting stays
    assert [u.callback_query.data for u in updates] == ["a"]
    await fake_bot.answer_callback_query(handle.id)


async def test_updates_expire_after_24_hours(fake: FakeTelegram, fake_bot: Bot) -> None:
    user = fake.make_user("Ali")
    await user.send("old")
    fake.clock.advance(23 * 3600)
    await user.send("new")
    assert len(await fake_bot.get_updates()) == 2
    fake.clock.advance(2 * 3600)
    assert [u.message.text for u in await fake_bot.get_updates()] == ["new"]


async def test_second_poller_terminates_the_first(fake: FakeTelegram) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        first = asyncio.create_task(client.post(f"{fake.api_url}/getUpdates", data={"timeout": "5"}))
        await asyncio.sleep(0.2)
        second = await client.post(f"{fake.api_url}/getUpdates", data={"timeout": "0"})
        r = await first
    assert second.json() == {"ok": True, "result": []}
    assert r.status_code == 409 and "terminated by other getUpdates request" in r.json()["description"]


async def test_get_updates_conflicts_with_webhook(fake: FakeTelegram, fake_bot: Bot) -> None:
    await fake_bot.set_webhook("http://127.0.0.1:9/hook")
    with pytest.raises(Conflict, match="webhook is active"):
        await fake_bot.get_updates()
    await fake_bot.delete_webhook()
    assert await fake_bot.get_updates() == ()
