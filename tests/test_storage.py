"""Storage on real databases: migrations, the status machine's conditional updates, outbox, leases."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.states import CommentStatus as S
from bot.states import TransitionError
from storage import migrate
from storage.db import Database
from storage.models import Article, Comment, Delivery, User
from storage.repos import comments, leases, outbox

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


async def _seed_comment(db: Database, status: S = S.PENDING) -> int:
    async with db.transaction() as s:
        article = Article(token=secrets.token_urlsafe(8), dedupe_key=secrets.token_hex(8), title="خبر")
        user = User(id=1000 + secrets.randbelow(10**6), display_name="مریم")
        s.add_all([article, user])
        await s.flush()
        comment = Comment(
            token=secrets.token_urlsafe(6), article_id=article.id, author_id=user.id, text="نظر", status=status
        )
        s.add(comment)
        await s.flush()
        return comment.id


async def test_migrations_from_empty_match_the_models(db_url: str) -> None:
    await migrate.upgrade_async(db_url)
    assert await migrate.current_revision(db_url) == migrate.head_revision()
    assert await migrate.is_up_to_date(db_url)
    assert await migrate.pending_model_changes(db_url) == []


def test_head_revision_read_from_the_files_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    assert migrate.head_revision() == ScriptDirectory.from_config(migrate.alembic_config("sqlite://")).get_current_head()


def test_head_revision_after_a_branch_and_its_merge_is_alembics(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    versions = tmp_path / "versions"
    versions.mkdir()
    scripts = {
        "a1": "revision = 'a1'\ndown_revision = None\n",
        "b2": "revision: str = 'b2'  # one branch\ndown_revision: str | None = 'a1'\n",
        "c2": 'revision = "c2"\ndown_revision = "a1"\n',
        "m3": "revision = 'm3'\ndown_revision = ('b2', 'c2')  # the merge\n",
    }
    for name, head in scripts.items():
        (versions / f"{name}.py").write_text(f'"""{name}"""\n{head}branch_labels = None\n\n\n'
                                             "def upgrade() -> None:\n    pass\n", encoding="utf-8")
    assert migrate.head_revision(versions) == ScriptDirectory(str(tmp_path)).get_current_head() == "m3"
    (versions / "m3.py").unlink()
    with pytest.raises(RuntimeError, match="several heads"):
        migrate.head_revision(versions)


async def test_revision_is_read_as_alembic_records_it(db_url: str) -> None:
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy.engine import Connection

    from storage.db import make_engine

    await migrate.upgrade_async(db_url, "0010")
    engine = make_engine(db_url)
    try:
        async with engine.connect() as conn:
            def alembics(c: Connection) -> str | None:
                return MigrationContext.configure(c).get_current_revision()
            assert await conn.run_sync(alembics) == "0010"
    finally:
        await engine.dispose()
    assert await migrate.current_revision(db_url) == "0010"
    assert not await migrate.is_up_to_date(db_url)


async def test_empty_database_is_not_up_to_date(db_url: str) -> None:
    assert await migrate.current_revision(db_url) is None
    assert not await migrate.is_up_to_date(db_url)


async def test_allowed_transition_moves_and_records_time(db: Database) -> None:
    cid = await _seed_comment(db)
    async with db.transaction() as s:
        assert await comments.transition(s, cid, S.PENDING, S.APPROVED, now=NOW, moderator_id=7)
    async with db.transaction() as s:
        row = await comments.get(s, cid)
        assert row is not None
        assert (row.status, row.moderator_id, row.status_changed_at) == ("approved", 7, NOW)


async def test_transition_from_wrong_status_loses(db: Database) -> None:
    cid = await _seed_comment(db, S.REJECTED)
    async with db.transaction() as s:
        assert not await comments.transition(s, cid, S.PENDING, S.APPROVED)
        assert (await comments.get(s, cid)).status == "rejected"  # type: ignore[union-attr]


async def test_forbidden_transition_raises_before_writing(db: Database) -> None:
    cid = await _seed_comment(db, S.AUTO_REJECTED)
    async with db.transaction() as s:
        with pytest.raises(TransitionError):
            await comments.transition(s, cid, S.AUTO_REJECTED, S.APPROVED)


async def test_two_concurrent_deciders_exactly_one_wins(db: Database) -> None:
    ids = [await _seed_comment(db) for _ in range(10)]

    async def decide(cid: int, new: S, who: int) -> bool:
        async with db.transaction() as s:
            return await comments.transition(s, cid, S.PENDING, new, moderator_id=who)

    for cid in ids:
        results = await asyncio.gather(decide(cid, S.APPROVED, 1), decide(cid, S.REJECTED, 2))
        assert sorted(results) == [False, True]
        async with db.transaction() as s:
            row = await comments.get(s, cid)
            assert row is not None
            winner = S.APPROVED if results[0] else S.REJECTED
            assert row.status == winner.value


async def test_outbox_enqueue_is_idempotent_and_claims_are_disjoint(db: Database) -> None:
    async with db.transaction() as s:
        assert await outbox.enqueue(s, kind="notify", dedupe_key="k1", chat_key=5, payload={"a": 1}, now=NOW)
        assert not await outbox.enqueue(s, kind="notify", dedupe_key="k1", chat_key=5, payload={"a": 2}, now=NOW)
        for i in range(2, 8):
            await outbox.enqueue(s, kind="notify", dedupe_key=f"k{i}", chat_key=i, payload={}, now=NOW)

    async def claim(owner: str) -> list[int]:
        async with db.transaction() as s:
            rows = await outbox.claim_due(s, owner=owner, now=NOW, lease=timedelta(seconds=60), limit=10)
            return [r.id for r in rows]

    a, b = await asyncio.gather(claim("a"), claim("b"))
    assert len(a) + len(b) == 7
    assert not set(a) & set(b)


async def test_outbox_expired_claim_is_taken_over_and_stale_owner_cannot_finish(db: Database) -> None:
    async with db.transaction() as s:
        await outbox.enqueue(s, kind="notify", dedupe_key="x", chat_key=1, payload={}, now=NOW)
        (row,) = await outbox.claim_due(s, owner="dead", now=NOW, lease=timedelta(seconds=30), limit=5)
    later = NOW + timedelta(seconds=31)
    async with db.transaction() as s:
        (again,) = await outbox.claim_due(s, owner="alive", now=later, lease=timedelta(seconds=30), limit=5)
        assert again.id == row.id and again.attempts == 2
    async with db.transaction() as s:
        assert not await outbox.mark_sent(s, row.id, "dead", 10, later)
        assert await outbox.mark_sent(s, row.id, "alive", 11, later)
    async with db.transaction() as s:
        stored = (await s.execute(select(Delivery).where(Delivery.id == row.id))).scalar_one()
        assert (stored.status, stored.message_id) == ("sent", 11)


async def test_outbox_retry_waits_until_due(db: Database) -> None:
    async with db.transaction() as s:
        await outbox.enqueue(s, kind="notify", dedupe_key="r", chat_key=1, payload={}, now=NOW)
        (row,) = await outbox.claim_due(s, owner="w", now=NOW, lease=timedelta(seconds=30), limit=5)
        await outbox.mark_retry(s, row.id, "w", NOW + timedelta(seconds=10), "429")
    async with db.transaction() as s:
        assert await outbox.claim_due(s, owner="w", now=NOW + timedelta(seconds=5), lease=timedelta(30), limit=5) == []
        assert await outbox.next_due_at(s) == NOW + timedelta(seconds=10)
        assert len(await outbox.claim_due(s, owner="w", now=NOW + timedelta(seconds=10), lease=timedelta(30), limit=5)) == 1


async def test_lease_is_exclusive_until_it_expires(db: Database) -> None:
    ttl = timedelta(seconds=30)
    async with db.transaction() as s:
        assert await leases.acquire(s, "feeds", "a", ttl, NOW)
    async with db.transaction() as s:
        assert not await leases.acquire(s, "feeds", "b", ttl, NOW + timedelta(seconds=5))
        assert await leases.acquire(s, "feeds", "a", ttl, NOW + timedelta(seconds=5))
    async with db.transaction() as s:
        assert await leases.acquire(s, "feeds", "b", ttl, NOW + timedelta(seconds=40))


async def test_utc_times_round_trip_and_naive_is_refused(db: Database) -> None:
    cid = await _seed_comment(db)
    async with db.transaction() as s:
        row = await comments.get(s, cid)
        assert row is not None and row.created_at.tzinfo is not None
    with pytest.raises(Exception, match="naive"):
        async with db.transaction() as s:
            await comments.transition(s, cid, S.PENDING, S.APPROVED, decided_at=datetime(2026, 1, 1))
