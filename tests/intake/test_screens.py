"""What a bot message shows, read back from its buttons."""

from __future__ import annotations

from bot.callbacks import Action, encode
from bot.intake.screens import Shown, what_it_shows


def test_article_view_means_the_article() -> None:
    datas = [encode(Action.REPLY, 5), encode(Action.REPLY, 6), encode(Action.WRITE, 3), encode(Action.PAGE, 3, 1)]
    assert what_it_shows(datas) == Shown(article_id=3)


def test_single_comment_means_a_reply() -> None:
    assert what_it_shows([encode(Action.REPLY, 9)]) == Shown(comment_id=9)


def test_captcha_and_garbage() -> None:
    assert what_it_shows([encode(Action.CAPTCHA, 4, 2, 1), "v9:zz", "nonsense"]) == Shown(captcha_id=4)
    assert what_it_shows([]) == Shown()
