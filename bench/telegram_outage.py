"""Telegram goes away while readers comment and moderators decide: what was lost, doubled, logged.

Khabar runs in this process (tests/e2e/harness.py) against the fake. Readers arrive one every
--every seconds; each opens the deep link, writes a comment, types the captcha's answer and waits
for the receipt (tests/e2e/chaos_driver.py: a person writes again only when nothing answers for
--patience seconds, or after a captcha expired). Two moderators decide every card. After --before
seconds Telegram goes away for --outage seconds, as seen from the bot (readers still reach
Telegram: their messages and presses wait there, as when the bot's network or proxy is down):

* the first 40 %: connections refused (the port does not listen);
* the next 40 %: every method answers 502 Bad Gateway;
* the last 20 %: every answer comes --slow seconds late.

At the end the database is audited against the chats and the figures are printed: cards, captchas,
receipts and notices lost or doubled, channel posts once each, time to recover, and the log (WARNING /
INFO of the outage, ERRORs, tracebacks, "unhandled error in handler").
Usage: .venv/bin/python bench/telegram_outage.py [--readers 60] [--outage 300] [--every 5]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from stand import ROOT

from bot.app import stop_app
from bot.texts import intake as ti
from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from fakegram.world import StoredMessage
from tests.e2e.chaos_driver import RECEIPT, Tally, audit, comment_text, moderators, numbers
from tests.e2e.driver import is_captcha, start_payload, type_answer
from tests.e2e.harness import Clock, Khabar, build_world, create_schema, launch, settings_for
from tests.e2e.publishing_helpers import TRAFFIC, queue_article

assert ROOT


class Records(logging.Handler):
    """Every log record of the run."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def go_away(fake: FakeTelegram, seconds: float, slow: float) -> tuple[float, float]:
    """Refused, then 502s, then slow answers; (start, end) in time.monotonic()."""
    start = time.monotonic()
    await fake.go_away()
    await asyncio.sleep(seconds * 0.4)
    fake.faults.add("*", "502", times=None)
    await fake.come_back()
    await asyncio.sleep(seconds * 0.4)
    fake.faults.clear()
    fake.faults.add("*", "slow", times=None, delay=slow)
    await asyncio.sleep(seconds * 0.2)
    fake.faults.clear()
    return start, time.monotonic()


async def _until(probe: Callable[[], object], limit: float) -> object:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        await asyncio.sleep(0.1)
    return None


async def one_reader(fake: FakeTelegram, user: FakeUser, payload: str, n: int, tally: Tally, limit: float) -> int:
    """Write comment ``n`` and answer its captcha; after an expired captcha press «write again» and write
    once more. How many times the comment was written (1 unless a captcha expired meanwhile)."""
    chat = user.private_chat
    before = len(fake.bot_messages(chat))
    await user.start_bot(payload)
    if not await _until(lambda: len(fake.bot_messages(chat)) > before, limit):
        tally.gave_up.add(n)
        return 0
    written = 0
    while written < 3:
        seen = {m.message_id for m in fake.bot_messages(chat)}
        await user.send(comment_text(n))
        written += 1
        tally.sends[n] += 1
        found = await _until(lambda old=seen: next((m for m in fake.bot_messages(chat)  # type: ignore[misc]
                                                   if m.message_id not in old and is_captcha(m)), None), limit)
        if not isinstance(found, StoredMessage):
            break
        captcha = found
        await type_answer(user, captcha)
        tally.presses += 1
        outcome = await _until(lambda: next((m for m in fake.bot_messages(chat) if RECEIPT in (m.text or "")
                                             or m.text == ti.CAPTCHA_EXPIRED), None), limit)
        if not isinstance(outcome, StoredMessage):
            break
        if RECEIPT in (outcome.text or ""):
            tally.receipts.add(n)
            return written
        again = next(b["callback_data"] for b in outcome.buttons() if b.get("text") == ti.BUTTON_WRITE_AGAIN)
        shown = len(fake.bot_messages(chat))
        await user.press(outcome, again)
        await _until(lambda k=shown: len(fake.bot_messages(chat)) > k, limit)  # type: ignore[misc]  # the prompt
    tally.gave_up.add(n)
    return written


async def _open(khabar: Khabar) -> int:
    from sqlalchemy import func, select

    from storage.models import Comment

    async with khabar.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(Comment).where(
            Comment.status.in_(("pending", "awaiting_captcha")))) or 0)


async def run(args: argparse.Namespace) -> int:
    folder = Path(tempfile.mkdtemp(prefix="khabar-tg-outage-"))
    db_url = f"sqlite+aiosqlite:///{folder / 'khabar.db'}"
    await create_schema(db_url)
    fake = await FakeTelegram().start()
    world = build_world(fake)
    # No undo window: an approved comment is published at once (the window would only delay the count).
    khabar = await launch(world, settings_for(fake, world, db_url, undo_window_seconds="0"), Clock())
    records = Records()
    logging.getLogger().addHandler(records)
    logging.getLogger().setLevel(logging.INFO)
    tally, stop = Tally(), asyncio.Event()
    answered_at: dict[int, float] = {}
    began_at: dict[int, float] = {}
    try:
        await queue_article(khabar, TRAFFIC)
        post = await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(world.channel.id))
        await asyncio.sleep(1.0)
        payload = start_payload(fake.resolve_message(post.result))
        mods = asyncio.create_task(moderators(fake, world, stop, tally, patience=args.patience))

        async def later(n: int) -> None:
            await asyncio.sleep(n * args.every)
            began_at[n] = time.monotonic()
            await one_reader(fake, fake.make_user(f"خواننده {n}"), payload, n, tally, args.outage + 600)
            if n in tally.receipts:
                answered_at[n] = time.monotonic()

        people = asyncio.gather(*(later(n) for n in range(args.readers)))
        await asyncio.sleep(args.before)
        start, end = await go_away(fake, args.outage, args.slow)
        await people
        for _ in range(3000):  # every card decided and published
            await khabar.settle()
            if not await _open(khabar):
                break
            await asyncio.sleep(0.2)
        stop.set()
        await mods
        await khabar.settle(rounds=10)
        recovered = time.monotonic()
        result = await audit(khabar.db, fake, world, tally)
    finally:
        logging.getLogger().removeHandler(records)
        await stop_app(khabar.app)
        await fake.stop()
    logs = records.records
    levels = Counter(r.levelname for r in logs)
    tracebacks = sum(r.exc_info is not None for r in logs)
    unhandled = sum("unhandled error" in r.getMessage() for r in logs)
    outage_lines = [(r.levelname, r.getMessage(), getattr(r, "down_s", None)) for r in logs
                    if r.name == "khabar.telegram" and r.levelno >= logging.INFO]
    late = sum(r.getMessage().startswith("callback answer too late") for r in logs)
    during = [n for n, t in began_at.items() if start <= t < end]
    waited = [answered_at[n] - end for n in began_at if began_at[n] < end and n in answered_at]
    sends = Counter(tally.sends.values())
    notices: Counter[int] = Counter()
    for user_chat in (c for c in fake.world.chats.values() if c.type == "private"):
        for m in fake.bot_messages(user_chat):
            if (m.text or "").startswith(("✅ نظر شما دربارهٔ", "❌ نظر شما دربارهٔ")):
                notices[user_chat.id] += 1
    if notices and max(notices.values()) > 1:
        worst = max(notices, key=lambda k: notices[k])
        print("a reader told more than once:", [m.text for m in fake.bot_messages(fake.world.chats[worst])])
    cards = Counter(n for m in fake.bot_messages(world.mods_chat) for n in numbers(m.text))
    print(f"\n== Telegram away {args.outage:.0f} s (refused {args.outage * 0.4:.0f} s, 502 {args.outage * 0.4:.0f} s, "
          f"slow ({args.slow:.0f} s) {args.outage * 0.2:.0f} s) after {args.before:.0f} s; {args.readers} readers, "
          f"one every {args.every} s")
    print(f"readers: {len(began_at)}; began during the outage: {len(during)}; receipts {len(tally.receipts)}; "
          f"gave up {len(tally.gave_up)}")
    print(f"comments written once: {sends.get(1, 0)}; written again after their captcha expired while Telegram "
          f"was away: {sum(v for k, v in sends.items() if k > 1)} (a reader writes again only then)")
    for line in result.lines():
        print("  audit:", line)
    print(f"cards per comment: max {max(cards.values(), default=0)} (comments with more than one card message: "
          f"{sum(1 for v in cards.values() if v > 1)}); notices per author: max {max(notices.values(), default=0)}")
    print(f"time to recover: {max(waited, default=0.0):.1f} s after Telegram was back every reader who had begun "
          f"had a receipt; backlog done {recovered - end:.1f} s after")
    print(f"log: {dict(levels)}; tracebacks {tracebacks}; 'unhandled error': {unhandled}; late callback answers "
          f"(INFO): {late}")
    print(f"outage lines (khabar.telegram): {outage_lines}")
    warnings = Counter(f"{r.name}: {r.getMessage()}" for r in logs if r.levelno == logging.WARNING)
    print(f"WARNING lines: {dict(warnings)}")
    for r in logs:
        if r.levelno >= logging.ERROR:
            print(f"ERROR {r.name}: {r.getMessage()}")
    return result.violations + len(tally.gave_up) + levels.get("ERROR", 0) + tracebacks + unhandled


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=60)
    parser.add_argument("--every", type=float, default=5.0)
    parser.add_argument("--before", type=float, default=20.0)
    parser.add_argument("--outage", type=float, default=300.0)
    parser.add_argument("--slow", type=float, default=5.0)
    parser.add_argument("--patience", type=float, default=5.0, help="seconds a moderator waits before pressing again")
    sys.exit(1 if asyncio.run(run(parser.parse_args())) else 0)
