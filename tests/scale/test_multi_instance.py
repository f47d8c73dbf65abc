"""Three ``khabar run --webhook`` processes behind nginx on one PostgreSQL; one is killed midway.

Every comment that got a receipt ends consistently, every approved comment is published exactly
once, the article is posted once, and the feed is polled by one instance at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import func, select

from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from fakegram.world import StoredMessage
from storage import migrate
from storage.db import Database
from storage.models import Article, Comment, Delivery, Feed
from tests.e2e.driver import is_captcha, start_payload, type_answer
from tests.e2e.harness import World
from tests.local_http import serve
from tests.scale.cluster import Cluster, base_env, nginx_binary

COMMENTS = int(os.environ.get("KHABAR_SCALE_COMMENTS", "1000"))
CONCURRENCY = 40
pytestmark = [
    pytest.mark.skipif(not os.environ.get("KHABAR_TEST_POSTGRES_URL"), reason="needs KHABAR_TEST_POSTGRES_URL"),
    pytest.mark.skipif(nginx_binary() is None, reason="needs nginx (.ci/run installs Debian's nginx-light)"),
    pytest.mark.slow,
]
TOPIC = "کم‌آبی سد کرج و جیره‌بندی آب در تهران"
LEAD = "سطح آب سد کرج به پایین‌ترین حد در ده سال گذشته رسیده و شرکت آب منطقه‌ای تهران از جیره‌بندی آب خبر داد."


class FeedServer:
    """An RSS feed on 127.0.0.1 that records how many requests overlap."""

    def __init__(self) -> None:
        self.active = 0
        self.max_active = 0
        self.requests = 0

    async def handle(self, _request: web.Request) -> web.Response:
        self.active += 1
        self.requests += 1
        self.max_active = max(self.max_active, self.active)
        try:
            await asyncio.sleep(0.3)  # a slow feed makes overlapping polls visible
            body = (
                '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                "<item><guid>feed-item-1</guid><title>بارش برف در ارتفاعات البرز</title>"
                "<link>https://news.example/1</link></item></channel></rss>"
            )
            return web.Response(text=body, content_type="application/rss+xml")
        finally:
            self.active -= 1


@pytest.fixture
async def feed_server() -> AsyncIterator[tuple[FeedServer, str]]:
    server = FeedServer()
    async with serve("GET", "/rss", server.handle) as url:
        yield server, url


async def _cli(*args: str, env: dict[str, str], cwd: Path) -> str:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *args, cwd=cwd, env={**env, "PYTHONPATH": str(Path(__file__).parents[2])},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, out.decode()
    return out.decode()


async def _until(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await predicate():  # type: ignore[operator]
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


class Reader:
    """One reader who comments once and retries like a person when the bot stays silent."""

    def __init__(self, fake: FakeTelegram, user: FakeUser, payload: str, text: str) -> None:
        self.fake, self.user, self.payload, self.text = fake, user, payload, text
        self.receipt = False

    def _captchas(self) -> list[StoredMessage]:
        return [m for m in self.fake.bot_messages(self.user.private_chat) if is_captcha(m)]

    async def run(self) -> None:
        for _attempt in range(4):
            await self.user.start_bot(self.payload)
            await asyncio.sleep(0.05)
            seen = len(self._captchas())
            await self.user.send(self.text)
            deadline = time.monotonic() + 8
            while time.monotonic() < deadline and len(self._captchas()) <= seen:
                await asyncio.sleep(0.05)
            if len(self._captchas()) <= seen:
                continue  # the update died with an instance: write again
            message = self._captchas()[-1]
            for _press in range(3):  # no answer: type it again, as a person would
                await type_answer(self.user, message)
                deadline = time.monotonic() + 8
                while time.monotonic() < deadline:
                    if "ثبت شد" in (self.fake.resolve_message(message).text or ""):
                        self.receipt = True
                        return
                    await asyncio.sleep(0.05)
        return


async def _moderate(fake: FakeTelegram, world: World, stop: asyncio.Event) -> int:
    """Moderators press every approve button they see (cards or the queue view) until told to stop."""
    pressed: set[tuple[int, str]] = set()
    mods = world.moderators
    while not stop.is_set():
        progress = False
        for message in list(fake.bot_messages(world.mods_chat)):
            approves = [b for b in message.buttons() if b.get("text", "").startswith("✅")]
            for button in approves:
                key = (message.message_id, button["callback_data"])
                if key in pressed:
                    continue
                try:
                    handle = await random.choice(mods).press(message, button["callback_data"])
                except ValueError:
                    break  # the message changed under our finger (a refresh): look again
                progress = True
                try:
                    await handle.wait_answered(5)
                except TimeoutError:
                    continue  # the instance died with the press: press it again next round
                pressed.add(key)
            nav = [b for b in message.buttons() if b.get("callback_data", "").startswith("v1:qp:")]
            if approves and nav and all((message.message_id, b["callback_data"]) in pressed for b in approves):
                try:
                    handle = await mods[0].press(message, max(nav, key=lambda b: int(b["callback_data"].rsplit(":", 1)[1]))["callback_data"])
                except ValueError:
                    continue
                progress = True
                with contextlib.suppress(TimeoutError):
                    await handle.wait_answered(5)
        if not progress:
            if os.environ.get("KHABAR_SCALE_DEBUG"):
                for m in fake.bot_messages(world.mods_chat):
                    print("MODS", m.message_id, (m.text or "")[:60].replace("\n", " "), [b.get("callback_data") for b in m.buttons()])
            await asyncio.sleep(0.3)
    return len(pressed)


async def test_three_instances_behind_nginx(
    fake: FakeTelegram, world: World, tmp_path: Path, feed_server: tuple[FeedServer, str]
) -> None:
    from tests import conftest as root  # this run's own PostgreSQL database, created at start-up

    db_url = root.PG_URL
    await root.reset_postgres(db_url)
    await migrate.upgrade_async(db_url)
    env = {
        **base_env(),
        "KHABAR_BOT_TOKEN": fake.token,
        "KHABAR_BOT_API_URL": fake.base_url,
        "KHABAR_CHANNEL": str(world.channel.id),
        "KHABAR_MODERATOR_CHAT": str(world.mods_chat.id),
        "KHABAR_MODERATORS": ",".join(str(m.id) for m in world.moderators),
        "KHABAR_DATABASE_URL": db_url,
        "KHABAR_WEBHOOK_SECRET": "scale-test_secret",
        "KHABAR_LOG_FORMAT": "json",
        "KHABAR_OUTBOX_LEASE_SECONDS": "15",
        "KHABAR_FEED_POLL_SECONDS": "15",
        "KHABAR_RATE_LIMIT_COMMENTS": "100",
        # The fake's flood limits are off here (the flood bench measures pacing): publish at full speed.
        "KHABAR_API_MESSAGES_PER_SECOND": "0",
        "KHABAR_API_GROUP_MESSAGES_PER_MINUTE": "0",
    }
    # A killed instance leaves the callback queries it was handling unanswered: check the rest by hand.
    fake.check_at_end = False
    cluster = Cluster(tmp_path, env)
    db = Database(db_url)
    try:
        await cluster.start(3)
        article_file = tmp_path / "article.json"
        article_file.write_text(json.dumps({"title": TOPIC, "lead": LEAD}, ensure_ascii=False), encoding="utf-8")
        await _cli("post", str(article_file), "--yes", env=env, cwd=tmp_path)
        await _cli("feeds", "add", feed_server[1], env=env, cwd=tmp_path)

        async def forwarded() -> bool:
            async with db.transaction() as s:
                return bool((await s.execute(select(Article.discussion_message_id).where(Article.title == TOPIC))).scalar())

        await _until(forwarded, 60, "the article's automatic forward to be stored")
        post = next(m for m in fake.bot_messages(world.channel) if TOPIC in (m.text or m.caption or ""))
        payload = start_payload(post)

        stop = asyncio.Event()
        moderation = asyncio.create_task(_moderate(fake, world, stop))
        readers = [
            Reader(fake, fake.make_user(f"خواننده {i}", f"reader_{i}"), payload,
                   f"نظر شماره {i}: کم‌آبی سد کرج جدی است و جیره‌بندی آب تهران باید عادلانه باشد.")
            for i in range(COMMENTS)
        ]
        gate = asyncio.Semaphore(CONCURRENCY)
        done = 0

        async def one(reader: Reader) -> None:
            nonlocal done
            async with gate:
                await reader.run()
                done += 1

        tasks = [asyncio.create_task(one(r)) for r in readers]
        await _until(lambda: _ready(done >= COMMENTS // 2), 600, "half of the readers")
        cluster.kill(cluster.instances[1])
        await asyncio.gather(*tasks)
        receipts = [r for r in readers if r.receipt]
        assert len(receipts) >= COMMENTS * 0.98, f"only {len(receipts)} of {COMMENTS} readers got a receipt"

        async def all_published() -> bool:
            if moderation.done():
                moderation.result()  # re-raise what stopped the moderators
                raise AssertionError("the moderators stopped early")
            async with db.transaction() as s:
                open_ = await s.execute(
                    select(func.count()).where(
                        Comment.status.in_(["pending", "approved"]), Comment.thread_message_id.is_(None)
                    )
                )
                return int(open_.scalar_one()) == 0

        await _until(all_published, 600, "every comment to be approved and published")
        stop.set()
        await moderation

        async with db.transaction() as s:
            rows = (await s.execute(select(Comment))).scalars().all()
            feed = (await s.execute(select(Feed))).scalar_one()
            for d in (await s.execute(select(Delivery).where(Delivery.attempts > 1))).scalars():
                print("RETRIED", d.id, d.kind, d.comment_id, d.attempts, d.status, d.error, d.created_at, d.sent_at)
            retried = set(
                (
                    await s.execute(
                        select(Delivery.comment_id).where(Delivery.kind == "comment_publish", Delivery.attempts > 1)
                    )
                ).scalars()
            )
        by_text = {c.text: c for c in rows}
        for reader in receipts:
            comment = by_text.get(reader.text)
            assert comment is not None and comment.status == "approved", reader.text
        assert all(c.status in {"approved", "awaiting_captcha", "expired"} for c in rows)
        thread = fake.thread(world.group, fake.discussion_copy(post).message_id)  # type: ignore[union-attr]
        published = [m.text or "" for m in thread if m.by_bot]
        doubled = []
        for comment in rows:
            if comment.status == "approved":
                copies = sum(comment.text in text for text in published)
                assert copies >= 1, f"approved but never published: {comment.text}"
                if copies > 1:
                    doubled.append(comment.id)
        # Exactly once, except where SIGKILL fell between Telegram's answer and the commit that records
        # it: such a publication was claimed again after the dead instance's lease and sent again.
        # The Bot API gives no way to look a sent message up, so that instant stays ambiguous.
        assert set(doubled) <= retried, f"published twice without an ambiguous attempt: {doubled}"
        assert len(doubled) <= 3, doubled
        print(f"scale: {len(receipts)} receipts, {len(rows)} comments, {len(retried)} publications retried "
              f"after the kill, {len(doubled)} published twice")
        channel_posts = [m for m in fake.bot_messages(world.channel) if TOPIC in (m.text or m.caption or "")]
        assert len(channel_posts) == 1
        assert feed_server[0].requests >= 1 and feed_server[0].max_active == 1
        assert feed.first_poll_done
        feed_posts = [m for m in fake.bot_messages(world.channel) if "برف" in (m.text or m.caption or "")]
        assert len(feed_posts) == 1
        assert fake.failures == [] and fake.flood.total_429 == 0
    finally:
        await cluster.stop()
        await db.close()


async def _ready(value: bool) -> bool:
    return value
