"""The comment state machine: every status and every allowed move, in one place."""

from __future__ import annotations

from enum import StrEnum


class CommentStatus(StrEnum):
    """Where a comment stands on its way from reader to channel."""

    AWAITING_CAPTCHA = "awaiting_captcha"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    AUTO_REJECTED = "auto_rejected"
    EXPIRED = "expired"
    REMOVED = "removed"  # published, then taken down by a moderator (issue 18)


S = CommentStatus

# Moves a comment may make. Undo returns a decided comment to the queue.
TRANSITIONS: dict[CommentStatus, frozenset[CommentStatus]] = {
    S.AWAITING_CAPTCHA: frozenset({S.PENDING, S.EXPIRED}),
    S.PENDING: frozenset({S.APPROVED, S.REJECTED}),
    S.APPROVED: frozenset({S.PENDING, S.REMOVED}),
    S.REJECTED: frozenset({S.PENDING}),
    S.AUTO_REJECTED: frozenset(),
    S.EXPIRED: frozenset(),
    S.REMOVED: frozenset(),
}

# A comment is born in one of these.
INITIAL: frozenset[CommentStatus] = frozenset({S.AWAITING_CAPTCHA, S.AUTO_REJECTED})
DECIDED: frozenset[CommentStatus] = frozenset({S.APPROVED, S.REJECTED})


class TransitionError(ValueError):
    """A move the state machine does not allow."""


def can_move(old: CommentStatus | str, new: CommentStatus | str) -> bool:
    """Whether a comment in status ``old`` may move to ``new``."""
    return CommentStatus(new) in TRANSITIONS[CommentStatus(old)]


def check_move(old: CommentStatus | str, new: CommentStatus | str) -> None:
    """Raise TransitionError unless the move is allowed."""
    if not can_move(old, new):
        raise TransitionError(f"{old} -> {new} is not an allowed comment transition")


def sources_of(new: CommentStatus | str) -> frozenset[CommentStatus]:
    """Every status from which ``new`` can be reached."""
    target = CommentStatus(new)
    return frozenset(old for old, news in TRANSITIONS.items() if target in news)
