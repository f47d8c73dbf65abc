"""Articles looked up the ways moderators name them, and their open/closed override."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checks.normalize import parse_number
from storage.models import Article, Comment

# A channel post link: t.me/<channel>/<message id> or t.me/c/<internal id>/<message id>.
POST_LINK = re.compile(r"(?:https?://)?t\.me/(?:c/\d+|[A-Za-z0-9_]{4,})/(\d{1,12})/?$")
MAX_REF = 200


async def find_article(session: AsyncSession, ref: str, channel_chat_id: int) -> Article | None:
    """The article a moderator means: its number, a comment's reference (from a card), its token, or its post link."""
    ref = ref.strip()[:MAX_REF]
    if not ref:
        return None
    link = POST_LINK.match(ref)
    if link is not None:
        stmt = select(Article).where(Article.channel_chat_id == channel_chat_id,
                                     Article.channel_message_id == int(link.group(1)))
        return (await session.execute(stmt)).scalars().first()
    number = parse_number(ref)  # «۱۲» and «١٢» as well as «12»
    if number is not None and 0 < number < 10**15:
        return await session.get(Article, number)
    comment = (await session.execute(select(Comment).where(Comment.token == ref))).scalar_one_or_none()
    if comment is not None:
        return await session.get(Article, comment.article_id)
    return (await session.execute(select(Article).where(Article.token == ref))).scalar_one_or_none()


async def set_override(session: AsyncSession, article_id: int, override: str, now: datetime) -> bool:
    """Set the moderator's choice; False if it was already so (a repeated command changes nothing)."""
    stmt = (
        update(Article)
        .where(Article.id == article_id, Article.comments_override.is_distinct_from(override))
        .values(comments_override=override, comments_override_at=now)
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(stmt)
    return bool(getattr(result, "rowcount", 0))


async def count_waiting(session: AsyncSession, article_id: int, statuses: tuple[str, ...]) -> int:
    """How many of the article's comments are in ``statuses`` (those still to be decided)."""
    stmt = select(func.count()).select_from(Comment).where(Comment.article_id == article_id, Comment.status.in_(statuses))
    return int((await session.execute(stmt)).scalar_one())
