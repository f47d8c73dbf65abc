"""The comment box's states in headless Chromium, as a reader sees them: an article closed by a moderator
(/close) or by its open hours, a comment the API finds malformed (400, with why per field), refused (422)
and too many (429). The real server and fakegram; the article page is test_browser's, on its own origin."""

from __future__ import annotations

import re

import pytest

from bot.texts import web as t
from bot.website.requests import MAX_AUTHOR
from fakegram.control import FakeTelegram
from tests.browser import DESKTOP, Page
from tests.e2e.harness import World
from tests.e2e.test_moderation_tools import command
from tests.web.conftest import Site
from tests.web.test_api import _approve
from tests.web.test_browser import article_page, article_port  # noqa: F401  (fixtures)

FIRST = "ترافیک میدان آزادی واقعاً کلافه‌کننده شده و باید مترو را زودتر تکمیل کنند."
MINE = "به نظر من باید اتوبوس‌های بیشتری در مسیر میدان آزادی بگذارند تا ترافیک کمتر شود."
AGAIN = "ایستگاه مترو میدان آزادی هم باید زودتر باز شود تا مردم کمتر در ترافیک بمانند."
# Four characters in the box, but each ligature ﷺ is 18 letters once the server draws it as letters
# (presentation forms → base letters): a name over 60 that the field's maxlength cannot stop.
LONG_NAME = "ﷺ" * 4
_FA = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def _fa(n: int) -> str:
    return str(n).translate(_PERSIAN)


@pytest.fixture
def extra() -> dict[str, str]:
    """Settings a test adds (it parametrizes this fixture)."""
    return {}


@pytest.fixture
def web_settings(article_port: int, extra: dict[str, str]) -> dict[str, str]:  # noqa: F811
    """The article page's origin may post."""
    return {"web_origins": f"http://127.0.0.1:{article_port}", **extra}


async def _solve(browser: Page) -> None:
    question = await browser.wait_for_text("#khabar-question", "+")
    a, b = (int(x.translate(_FA)) for x in re.findall(r"[۰-۹0-9]+", question)[:2])
    await browser.type("#khabar-answer", _fa(a + b))


async def _write(browser: Page, name: str, text: str) -> None:
    await browser.type("#khabar-name", name)
    await browser.type("#khabar-text", text)
    await _solve(browser)
    await browser.click(".khabar-send")


async def _value(browser: Page, css: str) -> str:
    return str(await browser.script("return document.querySelector(arguments[0]).value", css))


async def _shown(browser: Page, css: str) -> bool:
    return bool(await browser.script(
        "var e = document.querySelector(arguments[0]); return !!e && e.getClientRects().length > 0", css))


async def _assert_closed_box(browser: Page) -> None:
    """The published comment is there, the closed note instead of the form, no «پاسخ» that leads nowhere."""
    await browser.wait_for_text(".khabar-list", FIRST)
    assert t.WIDGET["closed"] in await browser.wait_for_text(".khabar-closed", t.WIDGET["closed"])
    assert "(۱ نظر)" in await browser.text("#khabar-heading")
    for css in (".khabar-form", "#khabar-text", "#khabar-answer", ".khabar-send", ".khabar-comment .khabar-reply"):
        assert not await _shown(browser, css), css
    assert await browser.console_errors() == []


async def test_an_article_closed_by_a_moderator_shows_its_comments_and_a_closed_note(
    site: Site, fake: FakeTelegram, world: World, browser: Page, article_page: str  # noqa: F811
) -> None:
    status, _ = await site.post(FIRST, author="مینا")
    assert status == 202
    await _approve(site, fake, world, "کلافه‌کننده")
    await command(fake, world, f"/close {site.token}", "بسته شد")
    await site.khabar.settle()
    await browser.size(*DESKTOP)
    await browser.open(article_page)
    await _assert_closed_box(browser)


@pytest.mark.parametrize("extra", [{"comments_open_hours": "1"}])
async def test_an_article_past_its_open_hours_shows_its_comments_and_a_closed_note(
    site: Site, fake: FakeTelegram, world: World, browser: Page, article_page: str  # noqa: F811
) -> None:
    status, _ = await site.post(FIRST, author="مینا")
    assert status == 202
    await _approve(site, fake, world, "کلافه‌کننده")
    site.khabar.clock.advance(2 * 3600)  # the clock closes it: an hour open, two gone
    await browser.open(article_page)
    await _assert_closed_box(browser)


async def test_an_open_article_still_shows_the_form_and_no_closed_note(
    site: Site, browser: Page, article_page: str  # noqa: F811
) -> None:
    await browser.open(article_page)
    await browser.find("#khabar-text")
    await browser.wait_for_text("#khabar-question", "+")
    assert not await _shown(browser, ".khabar-closed")


async def test_a_name_too_long_is_told_why_under_the_summary(
    site: Site, browser: Page, article_page: str  # noqa: F811
) -> None:
    await browser.open(article_page)
    await _write(browser, LONG_NAME, MINE)
    why = t.FIELD_AUTHOR.format(n=_fa(MAX_AUTHOR))
    told = await browser.wait_for_text(".khabar-status", why)
    assert t.INVALID in told  # the summary stays, the reason under it
    assert await browser.text(".khabar-status .khabar-errors li") == why
    assert "khabar-bad" in str(await browser.script("return document.querySelector('.khabar-status').className"))
    assert await browser.script("return document.querySelector('#khabar-name').getAttribute('aria-invalid')") == "true"
    assert await _value(browser, "#khabar-text") == MINE  # nothing the reader wrote is lost
    assert await _value(browser, "#khabar-name") == LONG_NAME
    # the server's texts are set as text: no element but the list and its items inside the status
    tags = await browser.script("return Array.from(document.querySelectorAll('.khabar-status *')).map(e => e.tagName)")
    assert tags == ["UL", "LI"], tags

    # fixed and sent again: the reference, and no reason left over from the refusal
    await browser.type("#khabar-name", "مینا")
    await _solve(browser)
    await browser.click(".khabar-send")
    told = await browser.wait_for_text(".khabar-status", "شمارهٔ پیگیری")
    assert why not in told and not await browser.find_all(".khabar-status .khabar-errors")
    assert await browser.script("return document.querySelector('#khabar-name').getAttribute('aria-invalid')") is None


@pytest.mark.parametrize("extra", [{"max_comment_length": "10"}])
async def test_a_comment_too_long_is_told_the_limit(site: Site, browser: Page, article_page: str) -> None:  # noqa: F811
    await browser.open(article_page)
    await _write(browser, "مینا", MINE)  # over twice the limit: refused before any check
    why = t.FIELD_TEXT_LONG.format(n=_fa(10))
    told = await browser.wait_for_text(".khabar-status", why)
    assert t.INVALID in told and "۱۰" in told
    assert await _value(browser, "#khabar-text") == MINE


async def test_a_comment_refused_because_the_article_closed_meanwhile_is_told_so(
    site: Site, fake: FakeTelegram, world: World, browser: Page, article_page: str  # noqa: F811
) -> None:
    await browser.open(article_page)
    await browser.find("#khabar-text")  # the box was open when the reader came
    await command(fake, world, f"/close {site.token}", "بسته شد")
    await site.khabar.settle()
    await _write(browser, "مینا", MINE)
    told = await browser.wait_for_text(".khabar-status", "بسته")
    assert t.INVALID not in told and t.WIDGET["network"] not in told
    assert "khabar-bad" in str(await browser.script("return document.querySelector('.khabar-status').className"))
    assert await _value(browser, "#khabar-text") == MINE


@pytest.mark.parametrize("extra", [{"rate_limit_comments": "1", "rate_limit_window_seconds": "600"}])
async def test_too_many_comments_tell_the_wait_and_keep_what_was_typed(
    site: Site, browser: Page, article_page: str  # noqa: F811
) -> None:
    await browser.open(article_page)
    await _write(browser, "مینا", MINE)
    await browser.wait_for_text(".khabar-status", "شمارهٔ پیگیری")
    assert await _value(browser, "#khabar-text") == ""
    await browser.type("#khabar-text", AGAIN)
    await _solve(browser)
    await browser.click(".khabar-send")
    told = await browser.wait_for_text(".khabar-status", "۱۰ دقیقه")  # the API's Persian wait (Retry-After 600)
    assert "شمارهٔ پیگیری" not in told and t.WIDGET["network"] not in told
    assert "khabar-bad" in str(await browser.script("return document.querySelector('.khabar-status').className"))
    assert await _value(browser, "#khabar-text") == AGAIN
    assert await _value(browser, "#khabar-name") == "مینا"
