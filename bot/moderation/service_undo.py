"""Undo: a decided comment back in the queue within the undo window — and an undone ban reopens every
comment it closed and lifts the ban. Authors' notices follow the new state (bot/moderation/notices.py)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.jalali import fa_digits
from bot.moderation import card_updates, notices
from bot.moderation import service_publish as publish
from bot.moderation.card import CardDecision
from bot.moderation.reasons import BANNED
from bot.moderation.service_decide import (
    Moderator,
    PressOutcome,
    Result,
    after_commit,
    excerpt,
    remember,
)
from bot.states import CommentStatus
from bot.texts import moderation as t
from storage.models import Article, Comment, ModerationAction, User
from storage.repos import actions, comments, learning
from storage.repos import moderation as repo
from storage.repos.counters import bump

log = logging.getLogger(__name__)
S = CommentStatus


async def reopen(session: AsyncSession, deps: Deps, comment: Comment, mod: Moderator, now: datetime) -> bool:
    """Put one decided comment back in the queue, reversing what its decision did; False if it moved."""
    old = S(comment.status)
    won = await comments.transition(
        session, comment.id, old, S.PENDING, now=now, moderator_id=None, decided_at=None, reason=None
    )
    if not won:
        return False
    await session.refresh(comment)
    await learning.forget(session, learning.comment_key(comment.id), comment.text)  # the model unlearns it too
    action = await repo.add_action(
        session,
        comment_id=comment.id,
        target_user_id=comment.author_id,
        moderator_id=mod.user_id,
        action="undo",
        reason=None,
        card_chat_id=comment.card_chat_id,
        card_message_id=comment.card_message_id,
        details={"from": old.value},
        created_at=now,
    )
    if old == S.APPROVED:
        await bump(session, User, comment.author_id, "approved_count", -1)
        await bump(session, Article, comment.article_id, "approved_count", -1)
        await publish.withdraw(session, comment, now, action.id)
        await notices.sync_reply(session, comment, now)
    else:
        await bump(session, User, comment.author_id, "rejected_count", -1)
    await notices.sync_comment(session, comment, now)
    await card_updates.show_reopened(session, deps, comment, CardDecision("undo", mod.name, now), action.id)
    return True


async def _ban_that_closed(session: AsyncSession, comment: Comment) -> ModerationAction | None:
    """The ban whose audit row lists ``comment`` among the comments it closed."""
    for ban in await actions.recent_of_user(session, comment.author_id, "ban", 20):
        if comment.id in [int(i) for i in (ban.details or {}).get("closed", [])]:
            return ban
    return None


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


async def undo_ban(session: AsyncSession, deps: Deps, ban: ModerationAction, mod: Moderator, now: datetime) -> int:
    """Reopen every comment the ban closed (still closed by it) and restore the ban the user had
    before, unless a newer ban replaced this one; how many comments were reopened."""
    reopened = 0
    for comment_id in [int(i) for i in (ban.details or {}).get("closed", [])]:
        comment = await comments.get(session, comment_id)
        if comment is None or comment.status != S.REJECTED.value or comment.reason != BANNED.code:
            continue
        if await reopen(session, deps, comment, mod, now):
            reopened += 1
    user = await session.get(User, ban.target_user_id or 0, populate_existing=True)
    until = _moment((ban.details or {}).get("until"))
    replaced = user is None or user.banned_until is None or until is None or abs(
        (user.banned_until - until).total_seconds()) >= 1  # a newer ban (or an /unban) took its place
    if user is not None and not replaced:
        user.banned_until = _moment((ban.details or {}).get("previous"))
    await repo.add_action(
        session,
        target_user_id=ban.target_user_id,
        moderator_id=mod.user_id,
        action="unban",
        details={"undo": True, "ban_action": ban.id, "reopened": reopened},
        created_at=now,
    )
    if ban.target_user_id is not None:
        await notices.sync_ban(session, ban.target_user_id, now)
    return reopened


async def undo(deps: Deps, comment_id: int, mod: Moderator) -> PressOutcome:
    """Put a decided comment back in the queue within the undo window; for a comment closed by a ban,
    undo the ban: all the comments it closed return to the queue and the author may write again."""
    now = deps.clock()
    window = timedelta(seconds=deps.settings.undo_window_seconds)
    article_id: int | None = None
    async with deps.db.transaction() as session:
        comment = await comments.get(session, comment_id)
        if comment is None:
            return PressOutcome(Result.MISSING, t.NOT_FOUND)
        if comment.status not in (S.APPROVED.value, S.REJECTED.value):
            return PressOutcome(Result.ALREADY, t.ALREADY_UNDONE)
        if comment.decided_at is None or now - comment.decided_at > window:
            await card_updates.close_undo(session, deps, comment)
            return PressOutcome(Result.EXPIRED, t.UNDO_EXPIRED)
        await remember(session, mod, now)
        ban = await _ban_that_closed(session, comment) if comment.reason == BANNED.code else None
        if ban is not None:
            count = await undo_ban(session, deps, ban, mod, now)
            text = t.DONE_UNDONE_BAN.format(count=fa_digits(count))
        else:
            was_approved = comment.status == S.APPROVED.value
            if not await reopen(session, deps, comment, mod, now):
                return PressOutcome(Result.ALREADY, t.ALREADY_UNDONE)
            article_id = comment.article_id if was_approved else None
            text = t.DONE_UNDONE.format(excerpt=excerpt(comment.text))
    after_commit(deps, article_id)
    log.info("decision undone", extra={"comment_id": comment_id, "moderator_id": mod.user_id})
    return PressOutcome(Result.DONE, text, article_id)
