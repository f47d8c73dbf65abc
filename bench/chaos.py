"""Faults: a run of N comments while 10% of Bot API calls fail, and a run while Khabar is SIGKILLed again and again.

Part A — Khabar in this process (tests/e2e/harness.py), the fake failing 10% of calls other than
getUpdates: 429 (retry_after 1), 500, 502, "timeout" (the request is held 2 s, then the connection
is closed: PTB's 15 s read timeout would make the run crawl, and a closed connection after a wait is
what a proxy timeout looks like), "drop" (closed before Telegram acts) and "lost" (Telegram acts,
then the connection is closed without an answer: the ambiguous case). Readers open the deep link,
write, solve the captcha; moderators approve four in five and reject the rest; Khabar publishes.
Everyone retries as a person would (tests/e2e/chaos_driver.py). At the end the clock is moved past
the captcha lifetime so abandoned captchas expire.

Part B — Khabar as a real process (``python -m bot.cli run``, SQLite in a temp dir migrated with
``khabar db upgrade``) against the fake served from this process; it is SIGKILLed at random moments
(every 2–6 s, at least --kills times) and started again at once, without faults otherwise.

Both parts then audit the database against what the chats show and print the counts.
Usage: .venv/bin/python bench/chaos.py [--comments 500] [--kills 10] [--part a|b|both]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import sys
import tempfile
import time
from pathlib import Path

from stand import ROOT, BenchFake, khabar_cli, khabar_env, post_article, spawn_khabar

from bot.intake import service_captcha
from fakegram.control import FakeTelegram
from storage.db import Database
from tests.e2e.chaos_driver import Audit, Tally, audit, moderators, open_items, reader, statuses
from tests.e2e.driver import start_payload
from tests.e2e.harness import Clock, World, build_world, create_schema, launch, settings_for
from tests.e2e.publishing_helpers import TRAFFIC, queue_article

KINDS = ("429", "500", "502", "timeout", "drop", "lost")
assert ROOT


async def _readers(fake: FakeTelegram, payload: str, count: int, tally: Tally, concurrency: int) -> None:
    gate = asyncio.Semaphore(concurrency)

    async def one(n: int) -> None:
        async with gate:
            await reader(fake, fake.make_user(f"خواننده {n}"), payload, n, tally, patience=3.0, give_up=300.0)

    await asyncio.gather(*(one(n) for n in range(count)))


async def _until_decided(db_url: str, fake: FakeTelegram, world: World, limit: float) -> None:
    db = Database(db_url)
    deadline = time.monotonic() + limit
    try:
        while time.monotonic() < deadline and ((await statuses(db))["pending"] or open_items(fake, world)):
            await asyncio.sleep(0.5)
    finally:
        await db.close()


def _report(title: str, result: Audit, tally: Tally, extra: list[str]) -> None:
    print(f"\n== {title}")
    for line in extra:
        print(line)
    print(f"readers: {len(tally.receipts)} got a receipt, {len(tally.gave_up)} gave up; comment texts sent "
          f"{sum(tally.sends.values())} times, captcha presses {tally.presses}, moderator presses {tally.moderator_presses}")
    for line in result.lines():
        print(line)


async def part_a(count: int, seed: int) -> int:
    """Faults on 10% of calls, Khabar in this process."""
    tmp = Path(tempfile.mkdtemp(prefix="khabar-chaos-a-"))
    db_url = f"sqlite+aiosqlite:///{tmp / 'khabar.db'}"
    fake = await FakeTelegram().start()
    world = build_world(fake)
    await create_schema(db_url)
    clock = Clock()
    khabar = await launch(world, settings_for(fake, world, db_url, api_messages_per_second="0",
                                              api_group_messages_per_minute="0"), clock)
    khabar.deps.outbox.backoff_base = 0.2
    began = time.monotonic()
    try:
        await queue_article(khabar, TRAFFIC)
        post = await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(world.channel.id))
        await asyncio.sleep(1.0)  # the automatic forward reaches Khabar
        fake.faults.chaos(0.10, seed=seed, kinds=KINDS, timeout_delay=2.0)
        tally, stop = Tally(), asyncio.Event()
        mods = asyncio.create_task(moderators(fake, world, stop, tally, patience=3.0))
        await _readers(fake, start_payload(fake.resolve_message(post.result)), count, tally, 50)
        await _until_decided(db_url, fake, world, 300)
        faults = list(fake.faults.injected)
        fake.faults.clear()
        await _until_decided(db_url, fake, world, 120)
        stop.set()
        await mods
        await khabar.settle(rounds=10)
        clock.advance(khabar.settings.captcha_ttl_seconds + 60)
        await service_captcha.sweep(khabar.deps)
        await khabar.settle(rounds=10)
        result = await audit(khabar.db, fake, world, tally)
    finally:
        from bot.app import stop_app

        await stop_app(khabar.app)
        await fake.stop()
    by_kind: dict[str, int] = {}
    for _method, kind in faults:
        by_kind[kind] = by_kind.get(kind, 0) + 1
    calls = sum(c.method != "getUpdates" for c in fake.calls)
    _report(f"A. {count} comments, 10% of Bot API calls failing", result, tally, [
        f"wall time {time.monotonic() - began:.0f} s; Bot API calls (not getUpdates) {calls}; faults injected "
        f"{len(faults)}: {dict(sorted(by_kind.items()))}",
        f"malformed requests the fake rejected: {len(fake.failures)}",
    ])
    return result.violations


async def part_b(count: int, kills: int, seed: int) -> int:
    """SIGKILL at random moments, Khabar as its own process."""
    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="khabar-chaos-b-"))
    db_url = f"sqlite+aiosqlite:///{tmp / 'khabar.db'}"
    fake = await BenchFake().start()
    world = build_world(fake)
    env = khabar_env(fake, db_url, channel=str(world.channel.id), moderator_chat=str(world.mods_chat.id),
                     moderators=",".join(str(m.id) for m in world.moderators),
                     api_messages_per_second="0", api_group_messages_per_minute="0", log_level="ERROR")
    await khabar_cli(env, tmp, "db", "upgrade")
    await post_article(env, tmp)
    proc = await spawn_khabar(env, tmp, "khabar-0")
    began = time.monotonic()
    killed, restarts_refused = 0, 0
    downtime: list[float] = []
    try:
        post = await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(world.channel.id),
                                   timeout=60)
        await asyncio.sleep(1.0)
        tally, stop = Tally(), asyncio.Event()
        mods = asyncio.create_task(moderators(fake, world, stop, tally, patience=3.0))
        work = asyncio.create_task(_readers(fake, start_payload(fake.resolve_message(post.result)), count, tally, 50))
        while killed < kills or not work.done():
            await asyncio.sleep(rng.uniform(2.0, 6.0))
            if work.done() and killed >= kills:
                break
            proc.process.kill()  # SIGKILL
            await proc.process.wait()  # reaped, as a supervisor would
            killed += 1
            down = time.monotonic()
            proc = await spawn_khabar(env, tmp, f"khabar-{killed}")
            seen = len(fake.calls)
            while not any(c.method == "getUpdates" for c in fake.calls[seen:]):
                if proc.process.returncode is not None:
                    restarts_refused += 1
                    print(f"  !! restart {killed} exited {proc.process.returncode}: {proc.log_tail(5)}", file=sys.stderr)
                    proc = await spawn_khabar(env, tmp, f"khabar-{killed}-again")
                await asyncio.sleep(0.05)
            downtime.append(time.monotonic() - down)
        await work
        await _until_decided(db_url, fake, world, 300)
        stop.set()
        await mods
        await asyncio.sleep(3.0)  # the outbox delivers what is left
        await proc.stop()
        db = Database(db_url)
        try:
            result = await audit(db, fake, world, tally)
        finally:
            await db.close()
        if result.comments["pending"]:  # what the moderators see of the undecided ones
            for message in fake.bot_messages(world.mods_chat):
                if message.buttons():
                    print(f"  moderators' message {message.message_id}: {(message.text or '')[:70]!r} "
                          f"{[b.get('callback_data') for b in message.buttons()]}", file=sys.stderr)
            print(f"  presses: {[(h.data, h.text) for h in list(fake.callbacks.values())[-12:]]}", file=sys.stderr)
    finally:
        await proc.stop()
        await fake.stop()
    _report(f"B. {count} comments, Khabar SIGKILLed {killed} times", result, tally, [
        f"wall time {time.monotonic() - began:.0f} s; restarts refused: {restarts_refused}; restart to polling again "
        f"p50 {sorted(downtime)[len(downtime) // 2]:.1f} s, max {max(downtime):.1f} s",
        "captchas still open are usable: each waits for its reader or expires by the sweep (captcha_ttl_seconds)",
    ])
    return result.violations


async def main(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.CRITICAL)
    violations = 0
    if args.part in ("a", "both"):
        violations += await part_a(args.comments, args.seed)
    if args.part in ("b", "both"):
        violations += await part_b(args.comments, args.kills, args.seed)
    print(f"\ntotal violations: {violations}")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=500)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--part", choices=("a", "b", "both"), default="both")
    parser.add_argument("--seed", type=int, default=1)
    sys.exit(asyncio.run(main(parser.parse_args())))
