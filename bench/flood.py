"""Flood limits: 1,000 approved comments into one discussion thread and 200 articles to the channel.

The fake enforces Telegram's limits (30 messages/s overall, 20/min per group or channel, 1/s per
private chat) on a clock running ``--speed`` times faster than real time. Khabar runs in this process
on the same scaled clock (its outbox, pacing and deadlines see fake time) and its AIORateLimiter is
given the same limits (the settings' defaults) with its windows shortened by the same factor. Comments are written pending and approved through
the moderation service; articles through the publishing service; everything is then sent by the
real outbox worker through AIORateLimiter to the fake over HTTP on 127.0.0.1.

Usage: .venv/bin/python bench/flood.py [--comments 1000] [--articles 200] [--speed 20]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from stand import ROOT  # noqa: F401  (puts the repository on sys.path)

from bot.app import build_application, start_app, stop_app
from bot.deps import Deps
from bot.moderation.service_decide import Moderator, approve
from bot.publishing.article_file import ArticleDraft
from bot.publishing.articles import Target, add_article
from bot.rate_limit import KhabarRateLimiter
from fakegram.control import FakeTelegram
from storage.db import Database
from storage.models import Article, Comment, Delivery, User
from tests.e2e.harness import build_world, create_schema, settings_for

MARK = re.compile(r"نظر سیل (\d+)")
TITLE = re.compile(r"خبر آزمون سیل (\d+)")



async def drained(db: Database, limit: float) -> dict[str, int]:
    """Wait (at most ``limit`` seconds) until every outbox row is sent or failed; the rows by status."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        async with db.transaction() as s:
            open_rows = (await s.execute(select(func.count()).select_from(Delivery)
                                         .where(Delivery.status.in_(("queued", "sending"))))).scalar_one()
        if open_rows == 0:
            break
        await asyncio.sleep(0.5)
    await asyncio.sleep(1.0)
    async with db.transaction() as s:
        return dict((await s.execute(select(Delivery.status, func.count()).group_by(Delivery.status))).all())


async def queue_articles(deps: Deps, target: Target, count: int, clock: Callable[[], datetime]) -> None:
    """``count`` articles stored with their channel posts (paced by KHABAR_CHANNEL_POSTS_PER_MINUTE)."""
    for i in range(count):
        async with deps.db.transaction() as s:
            await add_article(s, target, ArticleDraft(title=f"خبر آزمون سیل {i}", lead="متن خبر."), now=clock())


async def queue_approved_comments(deps: Deps, fake: FakeTelegram, art: Article, mod: Moderator, count: int,
                                  clock: Callable[[], datetime]) -> None:
    """``count`` comments by as many readers who started the bot, each approved (their sends queued)."""
    ids: list[int] = []
    for i in range(count):
        reader = fake.make_user(f"خواننده {i}")
        reader.user.started = True
        now = clock()
        async with deps.db.transaction() as s:
            s.add(User(id=reader.id, display_name=reader.first_name, started_bot=True))
            await s.flush()
            row = Comment(token=f"flood{i:05d}", article_id=art.id, author_id=reader.id, text=f"نظر سیل {i}",
                          normalized_text=f"نظر سیل {i}", status="pending", checks={}, created_at=now,
                          status_changed_at=now, submitted_at=now)
            s.add(row)
            await s.flush()
            ids.append(row.id)
    for comment_id in ids:
        await approve(deps, comment_id, mod)
    await deps.events.settle()


async def main(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.ERROR)  # the scaled clock makes JobQueue runs overlap: noisy, harmless
    speed = args.speed
    fake = await FakeTelegram(speed=speed).start()
    world = build_world(fake)
    tmp = Path(tempfile.mkdtemp(prefix="khabar-flood-"))
    db_url = f"sqlite+aiosqlite:///{tmp / 'khabar.db'}"
    await create_schema(db_url)

    def clock() -> datetime:
        return datetime.fromtimestamp(fake.clock.now(), UTC)

    settings = settings_for(fake, world, db_url, log_level="WARNING", count_edit_interval_seconds="60")
    print(f"flood bench: {args.comments} comments into one thread, {args.articles} articles; fake clock x{speed:g}; "
          f"SQLite in {tmp}", flush=True)
    app = await build_and_start(settings, clock, speed)
    deps = app.bot_data.deps
    target = Target(settings, deps.chats.channel, deps.bot_username)
    try:
        # the thread's article, posted and its automatic forward seen
        async with deps.db.transaction() as s:
            art = await add_article(s, target, ArticleDraft(title="خبر اصلی بحث", lead="متن کوتاه خبر اصلی."), now=clock())
        assert art is not None
        deps.outbox.wake()
        while True:
            async with deps.db.transaction() as s:
                row = await s.get(Article, art.id, populate_existing=True)
                if row is not None and row.discussion_message_id is not None:
                    break
            await asyncio.sleep(0.05)

        await deps.outbox.stop()  # queue everything first, so that only sending is measured
        queue_began = time.monotonic()
        mod = Moderator(world.moderators[0].id, world.moderators[0].first_name)
        # 200 articles: stored with their channel posts (paced by KHABAR_CHANNEL_POSTS_PER_MINUTE)
        await queue_articles(deps, target, args.articles, clock)
        deps.outbox.wake()
        # 1,000 comments by 1,000 readers who started the bot, approved one by one
        await queue_approved_comments(deps, fake, art, mod, args.comments, clock)
        queued_real = time.monotonic() - queue_began
        fake.flood.enable(expected=True)
        started_real, started_fake = time.monotonic(), fake.clock.now()
        deps.outbox.start()

        statuses = await drained(deps.db, args.limit)
        elapsed_real = time.monotonic() - started_real
    finally:
        await stop_app(app)
        await fake.stop()

    group, channel = str(world.group.id), str(world.channel.id)
    accepted = [c for c in fake.calls if c.ok and c.timestamp >= started_fake]
    to_group = [c for c in accepted if c.method.lower() == "sendmessage" and str(c.params.get("chat_id")) == group]
    to_channel = [c for c in accepted if c.method.lower() in ("sendmessage", "sendphoto")
                  and str(c.params.get("chat_id")) == channel]
    channel_edits = [c for c in accepted if c.method.lower().startswith("editmessage")
                     and str(c.params.get("chat_id")) == channel]
    private = [c for c in accepted if c.method.lower() == "sendmessage" and int(c.params.get("chat_id", 0)) > 0]
    published = Counter(int(m) for c in to_group for m in MARK.findall(str(c.params.get("text", ""))))
    posted = Counter(int(m) for c in to_channel for m in TITLE.findall(str(c.params.get("text", "")))
                     if c.params.get("text"))
    posted.update(int(m) for c in to_channel for m in TITLE.findall(str(c.params.get("caption", ""))))
    rejected = [c for c in fake.calls if c.status == 429]

    def rate(calls: list[object], label: str, extra: int = 0) -> str:
        stamps = sorted(c.timestamp for c in calls)  # type: ignore[attr-defined]
        if len(stamps) < 2:
            return f"  {label}: n/a"
        span = stamps[-1] - stamps[0]
        per_min = (len(stamps) + extra - 1) / span * 60
        return (f"  {label:<38} {len(stamps) + extra:5d} in {span / 60:5.1f} fake min = {per_min:5.2f}/min "
                f"= {per_min / 20 * 100:5.1f}% of 20/min")

    print(f"queueing (outbox paused) {queued_real:.1f}s; sending {elapsed_real:.0f}s wall = "
          f"{elapsed_real * speed / 60:.1f} fake min")
    print(f"429s received: {len(rejected)} (group {sum(str(c.params.get('chat_id')) == group for c in rejected)}, "
          f"channel {sum(str(c.params.get('chat_id')) == channel for c in rejected)}, "
          f"private {sum(int(c.params.get('chat_id', 0) or 0) > 0 for c in rejected)})")
    print(f"comments: {args.comments} approved, published {len(published)}, "
          f"lost {args.comments - len(published)}, duplicated {sum(n > 1 for n in published.values())}")
    print(f"articles: {args.articles} stored, posted {len(posted)}, lost {args.articles - len(posted)}, "
          f"duplicated {sum(n > 1 for n in posted.values())}")
    print(f"author notifications sent: {len(private)}; outbox rows by status: {statuses}")
    print("achieved sending rate vs the limits (first to last accepted message in the chat):")
    print(rate(to_group, "discussion group (thread replies)"))
    print(rate(to_channel + channel_edits, "channel (posts + count edits)"))
    lost = args.comments - len(published) + args.articles - len(posted)
    dup = sum(n > 1 for n in published.values()) + sum(n > 1 for n in posted.values())
    return 0 if lost == 0 and dup == 0 else 1


async def build_and_start(settings: object, clock: object, speed: float) -> object:
    app = build_application(settings, clock=clock)  # type: ignore[arg-type]
    # Telegram's limits (the settings' defaults), with windows shortened to the fake's clock
    app.bot._rate_limiter = KhabarRateLimiter(  # type: ignore[attr-defined]
        settings.api_messages_per_second, settings.api_group_messages_per_minute, speed=speed  # type: ignore[attr-defined]
    )
    await start_app(app)
    return app


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--speed", type=float, default=20.0, help="fake clock speed (default 20)")
    parser.add_argument("--limit", type=float, default=900.0, help="give up after this many real seconds")
    return parser.parse_args()


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(parse_args())))
