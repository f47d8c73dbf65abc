"""A queue view's page is counted and read in two statements: on PostgreSQL (READ COMMITTED) a decision
committed between them must not make the page say «all reviewed» while comments still wait."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select, update

from bot.moderation import card_updates
from bot.moderation import queue_view as qv
from bot.texts import moderation as t
from storage import migrate
from storage.db import Database
from storage.models import Article, Comment, QueueView, User
from storage.repos import moderation as repo
from tests import conftest

NOW = datetime(2026, 3, 20, 12, tzinfo=UTC)


@conftest.needs_pg
async def test_a_decision_between_the_count_and_the_page_does_not_empty_the_view(
        monkeypatch: pytest.MonkeyPatch) -> None:
    await conftest.reset_postgres(conftest.PG_URL)
    await migrate.upgrade_async(conftest.PG_URL)
    db = Database(conftest.PG_URL)
    try:
        async with db.transaction() as s:
            article = Article(token="a", dedupe_key="d", title="خبر")
            s.add_all([article, User(id=5, display_name="خواننده")])
            await s.flush()
            view = QueueView(chat_id=-100, page=1, created_at=NOW, message_id=77)
            s.add(view)
            await s.flush()
            await s.execute(insert(Comment), [
                {"token": f"t{i}", "article_id": article.id, "author_id": 5, "text": f"نظر {i}", "normalized_text": "x",
                 "status": "pending", "created_at": NOW, "status_changed_at": NOW, "queue_view_id": view.id}
                for i in range(6)])
            view_id = view.id
        read_page = repo.queue_rows
        raced = []

        async def decided_meanwhile(session: Any, view_id: int, offset: int, limit: int) -> list[repo.QueueRow]:
            if not raced:  # a moderator approves the only comment of page 2 right after the count
                raced.append(True)
                async with db.transaction() as other:
                    last = (await other.execute(select(Comment.id).order_by(Comment.id.desc()).limit(1))).scalar_one()
                    await other.execute(update(Comment).where(Comment.id == last).values(status="approved"))
            return await read_page(session, view_id, offset, limit)

        monkeypatch.setattr(card_updates.repo, "queue_rows", decided_meanwhile)
        deps: Any = SimpleNamespace(settings=SimpleNamespace(tz=ZoneInfo("Asia/Tehran")))
        async with db.transaction() as s:
            shown = await s.get(QueueView, view_id)
            assert shown is not None
            text, keyboard, empty = await card_updates.render_view(s, deps, shown)
        assert raced and not empty and text != t.QUEUE_EMPTY
        assert "۵ نظر در انتظار" in text and shown.page == 0  # the five left, on the page that now exists
        assert len([row for row in keyboard if row[0].callback_data.startswith("v1:ap:")]) == qv.PAGE_ITEMS
    finally:
        await db.close()
