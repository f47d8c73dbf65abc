"""Driving bench/pipeline.py's load: readers (Khabar's comment flow, the echo bot's round trip), open and
closed loops, and moderators approving through cards and the queue view — only what the chats show."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from stand import BenchFake

from fakegram.actors import CallbackHandle, FakeUser
from fakegram.server import CallRecord
from tests.e2e.chaos_driver import comment_text
from tests.e2e.chaos_driver import numbers as comment_numbers
from tests.e2e.driver import type_answer
from tests.e2e.harness import World

APPROVE, PAGE = "v1:ap:", "v1:qp:"
WAIT = 60.0  # seconds any single expected reply may take before the reader gives up


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
            for n in comment_numbers(record.params.get("text")):
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
    receipt = fake.expect(reader.id, "editMessageText",
                          lambda r: str(r.params.get("message_id")) == str(message.message_id))
    await type_answer(reader, message)
    done = await asyncio.wait_for(receipt, WAIT)
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
            for data, n in zip(approves, comment_numbers(message.text), strict=False):
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
