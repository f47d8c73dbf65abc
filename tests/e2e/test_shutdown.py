"""Stopping Khabar lets every scheduled job finish: none is cancelled half-way, nothing logged as an error."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.app import stop_app
from bot.deps import KhabarContext
from tests.e2e.harness import Khabar


async def test_stopping_cancels_no_job_that_started_meanwhile(khabar: Khabar, caplog: pytest.LogCaptureFixture) -> None:
    started = 0
    finished = 0
    cancelled = 0

    async def busy(_context: KhabarContext) -> None:
        # Starts every 5 ms and takes 50 ms: while the job queue waits for the running ones,
        # new ones fall due; a scheduler still running would start them and then cancel them.
        nonlocal started, finished, cancelled
        started += 1
        try:
            await asyncio.sleep(0.05)
        except asyncio.CancelledError:
            cancelled += 1
            raise
        finished += 1

    assert khabar.app.job_queue is not None
    khabar.app.job_queue.run_repeating(busy, interval=0.005, first=0.0, name="test-busy", job_kwargs={"max_instances": 50})
    await asyncio.sleep(0.3)
    with caplog.at_level(logging.ERROR):
        await stop_app(khabar.app)
    assert started > 0
    assert cancelled == 0 and finished == started
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
