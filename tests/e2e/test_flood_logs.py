"""A 429 that is retried and delivered is ordinary traffic: no ERROR record, no traceback, counted in metrics."""

from __future__ import annotations

import logging

import pytest

from fakegram.control import FakeTelegram
from tests.e2e.harness import Khabar, World
from tests.e2e.publishing_helpers import TRAFFIC, channel_posts, queue_article


async def test_a_429_burst_is_retried_delivered_and_logged_without_error(
    fake: FakeTelegram, world: World, khabar: Khabar, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    # More 429s in a row than PTB's limiter retries (3): the outbox has to take over and retry later.
    fake.faults.add("sendMessage", "429", times=5, retry_after=1,
                    when=lambda p: str(p.get("chat_id")) == str(world.channel.id))
    await queue_article(khabar, TRAFFIC)
    await khabar.settle()
    assert len(channel_posts(fake, world)) == 1  # delivered once, in the end
    assert [c.status for c in fake.calls_of("sendMessage")].count(429) == 5
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    flood = [r for r in caplog.records if "flood limit" in r.getMessage()]
    assert flood and all(r.exc_info is None and r.levelno <= logging.WARNING for r in flood)
    count = khabar.deps.metrics.registry.get_sample_value("khabar_telegram_429_total", {"chat_kind": "channel"})
    assert count == 5
