"""Webhook push delivery and retries; scripted faults, chaos and flood limits as PTB sees them."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from fakegram import FakeTelegram
from tests.local_http import serve


class Receiver:
    """A tiny webhook endpoint that records deliveries and can be told to fail."""

    def __init__(self) -> None:
        self.received: list[tuple[dict[str, Any], str | None]] = []
        self.fail_next = 0
        self.url = ""
        self.got = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        body = json.loads(await request.text())
        if self.fail_next:
            self.fail_next -= 1
            return web.Response(status=500)
        self.received.append((body, request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        self.got.set()
        return web.Response(text="ok")


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    rec = Receiver()
    async with serve("POST", "/hook", rec.handle) as rec.url:
        yield rec


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22.8 warns in ``RetryAfter`` about int periods unless PTB_TIMEDELTA is set (warnings are errors)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


def retry_seconds(exc: RetryAfter) -> float:
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def wait_until(cond: Any, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_webhook_delivery_with_secret(fake: FakeTelegram, fake_bot: Bot, receiver: Receiver) -> None:
    fake.expect_failure("secret token contains unallowed characters")
    with pytest.raises(BadRequest):
        await fake_bot.set_webhook(receiver.url, secret_token="bad token!")
    await fake_bot.set_webhook(receiver.url, secret_token="s3cret_-X")
    user = fake.make_user("Ali")
    await user.start_bot()
    await wait_until(lambda: receiver.received)
    body, secret = receiver.received[0]
    assert secret == "s3cret_-X" and body["message"]["text"] == "/start"
    info = await fake_bot.get_webhook_info()
    assert info.url == receiver.url and info.pending_update_count == 0


async def test_webhook_without_secret_sends_no_header(fake: FakeTelegram, fake_bot: Bot,
                                                      receiver: Receiver) -> None:
    await fake_bot.set_webhook(receiver.url)
    await fake.make_user("Ali").start_bot()
    await wait_until(lambda: receiver.received)
    assert receiver.received[0][1] is None


async def test_webhook_retries_and_reports_errors(fake: FakeTelegram, fake_bot: Bot, receiver: Receiver) -> None:
    receiver.fail_next = 2
    await fake_bot.set_webhook(receiver.url)
    await fake.make_user("Ali").start_bot()
    await wait_until(lambda: receiver.received)
    info = await fake_bot.get_webhook_info()
    assert info.last_error_message and "500" in info.last_error_message
    assert fake.updates.webhook is not None and fake.updates.webhook.failures == 2


async def test_webhook_unreachable_keeps_updates_pending(fake: FakeTelegram, fake_bot: Bot) -> None:
    await fake_bot.set_webhook("http://127.0.0.1:9/nothing-listens-here")
    await fake.make_user("Ali").start_bot()
    await wait_until(lambda: fake.updates.webhook is not None and fake.updates.webhook.failures >= 1)
    info = await fake_bot.get_webhook_info()
    assert info.pending_update_count == 1 and info.last_error_date is not None
    await fake_bot.delete_webhook(drop_pending_updates=True)
    assert (await fake_bot.get_webhook_info()).pending_update_count == 0


async def test_scripted_429_raises_retry_after(fake: FakeTelegram, fake_bot: Bot) -> None:
    user = fake.make_user("Ali")
    await user.start_bot()
    fake.faults.add("sendMessage", "429", retry_after=3, when=lambda p: p.get("text") == "a")
    await fake_bot.send_message(user.id, "b")
    with pytest.raises(RetryAfter) as info:
        await fake_bot.send_message(user.id, "a")
    assert retry_seconds(info.value) == 3
    await fake_bot.send_message(user.id, "a")  # times=1: the fault is used up
    rec = fake.calls_of("sendMessage")[1]
    assert rec.status == 429 and rec.response["parameters"] == {"retry_after": 3}
    assert rec.description == "Too Many Requests: retry after 3"


async def test_scripted_500_and_403(fake: FakeTelegram, fake_bot: Bot) -> None:
    fake.faults.add("getMe", "500")
    fake.faults.add("getChat", "403", description="Forbidden: bot was kicked from the supergroup chat")
    with pytest.raises(NetworkError):
        await fake_bot.get_me()
    with pytest.raises(Exception, match="kicked"):
        await fake_bot.get_chat(1)


async def test_dropped_connection_and_timeout(fake: FakeTelegram) -> None:
    async with Bot(fake.token, base_url=fake.base_url, request=HTTPXRequest(read_timeout=0.5)) as bot:
        fake.faults.add("getMe", "drop")
        fake.faults.add("getWebhookInfo", "timeout", delay=5)
        fake.faults.add("getMyCommands", "slow", delay=0.3)
        with pytest.raises(NetworkError):
            await bot.get_me()
        with pytest.raises(TimedOut):
            await bot.get_webhook_info()
        started = time.monotonic()
        assert await bot.get_my_commands() == ()
        assert time.monotonic() - started >= 0.3
    async with httpx.AsyncClient() as client:
        fake.faults.add("getMe", "drop")
        with pytest.raises(httpx.RemoteProtocolError):  # closed without any answer
            await client.post(f"{fake.api_url}/getMe")


async def test_chaos_is_seeded(fake: FakeTelegram) -> None:
    fake.check_at_end = False
    outcomes = []
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        fake.faults.chaos(0.5, seed=7, kinds=("500",))
        for _ in range(10):
            try:
                await bot.get_my_commands()
                outcomes.append(True)
            except NetworkError:
                outcomes.append(False)
    assert True in outcomes and False in outcomes
    assert len(fake.faults.injected) == outcomes.count(False)


async def test_flood_limits_and_counters(fake: FakeTelegram, fake_bot: Bot) -> None:
    fake.flood.enable(group=(3, 60.0), expected=True)
    user = fake.make_user("Ali")
    await user.start_bot()
    group = fake.make_group("g")
    await fake_bot.send_message(user.id, "one")
    with pytest.raises(RetryAfter):
        await fake_bot.send_message(user.id, "two, within the same second")
    for i in range(3):
        await fake_bot.send_message(group.id, f"m{i}")
    with pytest.raises(RetryAfter) as info:
        await fake_bot.send_message(group.id, "over the limit")
    assert 1 <= retry_seconds(info.value) <= 60
    assert fake.flood.sent[group.id] == 3 and fake.flood.rejected[group.id] == 1
    assert fake.flood.total_429 == 2
    fake.clock.advance(61)
    await fake_bot.send_message(group.id, "after the window")


async def test_flood_speed_scales_retry_after() -> None:
    async with FakeTelegram(speed=60) as fake:
        fake.flood.enable(group=(20, 60.0), expected=True)
        group = fake.make_group("g")
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            for i in range(20):
                await bot.send_message(group.id, f"m{i}")
            with pytest.raises(RetryAfter) as info:
                await bot.send_message(group.id, "too many")
        assert retry_seconds(info.value) == 1  # 60 fake seconds last 1 real second
        fake.assert_clean()


async def test_unexpected_flood_429_is_reported() -> None:
    async with FakeTelegram() as fake:
        fake.flood.enable()
        user = fake.make_user("Ali")
        await user.start_bot()
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            await bot.send_message(user.id, "1")
            with pytest.raises(RetryAfter):
                await bot.send_message(user.id, "2")
    assert any("flood" in p for p in fake.problems())


async def test_lost_answer_performs_the_method_then_drops(fake: FakeTelegram) -> None:
    user = fake.make_user("Ali")
    await user.start_bot()
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        fake.faults.add("sendMessage", "lost")
        with pytest.raises(NetworkError):  # the caller cannot tell it happened...
            await bot.send_message(user.id, "once")
    assert [m.text for m in fake.bot_messages(user.private_chat)] == ["once"]  # ...but it did
    (record,) = fake.calls_of("sendMessage")
    assert record.fault == "lost" and record.ok and record.result["text"] == "once"


async def test_chaos_timeout_delay_and_kinds(fake: FakeTelegram) -> None:
    fake.check_at_end = False
    with pytest.raises(ValueError, match="unknown fault kind"):
        fake.faults.chaos(0.5, kinds=("nope",))
    async with Bot(fake.token, base_url=fake.base_url) as bot:
        fake.faults.chaos(1.0, kinds=("timeout",), timeout_delay=0.05)
        with pytest.raises(NetworkError):  # held briefly, then dropped
            await bot.get_my_commands()
