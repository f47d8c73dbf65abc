from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.checks.spam import AuthorHistory, PastComment, find_spam, is_duplicate


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("ببینید https://example.com/a", "links"),
        ("www.example.ir را ببینید", "links"),
        ("سایت example.com عالیه", "links"),
        ("کانال t.me/somechannel", "links"),
        ("عضو شوید t.me/joinchat/AbCdEf", "invite_links"),
        ("عضو شوید t.me/+AbCdEf", "invite_links"),
        ("به @someuser پیام بدید", "mentions"),
        ("شماره ۰۹۱۲۳۴۵۶۷۸۹", "phones"),
        ("شماره ٠٩١٢ ٣٤٥ ٦٧٨٩", "phones"),
        ("تماس +989123456789", "phones"),
        ("تماس 0912-345-6789", "phones"),
    ],
)
def test_spam_found(text: str, field: str) -> None:
    assert getattr(find_spam(text), field)


@pytest.mark.parametrize("text", ["قیمت ۱۲۰۰۰ تومان شد", "سال ۱۴۰۳", "ایمیل نداریم", "ساعت ۱۲.۳۰", "نظر.خوبی"])
def test_no_spam(text: str) -> None:
    spam = find_spam(text)
    assert not (spam.links or spam.invite_links or spam.mentions or spam.phones or spam.flood)


@pytest.mark.parametrize("text", ["!!!!!!!!!!!!!!!!!!!!!!!", "خوب " * 10])
def test_flood(text: str) -> None:
    assert find_spam(text).flood


def test_duplicate_within_window() -> None:
    now = datetime(2025, 1, 2, tzinfo=UTC)
    history = AuthorHistory((PastComment("سلام دنیا", now - timedelta(hours=1)),))
    assert is_duplicate("سلام، دنیا!", history, now, timedelta(days=1))
    old = AuthorHistory((PastComment("سلام دنیا", now - timedelta(days=3)),))
    assert not is_duplicate("سلام دنیا", old, now, timedelta(days=1))
    assert is_duplicate("سلام دنیا", AuthorHistory.from_texts(["سلام دنیا"]), now, timedelta(days=1))
