"""An Atom feed of an article's approved comments (pure; every text escaped by ElementTree)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from xml.etree import ElementTree as ET

from bot.texts import web as t
from bot.website.threads import WebComment, iso

NS = "http://www.w3.org/2005/Atom"
MAX_ENTRIES = 100
# XML 1.0 cannot carry these even escaped; they were cleaned from texts already, this is the last guard.
_BAD = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])


def _safe(text: str) -> str:
    return "".join(c for c in text.translate(_BAD) if not "\ud800" <= c <= "\udfff")


def render(
    *, feed_url: str, article_title: str, article_link: str | None, article_token: str,
    comments: Sequence[WebComment], updated: datetime,
) -> bytes:
    """The feed document, newest comment first."""
    ET.register_namespace("", NS)
    feed = ET.Element(f"{{{NS}}}feed", {"xml:lang": "fa"})
    ET.SubElement(feed, f"{{{NS}}}id").text = f"{feed_url}"
    ET.SubElement(feed, f"{{{NS}}}title").text = _safe(t.FEED_TITLE.format(title=article_title))
    ET.SubElement(feed, f"{{{NS}}}updated").text = iso(updated)
    ET.SubElement(feed, f"{{{NS}}}link", {"rel": "self", "href": feed_url})
    if article_link and article_link.startswith(("http://", "https://")):
        ET.SubElement(feed, f"{{{NS}}}link", {"rel": "alternate", "href": article_link})
    newest = sorted(comments, key=lambda c: (c.created_at, c.id), reverse=True)[:MAX_ENTRIES]
    for c in newest:
        entry = ET.SubElement(feed, f"{{{NS}}}entry")
        ET.SubElement(entry, f"{{{NS}}}id").text = f"tag:khabar,{article_token}:comment:{c.id}"
        ET.SubElement(entry, f"{{{NS}}}title").text = _safe(t.FEED_ENTRY.format(author=c.author))
        ET.SubElement(entry, f"{{{NS}}}updated").text = iso(c.created_at)
        ET.SubElement(ET.SubElement(entry, f"{{{NS}}}author"), f"{{{NS}}}name").text = _safe(c.author)
        ET.SubElement(entry, f"{{{NS}}}content", {"type": "text"}).text = _safe(c.text)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8", xml_declaration=False)
