"""What one bot message shows, as plain data: HTML text and an inline keyboard of buttons (pure: the
conversion to Telegram's markup happens in handlers/replies.py, the only module that sends a screen)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Button:
    """One inline button: it either sends ``callback_data`` back to the bot or opens ``url``."""

    text: str
    callback_data: str | None = None
    url: str | None = None


Keyboard = tuple[tuple[Button, ...], ...]  # rows of buttons, top to bottom; () is no keyboard


@dataclass(frozen=True, slots=True)
class Screen:
    """One message: HTML text and its keyboard (none by default)."""

    text: str
    keyboard: Keyboard = ()


def grid(buttons: Sequence[Button], per_row: int) -> Keyboard:
    """``buttons`` laid out ``per_row`` to a row."""
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def keyboard_dict(keyboard: Keyboard) -> dict[str, Any] | None:
    """The keyboard as the Bot API's JSON ``reply_markup`` (an outbox payload's); None: no buttons."""
    if not keyboard:
        return None
    return {"inline_keyboard": [[_button_dict(b) for b in row] for row in keyboard]}


def _button_dict(button: Button) -> dict[str, str]:
    # Keys in the order PTB's to_dict() writes them (alphabetical): the stored JSON is byte for byte PTB's.
    out = {} if button.callback_data is None else {"callback_data": button.callback_data}
    out["text"] = button.text
    if button.url is not None:
        out["url"] = button.url
    return out
