"""Pure moderation domain: reasons, warnings, card text and buttons, queue pages, stats, export rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.callbacks import Action, encode, parse
from bot.checks.learned import Estimate
from bot.jalali import fa_digits
from bot.moderation import export_rows, queue_view, stats
from bot.moderation.card import (
    CardAuthor,
    CardDecision,
    CardView,
    main_keyboard,
    reasons_keyboard,
    render_card,
)
from bot.moderation.reasons import (
    BAN_DURATIONS,
    FOREVER,
    REASONS,
    ban_until,
    duration_at,
    reason_at,
    warnings_of,
)
from fakegram.text import format_text

TZ = ZoneInfo("Asia/Tehran")
NOW = datetime(2025, 3, 20, 20, 45, tzinfo=UTC)  # 1404-01-01 00:15 Tehran


def view(i: int, text: str = "نظر", parent: bool = False) -> CardView:
    return CardView(i, f"t{i}", text, NOW, "عنوان <خبر>", "https://x.test/a?b=1&c=2",
                    CardAuthor(100 + i, "نام & <نام>", "user_name", 3, 1),
                    parent_author="والد" if parent else None, parent_text="متن والد" if parent else None,
                    warnings=["توهین"])


def test_reason_and_duration_tables() -> None:
    assert [r.label for r in REASONS] == ["توهین", "اتهام", "نامرتبط", "غیرفارسی", "تبلیغ", "سایر"]
    assert [d.days for d in BAN_DURATIONS] == [1, 7, 30, None]
    assert reason_at(6) is None and duration_at(-1) is None and reason_at(0) is REASONS[0]
    assert ban_until(NOW, None) == FOREVER and ban_until(NOW, 7) == NOW + timedelta(days=7)


def test_warnings_from_stored_verdict() -> None:
    checks = {"reasons": [{"code": "language_uncertain"}, {"code": "off_topic"}, {"code": "link"}],
              "insult": True, "accusation": True}
    assert warnings_of(checks) == ["زبان نامطمئن", "نامرتبط با خبر", "پیوند", "توهین", "اتهام"]
    assert warnings_of({}) == [] and warnings_of({"reasons": "junk"}) == []


def test_card_escapes_and_shows_everything() -> None:
    text = render_card(view(1, "<b>سلام</b> & خداحافظ", parent=True), TZ, CardDecision("reject", "مدیر <۱>", NOW,
                                                                                   reason_label="توهین"))
    assert "&lt;b&gt;سلام&lt;/b&gt; &amp; خداحافظ" in text and "نام &amp; &lt;نام&gt;" in text
    assert '<a href="https://x.test/a?b=1&amp;c=2">عنوان &lt;خبر&gt;</a>' in text
    assert "@user_name" in text and "<code>101</code>" in text and "✅ ۳" in text and "❌ ۱" in text
    assert "پاسخ تازه" in text and "متن والد" in text and "⚠️ توهین" in text
    assert "۱ فروردین ۱۴۰۴، ساعت ۰۰:۱۵" in text and "رد شد</b> (توهین) · مدیر &lt;۱&gt;" in text
    assert len(render_card(view(1, "ب" * 4000), TZ)) < 4096


def test_buttons_carry_ids_only_and_parse_back() -> None:
    rows = main_keyboard(12345678901) + reasons_keyboard(12345678901, "۳: ")
    datas = [b.callback_data for row in rows for b in row]
    assert all(d is not None and len(d.encode()) <= 64 and parse(d) is not None for d in datas)
    assert len(datas) == 4 + 7 and rows[0][0].callback_data == encode(Action.APPROVE, 12345678901)


def test_queue_pages_cover_every_comment_once_and_fit() -> None:
    views = [view(i, "متن " * (i % 7 * 60 + 1)) for i in range(1, 201)]
    pages = queue_view.page_count(len(views))
    assert pages == 40
    shown: list[int] = []
    for n in range(pages):
        start = queue_view.page_offset(n)
        items = views[start:start + queue_view.PAGE_ITEMS]
        text, keyboard = queue_view.render_page(items, n, len(views), TZ)
        assert len(text) < 4096 and len(items) == queue_view.PAGE_ITEMS
        assert f"صفحهٔ {fa_digits(n + 1)} از {fa_digits(pages)}" in text
        shown += [int(b.callback_data.split(":")[-1]) for row in keyboard for b in row
                  if (b.callback_data or "").startswith("v1:ap:")]
        nav = [b.callback_data for row in keyboard for b in row if (b.callback_data or "").startswith("v1:qp:")]
        assert nav == [encode(Action.QUEUE_PAGE, p) for p in (n - 1, n + 1) if 0 <= p < pages]
    assert shown == list(range(1, 201))
    assert queue_view.render_page([], 0, 0, TZ) == (queue_view.render_page([], 3, 0, TZ)[0], ())
    assert queue_view.page_count(0) == 1 and queue_view.page_count(5) == 1 and queue_view.page_count(6) == 2


def test_a_page_of_long_comments_is_cut_to_fit_and_keeps_all_five() -> None:
    items = [view(i, "واژه " * 400) for i in range(1, 6)]  # 2,000 characters each
    text, keyboard = queue_view.render_page(items, 0, 5, TZ)
    assert len(text) <= queue_view.PAGE_CHARS + 300 and len(text) < 4096
    assert len(keyboard) == 5 and text.count("…") == 5  # every text cut, none dropped
    # Telegram counts UTF-16 units: five comments of emoji (two units each) still fit
    emoji = [view(i, "😀" * 2000) for i in range(1, 6)]
    text, _ = queue_view.render_page(emoji, 0, 5, TZ)
    assert len(text.encode("utf-16-le")) // 2 < 4096 and text.count("…") == 5
    short = [view(i, "کوتاه") for i in range(1, 6)]
    assert "…" not in queue_view.render_page(short, 0, 5, TZ)[0]  # short texts are shown whole


@pytest.mark.parametrize(("backlog", "recent", "open_view", "cards"),
                         [(1, 0, False, 1), (8, 0, False, 8), (9, 0, False, 0), (1, 8, False, 0), (3, 0, True, 0)])
def test_surge_rule(backlog: int, recent: int, open_view: bool, cards: int) -> None:
    assert queue_view.cards_to_send(backlog, recent, view_open=open_view) == cards


def test_stats_periods_and_median() -> None:
    now = datetime(2025, 3, 21, 8, 0, tzinfo=UTC)  # 11:30 Tehran
    (t0, _), (w0, _) = stats.periods(now, TZ)
    assert t0.astimezone(TZ).hour == 0 and (t0 - w0) == timedelta(days=6)
    rows = [
        stats.StatRow(now - timedelta(hours=1), now - timedelta(hours=1), "approved", None,
                      now - timedelta(minutes=50), 7),
        stats.StatRow(now - timedelta(hours=1), now - timedelta(hours=1), "rejected", "insult",
                      now - timedelta(minutes=30), 8),
        stats.StatRow(now - timedelta(hours=2), now - timedelta(hours=2), "auto_rejected", "link"),
        stats.StatRow(now - timedelta(days=2), now - timedelta(days=2), "approved", None,
                      now - timedelta(days=2) + timedelta(seconds=40), 0),
    ]
    today = stats.compute(rows, t0, now)
    assert (today.received, today.approved, dict(today.rejected), dict(today.auto_rejected)) == (
        3, 1, {"insult": 1}, {"link": 1})
    assert today.median_seconds == 20 * 60
    week = stats.compute(rows, w0, now)
    assert week.approved == 2 and set(week.per_moderator) == {7, 8}  # automatic decisions are nobody's
    assert stats.format_duration(3700) == "۱ ساعت و ۱ دقیقه"


def test_export_row_and_dates() -> None:
    src = export_rows.Source(1, "tok", 2, "عنوان", None, 3, "نام", "متن", "rejected", "off_topic", NOW, NOW, None)
    row = export_rows.row(src, TZ)
    assert list(row) == list(export_rows.COLUMNS)
    assert row["created_at"] == "2025-03-20T20:45:00Z" and row["created_at_jalali"] == "1404-01-01 00:15"
    assert row["reason_fa"] == "نامرتبط" and row["published_at"] == ""
    assert export_rows.parse_day("۱۴۰۴/۰۱/۰۱") == date(2025, 3, 21) == export_rows.parse_day("2025-03-21")
    start, end = export_rows.day_range(date(2025, 3, 21), date(2025, 3, 21), TZ)
    assert start == datetime(2025, 3, 20, 20, 30, tzinfo=UTC) and end - start == timedelta(days=1)
    with pytest.raises(ValueError):
        export_rows.parse_day("21/03/2025")


def test_the_worst_card_stays_one_telegram_message() -> None:
    """The longest comment (KHABAR_MAX_COMMENT_LENGTH up to 4 000), in two-unit characters, under a long
    parent, title and names, with warnings, the model's words, the penalty line and a decision."""
    emoji = "😡"  # two UTF-16 units each, as Telegram counts
    worst = CardView(
        1, "t" * 40, emoji * 4000, NOW, "عنوان " + "&" * 300, "https://x.test/" + "a" * 500,
        CardAuthor(10**12, "<نام>" * 40, "u" * 32, 10**6, 10**6),
        parent_author="&" * 100, parent_text=emoji * 400, warnings=["زبان نامطمئن", "نامرتبط با خبر", "پیوند",
                                                                 "توهین", "اتهام", "واژهٔ تبلیغی"],
        estimate=Estimate(0.99, tuple("واژه" * 10 for _ in range(5)), 1000),
        penalty="⚖️ " + "ردِ توهین، اتهام، نامرتبط، غیرفارسی، تبلیغ، سایر " * 3,
    )
    for decision in (None, CardDecision("ban", "&" * 100, NOW, duration_label="همیشه"),
                     CardDecision("reject", "<مدیر>" * 20, NOW, reason_label="توهین")):
        text = render_card(worst, TZ, decision)
        shown, _ = format_text(text, "HTML", None)  # as the Bot API parses it
        assert len(shown.encode("utf-16-le")) // 2 <= 4096
        assert emoji * 100 in shown and shown.count(emoji) < 4000 + 400  # clipped, still most of it
        assert "🕒" in shown and ("⚖️" in shown)
    short = render_card(view(1, "نظر کوتاه " + emoji), TZ)
    assert "نظر کوتاه " + emoji in short  # nothing clipped when it fits
