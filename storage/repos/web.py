"""Queries the website needs: articles by link, approved comments to show, captchas, bans, its key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.states import CommentStatus
from storage.models import Article, Comment, User, WebCaptcha, WebKey
from storage.repos.upsert import insert_for

S = CommentStatus


async def articles_by_link(session: AsyncSession, links: list[str], limit: int = 5) -> list[Article]:
    """Articles whose link is one of ``links`` (the page's URL in its usual spellings), newest first."""
    stmt = (
        select(Article)
        .where(Article.link.in_(links))
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())


async def approved_counts(session: AsyncSession, article_ids: list[int]) -> dict[int, int]:
    """Approved comments per article."""
    if not article_ids:
        return {}
    stmt = (
        select(Comment.article_id, func.count())
        .where(Comment.article_id.in_(article_ids), Comment.status == S.APPROVED.value)
        .group_by(Comment.article_id)
    )
    return {row[0]: int(row[1]) for row in (await session.execute(stmt)).all()}


async def approved_rows(session: AsyncSession, article_id: int, limit: int = 5000) -> list[Any]:
    """(id, parent_id, text, created_at, source, web_author, display name) of approved comments."""
    stmt = (
        select(Comment.id, Comment.parent_id, Comment.text, Comment.created_at, Comment.source, Comment.web_author,
               User.display_name)
        .outerjoin(User, User.id == Comment.author_id)
        .where(Comment.article_id == article_id, Comment.status == S.APPROVED.value)
        .order_by(Comment.id.desc())
        .limit(limit)
    )
    return list((await session.execute(stmt)).all())


async def set_web_fields(session: AsyncSession, comment_id: int, author: str, address: str) -> None:
    """Mark a comment as the website's, with the name given and the address key."""
    stmt = (
        update(Comment)
        .where(Comment.id == comment_id)
        .values(source="web", web_author=author, web_address=address)
        .execution_options(synchronize_session=False)
    )
    await session.execute(stmt)


async def address_banned_until(session: AsyncSession, address: str, now: datetime) -> datetime | None:
    """The latest ban end of any banned web author who wrote from this address, or None."""
    stmt = (
        select(func.max(User.banned_until))
        .select_from(Comment)
        .join(User, User.id == Comment.author_id)
        .where(Comment.web_address == address, User.banned_until > now)
    )
    value = (await session.execute(stmt)).scalar_one_or_none()
    return value if isinstance(value, datetime) else None


# ----- captchas ------------------------------------------------------------------------------------------
async def add_captcha(session: AsyncSession, **values: Any) -> WebCaptcha:
    """Store a new question."""
    captcha = WebCaptcha(**values)
    session.add(captcha)
    await session.flush()
    return captcha


async def use_captcha(session: AsyncSession, token: str, now: datetime) -> WebCaptcha | None:
    """Take the question for one answer: the row if it was unused and unexpired (it is used now), else None.

    ``UPDATE … WHERE used_at IS NULL``: of two requests replaying one captcha, exactly one wins.
    """
    stmt = (
        update(WebCaptcha)
        .where(WebCaptcha.token == token, WebCaptcha.used_at.is_(None), WebCaptcha.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if (await session.execute(stmt)).rowcount != 1:  # type: ignore[attr-defined]
        return None
    return (await session.execute(select(WebCaptcha).where(WebCaptcha.token == token))).scalar_one()


async def forget_captchas(session: AsyncSession, before: datetime) -> int:
    """Delete questions that expired before ``before``; how many."""
    result = await session.execute(delete(WebCaptcha).where(WebCaptcha.expires_at < before))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


# ----- key -----------------------------------------------------------------------------------------------
async def key(session: AsyncSession, name: str, fresh: str, now: datetime) -> str:
    """The stored value of ``name``; ``fresh`` is stored first if there is none (first start wins)."""
    stmt = insert_for(session, WebKey).values(name=name, value=fresh, created_at=now)
    await session.execute(stmt.on_conflict_do_nothing(index_elements=[WebKey.name]))
    return str((await session.execute(select(WebKey.value).where(WebKey.name == name))).scalar_one())


async def latest_checks(session: AsyncSession, user_id: int) -> dict[str, Any]:
    """The check results stored on the author's newest comment (empty when there is none)."""
    stmt = select(Comment.checks).where(Comment.author_id == user_id).order_by(Comment.id.desc()).limit(1)
    checks: dict[str, Any] = (await session.execute(stmt)).scalar_one_or_none() or {}
    return checks
