"""An author's recent comments in one read, as the intake's gates and checks look at them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, bindparam, cast, func, literal_column, null, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.states import CommentStatus
from storage.models import Comment

S = CommentStatus

SAME_TEXT_STATUSES = (S.AWAITING_CAPTCHA.value, S.PENDING.value, S.APPROVED.value)
# What the rate limit counts: comments that passed the checks (waiting for their captcha, with the
# moderators, or decided by them) — not texts the checks turned away, nor captchas never finished.
RATE_COUNTED = (S.AWAITING_CAPTCHA.value, S.PENDING.value, S.APPROVED.value, S.REJECTED.value)
RATE_ROWS = 1000  # the rate limit's rows at most (any limit is far below)
TEXT_ROWS = 50  # the duplicate rule's recent texts at most


@dataclass(frozen=True, slots=True)
class AuthorComment:
    """One of the author's comments, as the intake's gates look at it."""

    id: int
    token: str
    status: str
    article_id: int
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AuthorRecent:
    """What the intake's gates and checks need of one author's comments (`author_recent`)."""

    same_text: AuthorComment | None  # the newest still-alive comment with this text on this article (same parent)
    newest: AuthorComment | None  # the newest comment, whatever its status
    failures: int  # captchas failed (tries used up) since ``failures_since``
    last_failure: datetime | None
    counted: list[datetime]  # when the rate-counted comments since ``rate_since`` were written, oldest first
    texts: list[tuple[str, datetime]]  # recent normalised texts and times, newest first (the duplicate rule)


_T = Comment.__table__.c
_NULL_TEXT = cast(null(), Text)
_NULL_INT = cast(null(), _T.id.type)
_NULL_TIME = cast(null(), _T.created_at.type)


_COLUMNS = ("id", "token", "status", "article_id", "text", "normalized", "created_at", "changed_at")


def _part(tag: str, *columns: Any) -> list[Any]:
    """One part's columns, labelled alike (every part has the same columns, NULL where it has none)."""
    return [literal_column(f"'{tag}'", String).label("part"),
            *(column.label(name) for column, name in zip(columns, _COLUMNS, strict=True))]


def _statement(top_level: bool) -> Any:
    """The five SELECTs joined by UNION ALL, built once per shape (a comment on the article or a reply):
    building it anew for each comment (its subqueries' column collections, its cache key) cost more CPU
    than running it. The values are bound parameters."""
    mine = Comment.author_id == bindparam("author_id")
    row = (Comment.id, Comment.token, Comment.status, Comment.article_id, Comment.text)
    parts = [
        # newest by time, in the order of the author's (author_id, created_at) index: by id alone SQLite
        # sorted every comment the author ever wrote to find one
        select(*_part("n", *row, _NULL_TEXT, Comment.created_at, _NULL_TIME))
        .where(mine).order_by(Comment.created_at.desc(), Comment.id.desc()).limit(1),
        select(*_part("s", *row, _NULL_TEXT, Comment.created_at, _NULL_TIME))
        .where(mine, Comment.article_id == bindparam("article_id"),
               Comment.parent_id.is_(None) if top_level else Comment.parent_id == bindparam("parent_id"),
               Comment.normalized_text == bindparam("normalized_text"), Comment.status.in_(SAME_TEXT_STATUSES))
        .order_by(Comment.id.desc()).limit(1),
        select(*_part("f", func.count(), _NULL_TEXT, _NULL_TEXT, _NULL_INT, _NULL_TEXT, _NULL_TEXT, _NULL_TIME,
                      func.max(Comment.status_changed_at)))
        .where(mine, Comment.status == S.EXPIRED.value, Comment.reason == "captcha_failed",
               Comment.status_changed_at >= bindparam("failures_since", type_=_T.status_changed_at.type)),
        select(*_part("r", Comment.id, _NULL_TEXT, _NULL_TEXT, _NULL_INT, _NULL_TEXT, _NULL_TEXT, Comment.created_at,
                      _NULL_TIME))
        .where(mine, Comment.created_at >= bindparam("rate_since", type_=_T.created_at.type),
               Comment.status.in_(RATE_COUNTED))
        .order_by(Comment.created_at).limit(RATE_ROWS),
        # A comment whose captcha failed or ran out was never sent: resending it is not a duplicate.
        select(*_part("t", Comment.id, _NULL_TEXT, _NULL_TEXT, _NULL_INT, _NULL_TEXT, Comment.normalized_text,
                      Comment.created_at, _NULL_TIME))
        .where(mine, Comment.created_at >= bindparam("texts_since", type_=_T.created_at.type),
               Comment.status != S.EXPIRED.value)
        .order_by(Comment.id.desc()).limit(TEXT_ROWS),
    ]
    # Each part in its own subquery: SQLite allows no ORDER BY or LIMIT on a member of a compound SELECT.
    return union_all(*(select(*p.subquery().c) for p in parts))


_STATEMENTS = {True: _statement(True), False: _statement(False)}


async def author_recent(
    session: AsyncSession, author_id: int, article_id: int, parent_id: int | None, normalized_text: str, *,
    rate_since: datetime, texts_since: datetime, failures_since: datetime,
) -> AuthorRecent:
    """An author's recent comments as intake's gates and checks read them, in one statement: five
    SELECTs joined by UNION ALL, each with its own conditions, order and limit (what were five queries:
    the same text still alive, the newest comment, the captcha failures, the rate limit's comments,
    the duplicate rule's texts)."""
    params: dict[str, Any] = {"author_id": author_id, "article_id": article_id, "normalized_text": normalized_text,
                              "rate_since": rate_since, "texts_since": texts_since, "failures_since": failures_since}
    if parent_id is not None:
        params["parent_id"] = parent_id
    rows = (await session.execute(_STATEMENTS[parent_id is None], params)).all()
    found: dict[str, AuthorComment] = {}
    failures, last_failure = 0, None
    counted: list[tuple[datetime, int]] = []
    texts: list[tuple[int, str, datetime]] = []
    for part, ident, token, status, article, text, normalized, created, changed in rows:
        if part in ("n", "s"):
            found[part] = AuthorComment(ident, token, status, article, text, created)
        elif part == "f":
            failures, last_failure = int(ident or 0), changed
        elif part == "r":
            counted.append((created, ident))
        else:
            texts.append((ident, normalized, created))
    # UNION ALL keeps no order: each part's order is restored here.
    counted.sort()
    texts.sort(key=lambda t: t[0], reverse=True)
    return AuthorRecent(found.get("s"), found.get("n"), failures, last_failure, [at for at, _ in counted],
                        [(normalized, at) for _, normalized, at in texts])
