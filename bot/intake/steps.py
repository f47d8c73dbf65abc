"""What an intake service hands back instead of calling Telegram: the direct replies to make (plain data).

The handler performs them (handlers/replies.py: ``perform``) and tells the service what became of each
one that has a ``then`` (bot/intake/followups.py), which may answer with more steps. Everything else
the intake sends (group notes, deletions, expiry edits) goes through the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.screen import Screen


@dataclass(frozen=True, slots=True)
class Send:
    """A new message to ``chat_id`` (under ``reply_to`` if given)."""

    chat_id: int
    screen: Screen
    reply_to: int | None = None
    then: Then | None = None


@dataclass(frozen=True, slots=True)
class Edit:
    """An existing message rewritten into ``screen`` (its keyboard replaced: none if it has none)."""

    chat_id: int
    message_id: int
    screen: Screen
    then: Then | None = None


Step = Send | Edit


@dataclass(frozen=True, slots=True)
class GroupNote:
    """A short note in an article's discussion thread, through the outbox, for a member the bot cannot
    reach privately; ``comment``: (id, token) of the comment it asks them to continue."""

    chat_id: int
    message_id: int  # the member's message the note is about
    author_id: int
    author_name: str
    root: int | None
    text: str
    comment: tuple[int, str] | None = None


@dataclass(frozen=True, slots=True)
class CaptchaShown:
    """Sent: that message is the captcha's (refused: the captcha is dropped, and ``otherwise`` follows)."""

    comment_id: int
    author_id: int
    captcha_id: int
    otherwise: Send | GroupNote | None = None


@dataclass(frozen=True, slots=True)
class IfRefused:
    """Refused: ``otherwise`` follows (sent: nothing more)."""

    otherwise: GroupNote


@dataclass(frozen=True, slots=True)
class AnswerShown:
    """The captcha message edited after an answer: then the reply under a typed answer — left out when the
    edit succeeded and ``unless_edited`` (the receipt is right above it) — then the comment is pending."""

    reply: Send | None
    unless_edited: bool = False
    pending: int | None = None


@dataclass(frozen=True, slots=True)
class Submitted:
    """The comment's messages are out: moderation may take it (``comment_pending``). ``receipt_in``: the
    step just made showed the receipt in this chat (a reply under a typed answer), so that message,
    the newest, is where the outcome goes."""

    comment_id: int
    receipt_in: int | None = None


Then = CaptchaShown | IfRefused | AnswerShown | Submitted
