"""Numbers and durations as the catalogue writes them (pure): «۱٬۰۰۰», «۳ دقیقه», «یک فرصت دیگر»."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.jalali import fa_digits, format_datetime
from bot.moderation.reasons import is_permanent
from bot.texts import intake as t


def fa_number(value: int) -> str:
    """``1000`` → «۱٬۰۰۰» (Persian digits, the Arabic thousands separator)."""
    return fa_digits(f"{value:,}".replace(",", "٬"))


def duration(span: timedelta | float) -> str:
    """A wait, rounded up to what a reader can act on: «۴۵ ثانیه», «یک دقیقه», «۳ دقیقه», «یک ساعت»."""
    seconds = max(1, int(-(-(span.total_seconds() if isinstance(span, timedelta) else span) // 1)))
    if seconds < 60:
        return t.SECONDS.format(n=fa_digits(seconds))
    minutes = -(-seconds // 60)
    if minutes < 60:
        special = {1: t.ONE_MINUTE, 2: t.TWO_MINUTES}
        return special.get(minutes) or t.MINUTES.format(n=fa_digits(minutes))
    hours, rest = divmod(minutes, 60)
    if rest == 0:
        return t.ONE_HOUR if hours == 1 else t.HOURS.format(n=fa_digits(hours))
    return t.HOURS_MINUTES.format(h=fa_digits(hours), m=fa_digits(rest))


def tries(left: int) -> str:
    """«یک فرصت دیگر», «دو فرصت دیگر», «۳ فرصت دیگر»."""
    return t.TRIES.get(left) or t.TRIES_N.format(n=fa_digits(left))


def ban_end(until: datetime, tz: ZoneInfo) -> str:
    """How long a ban lasts, as a reader reads it: «برای همیشه», or «تا <date>»."""
    return t.BANNED_FOREVER if is_permanent(until) else t.BANNED_UNTIL.format(date=format_datetime(until, tz))
