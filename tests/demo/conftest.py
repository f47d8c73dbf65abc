"""Fixtures for the demo's tests: the demo running in-process (fakegram, the real bot, the page)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.demo.runtime import Demo
from bot.demo.server import DemoServer


@pytest.fixture
async def demo(tmp_path: Path) -> AsyncIterator[DemoServer]:
    """``khabar demo --db FILE`` in this process: the page's server (its ``demo`` is started), on a free port."""
    running = Demo(tmp_path / "demo.db")
    await running.start()
    server = DemoServer(running)
    try:
        await server.start()
        yield server
    finally:
        await server.stop()
        await running.stop()


@pytest.fixture
async def temp_demo() -> AsyncIterator[DemoServer]:
    """``khabar demo`` in this process, on its default temporary database."""
    running = Demo()
    await running.start()
    folder = running.temp_dir
    server = DemoServer(running)
    try:
        await server.start()
        yield server
    finally:
        await server.stop()
        await running.stop()
    assert folder is not None and not folder.exists()
