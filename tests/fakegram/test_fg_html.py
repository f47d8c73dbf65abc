"""HTML parse mode as Telegram parses it: tags, entities, UTF-16 offsets, errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import Bot
from telegram.error import BadRequest

from fakegram import FakeTelegram
from fakegram.errors import ApiError
from fakegram.text import detect_entities, format_text, parse_html, utf16_len


def test_simple_tags_and_offsets() -> None:
    text, entities = parse_html("<b>bold</b> and <i>it</i>")
    assert text == "bold and it"
    assert entities == [{"offset": 0, "length": 4, "type": "bold"}, {"offset": 9, "length": 2, "type": "italic"}]


def test_utf16_offsets_with_emoji_and_persian() -> None:
    text, entities = parse_html("👍👍 <b>خبر فوری</b> &lt;۱&gt; <a href=\"https://example.com/a?b=1&amp;c=2\">لینک</a>")
    assert text == "👍👍 خبر فوری <۱> لینک"
    bold, link = entities
    assert bold == {"offset": 5, "length": 8, "type": "bold"}  # each emoji is 2 UTF-16 units
    assert link["type"] == "text_link" and link["url"] == "https://example.com/a?b=1&c=2"
    assert link["offset"] == utf16_len("👍👍 خبر فوری <۱> ") and link["length"] == 4


def test_nested_and_special_tags() -> None:
    src = ('<b>a<i>b</i></b><tg-spoiler>s</tg-spoiler><span class="tg-spoiler">t</span>'
           '<pre><code class="language-python">x=1</code></pre><blockquote expandable>q</blockquote>'
           '<a href="tg://user?id=42">u</a><s>d</s><u>e</u><code>c</code>&#1587;&#x1F600;')
    text, entities = parse_html(src)
    assert text == "abstx=1qudec" + "س😀"
    types = [e["type"] for e in entities]
    assert types == ["bold", "italic", "spoiler", "spoiler", "pre", "expandable_blockquote", "text_mention",
                     "strikethrough", "underline", "code"]
    pre = entities[4]
    assert pre["language"] == "python" and pre["length"] == 3
    assert entities[6]["user"]["id"] == 42


@pytest.mark.parametrize(("src", "message"), [
    ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
    ("a < b", 'Unsupported start tag "" at byte offset 2'),
    ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
    ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    ("x</b>", "Unexpected end tag at byte offset 1"),
    ("<b", "Unclosed start tag at byte offset 0"),
    ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
])
def test_parse_errors(src: str, message: str) -> None:
    with pytest.raises(ApiError) as info:
        parse_html(src)
    assert info.value.description == f"Bad Request: can't parse entities: {message}"
    assert info.value.validation


def test_stray_ampersand_stays_literal_and_trim() -> None:
    text, entities = format_text("  \n<b> AT&T </b>  ", "HTML", None)
    assert text == "AT&T"
    assert entities == [{"offset": 0, "length": 4, "type": "bold"}]


def test_detect_entities_for_user_messages() -> None:
    ents = detect_entities("سلام /help@khabar_test_bot ببین https://t.me/x و @someone #خبر")
    assert [e["type"] for e in ents] == ["bot_command", "url", "mention", "hashtag"]
    assert ents[0]["offset"] == 5 and ents[0]["length"] == len("/help@khabar_test_bot")


@given(st.text(alphabet=st.characters(blacklist_characters="<&", blacklist_categories=("Cs",)), max_size=50))
def test_plain_text_roundtrip(s: str) -> None:
    text, entities = parse_html(f"<b>{s}</b>")
    assert text == s
    assert entities == ([{"offset": 0, "length": utf16_len(s), "type": "bold"}] if s else [])


async def test_bot_sends_html_and_fake_stores_entities(fake: FakeTelegram, fake_bot: Bot) -> None:
    fake.expect_failure('start tag "b"')
    user = fake.make_user("مریم")
    await user.start_bot()
    sent = await fake_bot.send_message(user.id, "🎉 <b>تیتر</b>", parse_mode="HTML")
    assert sent.entities[0].offset == 3 and sent.entities[0].length == 4
    stored = fake.chat_messages(user.private_chat)[-1]
    assert stored.text == "🎉 تیتر" and stored.entities == [{"offset": 3, "length": 4, "type": "bold"}]
    with pytest.raises(BadRequest, match=r"(?i)can't find end tag"):
        await fake_bot.send_message(user.id, "<b>oops", parse_mode="HTML")
