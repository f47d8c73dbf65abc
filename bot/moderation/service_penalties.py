"""Escalating penalties (issue 18, item 5): after a moderator's rejection, the ladder's next ban.

The author is told why (their counted rejections, the step, the next one), the moderators get a
card with «↩️ لغو جریمه», and both the penalty and its undoing are in the audit and /stats.
"""

from __future__ import annotations

import dataclasses
import html
import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import Action, encode
from bot.deps import Deps
from bot.domain.message_kinds import MessageKind
from bot.domain.screen import Button, keyboard_dict
from bot.jalali import fa_digits, format_datetime
from bot.moderation import notices
from bot.moderation.card import CardView, clip
from bot.moderation.reasons import ban_until, is_permanent, reason_label
from bot.moderation.service_decide import (
    AUTO_MODERATOR,
    Moderator,
    PressOutcome,
    Result,
    after_commit,
    ban_user_in,
    remember,
)
from bot.outbox import call
from bot.penalties import Ladder
from bot.states import CommentStatus
from bot.texts import tools as t
from storage.models import ModerationAction, User
from storage.repos import actions, comments
from storage.repos import moderation as audit
from storage.repos import outbox as outbox_repo
from storage.repos import penalties as repo

log = logging.getLogger(__name__)
AUTO = Moderator(AUTO_MODERATOR, "خودکار")
ACTION, UNDO = "penalty", "penalty_undo"
LIVE, UNDONE = "penalty", "undone"  # a penalty row's reason: in force, or undone by a moderator


def ladder_of(deps: Deps) -> Ladder:
    s = deps.settings
    return Ladder.of(s.penalty_rejections, s.penalty_window_days, s.penalty_reasons, s.penalty_steps)


def _duration(days: int | None) -> str:
    return t.PENALTY_FOREVER if days is None else t.PENALTY_DAYS.format(days=fa_digits(days))


def _ban_text(until: datetime, deps: Deps) -> str:
    return t.PENALTY_FOREVER if is_permanent(until) else f"تا {format_datetime(until, deps.settings.tz)}"


async def _penalties(session: AsyncSession, author_id: int) -> list[ModerationAction]:
    """The author's penalties, oldest first, undone ones included."""
    return await repo.of_author(session, author_id, ACTION)


async def _counted(session: AsyncSession, author_id: int, reasons: frozenset[str], since: datetime, *,
                   after_penalty: bool) -> int:
    """Counted rejections since the window's start, or strictly after the last penalty."""
    return await repo.counted_rejections(session, author_id, reasons, since, after_penalty=after_penalty)


async def after_reject(deps: Deps, comment_id: int, outcome: PressOutcome) -> PressOutcome:
    """A moderator rejected a comment: ban its author if that reaches the ladder's next step (the toast says so)."""
    ladder = ladder_of(deps)
    if not ladder.on or outcome.result is not Result.DONE:
        return outcome
    now = deps.clock()
    async with deps.db.transaction() as session:
        comment = await comments.get(session, comment_id)
        if comment is None or comment.status != CommentStatus.REJECTED.value or comment.reason not in ladder.reasons:
            return outcome
        # Locked (PostgreSQL; SQLite's write transactions are serial): two rejections at once would both read
        # the author unbanned and take the ladder's step twice.
        user = await repo.lock_author(session, comment.author_id)
        if user is None or comment.source == "web" or (user.banned_until is not None and user.banned_until > now):
            return outcome  # website identities are not banned by the ladder; a banned author is banned already
        earlier = await _penalties(session, user.id)
        since = now - timedelta(days=ladder.window_days)
        after_penalty = bool(earlier) and earlier[-1].created_at >= since
        if after_penalty:
            since = earlier[-1].created_at  # rejections up to the last penalty were paid for (or forgiven)
        counted = await _counted(session, user.id, ladder.reasons, since, after_penalty=after_penalty)
        if not ladder.due(counted):
            return outcome
        step, days = ladder.step(sum(1 for p in earlier if p.reason == LIVE))  # an undone penalty is no step
        until = ban_until(now, days)
        label = _duration(days)
        reasons = "، ".join(reason_label(code) for code in sorted(ladder.reasons))
        following = _duration(ladder.next_days(step))
        # The author hears of it once: this sentence is the first line of their ban notice (rendered when
        # sent, so a penalty undone or replaced meanwhile is never announced).
        note = t.PENALTY_TO_AUTHOR.format(count=fa_digits(counted), window=fa_digits(ladder.window_days),
                                          reasons=reasons, duration=_ban_text(until, deps), step=fa_digits(step),
                                          next=following)
        await ban_user_in(session, deps, user.id, until, AUTO, now,
                          details={"ban": True, "days": days, "duration_label": label, "penalty": True, "step": step,
                                   "note": note})
        row = await audit.add_action(session, comment_id=comment.id, target_user_id=user.id, moderator_id=AUTO_MODERATOR,
                                     action=ACTION, reason=LIVE, created_at=now,
                                     details={"step": step, "days": days, "counted": counted, "until": until.isoformat()})
        card = t.PENALTY_CARD.format(step=fa_digits(step), name=html.escape(clip(user.display_name or str(user.id), 64)),
                                     user_id=user.id, count=fa_digits(counted), reasons=reasons,
                                     window=fa_digits(ladder.window_days), duration=_ban_text(until, deps), next=following)
        keyboard = ((Button(t.BUTTON_PENALTY_UNDO, callback_data=encode(Action.PENALTY_UNDO, row.id)),),)
        await outbox_repo.enqueue(session, kind=MessageKind.PENALTY_CARD, dedupe_key=f"penalty:{row.id}", chat_key=deps.chats.moderators,
                                  payload=call("send_message", chat_id=deps.chats.moderators, text=card,
                                               reply_markup=keyboard_dict(keyboard), no_preview=True),
                                  now=now)
    after_commit(deps, None)
    log.info("penalty: author banned by the ladder", extra={"user_id": comment.author_id, "step": step})
    return dataclasses.replace(outcome, text=outcome.text + t.PENALTY_TOAST.format(duration=label, step=fa_digits(step)))


async def standing(session: AsyncSession, deps: Deps, views: list[CardView]) -> list[CardView]:
    """The cards' views with their author's standing on the ladder (unchanged while the ladder is off)."""
    ladder = ladder_of(deps)
    if not ladder.on:
        return views
    now = deps.clock()
    lines: dict[int, str] = {}
    for author_id in {v.author.user_id for v in views if v.via != "web"}:
        earlier = await _penalties(session, author_id)
        since = now - timedelta(days=ladder.window_days)
        after_penalty = bool(earlier) and earlier[-1].created_at >= since
        if after_penalty:
            since = earlier[-1].created_at
        counted = await _counted(session, author_id, ladder.reasons, since, after_penalty=after_penalty)
        live = sum(1 for p in earlier if p.reason == LIVE)
        if counted or live:
            step, days = ladder.step(live)
            lines[author_id] = t.PENALTY_STANDING.format(
                counted=fa_digits(counted), needed=fa_digits(ladder.rejections),
                reasons="، ".join(reason_label(code) for code in sorted(ladder.reasons)),
                window=fa_digits(ladder.window_days), step=fa_digits(step), duration=_duration(days),
                earlier=t.PENALTY_EARLIER.format(count=fa_digits(live)) if live else "")
    return [dataclasses.replace(v, penalty=lines[v.author.user_id]) if v.author.user_id in lines else v for v in views]


async def undo(deps: Deps, mod: Moderator, penalty_id: int) -> tuple[str, bool]:
    """«↩️ لغو جریمه»: lift the penalty's ban (if it is still the ban in force); the toast, and whether it was undone."""
    now = deps.clock()
    async with deps.db.transaction() as session:
        if not await repo.mark_undone(session, penalty_id, live=LIVE, undone=UNDONE, action=ACTION):
            return t.PENALTY_UNDO_ALREADY, False
        row = await session.get(ModerationAction, penalty_id)
        user = await session.get(User, row.target_user_id) if row is not None and row.target_user_id else None
        await remember(session, mod, now)
        if user is not None:
            user.banned_until, user.ban_notified = None, False
            await notices.sync_ban(session, user.id, now)
        await audit.add_action(session, target_user_id=row.target_user_id if row else None, moderator_id=mod.user_id,
                               action=UNDO, created_at=now, details={"penalty_id": penalty_id})
    deps.outbox.wake()
    return t.PENALTY_UNDO_TOAST, True


async def forgive_in(session: AsyncSession, user: User, mod: Moderator, now: datetime) -> bool:
    """/unban of an author whose ban in force is a penalty's: that penalty is undone as well (no step of the
    ladder, counted as undone in /stats); False when the ban in force is none of the ladder's."""
    if user.banned_until is None or user.banned_until <= now:
        return False
    ban = await notices.last_ban(session, user.id)
    if ban is None or not (ban.details or {}).get("penalty"):
        return False
    live = await repo.newest_live_after(session, user.id, ACTION, LIVE, ban.id)
    if live is None:
        return False
    if not await repo.mark_undone(session, live, live=LIVE, undone=UNDONE):
        return False
    await audit.add_action(session, target_user_id=user.id, moderator_id=mod.user_id, action=UNDO, created_at=now,
                           details={"penalty_id": live, "unban": True})
    return True


def undone_line(mod: Moderator, deps: Deps) -> str:
    """The line a penalty card gets once undone."""
    return t.PENALTY_UNDONE.format(who=html.escape(clip(mod.name or str(mod.user_id), 64)),
                                   time=format_datetime(deps.clock(), deps.settings.tz))


async def stats_line(session: AsyncSession, deps: Deps, since: datetime) -> str | None:
    """/stats: penalties the ladder gave and moderators undid since ``since`` (None while it is off and idle)."""
    counts = await actions.counts_since(session, (ACTION, UNDO), since)
    if not counts and not ladder_of(deps).on:
        return None
    return t.STATS_PENALTIES.format(made=fa_digits(counts.get(ACTION, 0)), undone=fa_digits(counts.get(UNDO, 0)))
