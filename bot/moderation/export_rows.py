"""Rows of ``khabar export``: one flat record per comment, ISO (UTC) and Jalali (Tehran) dates (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import jdatetime

from bot.jalali import iso_jalali
from bot.moderation.reasons import reason_label

COLUMNS = (
    "comment_id",
    "comment_token",
    "article_id",
    "article_title",
    "parent_id",
    "author_id",
    "author_name",
    "text",
    "status",
    "reason",
    "reason_fa",
    "created_at",
    "created_at_jalali",
    "decided_at",
    "decided_at_jalali",
    "published_at",
    "published_at_jalali",
    "source",
)
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")


@dataclass(frozen=True, slots=True)
class Source:
    """What one export row is made of."""

    comment_id: int
    comment_token: str
    article_id: int
    article_title: str
    parent_id: int | None
    author_id: int
    author_name: str
    text: str
    status: str
    reason: str | None
    created_at: datetime
    decided_at: datetime | None
    published_at: datetime | None
    source: str = "telegram"  # telegram | web


def _iso(moment: datetime | None) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z") if moment else ""


def _jalali(moment: datetime | None, tz: ZoneInfo) -> str:
    return iso_jalali(moment, tz) if moment else ""


def row(src: Source, tz: ZoneInfo) -> dict[str, str | int | None]:
    """The record for one comment, keys in COLUMNS order."""
    return {
        "comment_id": src.comment_id,
        "comment_token": src.comment_token,
        "article_id": src.article_id,
        "article_title": src.article_title,
        "parent_id": src.parent_id,
        "author_id": src.author_id,
        "author_name": src.author_name,
        "text": src.text,
        "status": src.status,
        "reason": src.reason or "",
        "reason_fa": reason_label(src.reason) if src.reason else "",
        "created_at": _iso(src.created_at),
        "created_at_jalali": _jalali(src.created_at, tz),
        "decided_at": _iso(src.decided_at),
        "decided_at_jalali": _jalali(src.decided_at, tz),
        "published_at": _iso(src.published_at),
        "published_at_jalali": _jalali(src.published_at, tz),
        "source": src.source,
    }


def parse_day(text: str) -> date:
    """A calendar day from «2025-01-05» or Jalali «1403-10-16» / «۱۴۰۳/۱۰/۱۶» (years before 1700 are Jalali)."""
    match = _DATE.fullmatch(text.strip().translate(_DIGITS))
    if match is None:
        raise ValueError(f"not a date: {text!r} (use 2025-01-05 or 1403-10-16)")
    y, m, d = (int(g) for g in match.groups())
    if y < 1700:
        return jdatetime.date(y, m, d).togregorian()
    return date(y, m, d)


def day_range(first: date, last: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start of ``first``, start of the day after ``last``) in ``tz``, as UTC."""
    if last < first:
        raise ValueError("--to is before --from")
    start = datetime.combine(first, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return start, end
