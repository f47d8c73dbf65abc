"""The demo page in headless Chromium: a reader comments through the deep link, a moderator approves."""

from __future__ import annotations

import os
from pathlib import Path

from bot.demo.server import DemoServer
from bot.texts import common, intake
from bot.texts import demo as texts
from tests.browser import DESKTOP, PHONE, Page
from tests.e2e.driver import APPROVE_LABEL, captcha_answer

COMMENT = "راه‌اندازی کتابخانهٔ سیار برای بچه‌های روستاهای لرستان کار خوبی است."
REPLY = "امیدوارم کتابخانهٔ سیار به روستاهای دلفان هم زود برسد."
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shot_dir(tmp_path: Path) -> Path:
    """docs/screenshots when KHABAR_DEMO_SCREENSHOTS=1 (to refresh the committed ones), else tmp_path."""
    return SHOTS if os.environ.get("KHABAR_DEMO_SCREENSHOTS") == "1" else tmp_path


async def shows(page: Page, css: str, needle: str, timeout: float = 20.0) -> str:
    """Wait until an element matching ``css`` shows ``needle`` (checked inside the page, in one step)."""
    script = "return [...document.querySelectorAll(arguments[0])].map((e) => e.innerText)" \
             ".find((t) => t.includes(arguments[1])) || null"
    found: str = await page.wait_for(lambda: page.driver.execute_script(script, css, needle), timeout,
                                     f"{needle!r} never appeared in {css!r}")
    return found


async def press(page: Page, message_css: str, needle: str, label: str) -> None:
    """Click the button ``label`` under the last message matching ``message_css`` that shows ``needle``."""
    clicked = await page.script(
        """
        const [css, needle, label] = arguments;
        const hits = [...document.querySelectorAll(css)].filter((m) => m.innerText.includes(needle));
        const last = hits[hits.length - 1];
        const key = last && [...last.querySelectorAll('.key')].find((k) => k.innerText.trim() === label);
        if (!key) return false;
        key.click();
        return true;
        """,
        message_css, needle, label,
    )
    assert clicked, f"no button {label!r} under a message showing {needle!r}"


async def test_reader_comments_and_a_moderator_approves(temp_demo: DemoServer, browser: Page, tmp_path: Path) -> None:
    demo = temp_demo
    await browser.size(*DESKTOP)
    await browser.open(demo.url)
    banner = await browser.text("#banner")
    assert "fakegram" in banner and str(demo.demo.database_path) in banner
    await shows(browser, "#messages-channel .msg", texts.SAMPLE_TITLE)

    # The post's «ثبت نظر» deep link opens the article in the reader's private chat.
    await browser.click("#messages-channel .key[data-start]")
    await shows(browser, "#messages-private .msg", "/start a-")
    await shows(browser, "#messages-private .msg", "نظر خود را دربارهٔ این خبر بنویسید")
    await browser.type("#composer-private input", COMMENT)
    await browser.click("#composer-private button")

    # The captcha: read the question off the page, type the sum in Persian digits as a reader would.
    question = await shows(browser, "#messages-private .msg", "= ؟")
    answer = captcha_answer(question)
    await browser.type("#composer-private input", _fa(answer))
    await browser.click("#composer-private button")
    await shows(browser, "#messages-private .msg", "نظر شما ثبت شد")

    # The card reaches the moderators' group; an outsider's press is refused, a moderator's works.
    await shows(browser, "#messages-mods .msg", COMMENT[:30])
    await browser.click('#mods-people .person[data-person="outsider"]')
    await press(browser, "#messages-mods .msg", COMMENT[:30], APPROVE_LABEL)
    await shows(browser, "#toast", common.NOT_ALLOWED)  # an alert: the bot answered show_alert
    assert COMMENT[:30] not in await browser.script("return document.getElementById('messages-group').innerText")
    await browser.click('#mods-people .person[data-person="mod1"]')
    await press(browser, "#messages-mods .msg", COMMENT[:30], APPROVE_LABEL)

    # Published in the discussion thread, under the post; the author hears the outcome.
    await shows(browser, "#messages-group .msg", COMMENT[:30])
    await shows(browser, "#messages-private .msg", "منتشر شد")
    await shows(browser, "#messages-channel .key", "۱")  # the post's count button: «نظرات (۱)»

    # Another reader replies in the thread: the bot takes the reply and sends them on to finish privately.
    await browser.click('#group-people .person[data-person="reader2"]')
    await browser.type("#composer-group input", REPLY)
    await browser.click("#composer-group button")
    await shows(browser, "#messages-group .msg", intake.GROUP_BUTTON)
    assert REPLY[:20] not in await browser.script("return document.getElementById('messages-group').innerText")
    await press(browser, "#messages-group .msg", intake.GROUP_BUTTON, intake.GROUP_BUTTON)
    await shows(browser, "#messages-private .msg", "= ؟")
    assert await browser.console_errors() == []

    await browser.script("document.getElementById('toast').hidden = true")  # no notice in the pictures
    folder = shot_dir(tmp_path)
    assert (await browser.screenshot(folder / "demo-desktop.png")).stat().st_size > 10_000
    await browser.size(*PHONE)
    await browser.click('.tab[data-pane="group"]')
    await shows(browser, "#messages-group .msg", COMMENT[:30])
    assert (await browser.screenshot(folder / "demo-phone.png")).stat().st_size > 10_000


def _fa(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
