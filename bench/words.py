"""Measure what the run-time word lists (issue 18, /words) add to each comment's intake.

Usage: python bench/words.py [--comments N]

Two costs: ``bot.words.apply`` on the checks' verdict (pure; lists of 0, 100 and 1000 entries), and
the version check every comment makes (one primary-key read; a reload only after a change), on a
SQLite file. The comments are made up here from a few Persian sentences (no real comments).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import words  # noqa: E402
from bot.checks.policy import Policy  # noqa: E402
from bot.checks.review import review  # noqa: E402
from bot.checks.spam import AuthorHistory  # noqa: E402

PARTS = ("قیمت نان", "دولت باید", "نانوایی‌های تهران", "به نظرم این تصمیم", "مردم کم‌درآمد", "اتحادیه",
         "آرد گران شده", "کارگران", "واقعاً سخت است", "فکری بکند", "در شمال باران", "مدیر احمق")


def comments(n: int, rng: random.Random) -> list[str]:
    return [" ".join(rng.choice(PARTS) for _ in range(rng.randint(4, 12))) for _ in range(n)]


def lists(size: int, rng: random.Random) -> words.WordLists:
    letters = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
    rows = []
    for i in range(size):
        entry = "".join(rng.choice(letters) for _ in range(rng.randint(4, 9)))
        category = words.CATEGORIES[i % 3]
        kind = words.BLOCK if i % 4 else words.ALLOW
        rows.append((category, kind, words.entry_key(category, kind, entry)))
    return words.WordLists.of(rows)


def per_comment_us(fn: object, items: list[object]) -> tuple[float, float]:
    times = []
    for item in items:
        start = time.perf_counter()
        fn(item)  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1e6)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


async def version_check(n: int) -> tuple[float, float]:
    from sqlalchemy import text

    from bot.moderation.service_words import Cache
    from storage.db import Database
    from storage.models import Base

    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite+aiosqlite:///{folder}/bench.db")
        async with db.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        cache = Cache()
        times = []
        for _ in range(n):
            start = time.perf_counter()
            async with db.transaction() as session:
                await cache.current(session)
            times.append((time.perf_counter() - start) * 1e6)
        empty = []
        for _ in range(n):  # the same transaction with a trivial query: what the check itself adds
            start = time.perf_counter()
            async with db.transaction() as session:
                await session.execute(text("select 1"))
            empty.append((time.perf_counter() - start) * 1e6)
        await db.close()
    return statistics.median(times) - statistics.median(empty), statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=2000)
    args = parser.parse_args()
    rng = random.Random(18)
    texts = comments(args.comments, rng)
    now = datetime.now(UTC)
    verdicts = [review(text, None, AuthorHistory(()), Policy(), now=now) for text in texts]
    print(f"word lists on {len(texts)} made-up comments (µs per comment, median / p99)")
    for size in (0, 100, 1000):
        given = lists(size, rng)
        median, p99 = per_comment_us(lambda v, g=given: words.apply(v, g, Policy()), list(verdicts))
        print(f"  apply, {size:4d} entries: {median:7.1f} / {p99:7.1f}")
    added, whole = asyncio.run(version_check(500))
    print(f"  version check (SQLite): {whole:.0f} µs median for a transaction doing it, {added:+.0f} µs against"
          " one doing «select 1»")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
