"""The channel post format: the one place that decides what a post looks like (pure)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from zoneinfo import ZoneInfo

from bot.jalali import fa_digits, format_datetime
from bot.texts import publishing as texts

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
KICKER_MAX = 200
TITLE_MAX = 400
HASHTAGS_MAX = 10
MIN_LEAD = 20  # a lead shorter than this after trimming is left out
_TAG_CHARS = re.compile(r"[^\w]+")


@dataclass(frozen=True, slots=True)
class PostContent:
    """What a post shows, in the newsroom's words."""

    title: str
    published_at: datetime
    kicker: str | None = None
    lead: str | None = None
    link: str | None = None
    hashtags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RenderedPost:
    """HTML for the Bot API and the visible text Telegram makes of it."""

    html: str
    visible: str


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def trim_words(text: str, budget: int) -> str:
    """``text`` cut at a word boundary to at most ``budget`` units, with «…» when cut."""
    text = " ".join(text.split())
    if utf16_len(text) <= budget:
        return text
    room = budget - utf16_len(texts.ELLIPSIS)
    if room <= 0:
        return ""
    cut = text[:room]
    while utf16_len(cut) > room:
        cut = cut[:-1]
    space = cut.rfind(" ")
    if space > len(cut) // 2:
        cut = cut[:space]
    cut = cut.rstrip(" ،,.؛;:-–—")
    return cut + texts.ELLIPSIS if cut else ""


def parse_hashtags(*sources: str | None) -> tuple[str, ...]:
    """Hashtags from settings/article text («خبر، ایران» or «#خبر #ایران»), deduplicated, in order."""
    seen: list[str] = []
    for source in sources:
        for raw in re.split(r"[,،\s]+", source or ""):
            tag = _TAG_CHARS.sub("_", raw.strip().lstrip("#")).strip("_")
            if tag and not tag.isdigit() and tag not in seen:
                seen.append(tag)
    return tuple(seen[:HASHTAGS_MAX])


def is_web_url(url: str | None) -> bool:
    """Whether ``url`` is an absolute http(s) URL Telegram accepts in a link."""
    return bool(url) and re.match(r"^https?://[^\s/$.?#][^\s]*$", url or "", re.IGNORECASE) is not None


def _parts(content: PostContent, tz: ZoneInfo, lead: str | None) -> list[tuple[str, str]]:
    """(html, visible) pairs, one per line; "" separates blocks."""
    lines: list[tuple[str, str]] = []
    kicker = trim_words(content.kicker or "", KICKER_MAX)
    if kicker:
        lines.append((html.escape(kicker, quote=False), kicker))
    title = trim_words(content.title, TITLE_MAX)
    lines.append((f"<b>{html.escape(title, quote=False)}</b>", title))
    if lead:
        lines += [("", ""), (html.escape(lead, quote=False), lead)]
    lines.append(("", ""))
    when = texts.DATE_PREFIX + format_datetime(content.published_at, tz)
    lines.append((html.escape(when, quote=False), when))
    if content.link and is_web_url(content.link):
        href = html.escape(content.link, quote=True)
        lines.append((f'<a href="{href}">{texts.READ_MORE}</a>', texts.READ_MORE))
    if content.hashtags:
        tags = " ".join("#" + tag for tag in content.hashtags)
        lines += [("", ""), (html.escape(tags, quote=False), tags)]
    return lines


def _join(lines: list[tuple[str, str]]) -> RenderedPost:
    return RenderedPost("\n".join(h for h, _ in lines), "\n".join(v for _, v in lines))


def render(content: PostContent, tz: ZoneInfo, *, limit: int = TEXT_LIMIT) -> RenderedPost:
    """The post as HTML whose visible text fits ``limit``; the lead is trimmed first."""
    lead = " ".join((content.lead or "").split()) or None
    full = _join(_parts(content, tz, lead))
    if utf16_len(full.visible) <= limit:
        return full
    bare = _join(_parts(content, tz, None))
    budget = limit - utf16_len(bare.visible) - 2  # the blank line before the lead
    short = trim_words(lead or "", budget) if budget >= MIN_LEAD else ""
    return _join(_parts(content, tz, short or None))


def keyboard(url: str, count: int) -> dict[str, Any]:
    """The post's inline keyboard (buttons mode): one button that opens the article in the bot —
    «💬 ثبت نظر» while no comment is published, then «💬 نظرها (n)» (both lead to writing one)."""
    label = texts.BUTTON_COUNT.format(count=fa_digits(count)) if count > 0 else texts.BUTTON_COMMENT
    return {"inline_keyboard": [[{"text": label, "url": url}]]}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def visible_text(markup: str) -> str:
    """The text Telegram shows for HTML ``markup`` (tags dropped, entities decoded)."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return "".join(parser.out)


def same_text(a: str, b: str) -> bool:
    """Whether two visible texts are the same post (whitespace differences ignored)."""
    return " ".join(a.split()) == " ".join(b.split())
