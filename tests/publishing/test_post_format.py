"""The channel post format: escaping, Jalali dates, trimming within Telegram's limits."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.publishing.post_format import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    PostContent,
    keyboard,
    parse_hashtags,
    render,
    trim_words,
    utf16_len,
    visible_text,
)

TEHRAN = ZoneInfo("Asia/Tehran")
# A realistic lead, shaped after a provincial news page (../shared/samples).
LEAD = (
    "جلسه شورای هماهنگی روابط عمومی‌های استان لرستان، با تاکید بر نقش روابط عمومی‌ها در ایجاد "
    "تعامل بین مردم و دستگاه‌های اجرایی، به ریاست معاون سیاسی، امنیتی و اجتماعی استانداری برگزار شد."
)
WHEN = datetime(2026, 1, 8, 11, 36, tzinfo=UTC)  # 15:06 in Tehran, Thursday 18 Dey 1404


def post(**fields: object) -> PostContent:
    values: dict[str, object] = {"title": "تاکید بر نقش روابط عمومی‌ها", "published_at": WHEN, "lead": LEAD}
    values.update(fields)
    return PostContent(**values)  # type: ignore[arg-type]


def test_layout_kicker_bold_title_lead_date_link_hashtags() -> None:
    content = post(
        kicker="در جلسه شورای هماهنگی روابط عمومی‌های لرستان مطرح شد؛",
        link="https://example.ir/news/1?a=1&b=2",
        hashtags=("لرستان", "خبر"),
    )
    rendered = render(content, TEHRAN)
    lines = rendered.html.split("\n")
    assert lines[0] == "در جلسه شورای هماهنگی روابط عمومی‌های لرستان مطرح شد؛"
    assert lines[1] == "<b>تاکید بر نقش روابط عمومی‌ها</b>"
    assert LEAD in rendered.html
    assert "🕒 پنجشنبه ۱۸ دی ۱۴۰۴ - ۱۵:۰۶" in lines
    assert '<a href="https://example.ir/news/1?a=1&amp;b=2">ادامهٔ خبر</a>' in lines
    assert lines[-1] == "#لرستان #خبر"
    assert visible_text(rendered.html) == rendered.visible


def test_title_with_markup_is_shown_literally() -> None:
    rendered = render(post(title="<b>AT&T</b> «ویژه»", kicker="a < b & c"), TEHRAN)
    assert "<b>&lt;b&gt;AT&amp;T&lt;/b&gt; «ویژه»</b>" in rendered.html
    assert "a &lt; b &amp; c" in rendered.html
    assert "<b>AT&T</b> «ویژه»" in rendered.visible


def test_non_web_links_are_left_out() -> None:
    rendered = render(post(link="javascript:alert(1)"), TEHRAN)
    assert "href" not in rendered.html


@pytest.mark.parametrize("limit", [TEXT_LIMIT, CAPTION_LIMIT])
def test_long_lead_trimmed_at_word_boundary(limit: int) -> None:
    lead = " ".join([LEAD] * 60) + " <i>&amp;</i>"
    rendered = render(post(lead=lead, link="https://example.ir/x", hashtags=("خبر",)), TEHRAN, limit=limit)
    assert utf16_len(rendered.visible) <= limit
    assert visible_text(rendered.html) == rendered.visible
    shown_lead = rendered.visible.split("\n")[2]
    assert shown_lead.endswith("…")
    assert " ".join(lead.split()).startswith(shown_lead[:-1])
    assert lead.split()[len(shown_lead[:-1].split()) - 1] == shown_lead[:-1].split()[-1]  # whole last word
    assert "ادامهٔ خبر" in rendered.visible and "#خبر" in rendered.visible


def test_trimming_never_cuts_an_entity() -> None:
    lead = "&&&& " * 400
    rendered = render(post(lead=lead), TEHRAN, limit=CAPTION_LIMIT)
    assert utf16_len(rendered.visible) <= CAPTION_LIMIT
    assert visible_text(rendered.html) == rendered.visible
    assert "&amp" not in rendered.html.replace("&amp;", "")


def test_huge_title_is_capped() -> None:
    rendered = render(post(title="خبر " * 2000, lead=None), TEHRAN, limit=CAPTION_LIMIT)
    assert utf16_len(rendered.visible) <= CAPTION_LIMIT


def test_trim_words_counts_utf16() -> None:
    assert trim_words("😀😀 😀😀", 6) == "😀😀…"
    assert trim_words("short", 10) == "short"
    assert utf16_len(trim_words("واژه " * 50, 30)) <= 30


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Nowruz 1405: the vernal equinox falls on 20 March 2026, 1 Farvardin 1405 is a Saturday.
        (datetime(2026, 3, 20, 20, 30, tzinfo=UTC), "شنبه ۱ فروردین ۱۴۰۵ - ۰۰:۰۰"),
        (datetime(2026, 3, 20, 20, 29, tzinfo=UTC), "جمعه ۲۹ اسفند ۱۴۰۴ - ۲۳:۵۹"),
        # Gregorian New Year is 11 Dey in Tehran.
        (datetime(2025, 12, 31, 20, 30, tzinfo=UTC), "پنجشنبه ۱۱ دی ۱۴۰۴ - ۰۰:۰۰"),
        # 1403 was a leap year: 30 Esfand exists.
        (datetime(2025, 3, 20, 8, 0, tzinfo=UTC), "پنجشنبه ۳۰ اسفند ۱۴۰۳ - ۱۱:۳۰"),
        (WHEN, "پنجشنبه ۱۸ دی ۱۴۰۴ - ۱۵:۰۶"),
    ],
)
def test_jalali_date_in_post(moment: datetime, expected: str) -> None:
    rendered = render(post(published_at=moment), TEHRAN)
    assert "🕒 " + expected in rendered.visible.split("\n")


def test_keyboard_is_one_button_write_then_count() -> None:
    url = "https://t.me/khabar_bot?start=a-XyZ_9-"
    assert keyboard(url, 0) == {"inline_keyboard": [[{"text": "💬 ثبت نظر", "url": url}]]}
    assert keyboard(url, 13) == {"inline_keyboard": [[{"text": "💬 نظرها (۱۳)", "url": url}]]}


def test_hashtags_normalised() -> None:
    assert parse_hashtags("#خبر، ایران", "خبر  اخبار_روز ۱۲ #a-b") == ("خبر", "ایران", "اخبار_روز", "a_b")
