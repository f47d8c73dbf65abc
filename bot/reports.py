"""Readers' reports of published comments (issue 18, item 3): the reasons and the rules (pure).

A reader reports a published comment once, with a reason. Reports by the comment's author are
refused; those by a banned reader are recorded but never count. When ``reports_to_review``
distinct counted reporters have reported a comment that no open review holds, it goes back to
the moderators as a card (keep / remove); a kept comment returns only when that many *new*
readers report it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class ReportReason:
    """Why a reader reports a comment: a stable code (stored) and its Persian label (shown)."""

    code: str
    label: str


# The order is the wire format (REPORT carries the index): append only.
REASONS: tuple[ReportReason, ...] = (
    ReportReason("insult", "توهین"),
    ReportReason("accusation", "اتهام"),
    ReportReason("spam", "تبلیغ یا هرزنامه"),
    ReportReason("off_topic", "نامرتبط"),
    ReportReason("other", "سایر"),
)
_LABELS = {r.code: r.label for r in REASONS}


def reason_at(index: int) -> ReportReason | None:
    """The reason behind a button's index (None for a forged one)."""
    return REASONS[index] if 0 <= index < len(REASONS) else None


def label(code: str) -> str:
    """A reason's Persian label (the code itself if unknown)."""
    return _LABELS.get(code, code)


class Refusal(StrEnum):
    """Why a report is not recorded at all."""

    OWN = "own"  # the author's own comment
    TOO_MANY = "too_many"  # the reader's hourly allowance is spent


def refusal(*, reporter_id: int, author_id: int, reported_last_hour: int, per_hour: int) -> Refusal | None:
    """Whether a report is refused before it is recorded."""
    if reporter_id == author_id:
        return Refusal.OWN
    if reported_last_hour >= per_hour:
        return Refusal.TOO_MANY
    return None


def counts(banned_until: datetime | None, now: datetime) -> bool:
    """Whether a recorded report counts towards a review (a banned reader's does not)."""
    return banned_until is None or banned_until <= now


def due(unreviewed: int, threshold: int) -> bool:
    """Whether ``unreviewed`` distinct counted reporters send the comment back (threshold 0: never)."""
    return threshold > 0 and unreviewed >= threshold
