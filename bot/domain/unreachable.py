"""When Telegram's refusal means the bot cannot write to that person at all: one definition for every
path that writes to a reader (the intake's direct replies, the outbox's notices)."""

from __future__ import annotations

# Telegram's descriptions for a private chat the bot may not write to: the user blocked the bot or
# deleted their account (403), never started it, or is unknown to Telegram (400).
_PHRASES = ("blocked", "deactivated", "chat not found", "forbidden", "bot can't initiate")


def cannot_write(description: str, *, forbidden: bool = False) -> bool:
    """Whether a refusal (its description; ``forbidden``: it came as a 403) means the person cannot be
    written to; a 403 always does."""
    lowered = description.lower()
    return forbidden or any(phrase in lowered for phrase in _PHRASES)
