"""Headless Chromium for browser tests: Debian's ``chromium`` and ``chromium-driver`` through Selenium.

The ``browser`` fixture yields a :class:`Page`: an async face over one Selenium session, so a test can
drive the page while the bot and its fake Telegram keep running on the test's event loop (every
Selenium call runs in a worker thread). Where Chromium or its driver is missing the test is skipped
with the reason; ``.ci/run`` installs both, so CI always runs them.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
DRIVER = ("chromedriver",)
DEBIAN_DRIVER = "/usr/bin/chromedriver"
PHONE = (390, 844)
DESKTOP = (1280, 900)


def find_chromium() -> tuple[str, str] | None:
    """The (browser, driver) executables, or None when either is missing."""
    browser = next((p for name in CHROMIUM if (p := shutil.which(name))), None)
    driver = next((p for name in DRIVER if (p := shutil.which(name))), None)
    if driver is None and os.path.exists(DEBIAN_DRIVER):
        driver = DEBIAN_DRIVER
    if browser is None or driver is None:
        return None
    return browser, driver


class Page:
    """One headless Chromium window, driven from async tests."""

    def __init__(self, driver: Any) -> None:
        self.driver = driver

    async def _run(self, fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(fn, *args)

    async def open(self, url: str) -> None:
        """Load ``url`` and wait for the document to finish loading."""
        await self._run(self.driver.get, url)

    async def size(self, width: int, height: int) -> None:
        """Resize the window (phone or desktop widths)."""
        await self._run(self.driver.set_window_size, width, height)

    async def find(self, css: str, timeout: float = 10.0) -> Any:
        """The first element matching ``css``, waiting for it to appear."""
        from selenium.webdriver.common.by import By

        def look() -> Any:
            from selenium.common.exceptions import StaleElementReferenceException

            try:
                found = self.driver.find_elements(By.CSS_SELECTOR, css)
                return found[0] if found and found[0].is_displayed() else None
            except StaleElementReferenceException:  # redrawn while looking: look again
                return None

        return await self.wait_for(look, timeout, f"no visible element {css!r}")

    async def find_all(self, css: str) -> list[Any]:
        """Every element matching ``css`` now (no waiting)."""
        from selenium.webdriver.common.by import By

        return list(await self._run(self.driver.find_elements, By.CSS_SELECTOR, css))

    async def click(self, css: str, timeout: float = 10.0) -> None:
        """Click the first visible element matching ``css``."""
        element = await self.find(css, timeout)
        await self._run(element.click)

    async def type(self, css: str, text: str, timeout: float = 10.0) -> None:
        """Type ``text`` into the field matching ``css`` (after clearing it)."""
        element = await self.find(css, timeout)
        await self._run(element.clear)
        await self._run(element.send_keys, text)

    async def text(self, css: str, timeout: float = 10.0) -> str:
        """The visible text of the first element matching ``css``."""
        element = await self.find(css, timeout)
        return str(await self._run(lambda: element.text))

    async def wait_for_text(self, css: str, needle: str, timeout: float = 15.0) -> str:
        """Wait until an element matching ``css`` shows ``needle``; return its text."""
        from selenium.webdriver.common.by import By

        def look() -> str | None:
            from selenium.common.exceptions import StaleElementReferenceException

            try:
                for element in self.driver.find_elements(By.CSS_SELECTOR, css):
                    if needle in element.text:
                        return str(element.text)
            except StaleElementReferenceException:  # the page redrew between finding and reading
                return None
            return None

        result: str = await self.wait_for(look, timeout, f"{needle!r} never appeared in {css!r}")
        return result

    async def wait_for(self, probe: Callable[[], Any], timeout: float, what: str) -> Any:
        """Poll ``probe`` (run in a thread) until it returns something truthy."""
        deadline = time.monotonic() + timeout
        while True:
            result = await self._run(probe)
            if result:
                return result
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} within {timeout:.0f} s")
            await asyncio.sleep(0.1)

    async def script(self, source: str, *args: Any) -> Any:
        """Run JavaScript in the page and return its result."""
        return await self._run(self.driver.execute_script, source, *args)

    async def console_errors(self) -> list[str]:
        """Severe messages the page logged to its console (script errors, CSP refusals)."""
        entries = await self._run(self.driver.get_log, "browser")
        return [e["message"] for e in entries if e.get("level") == "SEVERE"]

    async def screenshot(self, path: Path) -> Path:
        """Save a PNG of the window to ``path``."""
        path.parent.mkdir(parents=True, exist_ok=True)
        await self._run(self.driver.save_screenshot, str(path))
        return path


@pytest.fixture
async def browser() -> AsyncIterator[Page]:
    """A headless Chromium page; skipped where Debian's chromium/chromium-driver are not installed."""
    found = find_chromium()
    if found is None:
        pytest.skip("headless Chromium not installed (apt-get install chromium chromium-driver)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:  # pragma: no cover - selenium is a test dependency
        pytest.skip("selenium is not installed")
    binary, driver_path = found
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--lang=fa-IR", f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = await asyncio.to_thread(webdriver.Chrome, options=options, service=Service(driver_path))
    try:
        yield Page(driver)
    finally:
        await asyncio.to_thread(driver.quit)
