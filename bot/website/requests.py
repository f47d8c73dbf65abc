"""The website's request bodies checked into plain values, with Persian errors per field (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.checks.normalize import clean_text, parse_number
from bot.jalali import fa_digits
from bot.texts import web as t

MAX_AUTHOR = 60
MAX_ID = 64
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class NewComment:
    """A comment as the widget sends it, checked."""

    author: str
    text: str
    parent_id: int | None
    captcha_id: str
    captcha_answer: int
    identity: str | None


@dataclass(frozen=True, slots=True)
class Invalid:
    """Which fields were wrong and why."""

    errors: dict[str, str]


def is_token(value: str) -> bool:
    """Whether ``value`` can be a public token (article, captcha) at all."""
    return bool(_TOKEN.fullmatch(value))


def clean_author(value: str) -> str:
    """The name as shown: control and bidi characters dropped, one line, trimmed."""
    return _SPACES.sub(" ", clean_text(value)).strip()


def parse_comment(body: Any, max_text: int) -> NewComment | Invalid:
    """The comment in a decoded JSON body, or the fields that are wrong."""
    if not isinstance(body, dict):
        return Invalid({"body": t.FIELD_BODY})
    errors: dict[str, str] = {}
    author = body.get("author", "")
    if not isinstance(author, str) or len(author) > 4 * MAX_AUTHOR or len(clean_author(author)) > MAX_AUTHOR:
        errors["author"] = t.FIELD_AUTHOR.format(n=fa_digits(MAX_AUTHOR))
        author = ""
    text = body.get("text")
    if not isinstance(text, str) or not clean_text(text):
        errors["text"] = t.FIELD_TEXT
    elif len(text) > 2 * max_text:  # the checks reject what is over max_text after cleaning
        errors["text"] = t.FIELD_TEXT_LONG.format(n=fa_digits(max_text))
    parent = body.get("parent_id")
    if parent is not None and (isinstance(parent, bool) or not isinstance(parent, int) or not 0 < parent < 2**62):
        errors["parent_id"] = t.FIELD_PARENT
    captcha_id = body.get("captcha_id")
    if not isinstance(captcha_id, str) or not is_token(captcha_id):
        errors["captcha_id"] = t.FIELD_CAPTCHA_ID
    answer = parse_answer(body.get("captcha_answer"))
    if answer is None:
        errors["captcha_answer"] = t.FIELD_CAPTCHA_ANSWER
    identity = body.get("identity")
    if errors:
        return Invalid(errors)
    return NewComment(
        author=clean_author(str(author)),
        text=str(text),
        parent_id=parent if isinstance(parent, int) else None,
        captcha_id=str(captcha_id),
        captcha_answer=answer if answer is not None else -1,
        identity=identity if isinstance(identity, str) else None,
    )


def parse_answer(value: Any) -> int | None:
    """A typed sum in Persian, Arabic-Indic or Latin digits (a JSON number too), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= 999 else None
    if not isinstance(value, str) or len(value) > 20:
        return None
    number = parse_number(value)
    return number if number is not None and 0 <= number <= 999 else None


def parse_page(value: str | None) -> int:
    """A page number from the query string (1 when missing or odd)."""
    number = parse_number(value) if value else None
    return number if number is not None and 1 <= number <= 10_000 else 1
