"""Duplicate keys, feed entries and article files: the pure parts of getting articles in."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.publishing.article_file import ArticleFileError, parse_article_file
from bot.publishing.dedupe import feed_key, manual_key, normalise_link
from bot.publishing.feed_parse import FeedError, parse_feed, strip_html

TEHRAN = ZoneInfo("Asia/Tehran")

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Lorestan news</title>
<item><title>old item</title><link>https://news.example/a/1?utm_source=x</link>
  <pubDate>Tue, 06 Jan 2026 08:00:00 GMT</pubDate><description>first</description></item>
<item><title>&lt;b&gt;AT&amp;T&lt;/b&gt; new</title><guid>tag:news.example,2026:3</guid>
  <link>https://news.example/a/3</link><pubDate>Thu, 08 Jan 2026 11:36:00 GMT</pubDate>
  <description>&lt;p&gt;Lead with &lt;b&gt;tags&lt;/b&gt; &amp;amp; entities&lt;/p&gt;</description>
  <media:content url="https://news.example/img/3.jpg" medium="image"/></item>
<item><title>middle</title><link>https://news.example/a/2</link>
  <enclosure url="https://news.example/img/2.png" type="image/png" length="10"/>
  <pubDate>Wed, 07 Jan 2026 08:00:00 GMT</pubDate></item>
</channel></rss>"""


def test_link_normalisation() -> None:
    assert normalise_link("HTTPS://News.Example:443/a/1/?utm_source=t&id=5&utm_medium=x#top") == (
        "https://news.example/a/1?id=5"
    )
    assert feed_key(None, "https://news.example/a/1/") == feed_key("", "https://NEWS.example/a/1#x")
    assert feed_key("guid-1", "https://x.example") == "guid:guid-1"
    assert feed_key(None, None) is None
    assert manual_key("عنوان  خبر", None) == manual_key("عنوان خبر", None) != manual_key("عنوان خبر", "https://a.b")


def test_rss_entries_newest_first_with_fields() -> None:
    feed = parse_feed(RSS)
    assert feed.title == "Lorestan news"
    assert [item.title for item in feed.items] == ["AT&T new", "middle", "old item"]  # feed titles are HTML
    newest, middle, old = feed.items
    assert newest.key == "guid:tag:news.example,2026:3"
    assert newest.lead == "Lead with tags & entities"
    assert newest.image == "https://news.example/img/3.jpg"
    assert newest.published_at == datetime(2026, 1, 8, 11, 36, tzinfo=UTC)
    assert middle.image == "https://news.example/img/2.png"
    assert old.key == "link:https://news.example/a/1"


def test_atom_entries() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>
    <entry><id>urn:1</id><title>one</title><link href="https://a.example/1"/>
    <updated>2026-03-20T20:30:00Z</updated><summary type="html">s &lt;br/&gt;t</summary></entry></feed>"""
    (item,) = parse_feed(atom).items
    assert (item.key, item.title, item.link, item.lead) == ("guid:urn:1", "one", "https://a.example/1", "s t")


def test_not_a_feed() -> None:
    with pytest.raises(FeedError):
        parse_feed(b"<html><body>hello</body></html")


def test_strip_html() -> None:
    assert strip_html("<p>a<br>b</p>\n<div>&laquo;c&raquo;</div>") == "a b «c»"


def test_json_article_file() -> None:
    text = json.dumps({"title": "عنوان", "kicker": "روتیتر", "published_at": "2026-01-08T15:06:00"})
    draft = parse_article_file(text, ".json", TEHRAN)
    assert draft.title == "عنوان" and draft.kicker == "روتیتر"
    assert draft.published_at == datetime(2026, 1, 8, 11, 36, tzinfo=UTC)  # naive times are Tehran time


def test_markdown_article_file() -> None:
    text = '---\ntitle: "عنوان: با دونقطه"\nlink: https://news.example/a/1\n---\n\nمتن **کامل** خبر\n'
    draft = parse_article_file(text, ".md", TEHRAN)
    assert draft.title == "عنوان: با دونقطه"
    assert draft.link == "https://news.example/a/1"
    assert draft.body == "متن **کامل** خبر"
    assert draft.published_at is None


@pytest.mark.parametrize(
    ("text", "suffix", "field"),
    [
        ('{"lead": "x"}', ".json", "title"),
        ('{"title": "t", "published_at": "yesterday"}', ".json", "published_at"),
        ('{"title": "t", "link": "ftp://x"}', ".json", "link"),
        ('{"title": "t", "colour": "red"}', ".json", "colour"),
        ('{"title": 5}', ".json", "title"),
        ("[1]", ".json", "file"),
        ("{", ".json", "file"),
        ("title: t\n", ".md", "front matter"),
        ("---\ntitle: t\n", ".md", "front matter"),
        ("---\nimage: notaurl\ntitle: t\n---\n", ".md", "image"),
    ],
)
def test_bad_files_name_the_field(text: str, suffix: str, field: str) -> None:
    with pytest.raises(ArticleFileError) as info:
        parse_article_file(text, suffix, TEHRAN)
    assert info.value.field == field
