"""The browser harness itself: a right-to-left Persian page loads, is read and typed into."""

from __future__ import annotations

from aiohttp import web

from tests.browser import Page
from tests.local_http import serve

PAGE = """<!doctype html><html lang="fa" dir="rtl"><meta charset="utf-8"><title>آزمون</title>
<body><p id="out">سلام</p><input id="in" aria-label="نام">
<button id="go" onclick="document.getElementById('out').textContent='نوشتید: '+document.getElementById('in').value">برو</button>
</body></html>"""


async def page(request: web.Request) -> web.Response:
    return web.Response(text=PAGE, content_type="text/html")


async def test_a_persian_page_is_read_typed_into_and_answers(browser: Page) -> None:
    async with serve("GET", "/", page) as url:
        await browser.open(url)
        assert await browser.text("#out") == "سلام"
        assert await browser.script("return getComputedStyle(document.body).direction") == "rtl"
        await browser.type("#in", "۹ + ۶")
        await browser.click("#go")
        assert await browser.wait_for_text("#out", "نوشتید") == "نوشتید: ۹ + ۶"
