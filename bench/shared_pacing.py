"""Several instances behind one webhook share Telegram's limits through PostgreSQL (bot/pacing.py).

--instances Khabar Applications (webhook mode, as behind nginx) run in this process on one
PostgreSQL database, each with Telegram's limits (30 messages/s, 20/min per group) in its rate
limiter, windows shortened by --speed like the fake's flood limits (fakegram/flood.py, on). The
first instance approves --comments comments (one thread) and stores --articles articles; every
instance's outbox sends. Printed: 429s (each one unexpected), messages lost or doubled, and the rate
achieved per group against its 20/min. ``--local`` gives each instance its own windows instead
(the behaviour before shared pacing), for comparison.

Usage: KHABAR_TEST_POSTGRES_URL=postgresql+asyncpg://… .venv/bin/python bench/shared_pacing.py
       [--instances 3] [--comments 1000] [--articles 100] [--speed 20] [--local]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import time
from collections import Counter
from datetime import UTC, datetime

from aiolimiter import AsyncLimiter
from flood import drained, queue_approved_comments, queue_articles
from sqlalchemy.engine import make_url
from stand import ROOT

from bot.app import build_application, start_app, stop_app
from bot.deps import KhabarApp
from bot.moderation.service_decide import Moderator
from bot.publishing.article_file import ArticleDraft
from bot.publishing.articles import Target, add_article
from bot.rate_limit import KhabarRateLimiter
from fakegram.control import FakeTelegram
from storage.models import Article
from tests.e2e.harness import build_world, create_schema, free_port, settings_for
from tests.pg_admin import pg_admin

assert ROOT
MARK = re.compile(r"نظر سیل (\d+)")
TITLE = re.compile(r"خبر آزمون سیل (\d+)")
DB_NAME = "khabar_pacing_bench"


async def start_instance(settings: object, clock: object, speed: float, name: str, share: bool) -> KhabarApp:
    port = free_port()
    own = settings.model_copy(update={"instance_name": name,  # type: ignore[attr-defined]
                                      "webhook_url": f"http://127.0.0.1:{port}"})
    app = build_application(own, clock=clock, mode="webhook")  # type: ignore[arg-type]
    # Telegram's limits (the settings' defaults), windows shortened to the fake's clock.
    app.bot._rate_limiter = KhabarRateLimiter(  # type: ignore[attr-defined]
        own.api_messages_per_second, own.api_group_messages_per_minute, speed=speed)
    await start_app(app, webhook_port=port)
    limiter = app.bot.rate_limiter
    assert isinstance(limiter, KhabarRateLimiter)
    if share:
        limiter.share(app.bot_data.deps.db)  # post_init shared it already (webhook, PostgreSQL): a no-op
    else:
        limiter._shared = None  # each its own windows again: the behaviour before shared pacing
        limiter._group_limiters.clear()
        limiter._base_limiter = AsyncLimiter(1, 1 / (own.api_messages_per_second * speed))  # type: ignore[attr-defined]
    return app


async def main(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.ERROR)
    speed = args.speed
    await pg_admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    await pg_admin(f"CREATE DATABASE {DB_NAME}")
    db_url = make_url(os.environ["KHABAR_TEST_POSTGRES_URL"]).set(database=DB_NAME).render_as_string(
        hide_password=False)
    await create_schema(db_url)
    fake = await FakeTelegram(speed=speed).start()
    world = build_world(fake)

    def clock() -> datetime:
        return datetime.fromtimestamp(fake.clock.now(), UTC)

    settings = settings_for(fake, world, db_url, log_level="WARNING", count_edit_interval_seconds="60",
                            api_messages_per_second="30", api_group_messages_per_minute="20")
    mode = "each instance its own windows" if args.local else "shared through PostgreSQL"
    print(f"shared pacing bench: {args.instances} instances ({mode}), {args.comments} comments into one thread, "
          f"{args.articles} articles; fake clock x{speed:g}", flush=True)
    apps = [await start_instance(settings, clock, speed, f"instance-{i + 1}", not args.local)
            for i in range(args.instances)]
    deps = apps[0].bot_data.deps
    target = Target(settings, deps.chats.channel, deps.bot_username)
    try:
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
        for app in apps:
            await app.bot_data.deps.outbox.stop()  # queue everything first, so that only sending is measured
        mod = Moderator(world.moderators[0].id, world.moderators[0].first_name)
        await queue_articles(deps, target, args.articles, clock)
        await queue_approved_comments(deps, fake, art, mod, args.comments, clock)
        fake.flood.enable(expected=True)
        started_real, started_fake = time.monotonic(), fake.clock.now()
        for app in apps:
            app.bot_data.deps.outbox.start()
        statuses = await drained(deps.db, args.limit)
        elapsed_real = time.monotonic() - started_real
    finally:
        for app in apps:
            await stop_app(app)
        await fake.stop()

    group, channel = str(world.group.id), str(world.channel.id)
    accepted = [c for c in fake.calls if c.ok and c.timestamp >= started_fake]
    to_group = [c for c in accepted if c.method.lower() == "sendmessage" and str(c.params.get("chat_id")) == group]
    to_channel = [c for c in accepted if c.method.lower() in ("sendmessage", "sendphoto")
                  and str(c.params.get("chat_id")) == channel]
    sent = [c for c in accepted if c.method.lower() in ("sendmessage", "sendphoto", "copymessage")]
    published = Counter(int(m) for c in to_group for m in MARK.findall(str(c.params.get("text", ""))))
    posted = Counter(int(m) for c in to_channel for m in TITLE.findall(str(c.params.get("text") or c.params.get("caption") or "")))
    rejected = [c for c in fake.calls if c.status == 429]

    def rate(calls: list[object], label: str, allowance: float) -> str:
        stamps = sorted(c.timestamp for c in calls)  # type: ignore[attr-defined]
        if len(stamps) < 2:
            return f"  {label}: n/a"
        span = stamps[-1] - stamps[0]
        per_min = (len(stamps) - 1) / span * 60
        return (f"  {label:<30} {len(stamps):5d} in {span / 60:6.1f} fake min = {per_min:6.2f}/min "
                f"= {per_min / allowance * 100:5.1f}% of {allowance:g}/min")

    print(f"sending took {elapsed_real:.0f} s real = {elapsed_real * speed / 60:.1f} fake min; rows by status {statuses}")
    print(f"429s: {len(rejected)} (group {sum(str(c.params.get('chat_id')) == group for c in rejected)}, "
          f"channel {sum(str(c.params.get('chat_id')) == channel for c in rejected)}, "
          f"private {sum(int(c.params.get('chat_id', 0) or 0) > 0 for c in rejected)})")
    print(f"comments: {args.comments} approved, published {len(published)}, lost {args.comments - len(published)}, "
          f"doubled {sum(n > 1 for n in published.values())}; articles: {args.articles}, posted {len(posted)}, "
          f"doubled {sum(n > 1 for n in posted.values())}")
    print("achieved rate against the allowance (first to last accepted message):")
    print(rate(to_group, "discussion group", 20))
    print(rate(to_channel, "channel posts", 20))
    print(rate(sent, "whole bot (sends)", 30 * 60))
    lost = args.comments - len(published) + args.articles - len(posted)
    return 0 if not rejected and lost == 0 else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instances", type=int, default=3)
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--speed", type=float, default=20.0)
    parser.add_argument("--limit", type=float, default=900.0)
    parser.add_argument("--local", action="store_true", help="each instance its own windows (no sharing)")
    raise SystemExit(asyncio.run(main(parser.parse_args())))
