"""The whole reader path under load: deep link, comment, captcha, moderators approve, publication.

Khabar runs as its own process (``python -m bot.cli run``, SQLite in a temp dir migrated with
``khabar db upgrade``, the article created with ``khabar post FILE --yes``) against a fake Telegram
served from this process over real HTTP on 127.0.0.1. Then the same load is sent to a bare PTB echo
bot (bench/echo_bot.py) on the same fake, and the CPU cost per update is compared.

Khabar runs with KHABAR_API_MESSAGES_PER_SECOND=0 and KHABAR_API_GROUP_MESSAGES_PER_MINUTE=0: this
measures Khabar's own capacity, not Telegram's flood limits (bench/flood.py measures those).

Usage: .venv/bin/python bench/pipeline.py [--readers 1000] [--rate 100] [--unloaded 100] [--concurrency 100]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from stand import (
    BenchFake,
    Proc,
    khabar_cli,
    khabar_env,
    latency_line,
    post_article,
    quiet,
    spawn,
    spawn_khabar,
)

from fakegram.actors import CallbackHandle, FakeUser
from fakegram.server import CallRecord
from tests.e2e.driver import captcha_answer, captcha_button, start_payload
from tests.e2e.harness import World, build_world

FA = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
TO_FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
MARK = re.compile(r"نظر شمارهٔ ([۰-۹]+)")
APPROVE, PAGE = "v1:ap:", "v1:qp:"
WAIT = 60.0  # seconds any single expected reply may take before the reader gives up


def comment_text(n: int) -> str:
    """A relevant comment carrying a unique, visible number (how the driver follows it through)."""
    return (f"ترافیک میدان آزادی واقعاً کلافه‌کننده شده و باید مترو را زودتر تکمیل کنند؛ "
            f"نظر شمارهٔ {str(n).translate(TO_FA)}")


def marker(text: str | None) -> list[int]:
    return [int(m.translate(FA)) for m in MARK.findall(text or "")]


@dataclass
class Submission:
    n: int
    started: float
    to_captcha: float  # seconds from the reader's comment being queued to the captcha sendMessage arriving
    done: float  # fake time the receipt edit arrived


@dataclass
class Run:
    fake: BenchFake
    world: World
    payload: str = ""
    next_n: int = 0
    published: dict[int, float] = field(default_factory=dict)  # comment number -> fake time of thread sendMessage
    waiting: dict[int, asyncio.Future[None]] = field(default_factory=dict)
    pressed: set[str] = field(default_factory=set)
    approved_at: dict[int, float] = field(default_factory=dict)
    handles: list[CallbackHandle] = field(default_factory=list)
    navigated: set[tuple[int, str]] = field(default_factory=set)
    authors: dict[int, int] = field(default_factory=dict)  # user id -> comment number

    def new_reader(self) -> tuple[int, FakeUser]:
        n = self.next_n
        self.next_n += 1
        user = self.fake.make_user(f"خواننده {n}", f"reader_{n}")
        self.authors[user.id] = n
        return n, user

    def on_call(self, record: CallRecord) -> None:
        if (record.method.lower() == "sendmessage" and record.ok
                and str(record.params.get("chat_id")) == str(self.world.group.id)):
            for n in marker(record.params.get("text")):
                self.published.setdefault(n, record.timestamp)
                future = self.waiting.pop(n, None)
                if future is not None and not future.done():
                    future.set_result(None)


# ----- readers -------------------------------------------------------------------------------------------
async def khabar_reader(run: Run) -> Submission:
    """Deep link, comment, captcha: what one reader does, timed from the fake's side."""
    fake = run.fake
    n, reader = run.new_reader()
    started = fake.clock.now()
    opened = fake.expect(reader.id, "sendMessage")
    await reader.start_bot(run.payload)
    await asyncio.wait_for(opened, WAIT)
    asked = fake.expect(reader.id, "sendMessage", lambda r: "؟" in str(r.params.get("text", "")))
    sent_at = fake.clock.now()
    await reader.send(comment_text(n))
    captcha = await asyncio.wait_for(asked, WAIT)
    to_captcha = captcha.timestamp - sent_at
    message = fake.resolve_message(captcha.result)
    data = captcha_button(message, captcha_answer(message.text or ""))
    receipt = fake.expect(reader.id, "editMessageText",
                          lambda r: str(r.params.get("message_id")) == str(message.message_id))
    handle = await reader.press(message, data)
    done = await asyncio.wait_for(receipt, WAIT)
    await handle.wait_answered(WAIT)
    return Submission(n, started, to_captcha, done.timestamp)


async def echo_reader(run: Run) -> Submission:
    """The same three updates to the echo bot: /start with the payload, the comment, an answer."""
    fake = run.fake
    n, reader = run.new_reader()
    started = fake.clock.now()
    first = fake.expect(reader.id, "sendMessage")
    await reader.start_bot(run.payload)
    await asyncio.wait_for(first, WAIT)
    second = fake.expect(reader.id, "sendMessage")
    sent_at = fake.clock.now()
    await reader.send(comment_text(n))
    reply = await asyncio.wait_for(second, WAIT)
    third = fake.expect(reader.id, "sendMessage")
    await reader.send("۱۵")
    done = await asyncio.wait_for(third, WAIT)
    return Submission(n, started, reply.timestamp - sent_at, done.timestamp)


Flow = Callable[[Run], Awaitable[Submission]]


async def sequential(run: Run, flow: Flow, count: int) -> list[Submission]:
    return [await flow(run) for _ in range(count)]


async def open_loop(run: Run, flow: Flow, count: int, rate: float) -> list[Submission]:
    """Start a reader every 1/rate seconds whatever the bot does (open loop)."""
    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = []
    for i in range(count):
        delay = start + i / rate - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(flow(run)))
    return _ok(await asyncio.gather(*tasks, return_exceptions=True))


async def closed_loop(run: Run, flow: Flow, count: int, concurrency: int) -> list[Submission]:
    """``concurrency`` readers at a time, each starting as soon as another finishes (max throughput)."""
    gate = asyncio.Semaphore(concurrency)

    async def one() -> Submission:
        async with gate:
            return await flow(run)

    return _ok(await asyncio.gather(*(one() for _ in range(count)), return_exceptions=True))


def _ok(results: list[Submission | BaseException]) -> list[Submission]:
    failed = [r for r in results if isinstance(r, BaseException)]
    if failed:
        print(f"  !! {len(failed)} readers failed, first: {failed[0]!r}", file=sys.stderr)
    return [r for r in results if isinstance(r, Submission)]


def rate_of(subs: list[Submission]) -> float:
    """Completed submissions per second between the first and the last completion."""
    if len(subs) < 2:
        return float("nan")
    done = sorted(s.done for s in subs)
    return (len(done) - 1) / max(done[-1] - done[0], 1e-9)


# ----- moderators ----------------------------------------------------------------------------------------
async def approve(run: Run, numbers: set[int], *, one_by_one: bool, budget: int | None = None,
                  limit: float = 600.0) -> set[int]:
    """Moderators press «انتشار» for ``numbers`` (at most ``budget`` of them, in the order shown) on cards or
    the queue view; the numbers pressed.

    ``one_by_one``: wait for each publication before the next press (unloaded latency).
    """
    fake, mods = run.fake, run.world.moderators
    remaining = set(numbers)
    pressed: set[int] = set()
    budget = len(numbers) if budget is None else budget
    began = time.monotonic()
    turn = 0
    while remaining and len(pressed) < budget and time.monotonic() - began < limit:
        progressed = False
        for message in fake.bot_messages(run.world.mods_chat):
            buttons = [str(b.get("callback_data", "")) for b in message.buttons()]
            approves = [b for b in buttons if b.startswith(APPROVE)]
            if not approves:
                continue
            for data, n in zip(approves, marker(message.text), strict=False):
                if n not in remaining or data in run.pressed or len(pressed) >= budget:
                    continue
                if not any(b.get("callback_data") == data for b in message.buttons()):
                    break  # the message was edited meanwhile: scan again
                run.pressed.add(data)
                remaining.discard(n)
                pressed.add(n)
                published = asyncio.get_running_loop().create_future()
                if n not in run.published:
                    run.waiting[n] = published
                run.approved_at[n] = fake.clock.now()
                run.handles.append(await mods[turn % 2].press(message, data))
                turn += 1
                progressed = True
                if one_by_one and n not in run.published:
                    await asyncio.wait_for(published, WAIT)
        if progressed:
            continue
        for message in fake.bot_messages(run.world.mods_chat):  # a view whose page is done: turn the page
            pages = [str(b.get("callback_data", "")) for b in message.buttons()
                     if str(b.get("callback_data", "")).startswith(PAGE)]
            state = (message.message_id, message.text or "")
            if pages and state not in run.navigated and remaining:
                run.navigated.add(state)
                run.handles.append(await mods[0].press(message, pages[0]))
                break
                progressed = True
        if not progressed:
            await asyncio.sleep(0.05)
    if len(pressed) < budget:
        print(f"  !! {budget - len(pressed)} comments never shown to moderators within {limit:.0f}s", file=sys.stderr)
    return pressed


async def wait_published(run: Run, numbers: set[int], limit: float = 600.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and not numbers <= run.published.keys():
        await asyncio.sleep(0.1)


# ----- reporting -----------------------------------------------------------------------------------------
@dataclass
class Meter:
    """CPU of the bot process and of this process (fake + driver), and updates queued, over a window."""

    bot: Proc
    fake: BenchFake
    cpu0: float = 0.0
    own0: float = 0.0
    upd0: int = 0
    t0: float = 0.0

    def __post_init__(self) -> None:
        import psutil

        self._own = psutil.Process()
        self.cpu0, self.upd0, self.t0 = self.bot.cpu(), self.fake.updates._next_id, time.monotonic()
        self.own0 = self._own_cpu()

    def _own_cpu(self) -> float:
        t = self._own.cpu_times()
        return float(t.user + t.system)

    def read(self) -> tuple[float, float, int, float]:
        """(bot CPU s, fake+driver CPU s, updates, wall s) since the start."""
        return (self.bot.cpu() - self.cpu0, self._own_cpu() - self.own0,
                self.fake.updates._next_id - self.upd0, time.monotonic() - self.t0)


def cost_line(label: str, cpu: float, own: float, updates: int, wall: float) -> str:
    per = cpu / updates * 1000 if updates else float("nan")
    return (f"{label:<44} {updates:6d} updates in {wall:6.1f}s wall: bot CPU {cpu:6.2f}s = {per:.3f} ms/update; "
            f"fake+driver CPU {own:6.2f}s")


VIEW_MARK = "📰"  # the article view a deep link opens (bot/texts/intake.py)


def messages_per_submission(run: Run, complete: set[int], subs: int) -> list[str]:
    """Author and thread figures over the approved submissions; moderators' over all of them."""
    fake, world = run.fake, run.world
    authors = {str(uid) for uid, n in run.authors.items() if n in complete}
    done = len(complete)
    sends = [c for c in fake.calls if c.ok and c.method.lower() == "sendmessage"]
    edits = [c for c in fake.calls if c.ok and c.method.lower().startswith("editmessage")]
    views = [c for c in sends if str(c.params.get("text", "")).startswith(VIEW_MARK)]

    def count(records: list[CallRecord], chats: set[str]) -> int:
        return sum(str(c.params.get("chat_id")) in chats for c in records)

    mods, group, channel = {str(world.mods_chat.id)}, {str(world.group.id)}, {str(world.channel.id)}
    return [
        f"messages per submission (from the fake's call log; author/thread over the {done} approved, "
        f"moderators/channel over all {subs}):",
        f"  to the author   new messages {count(sends, authors) / done:5.2f}   edits {count(edits, authors) / done:5.2f}"
        f"   (of the new: article view on opening the link {count(views, authors) / done:4.2f}, "
        f"caused by the submission {(count(sends, authors) - count(views, authors)) / done:4.2f})",
        f"  to moderators   new messages {count(sends, mods) / subs:5.2f}   edits {count(edits, mods) / subs:5.2f}",
        f"  to the thread   new messages {count(sends, group) / done:5.2f}",
        f"  to the channel  new messages {count(sends, channel) / subs:5.2f}   edits {count(edits, channel) / subs:5.2f}",
    ]


# ----- the run -------------------------------------------------------------------------------------------
async def main(args: argparse.Namespace) -> int:
    out: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        out.append(line)

    tmp = Path(tempfile.mkdtemp(prefix="khabar-bench-"))
    fake = BenchFake()
    await fake.start()
    world = build_world(fake)
    run = Run(fake, world)
    fake.listeners.append(run.on_call)
    db_url = f"sqlite+aiosqlite:///{tmp / 'khabar.db'}"
    env = khabar_env(fake, db_url, channel=str(world.channel.id), moderator_chat=str(world.mods_chat.id),
                     moderators=",".join(str(m.id) for m in world.moderators),
                     api_messages_per_second="0", api_group_messages_per_minute="0")
    say(f"pipeline bench: {args.readers} readers per loaded run, {args.unloaded} unloaded, SQLite in {tmp}")
    await khabar_cli(env, tmp, "db", "upgrade")
    await post_article(env, tmp)
    khabar = await spawn_khabar(env, tmp)
    try:
        post = await asyncio.wait_for(fake.wait_for("sendMessage", lambda r: str(r.params.get("chat_id")) ==
                                                    str(world.channel.id), timeout=60), 60)
        run.payload = start_payload(fake.resolve_message(post.result))
        await asyncio.sleep(1.0)  # Khabar sees the automatic forward into the discussion group
        rss_idle = khabar.rss()
        warm = await sequential(run, khabar_reader, 5)
        await approve(run, {s.n for s in warm}, one_by_one=True)
        await quiet(fake)
        whole = Meter(khabar, fake)

        # 1. unloaded: one reader at a time, then each comment approved and published one at a time
        unloaded = await sequential(run, khabar_reader, args.unloaded)
        await quiet(fake)
        first = len(run.approved_at)
        await approve(run, {s.n for s in unloaded}, one_by_one=True)
        unloaded_pub = [run.published[n] - run.approved_at[n] for n in list(run.approved_at)[first:]
                        if n in run.published]
        await quiet(fake)

        # 2. open loop at --rate submissions/s
        meter = Meter(khabar, fake)
        loaded = await open_loop(run, khabar_reader, args.readers, args.rate)
        await quiet(fake)
        loaded_cost = meter.read()
        first = len(run.approved_at)
        began_approving = time.monotonic()
        chosen = await approve(run, {s.n for s in loaded}, one_by_one=False, budget=args.approve)
        took = time.monotonic() - began_approving
        await wait_published(run, chosen)
        loaded_pub = [run.published[n] - run.approved_at[n] for n in list(run.approved_at)[first:]
                      if n in run.published]
        await quiet(fake)

        # 3. max throughput: --concurrency readers at a time
        meter = Meter(khabar, fake)
        began = fake.clock.now()
        burst = await closed_loop(run, khabar_reader, args.readers, args.concurrency)
        burst_wall = max(s.done for s in burst) - began
        await quiet(fake)
        burst_cost = meter.read()
        all_subs = warm + unloaded + loaded + burst
        complete = {s.n for s in warm + unloaded} | chosen
        await wait_published(run, complete)
        await quiet(fake, seconds=2.0)
        whole_cost = whole.read()
        rss_peak = khabar.high_water()
        unanswered = sum(not h.answered for h in run.handles)
        lost = len(complete - run.published.keys())
    finally:
        code = await khabar.stop()
    if code not in (0, -15):
        say(f"  !! khabar exited {code}:\n{khabar.log_tail()}")

    say()
    say("Khabar (SQLite, limits lifted)")
    say(latency_line("reader message -> captcha, unloaded", [s.to_captcha for s in unloaded]))
    say(latency_line(f"reader message -> captcha, at {args.rate:g}/s offered", [s.to_captcha for s in loaded]))
    say(latency_line(f"reader message -> captcha, {args.concurrency} at a time", [s.to_captcha for s in burst]))
    say(f"{'submissions/s at ' + format(args.rate, 'g') + '/s offered (open loop)':<44} {rate_of(loaded):7.1f}/s "
        f"({len(loaded)}/{args.readers} completed)")
    say(f"{'submissions/s max (' + str(args.concurrency) + ' readers at a time)':<44} "
        f"{len(burst) / burst_wall:7.1f}/s ({len(burst)}/{args.readers} completed in {burst_wall:.1f}s)")
    say(latency_line("approval press -> thread, one at a time", unloaded_pub))
    say(latency_line(f"approval press -> thread, {len(chosen)} approved in a burst", loaded_pub))
    say(f"{'moderators pressing ' + str(len(chosen)) + ' approvals took':<44} {took:7.1f}s "
        f"(queue view pages, as a moderator would)")
    say(f"{'approved / published / lost':<44} {len(complete)} / {len(run.published)} / {lost}; "
        f"left pending {len(all_subs) - len(complete)}; unanswered callback queries {unanswered}")
    say(f"{'Khabar RSS idle / peak (VmHWM)':<44} {rss_idle / 2**20:7.1f} / {rss_peak / 2**20:.1f} MB")
    for line in messages_per_submission(run, complete, len(all_subs)):
        say(line)
    k_load = cost_line(f"Khabar, {args.rate:g}/s run (intake + cards)", *loaded_cost)
    k_burst = cost_line("Khabar, max-throughput run (intake + cards)", *burst_cost)
    k_whole = cost_line("Khabar, whole run after warm-up (+ approvals)", *whole_cost)

    # ----- the same load on a bare PTB echo bot ------------------------------------------------------
    fake.updates.drop_pending()
    echo_env = {"ECHO_TOKEN": fake.token, "ECHO_API_URL": fake.base_url, **khabar_env(fake, db_url)}
    echo = await spawn("echo", [str(Path(__file__).with_name("echo_bot.py"))], echo_env, tmp)
    try:
        await asyncio.wait_for(fake.wait_for("getUpdates", timeout=60), 60)
        await sequential(run, echo_reader, 5)
        await quiet(fake)
        e_unloaded = await sequential(run, echo_reader, args.unloaded)
        await quiet(fake)
        meter = Meter(echo, fake)
        e_loaded = await open_loop(run, echo_reader, args.readers, args.rate)
        await quiet(fake)
        e_load = meter.read()
        meter = Meter(echo, fake)
        began = fake.clock.now()
        e_burst = await closed_loop(run, echo_reader, args.readers, args.concurrency)
        e_burst_wall = max(s.done for s in e_burst) - began
        await quiet(fake)
        e_burst_cost = meter.read()
        echo_rss = echo.high_water()
    finally:
        await echo.stop()
    await fake.stop()

    say()
    say("bare PTB echo bot (same fake, same readers' updates)")
    say(latency_line("reader message -> echo, unloaded", [s.to_captcha for s in e_unloaded]))
    say(latency_line(f"reader message -> echo, at {args.rate:g}/s offered", [s.to_captcha for s in e_loaded]))
    say(f"{'echo rounds/s max (' + str(args.concurrency) + ' readers at a time)':<44} "
        f"{len(e_burst) / e_burst_wall:7.1f}/s ({len(e_burst)} completed in {e_burst_wall:.1f}s)")
    say(f"{'echo RSS peak':<44} {echo_rss / 2**20:7.1f} MB")
    say()
    say("CPU cost per update")
    say(k_load)
    say(k_burst)
    say(k_whole)
    e_load_line = cost_line(f"echo, {args.rate:g}/s run", *e_load)
    say(e_load_line)
    say(cost_line("echo, max-throughput run", *e_burst_cost))

    def per(cost: tuple[float, float, int, float]) -> float:
        return cost[0] / cost[2] if cost[2] else float("nan")

    say(f"{'cost ratio Khabar / echo, ' + format(args.rate, 'g') + '/s run':<44} {per(loaded_cost) / per(e_load):5.2f}x")
    say(f"{'cost ratio Khabar / echo, max-throughput run':<44} {per(burst_cost) / per(e_burst_cost):5.2f}x")
    say(f"{'cost ratio Khabar whole run / echo max run':<44} {per(whole_cost) / per(e_burst_cost):5.2f}x")
    return 0 if not lost else 1


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=1000, help="readers in each loaded run (default 1000)")
    parser.add_argument("--rate", type=float, default=100.0, help="offered submissions/s in the open-loop run")
    parser.add_argument("--unloaded", type=int, default=100, help="readers one at a time (default 100)")
    parser.add_argument("--concurrency", type=int, default=100, help="readers at a time in the max run")
    parser.add_argument("--approve", type=int, default=200,
                        help="comments of the open-loop run approved in a burst (the rest stay pending)")
    return parser.parse_args()


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(parse_args())))
