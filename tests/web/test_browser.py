"""The comment box in headless Chromium: an article page embeds it with one <script> and a <div>; a reader
reads, writes, solves the typed captcha, sees the reference; a moderator approves in Telegram; reload."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from fakegram.control import FakeTelegram
from tests.browser import DESKTOP, PHONE, Page
from tests.e2e.harness import World, free_port
from tests.web.conftest import PAGE, Site
from tests.web.test_api import _approve

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FIRST = "ترافیک میدان آزادی واقعاً کلافه‌کننده شده و باید مترو را زودتر تکمیل کنند."
MINE = "به نظر من باید اتوبوس‌های بیشتری در مسیر میدان آزادی بگذارند تا ترافیک کمتر شود."
_FA = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
_PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

ARTICLE = """<!doctype html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ترافیک سنگین در میدان آزادی تهران</title>
<link rel="canonical" href="{page}">
<link rel="stylesheet" href="/site.css">
</head><body>
<article><h1>ترافیک سنگین در میدان آزادی تهران</h1>
<p>ترافیک میدان آزادی تهران امروز صبح سنگین بود و رانندگان از کندی تکمیل خط مترو گله داشتند.</p></article>
<div id="khabar-comments"></div>
<script src="{api}/widget.js" defer></script>
</body></html>
"""
SITE_CSS = b"body { font-family: Tahoma, sans-serif; max-width: 60rem; margin: 0 auto; padding: 0 1rem; } h1 { font-size: 1.4rem; }"


@pytest.fixture
def article_port() -> int:
    return free_port()


@pytest.fixture
def web_settings(article_port: int) -> dict[str, str]:
    return {"web_origins": f"http://127.0.0.1:{article_port}"}


@pytest.fixture
async def article_page(site: Site, article_port: int) -> AsyncIterator[str]:
    """The newsroom's article page on its own origin, with a strict CSP of its own."""
    api = site.base
    csp = (f"default-src 'self'; script-src 'self' {api}; style-src 'self' {api}; connect-src {api}; "
           "img-src 'self'; base-uri 'none'; form-action 'none'")

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=ARTICLE.format(page=PAGE, api=api), content_type="text/html",
                            headers={"Content-Security-Policy": csp})

    async def css(request: web.Request) -> web.Response:
        return web.Response(body=SITE_CSS, content_type="text/css")

    app = web.Application()
    app.router.add_get("/news/traffic", page)
    app.router.add_get("/site.css", css)
    app.router.add_get("/favicon.ico", _empty)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", article_port).start()
    try:
        yield f"http://127.0.0.1:{article_port}/news/traffic"
    finally:
        await runner.cleanup()


async def _empty(request: web.Request) -> web.Response:
    return web.Response(status=204)


async def _shot(browser: Page, tmp_path: Path, name: str) -> None:
    await browser.script("document.querySelector('.khabar').scrollIntoView();")
    path = await browser.screenshot(tmp_path / name)
    if os.environ.get("KHABAR_UPDATE_SCREENSHOTS"):  # refresh the README's pictures
        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, SHOTS / name)


async def test_widget_read_write_captcha_moderate_reload(
    site: Site, fake: FakeTelegram, world: World, browser: Page, article_page: str, tmp_path: Path
) -> None:
    status, _ = await site.post(FIRST, author="مینا")
    assert status == 202
    await _approve(site, fake, world, "کلافه‌کننده")

    # 1. the article page shows the approved comment, right to left, with the seed's rules
    await browser.size(*DESKTOP)
    await browser.open(article_page)
    await browser.wait_for_text(".khabar-list", FIRST)
    assert "مینا" in await browser.text(".khabar-comment .khabar-author")
    assert "(۱ نظر)" in await browser.text("#khabar-heading")
    assert "توهین" in await browser.text(".khabar-rules")
    assert await browser.script("return getComputedStyle(document.querySelector('.khabar')).direction") == "rtl"

    # 2. reply to it: the seed's «شما در حال ارسال پاسخ به نظر «…» می‌باشید»
    await browser.click(".khabar-comment .khabar-reply")
    assert "شما در حال ارسال پاسخ به نظر" in await browser.text(".khabar-replying")
    await browser.type("#khabar-name", "رضا")
    await browser.type("#khabar-text", MINE)
    question = await browser.wait_for_text("#khabar-question", "+")
    a, b = (int(x.translate(_FA)) for x in re.findall(r"[۰-۹0-9]+", question)[:2])
    await browser.type("#khabar-answer", str(a + b).translate(_PERSIAN))  # typed in Persian digits
    await browser.click(".khabar-send")
    told = await browser.wait_for_text(".khabar-status", "شمارهٔ پیگیری")
    reference = told.rsplit(":", 1)[1].strip()
    assert re.fullmatch(r"[A-Za-z0-9]+", reference), told
    await _shot(browser, tmp_path, "web-desktop.png")

    # 3. the moderator approves it in Telegram; after a reload it is on the page, under its parent
    await site.khabar.settle()
    await _approve(site, fake, world, reference)
    await browser.open(article_page)
    await browser.wait_for_text(".khabar-list", MINE)
    reply = await browser.wait_for_text(".khabar-child", MINE)
    assert "در پاسخ به نظر «ترافیک" in reply and "از وبگاه" in reply
    assert await browser.console_errors() == []  # no CSP refusal, no script error

    # 4. a phone's width
    await browser.size(*PHONE)
    await browser.open(article_page)
    await browser.wait_for_text(".khabar-list", MINE)
    width = await browser.script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], width  # nothing wider than the phone's screen
    await _shot(browser, tmp_path, "web-phone.png")
    assert await browser.console_errors() == []
