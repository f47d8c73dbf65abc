"""Feeds over real HTTP (ETag, 304, first-poll limit), /feeds in the moderators' chat, count edits, the CLI."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import update

from bot.domain.message_kinds import MessageKind
from bot.publishing.article_file import ArticleDraft
from bot.publishing.service import poll_feeds_now
from fakegram.control import FakeTelegram
from storage.models import Article
from tests.e2e.harness import Khabar, World
from tests.e2e.publishing_helpers import article, channel_posts, deliveries, queue_article
from tests.local_http import serve

ITEM = "<item><title>{title}</title><guid>g-{n}</guid><link>https://news.example/a/{n}</link>" \
       "<pubDate>Thu, 0{day} Jan 2026 08:00:00 GMT</pubDate><description>lead {n}</description></item>"


class FeedServer:
    """An RSS feed on 127.0.0.1 that answers 304 to a matching If-None-Match."""

    def __init__(self) -> None:
        self.items: list[int] = []
        self.requests: list[dict[str, str]] = []
        self.statuses: list[int] = []
        self.url = ""

    def body(self) -> bytes:
        items = "".join(ITEM.format(title=f"خبر {n}", n=n, day=n) for n in sorted(self.items, reverse=True))
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'.encode()

    async def handle(self, request: web.Request) -> web.Response:
        self.requests.append(dict(request.headers))
        etag = f'"v{len(self.items)}"'
        if request.headers.get("If-None-Match") == etag:
            self.statuses.append(304)
            return web.Response(status=304)
        self.statuses.append(200)
        return web.Response(body=self.body(), content_type="application/rss+xml", headers={"ETag": etag})


@pytest.fixture
async def feed_server() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    async with serve("GET", "/rss", server.handle) as server.url:
        yield server


async def test_feed_first_poll_limit_etag_and_new_items_once(
    fake: FakeTelegram, world: World, khabar: Khabar, feed_server: FeedServer
) -> None:
    feed_server.items = [1, 2, 3, 4, 5]
    mod = world.moderators[0]
    await mod.send(world.mods_chat, f"/feeds add {feed_server.url}")
    reply = await fake.wait_for("sendMessage", lambda c: "افزوده شد" in c.params.get("text", ""))
    assert str(reply.params["chat_id"]) == str(world.mods_chat.id)
    await khabar.settle()
    for _ in range(3):  # posts are spaced to stay under the channel's rate
        khabar.clock.advance(5)
        await khabar.settle()
    titles = [p.text.split("\n")[0] for p in channel_posts(fake, world) if p.text]
    assert titles == ["خبر 3", "خبر 4", "خبر 5"]
    # Nothing new: a conditional GET answered 304.
    khabar.clock.advance(khabar.settings.feed_poll_seconds + 1)
    await poll_feeds_now(khabar.deps)
    assert feed_server.statuses[-1] == 304 and feed_server.requests[-1]["If-None-Match"] == '"v5"'
    # One new item: posted once, even when polled again.
    feed_server.items.append(6)
    for _ in range(2):
        khabar.clock.advance(khabar.settings.feed_poll_seconds + 1)
        await poll_feeds_now(khabar.deps)
        khabar.clock.advance(5)
        await khabar.settle()
    titles = [p.text.split("\n")[0] for p in channel_posts(fake, world) if p.text]
    assert titles == ["خبر 3", "خبر 4", "خبر 5", "خبر 6"]


async def test_failing_feed_backs_off(fake: FakeTelegram, world: World, khabar: Khabar, feed_server: FeedServer) -> None:
    mod = world.moderators[0]
    await mod.send(world.mods_chat, f"/feeds add {feed_server.url}-missing")
    await fake.wait_for("sendMessage", lambda c: "افزوده شد" in c.params.get("text", ""))
    await khabar.settle()
    await poll_feeds_now(khabar.deps)  # not due again yet: backing off
    assert feed_server.statuses == [] and len(feed_server.requests) == 0  # 404s are answered by aiohttp itself
    await mod.send(world.mods_chat, "/feeds")
    listing = await fake.wait_for("sendMessage", lambda c: "خطای پیاپی" in c.params.get("text", ""))
    assert "۱ خطای پیاپی" in listing.params["text"]
    assert channel_posts(fake, world) == []


async def test_feeds_command_is_for_moderators(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    await world.outsider.send(world.mods_chat, "/feeds add https://evil.example/rss")
    refusal = await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(world.mods_chat.id))
    assert "فقط برای مدیران" in refusal.params["text"]
    mod = world.moderators[1]
    await mod.send(world.mods_chat, "/feeds")
    empty = await fake.wait_for("sendMessage", lambda c: "هنوز هیچ خوراکی" in c.params.get("text", ""))
    assert empty.ok
    await mod.send(world.mods_chat, "/feeds add ftp://x")
    await fake.wait_for("sendMessage", lambda c: "http://" in c.params.get("text", ""))
    await mod.send(world.mods_chat, "/feeds remove 9")
    await fake.wait_for("sendMessage", lambda c: "پیدا نشد" in c.params.get("text", ""))


@pytest.mark.khabar_settings(count_edit_interval_seconds="60")
async def test_count_button_edits_are_coalesced(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article_id = await queue_article(khabar, ArticleDraft(title="خبر پربحث"))
    await khabar.settle()
    (post,) = channel_posts(fake, world)

    async def approve(count: int) -> None:
        async with khabar.db.transaction() as session:
            await session.execute(update(Article).where(Article.id == article_id).values(approved_count=count))
        khabar.deps.events.emit("count_changed", article_id)

    await approve(1)
    await khabar.settle()
    assert post.buttons()[0]["text"] == "💬 نظرها (۱)"
    for count in (2, 3, 4):  # within the interval: no edit yet
        await approve(count)
        await khabar.settle()
    assert len(fake.calls_of("editMessageReplyMarkup")) == 1
    khabar.clock.advance(61)
    await approve(5)
    await khabar.settle()
    assert post.buttons()[0]["text"] == "💬 نظرها (۵)"
    assert len(fake.calls_of("editMessageReplyMarkup")) == 2
    khabar.clock.advance(61)
    khabar.deps.events.emit("count_changed", article_id)  # nothing changed: no edit, never "not modified"
    await khabar.settle()
    assert len(fake.calls_of("editMessageReplyMarkup")) == 2
    assert all(c.ok for c in fake.calls_of("editMessageReplyMarkup"))
    stored = await article(khabar, article_id)
    assert stored.shown_count == 5
    assert len(await deliveries(khabar, MessageKind.COUNT_EDIT)) == 1


def _cli_env(fake: FakeTelegram, world: World, khabar: Khabar) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "KHABAR_BOT_TOKEN": fake.token,
        "KHABAR_BOT_API_URL": fake.base_url,
        "KHABAR_CHANNEL": str(world.channel.id),
        "KHABAR_MODERATOR_CHAT": str(world.mods_chat.id),
        "KHABAR_DATABASE_URL": khabar.settings.database_url,
    }


async def _khabar_cli(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "--env-file", os.devnull, *args,  # no settings file: env only
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await proc.communicate()
    return int(proc.returncode or 0), out.decode(), err.decode()


async def test_khabar_post_json_and_markdown(fake: FakeTelegram, world: World, khabar: Khabar, tmp_path: Path) -> None:
    env = _cli_env(fake, world, khabar)
    json_file = tmp_path / "a.json"
    json_file.write_text(json.dumps({"title": "خبر از فایل", "kicker": "روتیتر", "lead": "لید"}), encoding="utf-8")
    md_file = tmp_path / "b.md"
    md_file.write_text("---\ntitle: خبر مارک‌داون\nimage: https://news.example/p.jpg\n---\nمتن\n", encoding="utf-8")
    code, out, err = await _khabar_cli(env, "post", str(json_file), "--yes")
    assert code == 0, err
    assert "خبر از فایل" in out and "queued" in out
    code, out, err = await _khabar_cli(env, "post", str(md_file), "--yes")
    assert code == 0, err
    await fake.wait_for("sendMessage", lambda c: "خبر از فایل" in c.params.get("text", ""), timeout=10)
    khabar.clock.advance(5)
    await khabar.settle()
    posts = channel_posts(fake, world)
    assert (posts[0].text or "").startswith("روتیتر\nخبر از فایل")
    assert posts[1].caption is not None and posts[1].caption.startswith("خبر مارک‌داون")
    code, out, _ = await _khabar_cli(env, "post", str(json_file), "--yes")
    assert code == 0 and "nothing to do" in out
    await khabar.settle()
    assert len(channel_posts(fake, world)) == 2


async def test_khabar_post_bad_file_names_the_field(
    fake: FakeTelegram, world: World, khabar: Khabar, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"lead": "بدون عنوان"}), encoding="utf-8")
    code, _out, err = await _khabar_cli(_cli_env(fake, world, khabar), "post", str(bad), "--yes")
    assert code == 2
    assert "field 'title'" in err and "required" in err


async def test_khabar_feeds_cli(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    env = _cli_env(fake, world, khabar)
    code, out, _ = await _khabar_cli(env, "feeds", "add", "https://news.example/rss")
    assert code == 0 and "feed 1" in out
    code, out, _ = await _khabar_cli(env, "feeds", "list")
    assert "https://news.example/rss" in out
    code, _, err = await _khabar_cli(env, "feeds", "remove", "7")
    assert code == 2 and "no feed" in err
    code, out, _ = await _khabar_cli(env, "feeds", "remove", "1")
    assert code == 0
