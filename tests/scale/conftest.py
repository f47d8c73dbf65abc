"""Fixtures for the scale tests: the same fake newsroom as the end-to-end tests."""

from __future__ import annotations

import pytest

from fakegram.control import FakeTelegram
from tests.e2e.harness import World, build_world


@pytest.fixture
def world(fake: FakeTelegram) -> World:
    """Channel, discussion group and moderators' group with two moderators."""
    return build_world(fake)
