"""Fixtures for the website's tests: Khabar running with KHABAR_WEB_PORT, and an HTTP client for it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from bot.app import stop_app
from bot.publishing.article_file import ArticleDraft
from fakegram.control import FakeTelegram
from tests.e2e.driver import captcha_answer
from tests.e2e.harness import (
    Clock,
    Khabar,
    World,
    build_world,
    create_schema,
    free_port,
    launch,
    settings_for,
)
from tests.e2e.publishing_helpers import article, queue_article

PAGE = "https://news.example/fa/news/traffic-azadi"
ORIGIN = "https://news.example"
DRAFT = ArticleDraft(
    title="ترافیک سنگین در میدان آزادی تهران",
    kicker="گزارش میدانی",
    lead="ترافیک میدان آزادی تهران امروز صبح سنگین بود و رانندگان از کندی تکمیل خط مترو گله داشتند.",
    link=PAGE,
)
SENTENCE_OK = "ترافیک میدان آزادی تهران امروز صبح سنگین بود و مترو باید زودتر تکمیل شود."
COMMENT = "ترافیک میدان آزادی واقعاً کلافه‌کننده شده و باید مترو را زودتر تکمیل کنند."


@dataclass
class Site:
    """Khabar with its website, an HTTP session, and the article the tests comment on."""

    khabar: Khabar
    http: aiohttp.ClientSession
    base: str
    token: str = ""

    async def call(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any, aiohttp.ClientResponse]:
        async with self.http.request(method, self.base + path, **kwargs) as response:
            raw = await response.read()
            try:
                body: Any = await response.json(content_type=None)
            except ValueError:
                body = raw
            return response.status, body, response

    async def captcha(self, **kwargs: Any) -> tuple[str, int]:
        status, body, _ = await self.call("POST", "/api/v1/captcha", **kwargs)
        assert status == 201, body
        return body["id"], captcha_answer(body["question"])

    async def post(self, text: str, *, author: str = "مینا", answer: Any = None, **extra: Any) -> tuple[int, Any]:
        headers = extra.pop("headers", None)
        captcha_id, right = await self.captcha(headers=headers)
        body = {"author": author, "text": text, "captcha_id": captcha_id,
                "captcha_answer": right if answer is None else answer, **extra}
        status, data, _ = await self.call("POST", f"/api/v1/articles/{self.token}/comments", json=body, headers=headers)
        return status, data


async def start_site(fake: FakeTelegram, world: World, db_url: str, **overrides: str) -> tuple[Khabar, str]:
    await create_schema(db_url)
    port = free_port()
    overrides.setdefault("web_origins", ORIGIN)
    settings = settings_for(fake, world, db_url, web_port=str(port), **overrides)
    return await launch(world, settings, Clock()), f"http://127.0.0.1:{port}"


@pytest.fixture
def world(fake: FakeTelegram) -> World:
    """Channel, discussion group and moderators' group with two moderators."""
    return build_world(fake)


@pytest.fixture
def web_settings() -> dict[str, str]:
    """Extra settings for the ``site`` fixture (tests override this fixture)."""
    return {}


@pytest.fixture
async def site(fake: FakeTelegram, world: World, db_url: str, web_settings: dict[str, str]) -> AsyncIterator[Site]:
    """Khabar with KHABAR_WEB_PORT set, one article posted (its link is PAGE)."""
    khabar, base = await start_site(fake, world, db_url, **web_settings)
    http = aiohttp.ClientSession()
    try:
        article_id = await queue_article(khabar, DRAFT)
        await khabar.settle()
        running = Site(khabar, http, base, (await article(khabar, article_id)).token)
        yield running
    finally:
        await http.close()
        await asyncio.wait_for(stop_app(khabar.app), 60)
