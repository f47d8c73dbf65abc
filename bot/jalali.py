"""Persian digits and Jalali (Solar Hijri) dates in the newsroom's time zone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import jdatetime

_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
WEEKDAYS = ("شنبه", "یک‌شنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنج‌شنبه", "جمعه")
MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)


def fa_digits(value: object) -> str:
    """``str(value)`` with Latin digits written as Persian digits."""
    return str(value).translate(_FA_DIGITS)


def _local(moment: datetime, tz: ZoneInfo) -> jdatetime.datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: pass an aware UTC datetime")
    return jdatetime.datetime.fromgregorian(datetime=moment.astimezone(tz))


def format_datetime(moment: datetime, tz: ZoneInfo) -> str:
    """«پنج‌شنبه ۱۸ دی ۱۴۰۴، ساعت ۱۵:۰۶»: weekday, day, month, year, time, Persian digits."""
    j = _local(moment, tz)
    weekday = WEEKDAYS[j.weekday()]  # jdatetime: 0 = Saturday (شنبه)
    text = f"{weekday} {j.day} {MONTHS[j.month - 1]} {j.year}، ساعت {j.hour:02d}:{j.minute:02d}"
    return fa_digits(text)


def format_date(moment: datetime, tz: ZoneInfo) -> str:
    """«۱۸ دی ۱۴۰۴»."""
    j = _local(moment, tz)
    return fa_digits(f"{j.day} {MONTHS[j.month - 1]} {j.year}")


def format_short(moment: datetime, tz: ZoneInfo) -> str:
    """«۱۴۰۴/۱۰/۱۸ ۱۵:۰۶» for lists and cards."""
    j = _local(moment, tz)
    return fa_digits(f"{j.year}/{j.month:02d}/{j.day:02d} {j.hour:02d}:{j.minute:02d}")


def iso_jalali(moment: datetime, tz: ZoneInfo) -> str:
    """«1404-10-18 15:06» with Latin digits, for CSV/JSON exports."""
    j = _local(moment, tz)
    return f"{j.year:04d}-{j.month:02d}-{j.day:02d} {j.hour:02d}:{j.minute:02d}"
