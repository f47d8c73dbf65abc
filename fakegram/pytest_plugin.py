"""pytest support: ``fake`` (a started FakeTelegram, checked at the end) and ``fake_bot`` (a PTB Bot on it).

Use with ``pytest_plugins = ["fakegram.pytest_plugin"]`` in a conftest.py, or import the fixtures:
``from fakegram.pytest_plugin import fake, fake_bot``.

At teardown ``fake`` fails the test if a callback query went unanswered, a request was malformed (unless
declared with ``fake.expect_failure(...)``), or the flood limiter answered 429 (unless
``fake.flood.expected``). Set ``fake.check_at_end = False`` to skip, e.g. for chaos tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from telegram import Bot

from .control import FakeTelegram

_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    report = yield
    if call.when == "call" and getattr(report, "failed", False):
        item.stash[_CALL_FAILED] = True
    return report


@pytest_asyncio.fixture
async def fake(request: pytest.FixtureRequest) -> AsyncIterator[FakeTelegram]:
    instance = FakeTelegram()
    await instance.start()
    try:
        yield instance
    finally:
        await instance.stop()
    if instance.check_at_end and not request.node.stash.get(_CALL_FAILED, False):
        instance.assert_clean()


@pytest_asyncio.fixture
async def fake_bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    bot = Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)
    async with bot:
        yield bot
