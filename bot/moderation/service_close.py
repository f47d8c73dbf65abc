"""Comments open and closed (issue 18, item 1): /close and /open, and the one question every intake asks."""

from __future__ import annotations

import html
import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot import closing
from bot.comments_open import article_open
from bot.deps import Deps
from bot.jalali import fa_digits
from bot.moderation.card import clip
from bot.moderation.service_decide import Moderator
from bot.states import CommentStatus
from bot.texts import tools as t
from storage.models import Article
from storage.repos import actions, users
from storage.repos import closing as repo
from storage.repos import moderation as audit

log = logging.getLogger(__name__)
S = CommentStatus
# Comments written before the article closed that still wait for a moderator (or for their captcha).
STILL_OPEN = (S.PENDING.value, S.AWAITING_CAPTCHA.value)
ACTIONS = {closing.CLOSED: "close", closing.OPENED: "open"}
COUNTED = ("close", "open", "remove")  # the tools' audit actions /stats counts


def _title(article: Article) -> str:
    return html.escape(clip(article.title, 120))


async def set_open(deps: Deps, mod: Moderator, ref: str, override: str) -> str:
    """/close or /open: set the article's override (audited once; a repeat says it already is so)."""
    now = deps.clock()
    async with deps.db.transaction() as session:
        article = await repo.find_article(session, ref, deps.chats.channel)
        if article is None:
            return t.ARTICLE_UNKNOWN.format(ref=html.escape(clip(ref, 40)))
        was_open = article_open(article, deps.settings, now)
        changed = await repo.set_override(session, article.id, override, now)
        title = _title(article)
        if not changed:
            return (t.CLOSED_ALREADY if override == closing.CLOSED else t.OPENED_ALREADY).format(title=title)
        await users.upsert(session, mod.user_id, display_name=mod.name, username=mod.username, now=now)
        await audit.add_action(session, moderator_id=mod.user_id, action=ACTIONS[override], created_at=now,
                               details={"article_id": article.id, "was_open": was_open})
        waiting = await repo.count_waiting(session, article.id, STILL_OPEN)
    log.info("article comments %s by a moderator", ACTIONS[override], extra={"article_id": article.id})
    if override == closing.CLOSED:
        extra = t.WAITING_STILL.format(count=fa_digits(waiting)) if waiting else ""
        return t.CLOSED_DONE.format(title=title, waiting=extra)
    clock = t.OPEN_BY_HAND if deps.settings.comments_open_hours else ""
    return t.OPENED_DONE.format(title=title, clock=clock)


async def stats_line(session: AsyncSession, since: datetime) -> str:
    """/stats: how many times moderators closed and reopened articles and took comments down since ``since``."""
    counts = await actions.counts_since(session, COUNTED, since)
    return t.STATS_TOOLS.format(closed=fa_digits(counts.get("close", 0)), opened=fa_digits(counts.get("open", 0)),
                                removed=fa_digits(counts.get("remove", 0)))

