"""What a bot message shows, read back from its buttons."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.helpers import create_deep_linked_url

from bot.callbacks import Action, encode
from bot.domain.screen import keyboard_dict
from bot.intake.screens import Shown, continue_keyboard, continue_url, start_url, what_it_shows, write_again


def test_article_view_means_the_article() -> None:
    datas = [encode(Action.REPLY, 5), encode(Action.REPLY, 6), encode(Action.WRITE, 3), encode(Action.PAGE, 3, 1)]
    assert what_it_shows(datas) == Shown(article_id=3)


def test_single_comment_means_a_reply() -> None:
    assert what_it_shows([encode(Action.REPLY, 9)]) == Shown(comment_id=9)


def test_captcha_and_garbage() -> None:
    assert what_it_shows([encode(Action.CAPTCHA, 4, 2, 1), "v9:zz", "nonsense"]) == Shown(captcha_id=4)
    assert what_it_shows([]) == Shown()


def test_a_keyboard_as_data_is_the_markup_telegram_gets() -> None:
    """The outbox stores keyboard_dict's JSON; it is what PTB itself would send for the same buttons."""
    keyboard = continue_keyboard("khabar_bot", "abc_DEF-1") + write_again("x", 3, None).keyboard
    ptb = InlineKeyboardMarkup([[InlineKeyboardButton(b.text, callback_data=b.callback_data, url=b.url) for b in row]
                                for row in keyboard])
    assert keyboard_dict(keyboard) == ptb.to_dict()
    assert keyboard_dict(()) is None


def test_deep_links_are_telegrams() -> None:
    assert continue_url("khabar_bot", "abc_DEF-1") == create_deep_linked_url("khabar_bot", "c-abc_DEF-1")
    with pytest.raises(ValueError):
        start_url("khabar_bot", "no spaces")
