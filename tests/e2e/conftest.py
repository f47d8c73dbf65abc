"""Fixtures for end-to-end tests: the fake world and a running Khabar on a fresh database."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator

import pytest

from bot.app import stop_app
from fakegram.control import FakeTelegram
from tests.e2e.harness import Clock, Khabar, World, build_world, create_schema, launch, settings_for


@pytest.fixture
def world(fake: FakeTelegram) -> World:
    """Channel, discussion group and moderators' group with two moderators."""
    return build_world(fake)


@pytest.fixture
def clock() -> Clock:
    """The clock Khabar's services read."""
    return Clock()


@pytest.fixture(params=["polling"])
def mode(request: pytest.FixtureRequest) -> str:
    """How Khabar gets updates; tests that care parametrise this with webhook too."""
    return str(request.param)


@pytest.fixture
async def khabar(
    fake: FakeTelegram, world: World, db_url: str, clock: Clock, mode: str, request: pytest.FixtureRequest
) -> AsyncIterator[Khabar]:
    """Khabar running against the fake, on a fresh database (SQLite unless parametrised)."""
    await create_schema(db_url)
    marker = request.node.get_closest_marker("khabar_settings")
    overrides = dict(marker.kwargs) if marker else {}
    running = await launch(world, settings_for(fake, world, db_url, **overrides), clock, webhook=mode == "webhook")
    try:
        yield running
    finally:
        # Bounded: a rare shutdown stall (seen once in CI on SQLite, cause not found) must not hang
        # the suite; its task stacks are printed for diagnosis.
        try:
            await asyncio.wait_for(stop_app(running.app), 60)
        except TimeoutError:
            sys.stderr.write("khabar did not stop within 60 s; tasks:\n")
            for task in asyncio.all_tasks():
                task.print_stack(file=sys.stderr)
