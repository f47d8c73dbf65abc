"""Decisions: approve, reject and ban — one conditional transition, audited, in one transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import EllipsisType

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checks.learned import Estimate
from bot.deps import Deps
from bot.moderation import card_updates, notices
from bot.moderation import service_publish as publish
from bot.moderation.card import CardDecision, clip
from bot.moderation.reasons import BANNED, ban_until, duration_at, reason_at, reason_label
from bot.publishing import counts
from bot.states import CommentStatus
from bot.texts import moderation as t
from storage.models import Article, Comment, User
from storage.repos import comments, learning, users
from storage.repos import moderation as repo
from storage.repos import outbox as outbox_repo
from storage.repos.counters import bump

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
class PressOutcome:
    """The result of a press and the toast to answer it with."""

    result: Result
    text: str
    article_id: int | None = None  # approved count changed: emit count_changed after commit


async def remember(session: AsyncSession, mod: Moderator, now: datetime) -> None:
    """Keep the moderator's name current (cards and /stats show it)."""
    if mod.user_id != AUTO_MODERATOR:
        await users.upsert(session, mod.user_id, display_name=mod.name, username=mod.username, now=now)


async def decide_in(
    session: AsyncSession,
    deps: Deps,
    comment_id: int,
    new: CommentStatus,
    mod: Moderator,
    now: datetime,
    *,
    reason: str | None = None,
    details: dict[str, object] | None = None,
) -> tuple[Comment, Article | None] | None:
    """Decide a pending comment inside ``session``: transition, counts, audit, outbox; the comment and its
    article as written, or None if lost.

    The comment comes back from its conditional UPDATE (RETURNING), its article, author and queue view in one read,
    and the rows owed to Telegram (thread message, author's notice, card edit or queue view refresh) in one
    INSERT."""
    comment = await comments.transition_to(
        session, comment_id, S.PENDING, new, now=now, moderator_id=mod.user_id, decided_at=now, reason=reason
    )
    if comment is None:
        return None
    approved = new == S.APPROVED
    deps.metrics.decided(new.value, comment.submitted_at, now, auto=mod.user_id == AUTO_MODERATOR)
    await bump(session, User, comment.author_id, "approved_count" if approved else "rejected_count", 1)
    if approved:
        await bump(session, Article, comment.article_id, "approved_count", 1)
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
    estimate: Estimate | EllipsisType | None = ...  # the card's estimate: read unless the teaching gave the counts
    if mod.user_id != AUTO_MODERATOR and (details or reason != BANNED.code):  # a moderator's own judgement
        taught = await learning.learn_decision(
            session, comment.id, comment.text, rejected=not approved, reason=reason, now=now
        )
        if taught is not None:
            estimate = learning.estimate_from(taught, comment.text)
    article, author, view, view_pending = await repo.decision_rows(session, comment.article_id, comment.author_id,
                                                                   comment.queue_view_id)
    publication = None
    if article is not None and approved:
        publication = await publish.publication_row(session, deps, comment, article, author, now)
        await notices.sync_reply(session, comment, now)
    notice = notices.comment_row(comment, author, now)
    edits = await card_updates.decision_edit(
        session, deps, comment, _decision_of(mod, new, now, reason, details), action.id, article=article, author=author,
        estimate=estimate, view=view, view_pending=view_pending,
    )
    recorded = await outbox_repo.enqueue_many(session, [*(r for r in (publication, notice) if r is not None), *edits])
    if publication is not None:
        await publish.queue_publication(session, publication, recorded)
    if notice is not None and notice["dedupe_key"] not in recorded:
        await notices.wake_comment(session, comment, now)  # a notice exists already: rendered again
    return comment, article


def _decision_of(
    mod: Moderator, new: CommentStatus, now: datetime, reason: str | None, details: dict[str, object] | None
) -> CardDecision:
    details = details or {}
    if details.get("ban"):
        return CardDecision("ban", mod.name, now, duration_label=str(details.get("duration_label", "")))
    if new == S.APPROVED:
        return CardDecision("approve", mod.name, now, auto=mod.user_id == AUTO_MODERATOR)
    return CardDecision("reject", mod.name, now, reason_label=reason_label(reason))


def excerpt(text: str, limit: int = 40) -> str:
    """The first words of a comment for a toast (plain text, one line)."""
    return clip(" ".join(text.split()), limit)


async def already_text(session: AsyncSession, comment: Comment | None) -> str:
    """«این نظر قبلاً بررسی شده است: رد شد (توهین) · مدیر یک»: what was decided and by whom."""
    decision = await card_updates.decision_of(session, comment) if comment is not None else None
    if decision is None:
        return t.ALREADY_DECIDED
    if decision.kind == "approve":
        what = t.ALREADY_AUTO if decision.auto else t.ALREADY_APPROVED
    elif decision.kind == "ban":
        what = t.ALREADY_BANNED
    else:
        what = t.ALREADY_REJECTED.format(reason=decision.reason_label)
    return t.ALREADY_DECIDED_BY.format(what=what, who=clip(decision.who, 40))


async def _decide(
    deps: Deps, comment_id: int, new: CommentStatus, mod: Moderator, reason: str | None, done_text: str
) -> PressOutcome:
    now = deps.clock()
    async with deps.db.transaction() as session:
        await remember(session, mod, now)
        decided = await decide_in(session, deps, comment_id, new, mod, now, reason=reason)
        if decided is None:  # no such comment, or decided first by someone else (what the winner wrote)
            found = await session.get(Comment, comment_id, populate_existing=True)
            if found is None:
                return PressOutcome(Result.MISSING, t.NOT_FOUND)
            return PressOutcome(Result.ALREADY, await already_text(session, found))
        comment, article = decided
        article_id = comment.article_id if new == S.APPROVED else None
        # The button cannot be due for an edit yet: the count job edits it later, and publishing's listener is
        # not woken (a transaction and a read saved on most approvals).
        due = article_id is not None and counts.edit_may_be_due(article, deps.settings, now)
        text = done_text.format(excerpt=excerpt(comment.text))
    after_commit(deps, article_id, edit_due=due)
    log.info("comment decided", extra={"comment_id": comment_id, "status": new.value, "moderator_id": mod.user_id})
    return PressOutcome(Result.DONE, text, article_id)


def after_commit(deps: Deps, article_id: int | None, *, edit_due: bool = True) -> None:
    """Wake the outbox; an approved count changed: say so (``edit_due`` False: its button cannot be due for
    an edit yet, so only ``count_changed_no_edit``, which the website's cache listens to and publishing not)."""
    deps.outbox.wake()
    if article_id is not None:
        deps.events.emit("count_changed" if edit_due else "count_changed_no_edit", article_id)


async def approve(deps: Deps, comment_id: int, mod: Moderator) -> PressOutcome:
    """Publish a pending comment; a second press (anyone's) is told who decided it."""
    return await _decide(deps, comment_id, S.APPROVED, mod, None, t.DONE_APPROVED)


async def reject(deps: Deps, comment_id: int, reason_index: int, mod: Moderator) -> PressOutcome:
    """Reject a pending comment for the reason at ``reason_index``."""
    reason = reason_at(reason_index)
    if reason is None:
        return PressOutcome(Result.MISSING, t.NOT_FOUND)
    done = t.DONE_REJECTED.replace("{reason}", reason.label)
    return await _decide(deps, comment_id, S.REJECTED, mod, reason.code, done)


async def ban(deps: Deps, comment_id: int, duration_index: int, mod: Moderator) -> PressOutcome:
    """Reject the comment and ban its author for the duration at ``duration_index`` (their other
    pending comments are closed with it; the author gets one notice)."""
    duration = duration_at(duration_index)
    if duration is None:
        return PressOutcome(Result.MISSING, t.NOT_FOUND)
    now = deps.clock()
    until = ban_until(now, duration.days)
    async with deps.db.transaction() as session:
        await remember(session, mod, now)
        details: dict[str, object] = {"ban": True, "days": duration.days, "duration_label": duration.label}
        decided = await decide_in(session, deps, comment_id, S.REJECTED, mod, now, reason=BANNED.code, details=details)
        comment = decided[0] if decided is not None else None
        if comment is None:
            found = await session.get(Comment, comment_id, populate_existing=True)
            if found is None:
                return PressOutcome(Result.MISSING, t.NOT_FOUND)
            return PressOutcome(Result.ALREADY, await already_text(session, found))
        await ban_user_in(session, deps, comment.author_id, until, mod, now, closed=[comment.id], details=details)
        text = t.DONE_BANNED.format(duration=duration.label, excerpt=excerpt(comment.text))
    after_commit(deps, None)
    return PressOutcome(Result.DONE, text)


async def ban_user_in(
    session: AsyncSession,
    deps: Deps,
    user_id: int,
    until: datetime,
    mod: Moderator,
    now: datetime,
    *,
    closed: list[int] | None = None,
    details: dict[str, object] | None = None,
) -> int:
    """Set the ban, reject the user's other pending comments, audit it (the audit row lists every
    comment the ban closed, so that undoing it reopens them all) and tell the user once; how many
    pending comments were rejected here."""
    user = await session.get(User, user_id, populate_existing=True)
    if user is None:
        return 0
    previous = user.banned_until
    user.banned_until = until
    done = list(closed or [])
    for other in await repo.pending_of_author(session, user_id):
        if await decide_in(session, deps, other.id, S.REJECTED, mod, now, reason=BANNED.code, details=details):
            done.append(other.id)
    audit = {
        **(details or {}),
        "until": until.isoformat(),
        "previous": previous.isoformat() if previous else None,
        "closed": done,
    }
    await repo.add_action(
        session,
        comment_id=done[0] if done else None,
        target_user_id=user_id,
        moderator_id=mod.user_id,
        action="ban",
        reason=BANNED.code,
        details=audit,
        created_at=now,
    )
    await notices.sync_ban(session, user_id, now)
    return len(done) - len(closed or [])
