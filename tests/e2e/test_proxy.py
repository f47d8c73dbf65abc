"""Proxies: the Bot API through KHABAR_PROXY_URL (http, socks5), feeds through KHABAR_FEED_PROXY_URL or direct."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

import pytest
from aiohttp import web

from bot.app import stop_app
from bot.publishing.service import poll_feeds_now
from fakegram.control import FakeTelegram
from tests.e2e.harness import Clock, Khabar, World, create_schema, launch, settings_for
from tests.local_http import serve
from tests.proxy_server import serve_proxy

RSS = ('<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><item><title>خبر از راه دور</title>'
       "<guid>g-1</guid><link>https://news.example/a/1</link><description>lead</description></item>"
       "</channel></rss>").encode()


@pytest.mark.sqlite_only(reason="the proxy carries Telegram's traffic; the database plays no part")
@pytest.mark.parametrize("scheme", ["http", "socks5"])
async def test_bot_api_goes_through_the_proxy(fake: FakeTelegram, world: World, db_url: str, scheme: str) -> None:
    fakegram = urlsplit(fake.base_url)
    async with serve_proxy(scheme) as proxy:
        await create_schema(db_url)
        khabar = await launch(world, settings_for(fake, world, db_url, proxy_url=proxy.url), Clock())
        try:
            reader = fake.make_user("زهرا", "zahra")
            await reader.start_bot()
            reply = await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(reader.id))
            assert "ثبت نظر" in reply.params["text"]
        finally:
            await stop_app(khabar.app)
    # Start-up, long polling and the reply all travelled through the proxy to the fake Bot API.
    assert proxy.targets and set(proxy.targets) == {f"{fakegram.hostname}:{fakegram.port}"}
    assert [c.method for c in fake.calls][:1] == ["getMe"]


async def _post_a_feed(fake: FakeTelegram, world: World, khabar: Khabar, feed_url: str) -> None:
    await world.moderators[0].send(world.mods_chat, f"/feeds add {feed_url}")
    await fake.wait_for("sendMessage", lambda c: "افزوده شد" in c.params.get("text", ""))
    await poll_feeds_now(khabar.deps)
    await khabar.settle()
    assert any("خبر از راه دور" in (m.text or "") for m in fake.bot_messages(world.channel))


@pytest.mark.sqlite_only(reason="the proxy carries feed requests; the database plays no part")
@pytest.mark.parametrize("feed_proxied", [True, False], ids=["feed-proxy", "feed-direct"])
async def test_feeds_use_their_own_proxy_or_go_direct(
    fake: FakeTelegram, world: World, db_url: str, feed_proxied: bool
) -> None:
    await create_schema(db_url)
    fetched: list[str] = []

    async def rss(request: web.Request) -> web.Response:
        fetched.append(request.path)
        return web.Response(body=RSS, content_type="application/rss+xml")

    async with serve("GET", "/rss", rss) as feed_url, serve_proxy("http") as bot_proxy, \
            serve_proxy("socks5") as feed_proxy:
        feed = urlsplit(feed_url)
        extra = {"feed_proxy_url": feed_proxy.url} if feed_proxied else {}
        khabar = await launch(world, settings_for(fake, world, db_url, proxy_url=bot_proxy.url, **extra), Clock())
        try:
            await _post_a_feed(fake, world, khabar, feed_url)
        finally:
            await stop_app(khabar.app)
    assert fetched == ["/rss"]
    target = f"{feed.hostname}:{feed.port}"
    assert target not in bot_proxy.targets  # never through Telegram's proxy
    # Through KHABAR_FEED_PROXY_URL when set; direct (no proxy at all) when it is empty.
    assert (target in feed_proxy.targets) is feed_proxied


@pytest.mark.sqlite_only(reason="the proxy carries Telegram's traffic; the database plays no part")
async def test_a_proxy_outage_is_warned_about_without_tracebacks_and_polling_resumes(
    fake: FakeTelegram, world: World, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await create_schema(db_url)

    async def answered(name: str) -> None:
        reader = fake.make_user(name)
        await reader.start_bot()
        await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(reader.id), timeout=20)

    async with serve_proxy("socks5") as proxy:
        port = int(proxy.url.rsplit(":", 1)[1])
        khabar = await launch(world, settings_for(fake, world, db_url, proxy_url=proxy.url), Clock())
        await answered("پیش")
    try:
        # The proxy is gone (its block ended): polls fail, PTB retries with backoff.
        for _ in range(200):
            if khabar.deps.telegram.down:
                break
            await asyncio.sleep(0.05)
        async with serve_proxy("socks5", port=port) as back:
            await answered("پس")  # polling resumed through the proxy once it was back
            assert back.targets
            await stop_app(khabar.app)  # while the proxy is up: the last getUpdates confirms the updates
    finally:
        if khabar.app.running:
            await stop_app(khabar.app)
    # One WARNING when Telegram (through the proxy) stopped answering, one INFO when it was back.
    outage = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "khabar.telegram"
              and r.levelno >= logging.INFO]
    assert outage == [("WARNING", "Telegram stopped answering; sends wait and are retried when it is back"),
                      ("INFO", "Telegram answers again")]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info] == []
