"""Decisions: approve, reject, ban and undo — one conditional transition, audited, in one transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import Action
from bot.deps import Deps
from bot.moderation import card_updates
from bot.moderation import service_publish as publish
from bot.moderation.card import Decision
from bot.moderation.reasons import BANNED, ban_until, duration_at, reason_at, reason_label
from bot.states import CommentStatus
from bot.texts import moderation as t
from storage.models import Article, Comment, ModerationAction, User
from storage.repos import comments, learning, users
from storage.repos import moderation as repo
from storage.repos import outbox as outbox_repo

log = logging.getLogger(__name__)
S = CommentStatus
AUTO_MODERATOR = 0  # moderator_id of automatic decisions (trusted authors)


class Result(StrEnum):
    """How a press ended."""

    DONE = "done"
    ALREADY = "already"  # someone else decided first (or a double click)
    MISSING = "missing"  # no such comment, or a forged index
    EXPIRED = "expired"  # undo window closed


@dataclass(frozen=True, slots=True)
class Moderator:
    """Who pressed: Telegram id and the names to show."""

    user_id: int
    name: str
    username: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of a press and the toast to answer it with."""

    result: Result
    text: str
    article_id: int | None = None  # approved count changed: emit count_changed after commit


async def _remember(session: AsyncSession, mod: Moderator, now: datetime) -> None:
    if mod.user_id != AUTO_MODERATOR:
        await users.upsert(session, mod.user_id, display_name=mod.name, username=mod.username, now=now)


async def _bump(session: AsyncSession, model: type[User] | type[Article], ident: int, column: str, delta: int) -> None:
    col = getattr(model, column)
    stmt = update(model).where(model.id == ident).values({column: col + delta})
    await session.execute(stmt.execution_options(synchronize_session=False))


async def decide_in(
    session: AsyncSession,
    deps: Deps,
    comment_id: int,
    new: CommentStatus,
    mod: Moderator,
    now: datetime,
    *,
    reason: str | None = None,
    banned_until: datetime | None = None,
    details: dict[str, object] | None = None,
) -> Comment | None:
    """Decide a pending comment inside ``session``: transition, counts, audit, outbox; None if lost."""
    won = await comments.transition(
        session, comment_id, S.PENDING, new, now=now, moderator_id=mod.user_id, decided_at=now, reason=reason
    )
    if not won:
        return None
    comment = await session.get(Comment, comment_id, populate_existing=True)
    if comment is None:  # pragma: no cover - the row was just updated
        return None
    approved = new == S.APPROVED
    deps.metrics.decided(new.value, comment.submitted_at, now, auto=mod.user_id == AUTO_MODERATOR)
    await _bump(session, User, comment.author_id, "approved_count" if approved else "rejected_count", 1)
    if approved:
        await _bump(session, Article, comment.article_id, "approved_count", 1)
    action = await repo.add_action(
        session,
        comment_id=comment.id,
        target_user_id=comment.author_id,
        moderator_id=mod.user_id,
        action="approve" if approved else "reject",
        reason=reason,
        card_chat_id=comment.card_chat_id,
        card_message_id=comment.card_message_id,
        details=details or {},
        created_at=now,
    )
    if mod.user_id != AUTO_MODERATOR and (details or reason != BANNED.code):  # a moderator's own judgement
        await learning.learn_decision(session, comment.id, comment.text, rejected=not approved, reason=reason, now=now)
    article = await session.get(Article, comment.article_id, populate_existing=True)
    author = await session.get(User, comment.author_id, populate_existing=True)
    if article is not None:
        if approved:
            await publish.enqueue_publication(session, deps, comment, article, author, now)
            await publish.tell_approved(session, deps, comment, article, author, now)
        else:
            await publish.tell_rejected(session, deps, comment, article, author, now, banned_until)
    await card_updates.show_decision(session, deps, comment, _decision_of(mod, new, now, reason, details), action.id)
    return comment


def _decision_of(
    mod: Moderator, new: CommentStatus, now: datetime, reason: str | None, details: dict[str, object] | None
) -> Decision:
    details = details or {}
    if details.get("ban"):
        return Decision("ban", mod.name, now, duration_label=str(details.get("duration_label", "")))
    if new == S.APPROVED:
        return Decision("approve", mod.name, now, auto=mod.user_id == AUTO_MODERATOR)
    return Decision("reject", mod.name, now, reason_label=reason_label(reason))


async def _decide(
    deps: Deps, comment_id: int, new: CommentStatus, mod: Moderator, reason: str | None, done_text: str
) -> Outcome:
    now = deps.clock()
    async with deps.db.transaction() as session:
        if await comments.get(session, comment_id) is None:
            return Outcome(Result.MISSING, t.NOT_FOUND)
        await _remember(session, mod, now)
        comment = await decide_in(session, deps, comment_id, new, mod, now, reason=reason)
        if comment is None:
            return Outcome(Result.ALREADY, t.ALREADY_DECIDED)
        article_id = comment.article_id if new == S.APPROVED else None
    _after_commit(deps, article_id)
    log.info("comment decided", extra={"comment_id": comment_id, "status": new.value, "moderator_id": mod.user_id})
    return Outcome(Result.DONE, done_text, article_id)


def _after_commit(deps: Deps, article_id: int | None) -> None:
    deps.outbox.wake()
    if article_id is not None:
        deps.events.emit("count_changed", article_id)


async def press(
    deps: Deps, action: Action, args: tuple[int, ...], mod: Moderator, pressed: tuple[int, int] | None
) -> Outcome:
    """A decision button (approve, reject with a reason, ban for a duration, undo) pressed on the message
    at ``pressed``. A late press on a copy of a decided comment's card (a copy a lost answer left, an old
    card) also edits that copy to show the decision, without buttons."""
    comment_id = args[0]
    if action is Action.UNDO:
        return await undo(deps, comment_id, mod)
    if action is Action.APPROVE:
        outcome = await approve(deps, comment_id, mod)
    elif action is Action.REJECT:
        outcome = await reject(deps, comment_id, args[1], mod)
    else:
        outcome = await ban(deps, comment_id, args[1], mod)
    if outcome.result is Result.ALREADY and pressed is not None:
        await card_updates.close_stale_card(deps, comment_id, *pressed)
    return outcome


async def approve(deps: Deps, comment_id: int, mod: Moderator) -> Outcome:
    """Publish a pending comment; a second press (anyone's) gets «قبلاً بررسی شده»."""
    return await _decide(deps, comment_id, S.APPROVED, mod, None, t.DONE_APPROVED)


async def reject(deps: Deps, comment_id: int, reason_index: int, mod: Moderator) -> Outcome:
    """Reject a pending comment for the reason at ``reason_index``."""
    reason = reason_at(reason_index)
    if reason is None:
        return Outcome(Result.MISSING, t.NOT_FOUND)
    return await _decide(deps, comment_id, S.REJECTED, mod, reason.code, t.DONE_REJECTED.format(reason=reason.label))


async def ban(deps: Deps, comment_id: int, duration_index: int, mod: Moderator) -> Outcome:
    """Reject the comment and ban its author for the duration at ``duration_index``."""
    duration = duration_at(duration_index)
    if duration is None:
        return Outcome(Result.MISSING, t.NOT_FOUND)
    now = deps.clock()
    until = ban_until(now, duration.days)
    async with deps.db.transaction() as session:
        found = await comments.get(session, comment_id)
        if found is None:
            return Outcome(Result.MISSING, t.NOT_FOUND)
        await _remember(session, mod, now)
        details: dict[str, object] = {"ban": True, "days": duration.days, "duration_label": duration.label}
        comment = await decide_in(
            session, deps, comment_id, S.REJECTED, mod, now, reason=BANNED.code, banned_until=until, details=details
        )
        if comment is None:
            return Outcome(Result.ALREADY, t.ALREADY_DECIDED)
        await ban_user_in(session, deps, comment.author_id, until, mod, now, comment_id=comment.id, details=details)
    _after_commit(deps, None)
    return Outcome(Result.DONE, t.DONE_BANNED.format(duration=duration.label))


async def ban_user_in(
    session: AsyncSession,
    deps: Deps,
    user_id: int,
    until: datetime,
    mod: Moderator,
    now: datetime,
    *,
    comment_id: int | None = None,
    details: dict[str, object] | None = None,
) -> int:
    """Set the ban, audit it, and reject the user's other pending comments; how many were rejected."""
    user = await session.get(User, user_id, populate_existing=True)
    if user is None:
        return 0
    previous = user.banned_until
    user.banned_until = until
    audit = {**(details or {}), "until": until.isoformat(), "previous": previous.isoformat() if previous else None}
    await repo.add_action(
        session,
        comment_id=comment_id,
        target_user_id=user_id,
        moderator_id=mod.user_id,
        action="ban",
        reason=BANNED.code,
        details=audit,
        created_at=now,
    )
    rejected = 0
    for other in await repo.pending_of_author(session, user_id):
        if await decide_in(session, deps, other.id, S.REJECTED, mod, now, reason=BANNED.code, banned_until=until):
            rejected += 1
    return rejected


async def undo(deps: Deps, comment_id: int, mod: Moderator) -> Outcome:
    """Put a decided comment back in the queue within the undo window, reversing what the decision did."""
    now = deps.clock()
    window = timedelta(seconds=deps.settings.undo_window_seconds)
    article_id: int | None = None
    async with deps.db.transaction() as session:
        comment = await comments.get(session, comment_id)
        if comment is None:
            return Outcome(Result.MISSING, t.NOT_FOUND)
        if comment.status not in (S.APPROVED.value, S.REJECTED.value):
            return Outcome(Result.ALREADY, t.ALREADY_DECIDED)
        if comment.decided_at is None or now - comment.decided_at > window or comment.moderator_id == AUTO_MODERATOR:
            await card_updates.close_undo(session, deps, comment)
            return Outcome(Result.EXPIRED, t.UNDO_EXPIRED)
        old = S(comment.status)
        last = await repo.last_action(session, comment_id)
        won = await comments.transition(
            session, comment_id, old, S.PENDING, now=now, moderator_id=None, decided_at=None, reason=None
        )
        if not won:
            return Outcome(Result.ALREADY, t.ALREADY_DECIDED)
        await _remember(session, mod, now)
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
            await _bump(session, User, comment.author_id, "approved_count", -1)
            await _bump(session, Article, comment.article_id, "approved_count", -1)
            await publish.withdraw(session, comment, now, action.id)
            article_id = comment.article_id
        else:
            await _bump(session, User, comment.author_id, "rejected_count", -1)
            await outbox_repo.cancel(session, f"notify:rejected:{comment.id}")
            if last is not None and (last.details or {}).get("ban"):
                await _lift_ban(session, comment.author_id, mod, now)
        await card_updates.show_reopened(session, deps, comment, Decision("undo", mod.name, now), action.id)
    _after_commit(deps, article_id)
    return Outcome(Result.DONE, t.DONE_UNDONE, article_id)


async def _lift_ban(session: AsyncSession, user_id: int, mod: Moderator, now: datetime) -> None:
    """Undo of a ban: restore the ban the user had before (usually none)."""
    stmt = (
        select(ModerationAction)
        .where(ModerationAction.target_user_id == user_id, ModerationAction.action == "ban")
        .order_by(ModerationAction.id.desc())
        .limit(1)
    )
    ban_row = (await session.execute(stmt)).scalar_one_or_none()
    user = await session.get(User, user_id)
    if user is None:
        return
    previous = (ban_row.details or {}).get("previous") if ban_row else None
    user.banned_until = datetime.fromisoformat(previous) if isinstance(previous, str) else None
    await repo.add_action(
        session, target_user_id=user_id, moderator_id=mod.user_id, action="unban", details={"undo": True}, created_at=now
    )
