"""The reads on a comment's path cost the same however many comments the article, the author or the
database holds: counted in SQLite's virtual-machine steps (its progress handler), on a database migrated
as an operator's is, before and after a thousand more comments. Without the right index SQLite's planner,
which has no statistics, walked every comment of the article (a new comment's read of its author's
history: 1.1 ms of its 1.2 ms with 2,000 comments on the article) or sorted all of them (the article view)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.states import CommentStatus as S
from storage import migrate
from storage.db import Database
from storage.models import Article, Captcha, Comment, User
from storage.repos import author_history as history
from storage.repos import intake

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
AUTHOR = 7
STEP = 10  # the progress handler is called every STEP virtual-machine instructions

Read = Callable[[AsyncSession], Awaitable[Any]]


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'khabar.db'}"
    await migrate.upgrade_async(url)
    database = Database(url)
    try:
        yield database
    finally:
        await database.close()


async def _seed(db: Database) -> tuple[int, int]:
    """Two articles, the author and one comment of theirs on the first, waiting for its captcha."""
    async with db.transaction() as s:
        articles = [Article(token=secrets.token_urlsafe(8), dedupe_key=secrets.token_hex(8), title=t) for t in "ab"]
        s.add_all([*articles, User(id=AUTHOR, display_name="مریم")])
        await s.flush()
        comment = Comment(token="mine", article_id=articles[0].id, author_id=AUTHOR, text="نظر من",
                          normalized_text="نظر من", status=S.AWAITING_CAPTCHA.value, created_at=NOW)
        s.add(comment)
        await s.flush()
        s.add(Captcha(comment_id=comment.id, a=2, b=3, options=[], expires_at=NOW + timedelta(minutes=5),
                      chat_id=AUTHOR, message_id=10))
        return articles[0].id, articles[1].id


STATUSES = (S.APPROVED, S.PENDING, S.EXPIRED, S.AWAITING_CAPTCHA, S.REJECTED)


async def _others(db: Database, article_id: int, first: int, count: int) -> None:
    """``count`` comments by as many other readers on the article, in every status (expired ones failed
    their captcha), each approved one decided."""
    async with db.transaction() as s:
        await s.execute(insert(User), [{"id": 1000 + first + i, "display_name": "خواننده"} for i in range(count)])
        rows = []
        for i in range(count):
            status = STATUSES[i % len(STATUSES)]
            rows.append({"token": f"t{first + i}", "article_id": article_id, "author_id": 1000 + first + i,
                         "text": f"نظر {i}", "normalized_text": f"نظر {i}", "status": status.value,
                         "reason": "captcha_failed" if status is S.EXPIRED else None,
                         "created_at": NOW - timedelta(minutes=i % 50), "status_changed_at": NOW,
                         "decided_at": NOW - timedelta(seconds=i) if status is S.APPROVED else None})
        await s.execute(insert(Comment), rows)


async def _own_past(db: Database, article_id: int, first: int, count: int) -> None:
    """``count`` old approved comments by the author on another article (a prolific reader)."""
    async with db.transaction() as s:
        await s.execute(insert(Comment), [
            {"token": f"o{first + i}", "article_id": article_id, "author_id": AUTHOR, "text": "قدیمی",
             "normalized_text": f"قدیمی {first + i}", "status": S.APPROVED.value,
             "created_at": NOW - timedelta(days=30, minutes=first + i), "status_changed_at": NOW - timedelta(days=30)}
            for i in range(count)])


async def _steps(db: Database, read: Read) -> int:
    """Virtual-machine steps (in units of STEP) SQLite runs for ``read``, in one transaction."""
    async with db.transaction() as s:
        raw = await (await s.connection()).get_raw_connection()
        conn = raw.driver_connection._conn  # type: ignore[union-attr]
        steps = 0

        def count() -> int:
            nonlocal steps
            steps += 1
            return 0

        conn.set_progress_handler(count, STEP)
        try:
            await read(s)
        finally:
            conn.set_progress_handler(None, STEP)
    return steps


def _recent(article_id: int, parent_id: int | None = None) -> Read:
    async def read(s: AsyncSession) -> Any:
        return await history.author_recent(s, AUTHOR, article_id, parent_id, "نظر من",
                                          rate_since=NOW - timedelta(minutes=10), texts_since=NOW - timedelta(days=1),
                                          failures_since=NOW - intake.FAILURE_MEMORY)
    return read


def _open_captchas(s: AsyncSession) -> Awaitable[Any]:
    return intake.open_captchas_in_context(s, AUTHOR, NOW)


def _first_page(article_id: int) -> Read:
    async def read(s: AsyncSession) -> Any:
        return await intake.approved_page(s, article_id, 0, 5)
    return read


async def _grows(db: Database, reads: dict[str, Read], more: Callable[[], Awaitable[None]]) -> dict[str, tuple[int, int]]:
    """Each read's steps before and after ``more``: the reads that grew by more than half."""
    before = {name: await _steps(db, read) for name, read in reads.items()}
    await more()
    after = {name: await _steps(db, read) for name, read in reads.items()}
    return {name: (before[name], after[name]) for name in reads if after[name] > before[name] * 1.5 + 20}


@pytest.mark.sqlite_only(reason="counts SQLite's own virtual-machine steps; PostgreSQL plans by its statistics")
async def test_a_comments_reads_do_not_walk_the_articles_comments(db: Database) -> None:
    a, _ = await _seed(db)
    await _others(db, a, 0, 100)
    reads = {"author's history": _recent(a), "author's history, a reply": _recent(a, parent_id=1),
             "open captchas": _open_captchas, "article view, first page": _first_page(a)}
    grown = await _grows(db, reads, lambda: _others(db, a, 100, 1500))
    assert grown == {}, f"steps before → after 1,500 more comments on the article: {grown}"
    # and the reads still find what they should
    async with db.transaction() as s:
        recent = await _recent(a)(s)
        assert recent.same_text is not None and recent.same_text.token == "mine"
        assert [c.token for _, c, _ in await _open_captchas(s)] == ["mine"]
        assert [c.status for c in await _first_page(a)(s)] == [S.APPROVED.value] * 5


@pytest.mark.sqlite_only(reason="counts SQLite's own virtual-machine steps; PostgreSQL plans by its statistics")
async def test_a_prolific_authors_history_is_read_by_its_index(db: Database) -> None:
    a, b = await _seed(db)
    await _own_past(db, b, 0, 100)
    grown = await _grows(db, {"author's history": _recent(a)}, lambda: _own_past(db, b, 100, 1500))
    assert grown == {}, f"steps before → after 1,500 more of the author's own old comments: {grown}"
    async with db.transaction() as s:
        recent = await _recent(a)(s)
        assert recent.newest is not None and recent.newest.token == "mine"  # the newest by time, not the first found
