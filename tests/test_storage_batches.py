"""The batched writes of one decision (issue 15): a conditional UPDATE that returns the row, several
outbox rows in one INSERT, the model's counts as written — SQLite and PostgreSQL alike."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime

from sqlalchemy import select

from bot.checks.learned import MIN_EACH, features
from bot.states import CommentStatus as S
from storage.db import Database
from storage.models import Article, Comment, Delivery, User
from storage.repos import comments, learning, outbox

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


async def _seed_comment(db: Database) -> int:
    async with db.transaction() as s:
        article = Article(token=secrets.token_urlsafe(8), dedupe_key=secrets.token_hex(8), title="خبر")
        user = User(id=1000 + secrets.randbelow(10**6), display_name="مریم")
        s.add_all([article, user])
        await s.flush()
        comment = Comment(token=secrets.token_urlsafe(6), article_id=article.id, author_id=user.id, text="نظر",
                          status=S.PENDING.value)
        s.add(comment)
        await s.flush()
        return comment.id


async def test_transition_to_returns_the_row_as_written_to_exactly_one_of_two_deciders(db: Database) -> None:
    ids = [await _seed_comment(db) for _ in range(5)]

    async def decide(cid: int, new: S, who: int) -> Comment | None:
        async with db.transaction() as s:
            return await comments.transition_to(s, cid, S.PENDING, new, now=NOW, moderator_id=who, decided_at=NOW)

    for cid in ids:
        first, second = await asyncio.gather(decide(cid, S.APPROVED, 1), decide(cid, S.REJECTED, 2))
        assert (first is None) != (second is None)
        won = first or second
        assert won is not None and won.id == cid
        assert (won.status, won.moderator_id) == ((S.APPROVED.value, 1) if first else (S.REJECTED.value, 2))
        async with db.transaction() as s:
            row = await comments.get(s, cid)
            assert row is not None and row.status == won.status and row.decided_at == NOW
    async with db.transaction() as s:
        assert await comments.transition_to(s, 10**9, S.PENDING, S.APPROVED, now=NOW) is None  # no such comment


async def test_enqueue_many_records_new_keys_in_order_and_names_them(db: Database) -> None:
    async with db.transaction() as s:
        assert await outbox.enqueue(s, kind="notice", dedupe_key="n:1", chat_key=5, payload={"old": True}, now=NOW)
        rows = [outbox.row(kind="comment_publish", dedupe_key="p:1", chat_key=-100, payload={"a": 1}, now=NOW,
                           article_id=None, comment_id=None),
                outbox.row(kind="notice", dedupe_key="n:1", chat_key=5, payload={"new": True}, now=NOW),
                outbox.row(kind="card_edit", dedupe_key="e:1", chat_key=-200, payload={"b": 2}, now=NOW)]
        assert await outbox.enqueue_many(s, rows) == {"p:1", "e:1"}
        assert await outbox.enqueue_many(s, rows) == set()  # idempotent: every intent is recorded once
        assert await outbox.enqueue_many(s, []) == set()
    async with db.transaction() as s:
        found = list((await s.execute(select(Delivery).order_by(Delivery.id))).scalars())
    assert [(d.dedupe_key, d.payload, d.status, d.chat_key) for d in found] == [
        ("n:1", {"old": True}, "queued", "5"), ("p:1", {"a": 1}, "queued", "-100"), ("e:1", {"b": 2}, "queued", "-200")]


async def test_teaching_gives_the_counts_a_read_would(db: Database) -> None:
    text = "نظری دربارهٔ گرانی نان در تهران"
    async with db.transaction() as s:
        for i in range(2 * MIN_EACH + 2):
            assert await learning.teach(s, f"import:{i}", f"متن شمارهٔ {i} {text}", rejected=i % 2 == 0, reason=None,
                                        source="import", now=NOW)
        taught = await learning.learn_decision(s, 7, text, rejected=True, reason="insult", now=NOW)
        assert taught is not None
        read = await learning.counts_for(s, features(text))
        assert taught == read and taught.ready
        assert learning.estimate_from(taught, text) == await learning.estimate_text(s, text)
        assert await learning.learn_decision(s, 7, text, rejected=True, reason="insult", now=NOW) is None  # once


async def test_a_list_of_estimates_is_what_one_read_each_would_give(db: Database) -> None:
    texts = ["نظری دربارهٔ گرانی نان در تهران", "مترو را زودتر تکمیل کنند", "احمق‌ها همه دروغ می‌گویند", ""]
    async with db.transaction() as s:
        assert await learning.estimate_texts(s, texts) == [None] * len(texts)  # no model yet
        assert await learning.estimate_texts(s, []) == []
        for i in range(2 * MIN_EACH + 2):
            assert await learning.teach(s, f"import:{i}", f"{texts[i % 3]} شمارهٔ {i}", rejected=i % 2 == 0,
                                        reason=None, source="import", now=NOW)
        together = await learning.estimate_texts(s, texts)
        assert together == [await learning.estimate_text(s, text) for text in texts]
        assert any(e is not None for e in together)
