"""The database goes away while readers comment and moderators decide: what was lost, redone, logged.

Khabar runs in this process (tests/e2e/harness.py) against the fake. Readers arrive one every
--every seconds; each opens the deep link, writes a comment, presses the captcha's answer, once, and
waits for the bot's answer (a reader redoes an action only if the bot answered it with the error
text). A moderator approves every card once. After --before seconds the database goes away for
--outage seconds:

* sqlite: another connection holds the write lock (a long writer, as a backup or a migration would);
* postgres: the database refuses connections and the open ones are terminated (a restart, from
  Khabar's side).

/healthz is polled every second. At the end the database is audited against the chats
(tests/e2e/chaos_driver.py) and the figures are printed.
Usage: .venv/bin/python bench/outage.py [--engine sqlite|postgres|both] [--readers 40] [--outage 45]
PostgreSQL: KHABAR_TEST_POSTGRES_URL (a database ``khabar_outage_bench`` is created next to it).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url
from stand import ROOT

from bot.app import stop_app
from bot.texts import common
from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from tests.e2e.chaos_driver import RECEIPT, TOAST_RECEIPT, Tally, audit, comment_text
from tests.e2e.driver import captcha_answer, captcha_button, start_payload
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
from tests.e2e.publishing_helpers import TRAFFIC, queue_article
from tests.pg_admin import pg_admin

assert ROOT
WAIT_LIMIT = 300.0  # seconds an action may wait for the bot's answer before it counts as lost


@dataclass
class Figures:
    """What the people did and saw."""

    actions: int = 0
    during_outage: int = 0
    redone: int = 0
    unanswered: int = 0
    health: Counter[int] = field(default_factory=Counter)
    outage: tuple[float, float] = (0.0, 0.0)
    last_answer: float = 0.0
    recovered: float = 0.0  # when the last action begun during the outage was answered
    open_actions: int = 0  # actions begun during the outage and not answered yet


class Records(logging.Handler):
    """Every log record of the run, counted by level."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def _answered(fake: FakeTelegram, user: FakeUser, before: int, figures: Figures) -> str | None:
    """Wait for a new bot message (or an edit) in the reader's chat; its text."""
    chat = user.private_chat
    began = time.monotonic()
    seen = [m.text for m in fake.bot_messages(chat)]
    while time.monotonic() - began < WAIT_LIMIT:
        shown = fake.bot_messages(chat)
        texts = [m.text for m in shown]
        if len(shown) > before or texts != seen:
            figures.last_answer = time.monotonic()
            return shown[-1].text if len(shown) > before else next(t for t, s in zip(texts, seen, strict=False) if t != s)
        await asyncio.sleep(0.1)
    figures.unanswered += 1
    return None


def _act(figures: Figures) -> bool:
    figures.actions += 1
    start, end = figures.outage
    during = 0 < start <= time.monotonic() <= (end or 1e18)
    figures.during_outage += during
    figures.open_actions += during
    return during


def _done(figures: Figures, during: bool) -> None:
    figures.last_answer = time.monotonic()
    if during:
        figures.open_actions -= 1
        figures.recovered = max(figures.recovered, figures.last_answer)


async def one_reader(fake: FakeTelegram, user: FakeUser, payload: str, n: int, tally: Tally, figures: Figures) -> None:
    """Deep link, comment, captcha: each once, again only after the bot's error text."""
    chat = user.private_chat
    for step in ("start", "comment"):
        while True:
            before = len(fake.bot_messages(chat))
            during = _act(figures)
            await (user.start_bot(payload) if step == "start" else user.send(comment_text(n)))
            text = await _answered(fake, user, before, figures)
            if text is None:
                return
            _done(figures, during)
            if common.ERROR not in text:
                break
            figures.redone += 1
    captcha = next((m for m in reversed(fake.bot_messages(chat)) if "؟" in (m.text or "")), None)
    if captcha is None:
        return
    while True:
        during = _act(figures)
        handle = await user.press(captcha, captcha_button(captcha, captcha_answer(captcha.text or "")))
        began = time.monotonic()
        while time.monotonic() - began < WAIT_LIMIT:
            if any(RECEIPT in (m.text or "") for m in fake.bot_messages(chat)) or any(
                    mark in (handle.text or "") for mark in TOAST_RECEIPT):
                _done(figures, during)
                tally.receipts.add(n)
                return
            if handle.text == common.ERROR:
                break
            await asyncio.sleep(0.1)
        else:
            figures.unanswered += 1
            return
        figures.redone += 1


async def moderator(fake: FakeTelegram, world: World, stop: asyncio.Event, tally: Tally, figures: Figures) -> None:
    """Approve every card or queue-view item once (again only if the answer was the error text); page the queue."""
    done: set[tuple[int, str, str]] = set()
    paged = 0.0
    while not stop.is_set():
        acted = False
        for message in fake.bot_messages(world.mods_chat):
            for button in message.buttons():
                data = str(button.get("callback_data", ""))
                key = (message.message_id, data, message.text or "")
                if not data.startswith("v1:ap:") or key in done:
                    continue
                done.add(key)
                acted = True
                during = _act(figures)
                tally.moderator_presses += 1
                handle = await world.moderators[0].press(message, data)
                with_answer = asyncio.create_task(handle.wait_answered(WAIT_LIMIT))
                with_answer.add_done_callback(lambda t, d=key, h=handle, w=during: _moderator_answered(t, d, h, w, done, figures))
        if not acted and time.monotonic() - paged > 3.0:  # the queue view: its next page (or a refresh)
            paged = time.monotonic()
            for message in fake.bot_messages(world.mods_chat):
                pages = [str(b.get("callback_data")) for b in message.buttons()
                         if str(b.get("callback_data", "")).startswith("v1:qp:")]
                if pages:
                    await world.moderators[0].press(message, pages[-1])
                    break
        await asyncio.sleep(0.2)


def _moderator_answered(task: asyncio.Task[object], data: tuple[int, str, str], handle: object, during: bool,
                        done: set[tuple[int, str, str]], figures: Figures) -> None:
    if task.cancelled() or task.exception() is not None:
        return
    _done(figures, during)
    if getattr(handle, "text", None) == common.ERROR:
        figures.redone += 1
        done.discard(data)


async def poll_health(url: str, stop: asyncio.Event, figures: Figures) -> None:
    async with httpx.AsyncClient(trust_env=False, timeout=10) as client:
        while not stop.is_set():
            try:
                status = (await client.get(url)).status_code
            except httpx.HTTPError:
                status = 0
            if figures.outage[0] and not figures.outage[1]:
                figures.health[status] += 1
            await asyncio.sleep(1.0)


async def take_away(engine: str, db_url: str, seconds: float, figures: Figures) -> None:
    """The database away for ``seconds``."""
    figures.outage = (time.monotonic(), 0.0)
    if engine == "sqlite":
        path = str(make_url(db_url).database)
        locker = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
        await asyncio.to_thread(locker.execute, "BEGIN IMMEDIATE")
        await asyncio.sleep(seconds)
        locker.execute("ROLLBACK")
        locker.close()
    else:
        name = make_url(db_url).database
        await pg_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        await pg_admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        await asyncio.sleep(seconds)
        await pg_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    figures.outage = (figures.outage[0], time.monotonic())


async def fresh_database(engine: str) -> str:
    if engine == "sqlite":
        return f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='khabar-outage-')) / 'khabar.db'}"
    base = make_url(os.environ["KHABAR_TEST_POSTGRES_URL"])
    await pg_admin("DROP DATABASE IF EXISTS khabar_outage_bench WITH (FORCE)")
    await pg_admin("CREATE DATABASE khabar_outage_bench")
    return base.set(database="khabar_outage_bench").render_as_string(hide_password=False)


async def run(engine: str, readers: int, every: float, before: float, outage: float) -> int:
    db_url = await fresh_database(engine)
    await create_schema(db_url)
    fake = await FakeTelegram().start()
    world = build_world(fake)
    port = free_port()
    khabar: Khabar = await launch(world, settings_for(fake, world, db_url, metrics_port=str(port),
                                                      metrics_listen="127.0.0.1"), Clock())
    records = Records()
    logging.getLogger().addHandler(records)
    logging.getLogger().setLevel(logging.INFO)
    figures, tally, stop = Figures(), Tally(), asyncio.Event()
    try:
        await queue_article(khabar, TRAFFIC)
        post = await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(world.channel.id))
        await asyncio.sleep(1.0)
        payload = start_payload(fake.resolve_message(post.result))
        side = [asyncio.create_task(moderator(fake, world, stop, tally, figures)),
                asyncio.create_task(poll_health(f"http://127.0.0.1:{port}/healthz", stop, figures))]

        async def later(n: int) -> None:
            await asyncio.sleep(n * every)
            await one_reader(fake, fake.make_user(f"خواننده {n}"), payload, n, tally, figures)

        people = asyncio.gather(*(later(n) for n in range(readers)))
        await asyncio.sleep(before)
        await take_away(engine, db_url, outage, figures)
        await people
        for _ in range(600):  # every card decided and published
            await khabar.settle()
            counts = await _open(khabar)
            if not counts:
                break
            await asyncio.sleep(0.2)
        stop.set()
        await asyncio.gather(*side)
        await khabar.settle(rounds=10)
        result = await audit(khabar.db, fake, world, tally)
    finally:
        logging.getLogger().removeHandler(records)
        await stop_app(khabar.app)
        await fake.stop()
    levels = Counter(r.levelname for r in records.records)
    tracebacks = sum(r.exc_info is not None for r in records.records)
    down = [r for r in records.records if r.getMessage() == "the database stopped answering; work waits for it"]
    back = [r for r in records.records if r.getMessage() == "the database answers again"]
    _start, end = figures.outage
    print(f"\n== {engine}: {readers} readers (one every {every} s), database away {outage:.0f} s after {before:.0f} s")
    print(f"actions by readers and the moderator: {figures.actions}; during the outage: {figures.during_outage}")
    print(f"redone (answered with the error text): {figures.redone}; never answered: {figures.unanswered}")
    print(f"receipts {len(tally.receipts)} of {readers}; comments by status {dict(sorted(result.comments.items()))}")
    for line in result.lines():
        print("  audit:", line)
    print(f"lost (approved, not published): {len(result.lost)}; published twice: {len(result.duplicates)}; "
          f"VIOLATIONS {result.violations}")
    print(f"time to recover: every action begun during the outage answered {figures.recovered - end:.1f} s after "
          f"the database came back ({figures.open_actions} still open)")
    print(f"/healthz during the outage: {dict(figures.health)}")
    print(f"log: {dict(levels)}; tracebacks {tracebacks}; outage WARNINGs {len(down)}; back INFOs {len(back)} "
          f"{[getattr(r, 'down_s', None) for r in back]} s down, waited {[getattr(r, 'waited', None) for r in back]}")
    warnings = Counter(r.getMessage() for r in records.records if r.levelno == logging.WARNING)
    print(f"WARNING lines: {dict(warnings)}")
    for r in records.records:
        if r.levelno >= logging.ERROR:
            print(f"ERROR {r.name}: {r.getMessage()} ({r.exc_info[1]!r})" if r.exc_info else f"ERROR {r.getMessage()}")
    return result.violations + figures.redone + figures.unanswered + levels.get("ERROR", 0)


async def _open(khabar: Khabar) -> int:
    from sqlalchemy import func, select

    from storage.models import Comment

    async with khabar.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(Comment).where(
            Comment.status.in_(("pending", "awaiting_captcha")))) or 0)


async def main(args: argparse.Namespace) -> int:
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    bad = 0
    for engine in engines:
        outage = args.outage if args.outage is not None else (45.0 if engine == "sqlite" else 30.0)
        bad += await run(engine, args.readers, args.every, args.before, outage)
    return 1 if bad else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--readers", type=int, default=40)
    parser.add_argument("--every", type=float, default=1.0)
    parser.add_argument("--before", type=float, default=5.0)
    parser.add_argument("--outage", type=float, default=None, help="seconds (default: sqlite 45, postgres 30)")
    sys.exit(asyncio.run(main(parser.parse_args())))
