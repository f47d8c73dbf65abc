"""The intake's one read of an author's recent comments (storage/repos/author_history.py ``author_recent``), on
SQLite and PostgreSQL: each of its five parts keeps its own conditions, order and limit."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from bot.states import CommentStatus as S
from storage.db import Database
from storage.models import Article, Comment, User
from storage.repos import author_history as history
from storage.repos import intake

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
AUTHOR = 4242


async def _seed(db: Database) -> tuple[int, int]:
    async with db.transaction() as s:
        articles = [Article(token=secrets.token_urlsafe(8), dedupe_key=secrets.token_hex(8), title=t) for t in "ab"]
        s.add_all([*articles, User(id=AUTHOR, display_name="مریم"), User(id=AUTHOR + 1, display_name="دیگری")])
        await s.flush()
        return articles[0].id, articles[1].id


async def _add(db: Database, article_id: int, status: S, ago: timedelta, normalized: str = "", *, author: int = AUTHOR,
               reason: str | None = None, changed_ago: timedelta | None = None, text: str = "نظر") -> int:
    async with db.transaction() as s:
        c = Comment(token=secrets.token_urlsafe(6), article_id=article_id, author_id=author, text=text,
                    normalized_text=normalized, status=status.value, created_at=NOW - ago, reason=reason,
                    status_changed_at=NOW - (changed_ago if changed_ago is not None else ago))
        s.add(c)
        await s.flush()
        return c.id


async def _read(db: Database, article_id: int, normalized: str, parent_id: int | None = None) -> history.AuthorRecent:
    async with db.transaction() as s:
        return await history.author_recent(s, AUTHOR, article_id, parent_id, normalized,
                                          rate_since=NOW - timedelta(minutes=10), texts_since=NOW - timedelta(days=1),
                                          failures_since=NOW - intake.FAILURE_MEMORY)


async def test_an_author_without_comments(db: Database) -> None:
    a, _ = await _seed(db)
    got = await _read(db, a, "x")
    assert got == history.AuthorRecent(None, None, 0, None, [], [])


async def test_each_part_keeps_its_conditions(db: Database) -> None:
    a, b = await _seed(db)
    await _add(db, a, S.APPROVED, timedelta(days=2), "old")  # outside every window
    await _add(db, a, S.EXPIRED, timedelta(hours=3), "f1", reason="captcha_failed")
    await _add(db, a, S.EXPIRED, timedelta(hours=2), "f2", reason="captcha_failed", changed_ago=timedelta(hours=1))
    await _add(db, a, S.EXPIRED, timedelta(minutes=50), "ran-out", reason="captcha_expired")
    await _add(db, a, S.EXPIRED, timedelta(days=3), "f-old", reason="captcha_failed", changed_ago=timedelta(days=2))
    pending = await _add(db, a, S.PENDING, timedelta(minutes=9), "same")
    await _add(db, b, S.APPROVED, timedelta(minutes=8), "same")  # another article
    await _add(db, a, S.REJECTED, timedelta(minutes=7), "rejected")
    await _add(db, a, S.AUTO_REJECTED, timedelta(minutes=6), "spam")  # not rate-counted, still a recent text
    await _add(db, a, S.APPROVED, timedelta(minutes=5), "same", author=AUTHOR + 1)  # another author
    newest = await _add(db, b, S.AUTO_REJECTED, timedelta(seconds=5), "long", text="x" * 5000)

    got = await _read(db, a, "same")
    assert got.same_text is not None and got.same_text.id == pending and got.same_text.status == S.PENDING.value
    assert got.newest is not None and (got.newest.id, got.newest.article_id, len(got.newest.text)) == (newest, b, 5000)
    assert got.newest.created_at == NOW - timedelta(seconds=5)
    assert (got.failures, got.last_failure) == (2, NOW - timedelta(hours=1))
    # the rate limit: awaiting/pending/approved/rejected in the last 10 minutes, oldest first
    assert got.counted == [NOW - timedelta(minutes=m) for m in (9, 8, 7)]
    # the duplicate rule: every status but expired in the last day, newest first
    assert got.texts == [("long", NOW - timedelta(seconds=5)), ("spam", NOW - timedelta(minutes=6)),
                         ("rejected", NOW - timedelta(minutes=7)), ("same", NOW - timedelta(minutes=8)),
                         ("same", NOW - timedelta(minutes=9))]
    assert (await _read(db, b, "same")).same_text is not None
    assert (await _read(db, a, "other")).same_text is None
    assert (await _read(db, a, "same", parent_id=pending)).same_text is None  # another parent


async def test_same_text_is_the_newest_alive(db: Database) -> None:
    a, _ = await _seed(db)
    await _add(db, a, S.APPROVED, timedelta(minutes=30), "t")
    awaiting = await _add(db, a, S.AWAITING_CAPTCHA, timedelta(minutes=20), "t")
    await _add(db, a, S.REJECTED, timedelta(minutes=10), "t")  # not alive
    got = await _read(db, a, "t")
    assert got.same_text is not None and got.same_text.id == awaiting


async def test_limits_keep_the_rows_each_rule_reads(db: Database) -> None:
    a, _ = await _seed(db)
    for i in range(history.TEXT_ROWS + 5):
        await _add(db, a, S.AUTO_REJECTED, timedelta(minutes=20, seconds=-i), f"t{i}")
    got = await _read(db, a, "x")
    assert len(got.texts) == history.TEXT_ROWS
    assert got.texts[0][0] == f"t{history.TEXT_ROWS + 4}" and got.texts[-1][0] == "t5"  # the newest 50
    assert got.counted == []
