"""What a /metrics scrape and a /healthz check cost on a large database (SQLite file; PostgreSQL too
when KHABAR_TEST_POSTGRES_URL is set): the COUNT queries run at scrape time, and the page render.

On PostgreSQL it makes (and drops) a database of its own on the server KHABAR_TEST_POSTGRES_URL names.
Usage: .venv/bin/python bench/monitoring.py [--comments 200000] [--deliveries 400000] [--runs 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url

from bot.metrics import Metrics
from storage.db import Database
from storage.models import Article, Base, Comment, Delivery, User
from storage.repos import monitoring

BENCH_DB = f"khabar_bench_{os.getpid()}"  # its own database, dropped at the end
STATUSES = ["approved"] * 70 + ["rejected"] * 10 + ["auto_rejected"] * 12 + ["pending"] * 3 + ["expired"] * 5


async def fill(db: Database, comments: int, deliveries: int) -> None:
    now = datetime.now(UTC)
    async with db.engine.begin() as conn:
        await conn.run_sync(Base.metadata.drop_all)
        await conn.run_sync(Base.metadata.create_all)
    async with db.transaction() as session:
        await session.execute(insert(Article).values(id=1, token="bench", dedupe_key="bench", title="t", created_at=now,
                                                     published_at=now))
        await session.execute(insert(User), [{"id": 1000 + u, "display_name": f"u{u}"} for u in range(1000)])
    step = 20000
    for start in range(0, comments, step):
        rows = [{"token": f"c{n}", "article_id": 1, "author_id": 1000 + n % 1000, "text": "نظر", "status":
                 STATUSES[n % len(STATUSES)], "created_at": now - timedelta(seconds=n), "status_changed_at": now,
                 "checks": {}} for n in range(start, min(comments, start + step))]
        async with db.transaction() as session:
            await session.execute(insert(Comment), rows)
    for start in range(0, deliveries, step):
        rows = [{"kind": "notify", "dedupe_key": f"d{n}", "chat_key": str(n % 500), "payload": {},
                 "status": "queued" if n % 100 == 0 else "sent", "created_at": now - timedelta(seconds=n),
                 "next_attempt_at": now} for n in range(start, min(deliveries, start + step))]
        async with db.transaction() as session:
            await session.execute(insert(Delivery), rows)
    if db.dialect == "postgresql":
        async with db.engine.connect() as conn:
            await conn.execute(text("COMMIT"))
            await conn.execute(text("ANALYZE"))


async def measure(db: Database, runs: int) -> dict[str, float]:
    metrics = Metrics()
    scrape, ping, render = [], [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        async with db.transaction() as session:
            by_status = await monitoring.comments_by_status(session)
            backlog = await monitoring.outbox_backlog(session)
        t1 = time.perf_counter()
        metrics.read_database(by_status, backlog, datetime.now(UTC))
        metrics.render()
        t2 = time.perf_counter()
        async with db.transaction() as session:
            await monitoring.ping(session)
        t3 = time.perf_counter()
        scrape.append(t1 - t0)
        render.append(t2 - t1)
        ping.append(t3 - t2)
    return {"scrape queries ms": 1000 * statistics.median(scrape), "render ms": 1000 * statistics.median(render),
            "healthz query ms": 1000 * statistics.median(ping)}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--deliveries", type=int, default=400_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        urls = [("SQLite", f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")]
        server = os.environ.get("KHABAR_TEST_POSTGRES_URL")
        if server:
            urls.append(("PostgreSQL", make_url(server).set(database=BENCH_DB).render_as_string(hide_password=False)))
            await _pg_admin(server, f'CREATE DATABASE "{BENCH_DB}"')
        try:
            for name, url in urls:
                db = Database(url)
                try:
                    started = time.perf_counter()
                    await fill(db, args.comments, args.deliveries)
                    filled = time.perf_counter() - started
                    figures = await measure(db, args.runs)
                finally:
                    await db.close()
                shown = ", ".join(f"{k} {v:.1f}" for k, v in figures.items())
                print(f"{name}: {args.comments:,} comments, {args.deliveries:,} outbox rows (filled in {filled:.0f} s): "
                      f"median of {args.runs}: {shown}")
        finally:
            if server:
                await _pg_admin(server, f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')


async def _pg_admin(server: str, sql: str) -> None:
    """Run ``sql`` on the server's own database (creating and dropping the bench's database)."""
    url = make_url(server)
    conn = await asyncpg.connect(host=url.host, port=url.port or 5432, user=url.username, password=url.password,
                                 database=url.database)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


if __name__ == "__main__":
    asyncio.run(main())
