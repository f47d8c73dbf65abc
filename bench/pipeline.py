"""The whole reader path under load: deep link, comment, captcha, moderators approve, publication.

Khabar runs as its own process (``python -m bot.cli run``, SQLite in a temp dir migrated with
``khabar db upgrade``, the article created with ``khabar post FILE --yes``) against a fake Telegram
served from this process over real HTTP on 127.0.0.1. Then the same load is sent to a bare PTB echo
bot (bench/echo_bot.py) on the same fake, and the CPU cost per update is compared.

Khabar runs with KHABAR_API_MESSAGES_PER_SECOND=0 and KHABAR_API_GROUP_MESSAGES_PER_MINUTE=0: this
measures Khabar's own capacity, not Telegram's flood limits (bench/flood.py measures those).

It also prints what each step of one reader's path costs in SQL statements and transactions (Khabar's
own counters, khabar_sql_*_total on /metrics; bench/sqlcount.py).

Usage: .venv/bin/python bench/pipeline.py [--readers 1000] [--rate 40] [--unloaded 100] [--concurrency 100]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline_load import (
    Run,
    approve,
    closed_loop,
    echo_reader,
    khabar_reader,
    open_loop,
    rate_of,
    sequential,
    wait_published,
)
from sqlcount import Idle, Step, free_port, measured, total_line
from stand import (
    BenchFake,
    Proc,
    khabar_cli,
    khabar_env,
    latency_line,
    pct,
    post_article,
    quiet,
    spawn,
    spawn_khabar,
)

from fakegram.server import CallRecord
from tests.e2e.chaos_driver import comment_text
from tests.e2e.driver import start_payload, type_answer
from tests.e2e.harness import build_world


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


# ----- SQL per step ---------------------------------------------------------------------------------------
async def sql_per_step(run: Run, port: int, bot: Proc, readers: int) -> tuple[list[str], list[Step]]:
    """``readers`` readers one at a time, each step measured apart: what each update costs in SQL and CPU
    (the bot's CPU over the step and what followed it, less the idle jobs' rate)."""
    fake = run.fake
    idle = await Idle.measure(port, bot.cpu)
    steps = [Step("open the link (article view)"), Step("comment -> captcha"), Step("typed answer -> receipt"),
             Step("moderator's approval -> thread")]

    async def settle() -> None:
        await quiet(fake, seconds=0.5)

    for _ in range(readers):
        await _steps_of_one_reader(run, port, bot, idle, steps, settle)
    return ([f"SQL per step ({readers} readers one at a time; idle background {idle.statements:.1f} statements/s "
            f"and {idle.cpu * 1000:.0f} ms CPU/s subtracted from the 'after it' and CPU figures):", *(s.line() for s in steps), total_line(steps)], steps)


async def _steps_of_one_reader(run: Run, port: int, bot: Proc, idle: Idle, steps: list[Step],
                               settle: Callable[[], Awaitable[None]]) -> None:
    fake = run.fake
    n, reader = run.new_reader()
    captcha: list[CallRecord] = []

    async def opening() -> None:
        opened = fake.expect(reader.id, "sendMessage")
        await reader.start_bot(run.payload)
        await asyncio.wait_for(opened, 60)

    async def commenting() -> None:
        asked = fake.expect(reader.id, "sendMessage", lambda r: "؟" in str(r.params.get("text", "")))
        await reader.send(comment_text(n))
        captcha.append(await asyncio.wait_for(asked, 60))

    async def answering() -> None:
        message = fake.resolve_message(captcha[0].result)
        receipt = fake.expect(reader.id, "editMessageText",
                              lambda r: str(r.params.get("message_id")) == str(message.message_id))
        await type_answer(reader, message)
        await asyncio.wait_for(receipt, 60)

    async def approving() -> None:
        await approve(run, {n}, one_by_one=True)

    for step, action in zip(steps, (opening, commenting, answering, approving), strict=True):
        await measured(port, bot.cpu, idle, step, action, settle)


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
    port = free_port()
    env = khabar_env(fake, db_url, channel=str(world.channel.id), moderator_chat=str(world.mods_chat.id),
                     moderators=",".join(str(m.id) for m in world.moderators), metrics_port=str(port),
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
        sql_lines, steps = await sql_per_step(run, port, khabar, args.sql_readers)
        for line in sql_lines:
            say(line)
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
        complete = {s.n for s in warm + unloaded} | chosen | set(range(5, 5 + args.sql_readers))
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
    for line in messages_per_submission(run, complete, len(all_subs) + args.sql_readers):
        say(line)
    for line in sql_lines:
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

    # ----- against issue 15's targets ----------------------------------------------------------------
    def verdict(ok: bool) -> str:
        return "held" if ok else "MISSED"

    # Against the echo bot's cheaper run: a neighbour's burst during one echo run cannot make Khabar look cheap.
    ratio = per(burst_cost) / min(per(e_load), per(e_burst_cost))
    per_update = max(steps, key=lambda st: st.statements / max(st.n, 1))
    worst_tx = max(st.transactions / max(st.n, 1) for st in steps)
    words = messages_per_submission(run, complete, len(all_subs) + args.sql_readers)[1].split()
    author_new = float(words[words.index("messages") + 1])  # «to the author   new messages N.NN …»
    say()
    say("against issue 15's targets")
    say(f"  CPU per update <= 2x the echo bot's (Khabar's max run / the echo's cheaper run): {ratio:.2f}x  "
        f"{verdict(ratio <= 2)}")
    say(f"  >= 60 submissions/s sustained: {rate_of(loaded):.1f}/s at {args.rate:g}/s offered, "
        f"{len(burst) / burst_wall:.1f}/s max  {verdict(max(rate_of(loaded), len(burst) / burst_wall) >= 60)}")
    p99_idle = pct([s.to_captcha for s in unloaded], 99) * 1000
    p99_load = pct([s.to_captcha for s in loaded], 99) * 1000
    say(f"  p99 reader -> captcha <= 50 ms unloaded: {p99_idle:.1f} ms  {verdict(p99_idle <= 50)}")
    say(f"  p99 reader -> captcha <= 200 ms at 40/s offered: {p99_load:.1f} ms at {args.rate:g}/s  "
        f"{verdict(p99_load <= 200) if args.rate >= 40 else '(run with --rate 40)'}")
    say(f"  RSS <= 150 MB: peak {rss_peak / 2**20:.1f} MB  {verdict(rss_peak <= 150 * 2**20)}")
    say(f"  <= 12 statements and <= 3 transactions per update: worst step «{per_update.label}» "
        f"{per_update.statements / max(per_update.n, 1):.1f} statements, worst {worst_tx:.1f} transactions  "
        f"{verdict(per_update.statements / max(per_update.n, 1) <= 12 and worst_tx <= 3)}")
    say(f"  author gets <= 2 new messages per submission (counting the view): {author_new:.2f}  "
        f"{verdict(author_new <= 2)}")
    return 0 if not lost else 1


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=1000, help="readers in each loaded run (default 1000)")
    parser.add_argument("--rate", type=float, default=40.0, help="offered submissions/s in the open-loop run")
    parser.add_argument("--unloaded", type=int, default=100, help="readers one at a time (default 100)")
    parser.add_argument("--concurrency", type=int, default=100, help="readers at a time in the max run")
    parser.add_argument("--sql-readers", type=int, default=20,
                        help="readers one at a time whose every step's SQL is counted (default 20)")
    parser.add_argument("--approve", type=int, default=200,
                        help="comments of the open-loop run approved in a burst (the rest stay pending)")
    return parser.parse_args()


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(parse_args())))
