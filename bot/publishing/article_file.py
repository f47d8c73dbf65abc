"""Article files for ``khabar post``: JSON, or Markdown with front matter (pure: text in, draft out)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.publishing.post_format import is_web_url

FIELDS = ("kicker", "title", "lead", "body", "link", "image", "published_at", "hashtags")
_MAX = {"kicker": 500, "title": 1000, "link": 2000, "image": 2000, "hashtags": 500}


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    """An article before it is stored: only the title is required."""

    title: str
    kicker: str | None = None
    lead: str | None = None
    body: str | None = None
    link: str | None = None
    image: str | None = None
    published_at: datetime | None = None
    hashtags: str | None = None


class ArticleFileError(ValueError):
    """A bad article file; ``field`` names the culprit."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


def _front_matter(text: str) -> dict[str, Any]:
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != "---":
        raise ArticleFileError("front matter", "a Markdown file must start with a line '---'")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ArticleFileError("front matter", "no closing '---' line") from None
    values: dict[str, Any] = {}
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep:
            raise ArticleFileError(f"line {number}", "expected 'key: value'")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    body = "\n".join(lines[end + 1 :]).strip()
    if body:
        if "body" in values:
            raise ArticleFileError("body", "given both in the front matter and below it")
        values["body"] = body
    return values


def _text(values: dict[str, Any], name: str) -> str | None:
    value = values.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ArticleFileError(name, "must be text")
    value = value.strip()
    if name in _MAX and len(value) > _MAX[name]:
        raise ArticleFileError(name, f"longer than {_MAX[name]} characters")
    return value or None


def _moment(value: str | None, tz: ZoneInfo) -> datetime | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ArticleFileError("published_at", "not an ISO 8601 date and time (e.g. 2026-01-08T15:06:00+03:30)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


def draft_from(values: dict[str, Any], tz: ZoneInfo) -> ArticleDraft:
    """Validate loaded keys into a draft; ArticleFileError names the bad field."""
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise ArticleFileError(unknown[0], f"unknown field (known: {', '.join(FIELDS)})")
    title = _text(values, "title")
    if title is None:
        raise ArticleFileError("title", "is required")
    for name in ("link", "image"):
        url = _text(values, name)
        if url is not None and not is_web_url(url):
            raise ArticleFileError(name, "must be an http:// or https:// URL")
    return ArticleDraft(
        title=title,
        kicker=_text(values, "kicker"),
        lead=_text(values, "lead"),
        body=_text(values, "body"),
        link=_text(values, "link"),
        image=_text(values, "image"),
        published_at=_moment(_text(values, "published_at"), tz),
        hashtags=_text(values, "hashtags"),
    )


def parse_article_file(text: str, suffix: str, tz: ZoneInfo) -> ArticleDraft:
    """A draft from a file's text; ``suffix`` ".json" means JSON, anything else Markdown."""
    if suffix.lower() == ".json":
        try:
            values = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ArticleFileError("file", f"not valid JSON (line {exc.lineno}: {exc.msg})") from None
        if not isinstance(values, dict):
            raise ArticleFileError("file", "the JSON must be an object with the article's fields")
    else:
        values = _front_matter(text)
    return draft_from(values, tz)
