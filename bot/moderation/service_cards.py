"""Card dispatch: each pending comment gets a card, or in a surge a place in the queue view."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.domain.message_kinds import MessageKind
from bot.domain.screen import Keyboard, keyboard_dict
from bot.jalali import fa_digits, format_datetime
from bot.moderation import card_updates, service_penalties
from bot.moderation import queue_view as qv
from bot.moderation.card import (
    CardDecision,
    durations_keyboard,
    main_keyboard,
    reasons_keyboard,
    render_card,
)
from bot.moderation.loading import card_send, load_view, load_views
from bot.moderation.service_decide import AUTO_MODERATOR, Moderator, decide_in
from bot.outbox import call
from bot.states import CommentStatus
from bot.texts import moderation as t
from storage.models import Article, Comment, QueueView, User
from storage.repos import comments, leases
from storage.repos import moderation as repo
from storage.repos import outbox as outbox_repo

log = logging.getLogger(__name__)
LEASE = "moderation-dispatch"
AUTO = Moderator(AUTO_MODERATOR, "خودکار")


def is_trusted(user: User | None, trusted_after: int) -> bool:
    """Trusted authors skip the queue: marked with /trust, or N approved and none rejected.

    Intake may call this (with ``deps.settings.trusted_after``) to word a trusted author's receipt:
    their comment is published once the captcha is solved, without waiting for a moderator.
    """
    if user is None:
        return False
    if user.trusted:
        return True
    return trusted_after > 0 and user.approved_count >= trusted_after and user.rejected_count == 0


async def author_trusted(session: AsyncSession, deps: Deps, user_id: int) -> bool:
    """Whether this author's comments are published without waiting for a moderator."""
    return is_trusted(await session.get(User, user_id), deps.settings.trusted_after)


async def _enqueue_cards(
    session: AsyncSession, deps: Deps, pending: Sequence[Comment], now: datetime, *, fresh: bool = False,
    articles: Mapping[int, Article] | None = None, people: Mapping[int, User] | None = None,
) -> None:
    """One card row per comment; ``fresh``: the comments have never had a card row (the dispatch's
    backlog), so their first key needs no count of earlier attempts."""
    views = await load_views(session, pending, articles=articles, people=people)
    for view in await service_penalties.standing(session, deps, views):
        attempts = 0 if fresh else await repo.card_attempts(session, view.comment_id)
        key = f"card:{view.comment_id}" if attempts == 0 else f"card:{view.comment_id}:{attempts}"
        await outbox_repo.enqueue(
            session,
            kind=MessageKind.CARD,
            dedupe_key=key,
            chat_key=deps.chats.moderators,
            payload=card_send(deps, view, main_keyboard(view.comment_id)),
            now=now,
            comment_id=view.comment_id,
        )


async def _open_view(
    session: AsyncSession, deps: Deps, pending: Sequence[Comment], now: datetime, *,
    articles: Mapping[int, Article] | None = None, people: Mapping[int, User] | None = None,
) -> QueueView:
    view = QueueView(chat_id=deps.chats.moderators, page=0, created_at=now, refreshed_at=now)
    session.add(view)
    await session.flush()
    for comment in pending:
        comment.queue_view_id = view.id
    await session.flush()
    text, keyboard, _ = await card_updates.render_view(session, deps, view)
    await outbox_repo.enqueue(
        session,
        kind=MessageKind.QUEUE,
        dedupe_key=f"queue:{view.id}",
        chat_key=view.chat_id,
        payload=call("send_message", chat_id=view.chat_id, text=text, reply_markup=keyboard_dict(keyboard), no_preview=True),
        now=now,
    )
    log.info("surge: comments listed in a queue view", extra={"view_id": view.id, "comments": len(pending)})
    return view


async def route(
    session: AsyncSession, deps: Deps, pending: Sequence[Comment], now: datetime, *, fresh: bool = False,
    articles: Mapping[int, Article] | None = None, people: Mapping[int, User] | None = None,
) -> None:
    """Cards while this minute's budget holds; otherwise the open queue view (opened if needed).

    ``fresh``, ``articles``, ``people``: see `_enqueue_cards`."""
    if not pending:
        return
    view, recent = await repo.routing_state(session, now - timedelta(seconds=60))
    if qv.cards_to_send(len(pending), recent, view_open=view is not None) == len(pending):
        await _enqueue_cards(session, deps, pending, now, fresh=fresh, articles=articles, people=people)
    elif view is None:
        await _open_view(session, deps, pending, now, articles=articles, people=people)
    else:
        for comment in pending:
            comment.queue_view_id = view.id
        await session.flush()
        await card_updates.schedule_refresh(session, deps, view, now)


async def dispatch(deps: Deps) -> int:
    """Handle every pending comment that has neither a card nor a place in a view; how many."""
    now = deps.clock()
    approved_articles: list[int] = []
    async with deps.db.transaction() as session:
        await leases.serialise(session, LEASE)  # one instance at a time (PostgreSQL; SQLite serialises anyway)
        backlog = await repo.needing_dispatch(session)
        rest: list[Comment] = []
        articles = {article.id: article for _, _, article in backlog if article is not None}
        people = {author.id: author for _, author, _ in backlog if author is not None}
        for comment, author, _ in backlog:
            # A comment whose automatic approval was undone waits for a moderator like any other.
            if is_trusted(author, deps.settings.trusted_after) and await repo.last_action(session, comment.id) is None:
                decided = await decide_in(
                    session, deps, comment.id, CommentStatus.APPROVED, AUTO, now, details={"auto": True}
                )
                if decided is not None:
                    approved_articles.append(decided[0].article_id)
                    await card_updates.show_auto(session, deps, decided[0],
                                                 CardDecision("approve", AUTO.name, now, auto=True))
                    continue
            rest.append(comment)
        await route(session, deps, rest, now, fresh=True, articles=articles, people=people)
    if backlog:
        deps.outbox.wake()
    for article_id in approved_articles:
        deps.events.emit("count_changed", article_id)
    return len(backlog)


@dataclass
class Dispatcher:
    """Runs dispatch for events and the sweep, one at a time; a kick during a run causes one more run."""

    deps: Deps
    _lock: asyncio.Lock | None = None
    _again: bool = False

    async def kick(self, _ident: int = 0) -> None:
        """Dispatch now (coalesced with a run in progress)."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        if self._lock.locked():
            self._again = True
            return
        async with self._lock:
            while True:
                self._again = False
                await dispatch(self.deps)
                if not self._again:
                    return


# ----- menus and pages (interactive) --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Redraw:
    """What a press redraws on a moderators' message: its keyboard, and its text when the whole message changes."""

    keyboard: Keyboard
    text: str | None = None


async def menu(deps: Deps, comment_id: int, chat_id: int, message_id: int, kind: str) -> Redraw | None:
    """The keyboard for a card's or a queue item's menu (reasons, durations, back); None if decided/unknown.

    On a queue view a decided item's menu re-renders the view's current page instead.
    """
    async with deps.db.transaction() as session:
        comment = await comments.get(session, comment_id)
        view = await repo.view_by_message(session, chat_id, message_id)
        if comment is None or comment.status != CommentStatus.PENDING.value:
            if view is None:
                return None
            # A queue view still showing a decided item (its refresh was lost): show the current page.
            text, keyboard, _ = await card_updates.render_view(session, deps, view)
            return Redraw(keyboard, text)
        if view is None:
            if kind == "reasons":
                return Redraw(reasons_keyboard(comment_id))
            if kind == "durations":
                return Redraw(durations_keyboard(comment_id))
            return Redraw(main_keyboard(comment_id))
        if kind in ("reasons", "durations"):
            # The list is replaced by this comment's own card while its menu is open: the moderator
            # sees exactly what they are deciding, whatever the list shows by then. «بازگشت»: the list.
            card_text = render_card(await load_view(session, comment), deps.settings.tz)
            keyboard = reasons_keyboard(comment_id) if kind == "reasons" else durations_keyboard(comment_id)
            return Redraw(keyboard, card_text)
        text, keyboard, _ = await card_updates.render_view(session, deps, view)
        return Redraw(keyboard, text)


async def turn_page(deps: Deps, chat_id: int, message_id: int, page: int) -> Redraw | None:
    """Show another page of a queue view (None: not a queue view)."""
    now = deps.clock()
    async with deps.db.transaction() as session:
        view = await repo.view_by_message(session, chat_id, message_id)
        if view is None:
            return None
        view.page = page
        text, keyboard, _ = await card_updates.render_view(session, deps, view)
        # The page shown now is the freshest content: drop a refresh still waiting with older content.
        await outbox_repo.cancel_queued(session, MessageKind.QUEUE_EDIT, prefix=f"queue_edit:{view.id}:")
        view.refreshed_at = now
        return Redraw(keyboard, text)


@dataclass(frozen=True, slots=True)
class QueueReport:
    """What /queue tells moderators."""

    count: int
    oldest: datetime | None
    resent: int
    in_view: int


async def resend_missing(deps: Deps) -> QueueReport:
    """/queue: count and oldest; cards lost or never sent go out again (or into the queue view)."""
    now = deps.clock()
    async with deps.db.transaction() as session:
        count, oldest = await repo.pending_summary(session)
        missing = await repo.missing_cards(session)
        for comment in missing:
            comment.queue_view_id = None
        await session.flush()
        await route(session, deps, missing, now)
        view = await repo.open_view(session)
        in_view = await repo.view_size(session, view.id) if view is not None else 0
    deps.outbox.wake()
    return QueueReport(count, oldest, len(missing), in_view)


def queue_text(report: QueueReport, deps: Deps) -> str:
    """The /queue answer."""
    if report.count == 0:
        return t.QUEUE_EMPTY_SUMMARY
    oldest = format_datetime(report.oldest, deps.settings.tz) if report.oldest else "—"
    lines = [t.QUEUE_SUMMARY.format(count=fa_digits(report.count), oldest=oldest)]
    if report.resent:
        lines.append(t.QUEUE_RESENT.format(count=fa_digits(report.resent)))
    if report.in_view:
        lines.append(t.QUEUE_IN_VIEW.format(count=fa_digits(report.in_view)))
    return "\n".join(lines)
