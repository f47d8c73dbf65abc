"""Slow mode in a surge (issue 18, item 2): the intake's gate, and the surge lines /queue shows."""

from __future__ import annotations

import html
import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import slow_mode
from bot.deps import Deps
from bot.intake.wording import duration
from bot.jalali import fa_digits
from bot.moderation.card import clip
from bot.moderation.service_decide import AUTO_MODERATOR
from bot.texts import tools as t
from storage.models import Article
from storage.repos import intake as intake_repo
from storage.repos import moderation as audit
from storage.repos import surge as repo

log = logging.getLogger(__name__)
ACTION = "slowed"  # the audit row of a comment refused by slow mode


async def gate(session: AsyncSession, deps: Deps, author_id: int, article: Article, now: datetime) -> str | None:
    """The refusal (HTML) when the article is in a surge and the author wrote on it too recently; else None."""
    per_minute = deps.settings.surge_comments_per_minute
    if per_minute <= 0:
        return None
    minutes = deps.settings.surge_slow_minutes
    last = await repo.author_last_on(session, author_id, article.id, now - timedelta(minutes=minutes))
    if last is None:
        return None  # checked first: most authors have not written on the article lately, one cheap query
    if not slow_mode.in_surge(await repo.article_count_since(session, article.id, now - slow_mode.WINDOW), per_minute):
        return None
    left = slow_mode.wait(last, now, minutes)
    if left is None:
        return None
    await audit.add_action(session, target_user_id=author_id, moderator_id=AUTO_MODERATOR, action=ACTION,
                           created_at=now, details={"article_id": article.id})
    log.info("comment refused by slow mode", extra={"article_id": article.id, "user_id": author_id})
    return t.SLOWED.format(title=html.escape(clip(article.title, 120)), minutes=duration(timedelta(minutes=minutes)),
                           wait=duration(left))


async def surge_lines(deps: Deps) -> list[str]:
    """/queue: the articles in a surge now, busiest first (none when slow mode is off)."""
    per_minute = deps.settings.surge_comments_per_minute
    if per_minute <= 0:
        return []
    async with deps.db.transaction() as session:
        busiest = await repo.busiest_since(session, deps.clock() - slow_mode.WINDOW, per_minute)
    minutes = duration(timedelta(minutes=deps.settings.surge_slow_minutes))
    return [t.QUEUE_SURGE.format(title=html.escape(clip(a.title, 80)), number=fa_digits(a.id), count=fa_digits(n),
                                 minutes=minutes) for a, n in busiest]


async def stats_line(session: AsyncSession, deps: Deps, since: datetime) -> str | None:
    """/stats: comments slow mode refused since ``since`` (None when slow mode is off and none were)."""
    count = await intake_repo.count_actions_since(session, ACTION, since)
    if not count and deps.settings.surge_comments_per_minute <= 0:
        return None
    return t.STATS_SLOWED.format(minutes=duration(timedelta(minutes=deps.settings.surge_slow_minutes)),
                                 count=fa_digits(count))
