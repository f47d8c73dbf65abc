"""Comment rows and the one conditional update that moves their status."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.states import CommentStatus, check_move
from storage.models import Captcha, Comment
from storage.models.base import utcnow

_T = Comment.__table__.c
# A status move's UPDATE for each (from, to, fields written, RETURNING or not), built the first time it is
# needed, with bound values: building a statement costs more CPU than running it (bench/pipeline.py).
_MOVES: dict[tuple[str, str, tuple[str, ...], bool], Any] = {}


def _move(expected: CommentStatus, new: CommentStatus, fields: tuple[str, ...], returning: bool) -> Any:
    key = (expected.value, new.value, fields, returning)
    stmt = _MOVES.get(key)
    if stmt is None:
        values = {name: bindparam(f"p_{name}", type_=_T[name].type) for name in fields}
        stmt = (
            update(Comment)
            .where(Comment.id == bindparam("p_id"), Comment.status == expected.value)
            .values(status=new.value, status_changed_at=bindparam("p_changed", type_=_T.status_changed_at.type),
                    **values)
        )
        if returning:
            stmt = stmt.returning(Comment).execution_options(synchronize_session=False, populate_existing=True)
        else:
            stmt = stmt.execution_options(synchronize_session=False)
        _MOVES[key] = stmt
    return stmt


def _params(comment_id: int, now: datetime | None, fields: dict[str, Any]) -> dict[str, Any]:
    params = {f"p_{name}": value for name, value in fields.items()}
    params["p_id"] = comment_id
    params["p_changed"] = now or utcnow()
    return params


async def transition(
    session: AsyncSession,
    comment_id: int,
    expected: CommentStatus,
    new: CommentStatus,
    *,
    now: datetime | None = None,
    **fields: Any,
) -> bool:
    """Move a comment from ``expected`` to ``new``; False if another actor moved it first.

    ``UPDATE … WHERE id = :id AND status = :expected``: of two concurrent callers exactly one
    sees a row count of 1. Forbidden moves raise before touching the database.
    """
    check_move(expected, new)
    stmt = _move(expected, new, tuple(sorted(fields)), False)
    result = await session.execute(stmt, _params(comment_id, now, fields))
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def transition_to(
    session: AsyncSession,
    comment_id: int,
    expected: CommentStatus,
    new: CommentStatus,
    *,
    now: datetime | None = None,
    **fields: Any,
) -> Comment | None:
    """`transition`, returning the row as written (``UPDATE … RETURNING``: no read after the write);
    None if another actor moved it first (or there is no such comment)."""
    check_move(expected, new)
    stmt = _move(expected, new, tuple(sorted(fields)), True)
    return (await session.execute(stmt, _params(comment_id, now, fields))).scalars().one_or_none()


async def get(session: AsyncSession, comment_id: int) -> Comment | None:
    """The comment with this id, or None."""
    return await session.get(Comment, comment_id)


_BY_TOKEN = select(Comment).where(Comment.token == bindparam("p_token"))


async def by_token(session: AsyncSession, token: str) -> Comment | None:
    """The comment with this public reference token, or None."""
    return (await session.execute(_BY_TOKEN, {"p_token": token})).scalar_one_or_none()


async def count_recent_by_author(session: AsyncSession, author_id: int, since: datetime) -> int:
    """How many comments an author started since ``since`` (for the rate limit)."""
    stmt = select(func.count()).where(Comment.author_id == author_id, Comment.created_at >= since)
    return int((await session.execute(stmt)).scalar_one())


_COMMENT_ID = bindparam("p_comment", type_=_T.id.type)
_NEWER = (
    select(Comment.id)
    .where(Comment.author_id == select(Comment.author_id).where(Comment.id == _COMMENT_ID).scalar_subquery(),
           Comment.id > _COMMENT_ID)
    .exists()
)
_RECEIPT_MESSAGE = select(Captcha.message_id).where(
    Captcha.comment_id == _COMMENT_ID, Captcha.chat_id == bindparam("p_chat"), Captcha.solved_at.is_not(None),
    Captcha.message_id.is_not(None), ~_NEWER,
)


async def receipt_message(session: AsyncSession, comment_id: int, chat_id: int) -> int | None:
    """The message in ``chat_id`` that shows this comment's receipt (its solved captcha), while it is
    the author's newest: None once they have written another comment since, whose messages lie below."""
    params = {"p_comment": comment_id, "p_chat": chat_id}
    found = (await session.execute(_RECEIPT_MESSAGE, params)).scalar_one_or_none()
    return int(found) if found is not None else None
