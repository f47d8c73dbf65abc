"""One definition of "the bot cannot write to this person" (bot/domain/unreachable.py)."""

from __future__ import annotations

import pytest

from bot.domain.unreachable import cannot_write


@pytest.mark.parametrize(("description", "forbidden", "expected"), [
    ("Forbidden: bot was blocked by the user", True, True),
    ("Forbidden: user is deactivated", True, True),
    ("Forbidden: bot can't initiate conversation with a user", True, True),
    ("Bad Request: chat not found", False, True),
    ("Forbidden: something new", True, True),  # any 403
    ("Bad Request: message to edit not found", False, False),
    ("Bad Request: message is not modified", False, False),
    ("Too Many Requests: retry after 5", False, False),
    ("", False, False),
])
def test_cannot_write(description: str, forbidden: bool, expected: bool) -> None:
    assert cannot_write(description, forbidden=forbidden) is expected
