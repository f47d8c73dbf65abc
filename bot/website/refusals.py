"""What an intake refusal note is, for the website's answer: too many (429), closed, or the checks (pure).

The intake answers Telegram with a formatted note only; the website tells its kinds apart by matching
the notes' templates (placeholders match anything), so a rate limit is not answered as a check's refusal.
"""

from __future__ import annotations

import re

from bot.texts import intake as intake_texts
from bot.texts import tools as tools_texts

RATE_LIMIT = "rate_limit"
SLOWED = "slowed"
CLOSED = "closed"
CHECKS = "checks"
OTHER = "other"


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile("(?s)" + ".+?".join(re.escape(piece) for piece in re.split(r"\{[^{}]*\}", template)))


_KINDS = (
    (RATE_LIMIT, _pattern(intake_texts.RATE_LIMITED)),
    (SLOWED, _pattern(tools_texts.SLOWED)),
    (CLOSED, _pattern(tools_texts.CLOSED_REFUSED)),
    (CHECKS, _pattern(intake_texts.REJECTED)),
)


def kind(note: str) -> str:
    """Which refusal ``note`` (the intake's HTML) is."""
    return next((name for name, pattern in _KINDS if pattern.fullmatch(note)), OTHER)
