"""The page inserts only Telegram's HTML subset; everything else the bot sent arrives escaped."""

from __future__ import annotations

import pytest

from bot.demo.sanitize import plain_html, telegram_html
from bot.demo.view import start_payload


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("<b>تیتر</b> و <i>لید</i>", "<b>تیتر</b> و <i>لید</i>"),
        ("<strong>a</strong><em>b</em><ins>c</ins><del>d</del>", "<b>a</b><i>b</i><u>c</u><s>d</s>"),
        ("<code>v1</code> <pre>x</pre>", "<code>v1</code> <pre>x</pre>"),
        ('<code class="language-python">x</code>', '<code class="language-python">x</code>'),
        ('<code class="language-&quot;onx">x</code>', "<code>x</code>"),
        ('<a href="https://t.me/khabar_demo_bot?start=a-x">ثبت</a>',
         '<a href="https://t.me/khabar_demo_bot?start=a-x" rel="noopener noreferrer" target="_blank">ثبت</a>'),
        ("<tg-spoiler>راز</tg-spoiler>", '<span class="tg-spoiler">راز</span>'),
        ('<span class="tg-spoiler">راز</span>', '<span class="tg-spoiler">راز</span>'),
        ("<blockquote expandable>نقل</blockquote>", '<blockquote class="expandable">نقل</blockquote>'),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍"),
        ("a &lt; b &amp;&amp; c &gt; d", "a &lt; b &amp;&amp; c &gt; d"),
        # Hostile: nothing that runs, loads or styles survives.
        ("<script>alert(1)</script>", "alert(1)"),
        ('<img src=x onerror="alert(1)">متن', "متن"),
        ('<a href="javascript:alert(1)">x</a>', "x"),
        ('<a href=" JAVASCRIPT:alert(1)">x</a>', "x"),
        ('<a href="data:text/html,<b>">x</a>', "x"),
        ('<b onclick="alert(1)" style="x">x</b>', "<b>x</b>"),
        ('<span class="evil">x</span>', "x"),
        ("<iframe src=https://example.org></iframe>y", "y"),
        ("<b>unclosed <i>tags", "<b>unclosed <i>tags</i></b>"),
        ("</b>stray close", "stray close"),
        ("<!-- note -->text", "text"),
        ("<style>body{display:none}</style>", "body{display:none}"),
    ],
)
def test_telegram_subset(sent: str, shown: str) -> None:
    assert telegram_html(sent) == shown


def test_no_raw_angle_bracket_survives_outside_allowed_tags() -> None:
    out = telegram_html('x <svg onload=alert(1)> <b>ok</b> <<script>>"\'')
    assert "<svg" not in out and "<script" not in out and "&lt;" in out
    assert out.replace("<b>", "").replace("</b>", "").count("<") == 0


def test_plain_text_is_escaped() -> None:
    assert plain_html("<b>نه</b> & «بله»") == "&lt;b&gt;نه&lt;/b&gt; &amp; «بله»"


@pytest.mark.parametrize(
    ("url", "payload"),
    [
        ("https://t.me/khabar_demo_bot?start=a-Xy_9", "a-Xy_9"),
        ("https://telegram.me/Khabar_Demo_Bot?start=r-1", "r-1"),
        ("https://t.me/khabar_demo_bot", ""),
        ("https://t.me/other_bot?start=a-1", None),
        ("https://example.org/khabar_demo_bot?start=a-1", None),
        ("tg://resolve?domain=khabar_demo_bot&start=a-1", None),
    ],
)
def test_deep_links_to_this_bot(url: str, payload: str | None) -> None:
    assert start_payload(url, "khabar_demo_bot") == payload
