"""How Khabar reaches the network: the Bot API (KHABAR_PROXY_URL) and feeds (KHABAR_FEED_PROXY_URL)."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest

from bot.settings import Settings
from bot.telegram_reach import TelegramReach, not_sent, outage_error


class WatchedRequest(HTTPXRequest):
    """PTB's HTTPX request that remembers when Telegram last answered (for getUpdates: polling is alive)
    and tells ``reach`` (bot/telegram_reach.py) whether Telegram answers at all."""

    def __init__(self, *args: Any, reach: TelegramReach | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last_answer: float | None = None  # time.monotonic() of the last 2xx answer
        self.reach = reach

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """Send as PTB does; note the time of every successful answer."""
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except (NetworkError, TimedOut) as exc:
            if self.reach is not None and outage_error(exc):
                self.reach.failed(exc, at_once=not_sent(exc))
            raise
        if 200 <= code <= 299:
            self.last_answer = time.monotonic()
        if self.reach is not None:
            if code >= 500:
                self.reach.failed(NetworkError(f"HTTP {code}"), at_once=code in (502, 503, 504))
            else:
                self.reach.answered()
        return code, payload


def telegram_request(settings: Settings, *, polling: bool = False, reach: TelegramReach | None = None) -> HTTPXRequest:
    """PTB's request object for Bot API calls (``polling``: the one for getUpdates), through the proxy if set.

    Without KHABAR_PROXY_URL, httpx still honours HTTPS_PROXY/ALL_PROXY from the environment.
    """
    if polling:
        return WatchedRequest(connection_pool_size=2, read_timeout=60, proxy=settings.proxy_url, reach=reach)
    return WatchedRequest(connection_pool_size=64, connect_timeout=10, read_timeout=15, write_timeout=15,
                          pool_timeout=10, proxy=settings.proxy_url, reach=reach)


def feed_client(settings: Settings) -> httpx.AsyncClient:
    """The HTTP client for RSS/Atom feeds: through KHABAR_FEED_PROXY_URL, else direct.

    ``trust_env=False``: a proxy set in the environment for Telegram must not carry domestic feeds.
    """
    return httpx.AsyncClient(timeout=httpx.Timeout(settings.feed_timeout_seconds), proxy=settings.feed_proxy_url,
                             trust_env=False)


def proxy_secrets(settings: Settings) -> list[str]:
    """Passwords inside the proxy URLs (to keep them out of logs)."""
    out = []
    for url in (settings.proxy_url, settings.feed_proxy_url):
        password = urlsplit(url).password if url else None
        if password:
            out.append(password)
    return out
