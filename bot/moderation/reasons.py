"""Rejection reasons, ban durations and check warnings as index tables (buttons carry the index)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass(frozen=True, slots=True)
class RejectReason:
    """A moderator's reason for rejecting: a stable code (stored) and its Persian label (shown)."""

    code: str
    label: str


# The order is the wire format (REJECT carries the index): append only.
REASONS: tuple[RejectReason, ...] = (
    RejectReason("insult", "توهین"),
    RejectReason("accusation", "اتهام"),
    RejectReason("off_topic", "نامرتبط"),
    RejectReason("not_persian", "غیرفارسی"),
    RejectReason("advertising", "تبلیغ"),
    RejectReason("other", "سایر"),
)
# Stored on comments rejected because their author was banned.
BANNED = RejectReason("banned", "مسدود شدن نویسنده")
_BY_CODE = {r.code: r for r in (*REASONS, BANNED)}


@dataclass(frozen=True, slots=True)
class BanDuration:
    """How long a ban lasts; ``days=None`` is permanent."""

    days: int | None
    label: str


# The order is the wire format (BAN carries the index): append only.
BAN_DURATIONS: tuple[BanDuration, ...] = (
    BanDuration(1, "۱ روز"),
    BanDuration(7, "۷ روز"),
    BanDuration(30, "۳۰ روز"),
    BanDuration(None, "دائم"),
)
# A permanent ban is a ban until a date no one will see.
FOREVER = datetime(9999, 1, 1, tzinfo=UTC)

# Persian warnings for the checks' reason codes (Comment.checks["reasons"][i]["code"]).
WARNINGS: dict[str, str] = {
    "language_uncertain": "زبان نامطمئن",
    "not_persian": "غیرفارسی",
    "finglish": "فینگلیش",
    "off_topic": "نامرتبط با خبر",
    "insult": "توهین",
    "accusation": "اتهام",
    "link": "پیوند",
    "invite_link": "پیوند دعوت",
    "mention": "نام کاربری دیگران",
    "phone": "شماره تلفن",
    "flood": "تکرار زیاد",
    "spam_word": "واژهٔ تبلیغی (فهرست تحریریه)",
    "too_short": "خیلی کوتاه",
    "too_long": "خیلی بلند",
    "duplicate": "تکراری",
    "empty": "خالی",
    "model": "شبیه نظرهای ردشده",
}


def reason_at(index: int) -> RejectReason | None:
    """The reason behind a button index, or None for a forged index."""
    return REASONS[index] if 0 <= index < len(REASONS) else None


def duration_at(index: int) -> BanDuration | None:
    """The ban duration behind a button index, or None for a forged index."""
    return BAN_DURATIONS[index] if 0 <= index < len(BAN_DURATIONS) else None


def reason_label(code: str | None) -> str:
    """The Persian label of a stored reason code (the code itself if unknown, «—» if none)."""
    if not code:
        return "—"
    known = _BY_CODE.get(code)
    if known is not None:
        return known.label
    return WARNINGS.get(code, code)


def ban_until(now: datetime, days: int | None) -> datetime:
    """When a ban of ``days`` (None: permanent) starting ``now`` ends."""
    return FOREVER if days is None else now + timedelta(days=days)


def is_permanent(until: datetime) -> bool:
    """Whether a ban end means "forever"."""
    return until.year >= FOREVER.year


def warnings_of(checks: dict[str, object] | None) -> list[str]:
    """Persian warnings from a stored Verdict (Comment.checks), in order, without repeats."""
    if not checks:
        return []
    out: list[str] = []
    raw = checks.get("reasons")
    codes = [str(item.get("code", "")) for item in raw if isinstance(item, dict)] if isinstance(raw, list) else []
    if checks.get("insult") and "insult" not in codes:
        codes.append("insult")
    if checks.get("accusation") and "accusation" not in codes:
        codes.append("accusation")
    for code in codes:
        label = WARNINGS.get(code)
        if label and label not in out:
            out.append(label)
    return out
