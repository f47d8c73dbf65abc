"""The website under a front page's load: GET …/comments of an article with 200 approved comments.

Khabar runs as its own process (``python -m bot.cli run`` with KHABAR_WEB_PORT, SQLite migrated with
``khabar db upgrade``, the article posted with ``khabar post``) against a fake Telegram served from this
process. Side by side in the same run: a bare aiohttp endpoint (its own process) answering the same bytes.
The load comes from a separate client process (this file with ``--load``), so the client's CPU does not
count. Figures: server CPU per request (→ requests/s one core can serve), client-side latency, and the
Telegram side's reader → captcha latency idle and while the website is loaded.

Usage: .venv/bin/python bench/web.py [--requests 20000] [--concurrency 32] [--readers 40]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from pipeline_load import Run, khabar_reader, sequential
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

from tests.e2e.driver import start_payload
from tests.e2e.harness import build_world, free_port

LINK = "https://news.example/fa/news/traffic-azadi"
COMMENTS = 200


# ----- the two helper processes ---------------------------------------------------------------------------
def bare_server(port: int, body_file: str) -> None:
    """A bare aiohttp endpoint answering ``body_file``'s bytes as JSON: the framework's own cost."""
    from aiohttp import web

    body = Path(body_file).read_bytes()

    async def handler(request: web.Request) -> web.Response:
        return web.Response(body=body, content_type="application/json", charset="utf-8")

    app = web.Application()
    app.router.add_get("/bare", handler)
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


async def load_client(url: str, requests: int, concurrency: int, seconds: float, rate: float) -> dict[str, Any]:
    """GET ``url`` with ``concurrency`` keep-alive connections (``requests`` in all, or for ``seconds``);
    with ``rate`` > 0, each connection starts its next request on a schedule (open loop, ``rate`` req/s in all)."""
    import aiohttp

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    done = 0
    began = time.perf_counter()
    deadline = began + seconds if seconds > 0 else float("inf")

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal done
        gap = concurrency / rate if rate > 0 else 0.0
        due = time.perf_counter() + random.random() * gap
        while (seconds > 0 and time.perf_counter() < deadline) or (seconds <= 0 and done < requests):
            done += 1
            if gap:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                due += gap
            t0 = time.perf_counter()
            async with session.get(url) as response:
                await response.read()
                statuses[response.status] = statuses.get(response.status, 0) + 1
            latencies.append(time.perf_counter() - t0)

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    wall = time.perf_counter() - began
    return {"n": len(latencies), "wall": wall, "latencies": latencies, "statuses": statuses}


async def run_client(url: str, requests: int, concurrency: int, seconds: float = 0.0,
                     rate: float = 0.0) -> dict[str, Any]:
    """The load client as its own process; its JSON result."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--load", url, str(requests), str(concurrency), str(seconds), str(rate),
        stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    return json.loads(out)


# ----- seeding ----------------------------------------------------------------------------------------------
async def seed(db_url: str, token: str) -> None:
    """200 approved comments on the article: Telegram and website authors, a quarter of them replies."""
    from sqlalchemy import select

    from storage.db import Database
    from storage.models import Article, Comment, User

    rng = random.Random(16)
    db = Database(db_url)
    now = datetime.now(UTC)
    try:
        async with db.transaction() as session:
            article = (await session.execute(select(Article).where(Article.token == token))).scalar_one()
            ids: list[int] = []
            for i in range(COMMENTS):
                web = i % 4 == 0
                uid = -(10_000 + i) if web else 50_000 + i
                session.add(User(id=uid, display_name=f"خواننده {i}", created_at=now, updated_at=now))
                await session.flush()
                at = now - timedelta(minutes=COMMENTS - i)
                comment = Comment(
                    token=f"seed{i:04d}", article_id=article.id, author_id=uid, status="approved",
                    parent_id=rng.choice(ids) if ids and i % 4 == 1 else None,
                    text=f"ترافیک میدان آزادی هر روز بدتر می‌شود و مترو باید زودتر تکمیل شود؛ نظر {i} " * 2,
                    normalized_text="", checks={}, source="web" if web else "private",
                    web_author=f"مهمان {i}" if web else None, created_at=at, status_changed_at=at,
                    decided_at=at, published_at=at,
                )
                session.add(comment)
                await session.flush()
                ids.append(comment.id)
    finally:
        await db.close()


async def cold_cost(db_url: str, token: str, rounds: int = 200) -> float:
    """Seconds per request when the server's 2-second memory of the page is empty (every read from SQLite)."""
    from bot.settings import load_settings
    from bot.website.service import Website
    from storage.db import Database

    settings = load_settings({"KHABAR_DATABASE_URL": db_url}, env_file=None)
    db = Database(db_url)
    deps = SimpleNamespace(settings=settings, db=db, clock=lambda: datetime.now(UTC))
    website = Website(deps)  # type: ignore[arg-type]
    try:
        began = time.process_time()
        for _ in range(rounds):
            website._cache.clear()
            reply = await website.comments(token, 1)
            assert reply.status == 200
        return (time.process_time() - began) / rounds
    finally:
        await db.close()


# ----- the run -----------------------------------------------------------------------------------------------
async def measure(say: Any, label: str, url: str, proc: Proc, requests: int, concurrency: int) -> float:
    """One closed-loop run against ``url``; the server's CPU seconds per request."""
    await run_client(url, 500, concurrency)  # warm up
    cpu0 = proc.cpu()
    await asyncio.sleep(3.0)
    idle = (proc.cpu() - cpu0) / 3.0  # the process's own background work (polling, jobs) per second
    cpu0 = proc.cpu()
    result = await run_client(url, requests, concurrency)
    cost = max(1e-9, proc.cpu() - cpu0 - idle * result["wall"]) / max(1, result["n"])
    say(latency_line(f"{label}: latency, {concurrency} at a time", result["latencies"]))
    say(f"{label + ': served':<44} {result['n'] / result['wall']:7.0f} req/s wall (client-bound on this box); "
        f"server CPU {cost * 1e6:6.0f} µs/req → {1 / cost:7.0f} req/s per core; statuses {result['statuses']}")
    say(f"{label + ': idle process CPU':<44} {idle * 100:7.1f} % of a core (subtracted above)")
    return cost


async def main(args: argparse.Namespace) -> int:
    def say(line: str = "") -> None:
        print(line, flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="khabar-web-bench-"))
    fake = BenchFake()
    await fake.start()
    world = build_world(fake)
    run = Run(fake, world)
    fake.listeners.append(run.on_call)
    db_url = f"sqlite+aiosqlite:///{tmp / 'khabar.db'}"
    web_port, bare_port = free_port(), free_port()
    env = khabar_env(fake, db_url, channel=str(world.channel.id), moderator_chat=str(world.mods_chat.id),
                     moderators=",".join(str(m.id) for m in world.moderators), web_port=str(web_port),
                     api_messages_per_second="0", api_group_messages_per_minute="0")
    say(f"website bench: {COMMENTS} approved comments, {args.requests} requests, {args.concurrency} at a time, "
        f"SQLite in {tmp}")
    await khabar_cli(env, tmp, "db", "upgrade")
    from stand import ARTICLE

    await post_article(env, tmp, {**ARTICLE, "link": LINK})
    khabar = await spawn_khabar(env, tmp)
    bare: Proc | None = None
    try:
        post = await asyncio.wait_for(fake.wait_for("sendMessage", lambda r: str(r.params.get("chat_id")) ==
                                                    str(world.channel.id), timeout=60), 60)
        run.payload = start_payload(fake.resolve_message(post.result))
        token = run.payload.removeprefix("a-")
        await seed(db_url, token)
        await asyncio.sleep(2.5)  # past the server's 2-second memory of the (empty) page
        url = f"http://127.0.0.1:{web_port}/api/v1/articles/{token}/comments"
        first = await run_client(url, 1, 1)
        assert first["statuses"] == {"200": 1}, first
        import urllib.request

        with urllib.request.urlopen(url) as response:
            body = response.read()
        say(f"comments page: {len(body):,} bytes, {json.loads(body)['total']} comments")
        (tmp / "body.json").write_bytes(body)
        bare = await spawn("bare", [__file__, "--bare", str(bare_port), str(tmp / "body.json")], env, tmp)
        await asyncio.sleep(1.5)

        say()
        bare_cost = await measure(say, "bare aiohttp endpoint", f"http://127.0.0.1:{bare_port}/bare", bare,
                                  args.requests, args.concurrency)
        khabar_cost = await measure(say, "Khabar GET …/comments", url, khabar, args.requests, args.concurrency)
        say(f"{'cost ratio Khabar / bare':<44} {khabar_cost / bare_cost:7.2f}×  (target ≤ 2×)")
        for label, target in (("bare aiohttp endpoint", f"http://127.0.0.1:{bare_port}/bare"), ("Khabar GET …/comments", url)):
            paced = await run_client(target, 0, args.concurrency, seconds=8.0, rate=args.paced)
            say(latency_line(f"{label}: latency at {args.paced:g}/s offered", paced["latencies"]))
        cold = await cold_cost(db_url, token)
        say(f"{'page rebuilt from SQLite (every 2 s or on a decision)':<44} {cold * 1e3:7.2f} ms CPU each "
            f"(→ {1 / cold:5.0f}/s if nothing were kept)")

        say()
        await quiet(fake)
        idle = await sequential(run, khabar_reader, args.readers)
        await quiet(fake)
        seconds = 2.0 + args.readers * 1.0
        loader = asyncio.create_task(run_client(url, 0, args.concurrency, seconds=seconds, rate=args.web_rate))
        await asyncio.sleep(2.0)
        busy = await sequential(run, khabar_reader, args.readers)
        load = await loader
        say(latency_line("Telegram reader -> captcha, website idle", [s.to_captcha for s in idle]))
        say(latency_line(f"Telegram reader -> captcha, web at {args.web_rate:g}/s", [s.to_captcha for s in busy]))
        say(latency_line(f"  (the web load meanwhile: {load['n'] / load['wall']:.0f} req/s)", load["latencies"]))
        ratio = pct([s.to_captcha for s in busy], 99) / pct([s.to_captcha for s in idle], 99)
        say(f"{'p99 loaded / idle':<44} {ratio:7.2f}×  (target ≤ 2×)")
    finally:
        if bare is not None:
            await bare.stop()
        code = await khabar.stop()
        await fake.stop()
    if code not in (0, -15):
        say(f"  !! khabar exited {code}:\n{khabar.log_tail()}")
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--readers", type=int, default=40)
    parser.add_argument("--paced", type=float, default=1000.0, help="requests/s offered for the latency runs")
    parser.add_argument("--web-rate", type=float, default=500.0, help="website requests/s during the Telegram run")
    return parser.parse_args()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--bare":
        bare_server(int(sys.argv[2]), sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "--load":
        result = asyncio.run(load_client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]),
                                         float(sys.argv[6])))
        print(json.dumps(result))
    else:
        sys.exit(asyncio.run(main(parse_args())))
