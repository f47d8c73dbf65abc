"""Soak: a week of feed polls, comments, decisions and captcha expiries on a scaled clock, in minutes.

How time is scaled (honestly): Khabar runs in a child process of its own, built by bot/app.py with
the movable clock of tests/e2e/harness.py (real time plus an offset). Every service reads that
clock, so deadlines (captcha lifetimes, feed poll schedules, undo windows, count-edit intervals,
outbox retry times, the retention purge) follow virtual time. PTB's JobQueue, however, runs on real
time; so each virtual step of --step minutes the child advances its clock and then calls what those
jobs call — the feed poller (bot.publishing.service.poll_feeds_now), the captcha expiry sweep, the
moderation dispatcher, the count-edit scheduler, and every virtual hour the purge (bot/retention.py)
— and lets the outbox deliver everything due (the jobs keep running too, in real time). Traffic in a
virtual step: a feed on 127.0.0.1 gains an item every virtual hour (Khabar polls it with conditional
GET), --readers readers open the latest article and comment (one in ten abandons the captcha, which
then expires), two moderators approve or reject everything, all through the fake Telegram over HTTP.

Memory and file handles are Khabar's own: the fake, the feed and the drivers run in this (parent)
process and Khabar in the child, whose RSS and open fds are read with psutil; the database is the
SQLite file's size (with its WAL). Bounds checked (issue 19): Khabar's RSS grows ≤ 10 MB after the
warm-up (the first virtual day), open fds ≤ warm-up + 5, the database grows only with the data
(finished outbox rows and expired captchas purged after 48 h), outbox backlog 0 at the end.
Usage: .venv/bin/python bench/soak.py [--hours 168] [--step 10] [--readers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import multiprocessing
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import psutil
from aiohttp import web
from stand import ROOT

from fakegram.control import FakeTelegram
from tests.e2e.chaos_driver import Tally, comment_text, moderators, reader
from tests.e2e.driver import start_payload
from tests.e2e.harness import build_world, create_schema, settings_for
from tests.local_http import serve

assert ROOT
ITEM = ("<item><title>{title}</title><guid>soak-{n}</guid><link>https://news.example/soak/{n}</link>"
        "<description>ترافیک میدان آزادی تهران و تکمیل خط مترو، گزارش شمارهٔ {n}</description></item>")


class FeedServer:
    """An RSS feed on 127.0.0.1 (ETag / 304) whose items the soak adds over virtual time."""

    def __init__(self) -> None:
        self.items = 0
        self.requests = 0
        self.not_modified = 0

    async def handle(self, request: web.Request) -> web.Response:
        self.requests += 1
        etag = f'"v{self.items}"'
        if request.headers.get("If-None-Match") == etag:
            self.not_modified += 1
            return web.Response(status=304)
        body = "".join(ITEM.format(title=f"ترافیک سنگین در میدان آزادی، گزارش {n}", n=n)
                       for n in range(max(0, self.items - 10), self.items))
        xml = f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{body}</channel></rss>'
        return web.Response(body=xml.encode(), content_type="application/rss+xml", headers={"ETag": etag})


# ----- the child: Khabar alone in its process ----------------------------------------------------------
def khabar_process(conn: Connection, env: dict[str, str], feed_url: str) -> None:
    """Run Khabar against the fake; do what the parent asks over ``conn`` until it says "stop"."""
    logging.basicConfig(level=logging.CRITICAL)
    asyncio.run(_khabar_main(conn, env, feed_url))


async def _khabar_main(conn: Connection, env: dict[str, str], feed_url: str) -> None:
    from bot import retention
    from bot.app import build_application, start_app, stop_app
    from bot.intake import service_captcha
    from bot.publishing import counts
    from bot.publishing import feeds as feed_repo
    from bot.publishing.service import poll_feeds_now, target_of
    from bot.settings import load_settings
    from storage.repos import outbox
    from tests.e2e.harness import Clock

    clock = Clock()
    app = build_application(load_settings(env, env_file=None), clock=clock)
    await start_app(app)
    deps = app.bot_data.deps
    deps.outbox.backoff_base = 0.05

    async def settle(rounds: int = 2) -> None:
        for _ in range(rounds):
            await deps.events.settle()
            await deps.outbox.drain(budget=10)
            await asyncio.sleep(0.01)

    async with deps.db.transaction() as s:
        await feed_repo.add_feed(s, feed_url, clock())
    loop = asyncio.get_running_loop()
    purged = 0
    while True:
        command, arg = await loop.run_in_executor(None, conn.recv)
        reply: Any = None
        if command == "poll":
            await poll_feeds_now(deps)
            await settle()
        elif command == "advance":
            clock.advance(float(arg))
            await service_captcha.sweep(deps)
            dispatcher = deps.parts.dispatcher
            if dispatcher is not None:
                await dispatcher.kick()
            await counts.schedule_count_edits(deps.db, target_of(deps), clock())
            await settle()
        elif command == "purge":
            purged += (await retention.purge(deps)).total
            reply = purged
        elif command == "settle":
            await settle(int(arg))
        elif command == "backlog":
            async with deps.db.transaction() as s:
                reply = await outbox.counts(s)
        elif command == "stop":
            await stop_app(app)
            conn.send(None)
            return
        conn.send(reply)


class Child:
    """The parent's handle on the Khabar process."""

    def __init__(self, env: dict[str, str], feed_url: str) -> None:
        context = multiprocessing.get_context("spawn")  # a fresh interpreter: nothing of the parent's
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=khabar_process, args=(theirs, env, feed_url), daemon=True)
        self.process.start()
        self.ps = psutil.Process(self.process.pid)

    async def call(self, command: str, arg: object = None) -> Any:
        self.conn.send((command, arg))
        return await asyncio.get_running_loop().run_in_executor(None, self.conn.recv)

    def rss_mb(self) -> float:
        return float(self.ps.memory_info().rss) / 2**20

    def fds(self) -> int:
        return int(self.ps.num_fds())


def _db_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("khabar.db*"))


async def main(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.CRITICAL)
    tmp = Path(tempfile.mkdtemp(prefix="khabar-soak-"))
    db_url = f"sqlite+aiosqlite:///{tmp / 'khabar.db'}"
    feed = FeedServer()
    feed_served = AsyncExitStack()
    feed_url = await feed_served.enter_async_context(serve("GET", "/rss", feed.handle))

    fake = await FakeTelegram().start()
    world = build_world(fake)
    await create_schema(db_url)
    settings = settings_for(fake, world, db_url, api_messages_per_second="0", api_group_messages_per_minute="0",
                            feed_first_poll_items="1")
    env = {"KHABAR_BOT_TOKEN": fake.token, "KHABAR_BOT_API_URL": fake.base_url,
           "KHABAR_CHANNEL": str(world.channel.id), "KHABAR_MODERATOR_CHAT": str(world.mods_chat.id),
           "KHABAR_MODERATORS": ",".join(str(m.id) for m in world.moderators), "KHABAR_DATABASE_URL": db_url,
           "KHABAR_API_MESSAGES_PER_SECOND": "0", "KHABAR_API_GROUP_MESSAGES_PER_MINUTE": "0",
           "KHABAR_FEED_FIRST_POLL_ITEMS": "1"}
    assert settings.database_url == db_url
    child = Child(env, feed_url)
    tally, stop = Tally(), asyncio.Event()
    began = time.monotonic()
    steps = int(args.hours * 60 / args.step)
    per_hour = max(1, 60 // args.step)
    samples: list[tuple[float, float, int, int, int, int]] = []  # hour, RSS MB, fds, db bytes, backlog, comments
    n = 0
    abandoned = 0
    purged = 0
    print(f"soak: {args.hours} virtual hours in steps of {args.step} min, {args.readers} readers per step; SQLite in "
          f"{tmp}; Khabar in process {child.process.pid} (the fake and the drivers in {psutil.Process().pid})")
    print(f"{'virtual h':>9} {'Khabar RSS MB':>13} {'fds':>5} {'DB KB':>8} {'backlog':>8} {'comments':>9} "
          f"{'articles':>9} {'purged':>7} {'real s':>7}")
    try:
        while not fake.calls_of("getUpdates"):  # the child is up and polling
            await asyncio.sleep(0.1)
        mods = asyncio.create_task(moderators(fake, world, stop, tally, patience=2.0))
        for step in range(steps + 1):
            hour = step * args.step / 60
            if step % per_hour == 0:
                feed.items += 1  # a new article every virtual hour
            await child.call("poll")
            posts = fake.bot_messages(world.channel)
            if posts:
                payload = start_payload(posts[-1])
                batch = []
                for _ in range(args.readers):
                    user = fake.make_user(f"خواننده {n}")
                    if n % 10 == 9:  # opens the link, writes, never answers the captcha
                        abandoned += 1
                        await user.start_bot(payload)
                        await asyncio.sleep(0.05)
                        await user.send(comment_text(n))
                    else:
                        batch.append(reader(fake, user, payload, n, tally, patience=2.0, give_up=30.0))
                    n += 1
                await asyncio.gather(*batch)
            await child.call("settle", 2)
            await child.call("advance", args.step * 60)
            if step % per_hour == 0:
                purged = await child.call("purge")
            # The fake logs every call and keeps every pressed button: drop what is no longer needed so
            # that the parent stays small too (it does not count: Khabar's figures are the child's).
            fake.calls = fake.calls[-50:]
            fake._consumed.clear()
            fake.callbacks = {k: h for k, h in fake.callbacks.items() if not h.answered}
            if step % per_hour == 0:
                gc.collect()
                counts = await child.call("backlog")
                backlog = sum(v for k, v in counts.items() if k in ("queued", "sending"))
                sample = (hour, child.rss_mb(), child.fds(), _db_bytes(tmp), backlog, n)
                samples.append(sample)
                if step % (per_hour * args.print_every) == 0:
                    print(f"{hour:9.0f} {sample[1]:13.1f} {sample[2]:5d} {sample[3] / 1024:8.0f} {backlog:8d} "
                          f"{n:9d} {len(fake.bot_messages(world.channel)):9d} {purged:7d} "
                          f"{time.monotonic() - began:7.0f}", flush=True)
        stop.set()
        await mods
        await child.call("settle", 5)
        final = await child.call("backlog")
    finally:
        if child.process.is_alive():
            await child.call("stop")
        child.process.join(30)
        await fake.stop()
        await feed_served.aclose()

    warm = [s for s in samples if s[0] >= args.warmup] or samples
    growth = max(s[1] for s in warm) - warm[0][1]
    fd_growth = max(s[2] for s in warm) - warm[0][2]
    backlog_end = final.get("queued", 0) + final.get("sending", 0)
    days = [s for s in samples if s[0] % 24 == 0]
    print()
    print(f"real time {time.monotonic() - began:.0f} s for {args.hours} virtual hours; feed requests {feed.requests} "
          f"({feed.not_modified} answered 304); articles posted {len(fake.bot_messages(world.channel))}")
    print(f"readers {n} ({abandoned} abandoned their captcha); receipts {len(tally.receipts)}; "
          f"outbox at the end {dict(sorted(final.items()))}; rows purged {purged}")
    print(f"Khabar's RSS after warm-up (h{warm[0][0]:.0f}) {warm[0][1]:.1f} MB, max later {max(s[1] for s in warm):.1f} "
          f"MB: growth {growth:+.1f} MB (bound 10 MB: {'holds' if growth <= 10 else 'EXCEEDED'})")
    print(f"Khabar's open fds after warm-up {warm[0][2]}, max later {max(s[2] for s in warm)}: growth {fd_growth:+d} "
          f"(bound 5: {'holds' if fd_growth <= 5 else 'EXCEEDED'}); backlog at the end {backlog_end} "
          f"({'none' if backlog_end == 0 else 'BACKLOG'})")
    print("database by virtual day (KB): " + ", ".join(f"d{s[0] / 24:.0f} {s[3] / 1024:.0f} ({s[5]} comments)"
                                                      for s in days))
    return 0 if growth <= 10 and fd_growth <= 5 and backlog_end == 0 else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=168)
    parser.add_argument("--step", type=int, default=10, help="virtual minutes per step")
    parser.add_argument("--readers", type=int, default=2, help="readers per step")
    parser.add_argument("--warmup", type=float, default=24, help="virtual hours of warm-up before RSS is compared")
    parser.add_argument("--print-every", type=int, default=6, help="virtual hours between printed rows")
    sys.exit(asyncio.run(main(parser.parse_args())))
