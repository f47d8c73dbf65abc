"""Keeping the moderators' messages current: decided cards, the queue view's refreshes, send hooks."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from types import EllipsisType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checks.learned import Estimate
from bot.deps import Deps
from bot.domain.message_kinds import MessageKind
from bot.domain.screen import Keyboard, keyboard_dict
from bot.moderation import queue_view as qv
from bot.moderation.card import CardDecision, decided_keyboard, main_keyboard, render_card
from bot.moderation.loading import card_send, load_view, message_edit, moderator_name, queue_views
from bot.moderation.reasons import BAN_DURATIONS, reason_label
from bot.outbox import call
from bot.states import CommentStatus
from storage.models import Article, Comment, Delivery, QueueView, User
from storage.repos import comments
from storage.repos import moderation as repo
from storage.repos import outbox as outbox_repo

log = logging.getLogger(__name__)


async def _enqueue_card_edit(
    session: AsyncSession, deps: Deps, comment: Comment, text: str, keyboard: Keyboard, key: str
) -> None:
    if comment.card_chat_id is None or comment.card_message_id is None:
        return
    await outbox_repo.cancel_queued(session, MessageKind.CARD_EDIT, comment_id=comment.id)
    await outbox_repo.enqueue(
        session,
        kind=MessageKind.CARD_EDIT,
        dedupe_key=key,
        chat_key=comment.card_chat_id,
        payload=message_edit(comment.card_chat_id, comment.card_message_id, text, keyboard),
        now=deps.clock(),
        comment_id=comment.id,
    )


def undo_open(deps: Deps, comment: Comment, now: datetime) -> bool:
    """Whether the decided card should still offer «↩️ لغو تصمیم» (automatic approvals too)."""
    if comment.decided_at is None or comment.moderator_id is None:
        return False
    return now - comment.decided_at <= timedelta(seconds=deps.settings.undo_window_seconds)


async def decision_edit(
    session: AsyncSession, deps: Deps, comment: Comment, decision: CardDecision, action_id: int, *,
    article: Article | None = None, author: User | None = None, estimate: Estimate | EllipsisType | None = ...,
    view: QueueView | None = None, view_pending: bool | None = None,
) -> list[dict[str, Any]]:
    """After a decision: a card not yet sent is no longer needed, the queue view drops the comment. The
    outbox rows that show it, for the caller to insert: the card's edit showing the decision (undo
    button while allowed) if it has a card, the queue view's refresh if it is listed in a sent one.
    ``article``, ``author``, ``estimate``, ``view``: the comment's rows, the model's estimate and the queue
    view listing it, if the caller holds them (``...``: no estimate in hand); ``view_pending``: whether that view
    still lists a pending comment, if the caller knows."""
    now = deps.clock()
    rows: list[dict[str, Any]] = []
    has_card = comment.card_chat_id is not None and comment.card_message_id is not None
    if comment.queue_view_id is not None and (view is None or view.id != comment.queue_view_id):
        view, view_pending = await session.get(QueueView, comment.queue_view_id), None
    listed = view if comment.queue_view_id is not None else None
    # The view's queued refreshes are cancelled by the same UPDATE as the comment's queued card rows.
    view_edits = (MessageKind.QUEUE_EDIT, _edit_prefix(listed.id)) if listed is not None and listed.message_id is not None else None
    await outbox_repo.cancel_queued_kinds(session, (MessageKind.CARD, MessageKind.CARD_EDIT) if has_card else (MessageKind.CARD,),
                                   comment.id, also=view_edits)
    if listed is not None:
        await schedule_refresh(session, deps, listed, now, urgent=True, rows=rows, cancelled=view_edits is not None,
                               pending=view_pending)
    if comment.card_chat_id is None or comment.card_message_id is None:
        return rows
    view_data = await load_view(session, comment, article=article, author=author, estimate=estimate)
    text = render_card(view_data, deps.settings.tz, decision)
    keyboard = decided_keyboard(comment.id, undo=undo_open(deps, comment, now))
    rows.append(outbox_repo.row(
        kind=MessageKind.CARD_EDIT,
        dedupe_key=f"card_edit:{comment.id}:{action_id}",
        chat_key=comment.card_chat_id,
        payload=message_edit(comment.card_chat_id, comment.card_message_id, text, keyboard),
        now=now,
        comment_id=comment.id,
    ))
    return rows


async def show_decision(session: AsyncSession, deps: Deps, comment: Comment, decision: CardDecision, action_id: int) -> None:
    """After a decision: the card shows it (undo button while allowed); the queue view drops the comment."""
    await outbox_repo.enqueue_many(session, await decision_edit(session, deps, comment, decision, action_id))


async def show_reopened(
    session: AsyncSession, deps: Deps, comment: Comment, decision: CardDecision, action_id: int
) -> None:
    """After an undo: the card gets its buttons back (or the comment returns to the queue/dispatch)."""
    if comment.card_message_id is not None:
        view_data = await load_view(session, comment)
        text = render_card(view_data, deps.settings.tz, decision)
        await _enqueue_card_edit(session, deps, comment, text, main_keyboard(comment.id), f"card_edit:{comment.id}:{action_id}")
        return
    if comment.queue_view_id is not None:
        view = await session.get(QueueView, comment.queue_view_id)
        if view is not None and view.closed_at is None:
            await schedule_refresh(session, deps, view, deps.clock(), urgent=True)
        else:
            comment.queue_view_id = None  # dispatch gives it a card or a place in a new view


async def decision_of(session: AsyncSession, comment: Comment) -> CardDecision | None:
    """The decision a decided comment carries, rebuilt from its row and last audit row."""
    if comment.status not in (CommentStatus.APPROVED.value, CommentStatus.REJECTED.value) or comment.decided_at is None:
        return None
    mod_id = comment.moderator_id or 0
    mod = await session.get(User, mod_id) if mod_id else None
    who = moderator_name(mod, mod_id)
    if comment.status == CommentStatus.APPROVED.value:
        return CardDecision("approve", who, comment.decided_at, auto=mod_id == 0)
    last = await repo.last_action(session, comment.id)
    details = (last.details or {}) if last is not None else {}
    if details.get("ban"):
        label = str(details.get("duration_label") or BAN_DURATIONS[-1].label)
        return CardDecision("ban", who, comment.decided_at, duration_label=label)
    return CardDecision("reject", who, comment.decided_at, reason_label=reason_label(comment.reason))


async def close_undo(session: AsyncSession, deps: Deps, comment: Comment) -> None:
    """The undo window closed: show the decision without buttons."""
    decision = await decision_of(session, comment)
    if decision is None:
        return
    view_data = await load_view(session, comment)
    last = await repo.last_action(session, comment.id)
    key = f"card_edit:{comment.id}:{last.id if last else 0}:closed"
    await _enqueue_card_edit(session, deps, comment, render_card(view_data, deps.settings.tz, decision), (), key)


async def close_stale_card(deps: Deps, comment_id: int, chat_id: int, message_id: int) -> bool:
    """A decision button pressed on a card of an already-decided comment that is not its recorded card
    (a copy left by a lost answer, or a card re-sent by /queue): show the decision there, no buttons.
    False if there was nothing to do (the recorded card is kept current by the decision's own edit)."""
    async with deps.db.transaction() as session:
        comment = await comments.get(session, comment_id)
        if comment is None or (comment.card_chat_id, comment.card_message_id) == (chat_id, message_id):
            return False
        view = await repo.view_by_message(session, chat_id, message_id)
        if view is not None:  # a stale queue view: show what is pending now, at once
            await schedule_refresh(session, deps, view, deps.clock(), urgent=True)
            deps.outbox.wake()
            return True
        decision = await decision_of(session, comment)
        if decision is None:
            return False
        text = render_card(await load_view(session, comment), deps.settings.tz, decision)
        await outbox_repo.enqueue(
            session, kind=MessageKind.CARD_EDIT, dedupe_key=f"card_stale:{chat_id}:{message_id}", chat_key=chat_id,
            payload=message_edit(chat_id, message_id, text, ()), now=deps.clock(), comment_id=comment.id,
        )
    deps.outbox.wake()
    return True


async def show_auto(session: AsyncSession, deps: Deps, comment: Comment, decision: CardDecision) -> None:
    """A trusted author's comment was published without waiting: moderators get its card, decided,
    with «↩️ لغو تصمیم» while the undo window is open (undoing it gives it the usual buttons)."""
    view_data = await load_view(session, comment)
    await outbox_repo.enqueue(
        session,
        kind=MessageKind.CARD_AUTO,
        dedupe_key=f"card_auto:{comment.id}",
        chat_key=deps.chats.moderators,
        payload=card_send(deps, view_data, decided_keyboard(comment.id, undo=True), decision),
        now=deps.clock(),
        comment_id=comment.id,
    )


async def auto_card_sent(
    deps: Deps, session: AsyncSession, row: Delivery, message_id: int | None, now: datetime
) -> None:
    """Remember the trace card as the comment's card; if it was undone or decided meanwhile, say so there."""
    if row.comment_id is None or message_id is None:
        return
    comment = await comments.get(session, row.comment_id)
    if comment is None:
        return
    if comment.card_message_id is None:
        comment.card_chat_id, comment.card_message_id = int(row.chat_key), message_id
        await session.flush()
    auto = comment.status == CommentStatus.APPROVED.value and comment.moderator_id == 0
    if auto and undo_open(deps, comment, now):
        return
    decision = await decision_of(session, comment)
    text = render_card(await load_view(session, comment), deps.settings.tz, decision)
    if (comment.card_chat_id, comment.card_message_id) == (int(row.chat_key), message_id):
        keyboard = main_keyboard(comment.id) if decision is None else decided_keyboard(
            comment.id, undo=undo_open(deps, comment, now))
    else:
        keyboard = ()  # the comment has another card now: this one only says what became of it
    await outbox_repo.enqueue(
        session, kind=MessageKind.CARD_EDIT, dedupe_key=f"card_auto_late:{row.id}", chat_key=int(row.chat_key),
        payload=message_edit(int(row.chat_key), message_id, text, keyboard), now=now, comment_id=comment.id,
    )


# ----- the queue view ----------------------------------------------------------------------------------------
async def render_view(session: AsyncSession, deps: Deps, view: QueueView) -> tuple[str, Keyboard, bool]:
    """The view's current page (text, keyboard) and whether it is empty (the page is clamped into the list
    and kept on the view)."""
    for _ in range(3):
        total = await repo.view_size(session, view.id)
        page = qv.clamp_page(view.page, qv.page_count(total))
        rows = await repo.queue_rows(session, view.id, qv.page_offset(page), qv.PAGE_ITEMS) if total else []
        if rows or not total:
            break
        # PostgreSQL (READ COMMITTED): decisions committed between the count and the page's read emptied
        # the page; count again rather than tell moderators the list is done while comments wait.
    view.page = page
    text, keyboard = qv.render_page(queue_views(rows), page, total, deps.settings.tz)
    return text, keyboard, not rows


def _edit_prefix(view_id: int) -> str:
    """The start of the keys of a queue view's refreshes."""
    return f"queue_edit:{view_id}:"


async def schedule_refresh(
    session: AsyncSession, deps: Deps, view: QueueView, now: datetime, *, urgent: bool = False,
    rows: list[dict[str, Any]] | None = None, cancelled: bool = False, pending: bool | None = None,
) -> None:
    """Queue an edit of the view: after a decision (``urgent``) at once, else at most every
    REFRESH_SECONDS (new comments arriving in a surge, coalesced).

    The edit's content is rendered when it is sent (`render_queued`): every decision and new comment
    calls this, and rendering reads the view's page; decisions pressed while an edit is
    still queued share that edit. ``rows``: the refresh's outbox row is added there, for the caller's
    batch insert, instead of being inserted here. ``cancelled``: the caller has cancelled the view's
    queued refreshes already; ``pending``: whether the view still lists a pending comment, if the caller
    knows (read with its other rows).
    """
    if view.message_id is None:
        text, keyboard, _ = await render_view(session, deps, view)
        # Not sent yet: refresh the queued send (if it is already on its way, on_sent refreshes).
        send = call("send_message", chat_id=view.chat_id, text=text, reply_markup=keyboard_dict(keyboard), no_preview=True)
        await outbox_repo.requeue(session, f"queue:{view.id}", send, now)
        return
    if urgent:
        at = now  # moderators just acted on this list: show them the result, not a stale list
    elif view.refreshed_at is not None and view.refreshed_at > now:
        at = view.refreshed_at  # one is already scheduled: replace its content, keep its time
    elif view.refreshed_at is not None:
        at = max(now, view.refreshed_at + timedelta(seconds=qv.REFRESH_SECONDS))
    else:
        at = now
    if not cancelled:
        await outbox_repo.cancel_queued(session, MessageKind.QUEUE_EDIT, prefix=_edit_prefix(view.id))
    refresh = outbox_repo.row(
        kind=MessageKind.QUEUE_EDIT,
        dedupe_key=f"{_edit_prefix(view.id)}{deps.rng.getrandbits(48):x}",
        chat_key=view.chat_id,
        payload=message_edit(view.chat_id, view.message_id, "", ()),  # rendered when sent
        now=now,
        not_before=at,
    )
    if rows is not None:
        rows.append(refresh)
    else:
        await outbox_repo.enqueue_many(session, [refresh])
    # Asked before the view changes, so that both of its changes are written in one UPDATE.
    if view.closed_at is None and pending is None:
        pending = await repo.view_has_pending(session, view.id)
    emptied = view.closed_at is None and not pending
    view.refreshed_at = at
    if emptied:
        view.closed_at = now


async def render_queued(deps: Deps, session: AsyncSession, row: Delivery, now: datetime) -> dict[str, Any] | None:
    """A queued refresh is about to be sent: the view's content as it is now (the row names the message)."""
    args = row.payload.get("args", {})
    view = await repo.view_by_message(session, int(args["chat_id"]), int(args["message_id"]))
    if view is None or view.message_id is None:
        return None
    text, keyboard, _ = await render_view(session, deps, view)
    return message_edit(view.chat_id, view.message_id, text, keyboard)


# ----- outbox hooks (named in bot/outbox_kinds.py) ----------------------------------------------------
async def card_sent(deps: Deps, session: AsyncSession, row: Delivery, message_id: int | None, now: datetime) -> None:
    """Remember where the card is; if the comment was decided meanwhile, show that on it."""
    if row.comment_id is None or message_id is None:
        return
    comment = await comments.get(session, row.comment_id)
    if comment is None:
        return
    comment.card_chat_id = int(row.chat_key)
    comment.card_message_id = message_id
    await session.flush()
    if comment.status == CommentStatus.PENDING.value:
        return
    decision = await decision_of(session, comment)
    if decision is not None:
        text = render_card(await load_view(session, comment), deps.settings.tz, decision)
        keyboard = decided_keyboard(comment.id, undo=undo_open(deps, comment, now))
        await _enqueue_card_edit(session, deps, comment, text, keyboard, f"card_edit:{comment.id}:late{row.id}")


async def card_edit_failed(session: AsyncSession, row: Delivery, error: str, now: datetime) -> None:
    """The card is gone (deleted by someone): forget it, so /queue sends a new one."""
    if row.comment_id is not None and "not found" in error.lower():
        comment = await comments.get(session, row.comment_id)
        if comment is not None:
            comment.card_chat_id = None
            comment.card_message_id = None


async def queue_sent(deps: Deps, session: AsyncSession, row: Delivery, message_id: int | None, now: datetime) -> None:
    """Remember the view's message and bring it up to date (comments may have come and gone)."""
    try:
        view_id = int(row.dedupe_key.split(":")[1])
    except (IndexError, ValueError):
        return
    view = await session.get(QueueView, view_id)
    if view is None or message_id is None:
        return
    view.message_id = message_id
    view.refreshed_at = now
    await schedule_refresh(session, deps, view, now)
