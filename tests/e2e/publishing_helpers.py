"""Shared steps of the publishing end-to-end tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import select

from bot.publishing.article_file import ArticleDraft
from bot.publishing.articles import add_article
from bot.publishing.service import target_of
from fakegram.control import FakeTelegram
from fakegram.world import StoredMessage
from storage.models import Article, Delivery
from tests.e2e.harness import Khabar, World

T = TypeVar("T")

# The article the flow and chaos tests (and bench/chaos.py) comment on.
TRAFFIC = ArticleDraft(
    title="ترافیک سنگین در میدان آزادی تهران",
    kicker="گزارش میدانی",
    lead="ترافیک میدان آزادی تهران امروز صبح سنگین بود و رانندگان از کندی تکمیل خط مترو گله داشتند.",
)


async def queue_article(khabar: Khabar, draft: ArticleDraft) -> int:
    """Store an article and its post the way ``khabar post`` does; its id."""
    async with khabar.db.transaction() as session:
        article = await add_article(session, target_of(khabar.deps), draft, now=khabar.clock(), source="manual")
    assert article is not None
    khabar.deps.outbox.wake()
    return article.id


async def article(khabar: Khabar, article_id: int) -> Article:
    """The article as stored now."""
    async with khabar.db.transaction() as session:
        return (await session.execute(select(Article).where(Article.id == article_id))).scalar_one()


async def deliveries(khabar: Khabar, kind: str) -> list[Delivery]:
    """Outbox rows of one kind."""
    async with khabar.db.transaction() as session:
        return list((await session.execute(select(Delivery).where(Delivery.kind == kind))).scalars())


async def eventually(probe: Callable[[], Awaitable[T | None]], timeout: float = 5.0) -> T:
    """Wait until ``probe`` returns something truthy (an update travelling through polling)."""
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError("condition never became true")
        await asyncio.sleep(0.02)


def channel_posts(fake: FakeTelegram, world: World) -> list[StoredMessage]:
    """What the bot has posted in the channel."""
    return fake.bot_messages(world.channel)
