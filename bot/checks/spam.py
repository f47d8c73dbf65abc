"""Spam and form: links, invite links, mentions, phone numbers, floods, length and repeats."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.checks.normalize import TRIPLE, to_latin_digits

_TLDS = (
    "com|net|org|ir|info|io|me|co|app|xyz|site|online|shop|store|top|club|biz|dev|ai|tv|cc|ru|de|uk|us"
    "|link|live|news|blog|pro|fun|space|website|tech|click|vip|icu|ly|gl|to|in|eu|fr|tk|ml|ga|cf|gq"
)
_INVITE = re.compile(r"(?:t|telegram)\s*\.\s*me\s*/\s*(?:joinchat\b|\+)|tg://join", re.I)
_URL = re.compile(
    rf"(?:https?://|www\.)\S+|\b(?:t|telegram)\s*\.\s*me\s*/\s*\S+|\b(?:[a-z0-9-]+\.)+(?:{_TLDS})\b(?:/\S*)?",
    re.I,
)
_MENTION = re.compile(r"(?<![\w.@])@[a-z][a-z0-9_]{3,31}\b", re.I)
_PHONE = re.compile(r"(?<!\d)(?:(?:\+|00)98|0)?9\d{9}(?!\d)|(?<!\d)(?:\+|00)98\d{8,10}(?!\d)|(?<!\d)0\d{2}\d{8}(?!\d)")
_PHONE_GLUE = re.compile(r"(?<=\d)[\s\-.()]{1,2}(?=\d)")
# What a link or an invite needs somewhere, and a phone number: cheap searches that let most
# comments skip the patterns above.
_LINK_CUE = re.compile(r"://|www\.|\.[a-z]{2}|\.\s*me", re.I)
_DIGIT = re.compile(r"\d")
_CHAR_FLOOD = re.compile(r"(\S)\1{14,}", re.S)
_WORD_FLOOD = re.compile(r"(\b\S+\b)(?:\s+\1\b){7,}")


@dataclass(frozen=True, slots=True)
class PastComment:
    """One of the author's recent comments: its normalised text and when it was sent (UTC)."""

    normalized_text: str
    at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuthorHistory:
    """What the author sent recently, passed in by the caller (newest first or any order)."""

    recent: tuple[PastComment, ...] = field(default_factory=tuple)

    @classmethod
    def from_texts(cls, normalized_texts: tuple[str, ...] | list[str]) -> AuthorHistory:
        """History from normalised texts alone, without times."""
        return cls(tuple(PastComment(t) for t in normalized_texts))


@dataclass(frozen=True, slots=True)
class SpamFindings:
    """Which spam and form problems a comment has."""

    links: tuple[str, ...]
    invite_links: tuple[str, ...]
    mentions: tuple[str, ...]
    phones: tuple[str, ...]
    flood: bool


def _may_repeat_words(cleaned: str) -> bool:
    """Whether `_WORD_FLOOD` can match: its repeats but the first and the last are whole words
    between spaces, so some word stands at least six times (five repeats at least)."""
    words = cleaned.split()
    return len(words) - len(set(words)) >= 5


def find_spam(cleaned: str) -> SpamFindings:
    """Links, invite links, @mentions, Iranian phone numbers (any digits) and floods in a cleaned text."""
    latin = to_latin_digits(cleaned)
    invites: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    if ("." in latin or "://" in latin) and _LINK_CUE.search(latin):
        invites = tuple(m.group() for m in _INVITE.finditer(latin))
        links = tuple(m.group() for m in _URL.finditer(latin))
    if "@" in latin:
        mentions = tuple(m.group() for m in _MENTION.finditer(latin))
    if _DIGIT.search(latin):
        phones = tuple(m.group() for m in _PHONE.finditer(_PHONE_GLUE.sub("", latin)))
    char_flood = TRIPLE.search(cleaned) and _CHAR_FLOOD.search(cleaned)
    flood = bool(char_flood or (_may_repeat_words(cleaned) and _WORD_FLOOD.search(cleaned)))
    return SpamFindings(links, invites, mentions, phones, flood)


_DUPLICATE_DROP = re.compile(r"[\W_]+")


def duplicate_key(normalized: str) -> str:
    """What two comments must share to count as the same text: letters and digits only."""
    return _DUPLICATE_DROP.sub("", normalized)


def is_duplicate(normalized: str, history: AuthorHistory, now: datetime, window: timedelta) -> bool:
    """The author already sent this text within the window (entries without a time always count)."""
    if not history.recent:
        return False
    key = duplicate_key(normalized)
    if not key:
        return False
    for past in history.recent:
        if past.at is not None and now - past.at > window:
            continue
        if duplicate_key(past.normalized_text) == key:
            return True
    return False
