"""An article's page of comments fits one Telegram message however its comments are written: Telegram
counts a message's 4,096 in UTF-16 units, where a Persian letter is one and most emoji are two."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.domain.paging import COMMENT_CHARS, PER_PAGE, page_of, trim, units
from bot.intake.screens import article_view
from storage.models import Article, Comment, User

WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def _shown(html_text: str) -> str:
    """What the reader sees: the text after Telegram has parsed the HTML."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def test_trim_counts_utf16_units_and_keeps_persian_as_it_was() -> None:
    persian = "این نظر دربارهٔ گرانی نان است " * 40
    assert trim(persian, 500) == trim(persian, 500)[:-1].rstrip() + "…"
    assert len(trim(persian, 500)) <= 501
    for text in ("🖕" * 700, "خوب " + "😂" * 700, "👍🏽" * 300):
        cut = trim(text, 500)
        assert units(cut) <= 501 and cut.endswith("…")  # 500 units and the ellipsis (one unit)
    assert trim("کوتاه 😂", 500) == "کوتاه 😂"


def test_a_page_of_five_emoji_comments_fits_one_message() -> None:
    article = Article(id=1, token="t", title="خبر " * 60, published_at=WHEN, link="https://news.example/a/1")
    comments = [Comment(id=n, article_id=1, author_id=n, text="😡" * 2 * COMMENT_CHARS, created_at=WHEN,
                        published_at=WHEN) for n in range(1, PER_PAGE + 1)]
    names = {n: User(id=n, display_name="نام " * 30) for n in range(1, PER_PAGE + 1)}
    screen = article_view(article, comments, names, page_of(40, 0), 40, ZoneInfo("Asia/Tehran"))
    assert units(_shown(screen.text)) <= 4096
