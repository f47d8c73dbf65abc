"""Test data for moderation: articles, users and comments written straight into the database."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from bot.deps import Deps
from bot.states import CommentStatus
from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from storage.db import Database
from storage.models import Article, Comment, User

_seq = itertools.count(1)


async def article(
    db: Database,
    *,
    title: str = "افزایش قیمت نان در تهران",
    link: str | None = "https://example.com/news/1",
    discussion_chat_id: int | None = None,
    discussion_message_id: int | None = None,
    now: datetime | None = None,
) -> Article:
    """An article as if it had been posted (optionally with its discussion-group forward)."""
    n = next(_seq)
    row = Article(
        token=f"art{n:04d}tok",
        dedupe_key=f"test-article-{n}",
        title=title,
        link=link,
        discussion_chat_id=discussion_chat_id,
        discussion_message_id=discussion_message_id,
        delivery_state="posted",
    )
    if now is not None:
        row.created_at = row.published_at = now
    async with db.transaction() as session:
        session.add(row)
    return row


async def reader(fake: FakeTelegram, db: Database, name: str, username: str | None = None) -> FakeUser:
    """A fake user who pressed Start, known to the database right away."""
    person = fake.make_user(name, username)
    person.user.started = True
    await user(db, person.id, name, username)
    return person


async def user(
    db: Database, user_id: int, name: str = "خواننده", username: str | None = None, *, started: bool = True, **fields: Any
) -> User:
    """A reader known to the bot (``started``: pressed Start, so the bot may write to them)."""
    async with db.transaction() as session:
        row = await session.get(User, user_id)
        if row is None:
            row = User(id=user_id, display_name=name, username=username, started_bot=started, **fields)
            session.add(row)
        else:
            row.display_name, row.username, row.started_bot = name, username, started
            for key, value in fields.items():
                setattr(row, key, value)
    return row


async def comment(
    db: Database,
    art: Article,
    author_id: int,
    text: str = "به نظرم این تصمیم درست نیست و باید دوباره بررسی شود.",
    *,
    parent: Comment | None = None,
    status: CommentStatus = CommentStatus.PENDING,
    checks: dict[str, Any] | None = None,
    created_at: datetime | None = None,
    **fields: Any,
) -> Comment:
    """A comment in ``status`` (pending by default), as intake would leave it."""
    n = next(_seq)
    row = Comment(
        token=f"c{n:05d}tok",
        article_id=art.id,
        parent_id=parent.id if parent else None,
        author_id=author_id,
        text=text,
        normalized_text=text,
        status=status.value,
        checks=checks or {},
        **fields,
    )
    if created_at is not None:
        row.created_at = row.status_changed_at = created_at
        row.submitted_at = created_at
    async with db.transaction() as session:
        session.add(row)
    return row


async def pending(deps: Deps, art: Article, author_id: int, text: str | None = None, **kw: Any) -> Comment:
    """A pending comment, announced with ``comment_pending`` as intake does."""
    row = await comment(deps.db, art, author_id, text or f"نظر آزمایشی شمارهٔ {next(_seq)} دربارهٔ این خبر", **kw)
    deps.events.emit("comment_pending", row.id)
    return row
