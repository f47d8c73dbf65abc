"""The bot's HTML, cut down to Telegram's HTML subset before the demo page inserts it.

Telegram accepts only a handful of tags (core.telegram.org/bots/api#html-style); a browser accepts
anything. So the page never gets the bot's markup as it is: this parser rebuilds it, keeping the
allowed tags with the one attribute each may carry, and escaping every other character — text, unknown
tags, comments, stray ``<`` — so nothing the bot (or a commenter it quotes) wrote can run in the page.
"""

from __future__ import annotations

import html
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Telegram tag -> the tag the page gets. Spoilers become a span the stylesheet blurs.
_SIMPLE = {
    "b": "b", "strong": "b", "i": "i", "em": "i", "u": "u", "ins": "u",
    "s": "s", "strike": "s", "del": "s", "pre": "pre", "code": "code",
}
_SPOILER = "span"
_LINK_SCHEMES = ("http", "https", "tg")


def _safe_href(value: str | None) -> str | None:
    """``value`` if it is an http(s) or tg: link, else None (no javascript:, data:, relative links)."""
    if not value:
        return None
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return None
    return value.strip() if scheme in _LINK_SCHEMES else None


class _Rebuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[tuple[str, str]] = []  # (source tag, emitted tag or "" when dropped)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        emitted = ""
        if tag in _SIMPLE:
            emitted = _SIMPLE[tag]
            css = values.get("class") or ""
            if tag == "code" and css.startswith("language-") and css[9:].replace("-", "").isalnum():
                self.out.append(f'<code class="{html.escape(css)}">')
            else:
                self.out.append(f"<{emitted}>")
        elif tag == "tg-spoiler" or (tag == "span" and values.get("class") == "tg-spoiler"):
            emitted = _SPOILER
            self.out.append('<span class="tg-spoiler">')
        elif tag == "blockquote":
            emitted = "blockquote"
            self.out.append('<blockquote class="expandable">' if "expandable" in values else "<blockquote>")
        elif tag == "a":
            href = _safe_href(values.get("href"))
            if href is not None:
                emitted = "a"
                self.out.append(f'<a href="{html.escape(href)}" rel="noopener noreferrer" target="_blank">')
        # Anything else (tg-emoji, tg-time, unknown tags): the tag goes, its text stays.
        self.open.append((tag, emitted))

    def handle_endtag(self, tag: str) -> None:
        if not any(source == tag for source, _ in self.open):
            return
        while self.open:
            source, emitted = self.open.pop()
            if emitted:
                self.out.append(f"</{emitted}>")
            if source == tag:
                return

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        return  # <br/>, <img/>…: Telegram has none

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(data, quote=False))

    def finish(self) -> str:
        self.close()
        while self.open:
            _, emitted = self.open.pop()
            if emitted:
                self.out.append(f"</{emitted}>")
        return "".join(self.out)


def telegram_html(markup: str) -> str:
    """``markup`` reduced to Telegram's subset, everything else escaped: safe to insert as HTML."""
    parser = _Rebuilder()
    parser.feed(markup)
    return parser.finish()


def plain_html(text: str) -> str:
    """Plain text (a reader's message) as HTML: everything escaped."""
    return html.escape(text, quote=False)
