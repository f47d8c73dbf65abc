"""Feed documents (RSS/Atom) to article drafts (pure: bytes in, items out)."""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any

import feedparser

from bot.publishing.dedupe import feed_key
from bot.publishing.post_format import is_web_url


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One entry of a feed, mapped to article fields."""

    key: str
    title: str
    published_at: datetime | None
    lead: str | None = None
    link: str | None = None
    image: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed's title and entries, newest first."""

    title: str | None
    items: list[FeedItem]


class FeedError(Exception):
    """The document is not a feed."""


class _Strip(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p", "div", "li"):
            self.out.append(" ")


def strip_html(markup: str) -> str:
    """Plain text of an HTML fragment, whitespace collapsed."""
    parser = _Strip()
    parser.feed(markup)
    parser.close()
    return " ".join("".join(parser.out).split())


def _when(entry: Any) -> datetime | None:
    for name in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(name)
        if isinstance(value, time.struct_time):
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    return None


def _image(entry: Any) -> str | None:
    for media in entry.get("media_content") or []:
        url = media.get("url")
        if is_web_url(url) and (media.get("medium") == "image" or str(media.get("type", "")).startswith("image/")
                                or not media.get("type")):
            return str(url)
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/") and is_web_url(
            link.get("href")
        ):
            return str(link["href"])
    for thumb in entry.get("media_thumbnail") or []:
        if is_web_url(thumb.get("url")):
            return str(thumb["url"])
    return None


def parse_feed(document: bytes) -> ParsedFeed:
    """Entries of an RSS or Atom document, newest first; FeedError if it is not a feed."""
    parsed = feedparser.parse(document)
    if parsed.get("bozo") and not parsed.entries:
        raise FeedError(str(parsed.get("bozo_exception") or "not a feed"))
    if not parsed.entries and not parsed.feed.get("title"):
        raise FeedError("no entries and no title: not a feed")
    items: list[FeedItem] = []
    for entry in parsed.entries:
        link = entry.get("link") if is_web_url(entry.get("link")) else None
        key = feed_key(entry.get("id"), link)
        title = strip_html(entry.get("title") or "")
        if key is None or not title:
            continue
        lead = strip_html(entry.get("summary") or "") or None
        items.append(FeedItem(key, title, _when(entry), lead, link, _image(entry)))
    epoch = datetime.min.replace(tzinfo=UTC)
    items.sort(key=lambda item: item.published_at or epoch, reverse=True)
    title = parsed.feed.get("title")
    return ParsedFeed(str(title) if title else None, items)
