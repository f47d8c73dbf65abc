"""Soak: 24 hours of feed polls, comments, decisions and captcha expiries on a scaled clock, in a few minutes.

How time is scaled (honestly): Khabar runs in this process, built by bot/app.py with the movable
clock of tests/e2e/harness.py (real time plus an offset). Every service reads that clock, so
deadlines (captcha lifetimes, feed poll schedules, undo windows, count-edit intervals, outbox retry
times) follow virtual time. PTB's JobQueue, however, runs on real time; so each virtual step of
--step minutes this script advances the clock and then calls what those jobs call — the feed poller
(bot.publishing.service.poll_feeds_now), the captcha expiry sweep, the moderation dispatcher, the
count-edit scheduler — and lets the outbox deliver everything due (the jobs keep running too, in
real time). Traffic in a virtual step: a feed on 127.0.0.1 gains an item every virtual hour (Khabar
polls it every feed_poll_seconds of virtual time, with conditional GET), --readers readers open the
latest article and comment (one in ten abandons the captcha, which then expires), two moderators
approve or reject everything, all through the fake Telegram over HTTP on 127.0.0.1.

Memory and file handles are those of this whole process (Khabar + the fake + drivers). The fake's
call log and answered buttons are dropped every step; the fake still keeps every chat message, so
some growth is the fake's (a tracemalloc run showed the fake's parsed requests and stored messages as
the largest growing allocations). Bound checked: RSS growth after the first two
virtual hours ≤ 20 MB, open file descriptors ≤ warm-up + 5, outbox backlog 0 at the end.
Usage: .venv/bin/python bench/soak.py [--hours 24] [--step 5] [--readers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from pathlib import Path

import psutil
from aiohttp import web
from stand import ROOT

from bot.app import stop_app
from bot.intake import service_captcha
from bot.publishing import counts
from bot.publishing import feeds as feed_repo
from bot.publishing.service import poll_feeds_now, target_of
from fakegram.control import FakeTelegram
from storage.repos import outbox
from tests.e2e.chaos_driver import Tally, comment_text, moderators, reader
from tests.e2e.driver import start_payload
from tests.e2e.harness import Clock, build_world, create_schema, launch, settings_for
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


def _db_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("khabar.db*"))


async def main(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.CRITICAL)
    me = psutil.Process()
    tmp = Path(tempfile.mkdtemp(prefix="khabar-soak-"))
    db_url = f"sqlite+aiosqlite:///{tmp / 'khabar.db'}"
    feed = FeedServer()
    feed_served = AsyncExitStack()
    feed_url = await feed_served.enter_async_context(serve("GET", "/rss", feed.handle))

    fake = await FakeTelegram().start()
    world = build_world(fake)
    await create_schema(db_url)
    clock = Clock()
    khabar = await launch(world, settings_for(fake, world, db_url, api_messages_per_second="0",
                                              api_group_messages_per_minute="0", feed_first_poll_items="1"), clock)
    khabar.deps.outbox.backoff_base = 0.05
    async with khabar.db.transaction() as s:
        await feed_repo.add_feed(s, feed_url, clock())
    tally, stop = Tally(), asyncio.Event()
    mods = asyncio.create_task(moderators(fake, world, stop, tally, patience=2.0))
    began = time.monotonic()
    steps = int(args.hours * 60 / args.step)
    samples: list[tuple[float, float, int, int, int, int]] = []  # hour, RSS MB, fds, db bytes, backlog, comments
    n = 0
    abandoned = 0
    print(f"soak: {args.hours} virtual hours in steps of {args.step} min, {args.readers} readers per step; SQLite in {tmp}")
    print(f"{'virtual h':>9} {'RSS MB':>8} {'fds':>5} {'DB KB':>8} {'backlog':>8} {'comments':>9} {'articles':>9} "
          f"{'real s':>7}")
    try:
        for step in range(steps + 1):
            hour = step * args.step / 60
            if step % max(1, 60 // args.step) == 0:
                feed.items += 1  # a new article every virtual hour
            await poll_feeds_now(khabar.deps)
            await khabar.settle(rounds=2)
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
            await khabar.settle(rounds=2)
            clock.advance(args.step * 60)
            await service_captcha.sweep(khabar.deps)
            dispatcher = khabar.deps.resources.get("moderation.dispatcher")
            if dispatcher is not None:
                await dispatcher.kick()
            await counts.schedule_count_edits(khabar.db, target_of(khabar.deps), clock())
            await khabar.settle(rounds=2)
            # The fake logs every call and keeps every pressed button; a day of that is the fake's memory,
            # not Khabar's: drop what is no longer needed so RSS shows Khabar (the chats themselves stay).
            fake.calls.clear()
            fake._consumed.clear()
            fake.callbacks = {k: h for k, h in fake.callbacks.items() if not h.answered}
            if step % max(1, 60 // args.step) == 0:
                gc.collect()
                async with khabar.db.transaction() as s:
                    backlog = sum(v for k, v in (await outbox.counts(s)).items() if k in (outbox.QUEUED, outbox.SENDING))
                sample = (hour, me.memory_info().rss / 2**20, me.num_fds(), _db_bytes(tmp), backlog, n)
                samples.append(sample)
                print(f"{hour:9.0f} {sample[1]:8.1f} {sample[2]:5d} {sample[3] / 1024:8.0f} {backlog:8d} {n:9d} "
                      f"{len(fake.bot_messages(world.channel)):9d} {time.monotonic() - began:7.0f}", flush=True)
        stop.set()
        await mods
        await khabar.settle(rounds=5)
        async with khabar.db.transaction() as s:
            final = await outbox.counts(s)
    finally:
        await stop_app(khabar.app)
        await fake.stop()
        await feed_served.aclose()

    warm = [s for s in samples if s[0] >= 2] or samples
    growth = max(s[1] for s in warm) - warm[0][1]
    fd_growth = max(s[2] for s in warm) - warm[0][2]
    backlog_end = final.get(outbox.QUEUED, 0) + final.get(outbox.SENDING, 0)
    print()
    print(f"real time {time.monotonic() - began:.0f} s for {args.hours} virtual hours; feed requests {feed.requests} "
          f"({feed.not_modified} answered 304); articles posted {len(fake.bot_messages(world.channel))}")
    print(f"readers {n} ({abandoned} abandoned their captcha); receipts {len(tally.receipts)}; "
          f"outbox at the end {dict(sorted(final.items()))}")
    print(f"RSS after warm-up (h{warm[0][0]:.0f}) {warm[0][1]:.1f} MB, max later {max(s[1] for s in warm):.1f} MB: "
          f"growth {growth:+.1f} MB (bound 20 MB: {'holds' if growth <= 20 else 'EXCEEDED'})")
    print(f"open fds after warm-up {warm[0][2]}, max later {max(s[2] for s in warm)}: growth {fd_growth:+d} "
          f"(bound 5: {'holds' if fd_growth <= 5 else 'EXCEEDED'}); DB {samples[-1][3] / 2**20:.1f} MB; "
          f"backlog at the end {backlog_end} ({'none' if backlog_end == 0 else 'BACKLOG'})")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=24)
    parser.add_argument("--step", type=int, default=5, help="virtual minutes per step")
    parser.add_argument("--readers", type=int, default=2, help="readers per step")
    sys.exit(asyncio.run(main(parser.parse_args())))
