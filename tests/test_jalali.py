"""Jalali dates in Tehran time with Persian digits, at known instants."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.jalali import fa_digits, format_date, format_datetime, format_short, iso_jalali

TEHRAN = ZoneInfo("Asia/Tehran")


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # The sample page: Thursday 18 Dey 1404, 15:06 Tehran (UTC+3:30).
        (datetime(2026, 1, 8, 11, 36, tzinfo=UTC), "پنج‌شنبه ۱۸ دی ۱۴۰۴، ساعت ۱۵:۰۶"),
        # Nowruz 1405: the year turns at the March equinox.
        (datetime(2026, 3, 20, 20, 30, tzinfo=UTC), "شنبه ۱ فروردین ۱۴۰۵، ساعت ۰۰:۰۰"),
        (datetime(2026, 3, 20, 20, 29, tzinfo=UTC), "جمعه ۲۹ اسفند ۱۴۰۴، ساعت ۲۳:۵۹"),
        # Gregorian new year is mid-Dey.
        (datetime(2025, 12, 31, 20, 30, tzinfo=UTC), "پنج‌شنبه ۱۱ دی ۱۴۰۴، ساعت ۰۰:۰۰"),
    ],
)
def test_format_datetime(utc: datetime, expected: str) -> None:
    assert format_datetime(utc, TEHRAN) == expected


def test_short_forms() -> None:
    moment = datetime(2026, 1, 8, 11, 36, tzinfo=UTC)
    assert format_date(moment, TEHRAN) == "۱۸ دی ۱۴۰۴"
    assert format_short(moment, TEHRAN) == "۱۴۰۴/۱۰/۱۸ ۱۵:۰۶"
    assert iso_jalali(moment, TEHRAN) == "1404-10-18 15:06"


def test_digits_and_naive_refused() -> None:
    assert fa_digits("نظرات (12)") == "نظرات (۱۲)"
    with pytest.raises(ValueError, match="naive"):
        format_datetime(datetime(2026, 1, 1), TEHRAN)
