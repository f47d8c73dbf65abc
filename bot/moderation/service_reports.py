"""Readers' reports (issue 18, item 3): the reader's «🚩 گزارش» screens, the report itself, and the
moderators' review card (keep / remove) once enough distinct readers reported a published comment."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot import reports as domain
from bot.callbacks import Action, encode
from bot.deps import Deps
from bot.domain.message_kinds import MessageKind
from bot.domain.paging import page_of, trim
from bot.domain.screen import Button, Keyboard, Screen, grid, keyboard_dict
from bot.intake.readers import Author, remember
from bot.intake.screens import author_name
from bot.jalali import fa_digits, format_datetime
from bot.moderation import service_takedown
from bot.moderation.card import article_title_html, clip
from bot.moderation.service_decide import AUTO_MODERATOR, Moderator, after_commit
from bot.moderation.service_decide import remember as remember_moderator
from bot.outbox import call
from bot.states import CommentStatus
from bot.texts import tools as t
from storage.models import Article, Comment, ReportReview, User
from storage.repos import comments, reports
from storage.repos import intake as intake_repo
from storage.repos import moderation as audit
from storage.repos import outbox as outbox_repo

log = logging.getLogger(__name__)
S = CommentStatus


# ----- the reader's screens ---------------------------------------------------------------------------------
def _back(article_id: int, page: int) -> Button:
    return Button(t.BUTTON_REPORT_BACK, callback_data=encode(Action.PAGE, article_id, page))


async def which(deps: Deps, who: Author, article_id: int, page: int) -> Screen | None:
    """«🚩 گزارش»: one button per comment on this page of the article view (None: nothing to report)."""
    async with deps.db.transaction() as session:
        await remember(session, deps, who, private=True)
        total = await intake_repo.approved_total(session, article_id)
        where = page_of(total, page)
        rows = await intake_repo.approved_page(session, article_id, where.offset, where.limit)
    if not rows:
        return None
    buttons = [Button(t.BUTTON_REPORT_N.format(n=fa_digits(n)),
                      callback_data=encode(Action.REPORT_PICK, c.id, where.number))
               for n, c in enumerate(rows, start=where.offset + 1)]
    return Screen(t.REPORT_WHICH, (*grid(buttons, 3), (_back(article_id, where.number),)))


async def why(deps: Deps, who: Author, comment_id: int, page: int) -> Screen | None:
    """A comment chosen: the reasons to report it (None: it is no longer published)."""
    async with deps.db.transaction() as session:
        await remember(session, deps, who, private=True)
        comment = await comments.get(session, comment_id)
        if comment is None or comment.status != S.APPROVED.value:
            return None
        number = await intake_repo.approved_number(session, comment) or 0
        author = await session.get(User, comment.author_id)
    buttons = [Button(t.BUTTON_REPORT_REASON.format(label=r.label),
                      callback_data=encode(Action.REPORT, comment_id, i, page))
               for i, r in enumerate(domain.REASONS)]
    back = Button(t.BUTTON_REPORT_BACK, callback_data=encode(Action.REPORT_MENU, comment.article_id, page))
    text = t.REPORT_WHY.format(n=fa_digits(number), author=author_name(author),
                               text=html.escape(trim(comment.text, 200)))
    return Screen(text, (*grid(buttons, 2), (back,)))


@dataclass(frozen=True, slots=True)
class Reported:
    """What a report press did: the reader's toast, and the article to show again (None: unknown)."""

    toast: str
    article_id: int | None
    review_id: int | None = None  # a review this report opened


async def report(deps: Deps, who: Author, comment_id: int, reason_index: int) -> Reported:
    """Record a reader's report (once per reader and comment); enough distinct readers open a review."""
    reason = domain.reason_at(reason_index)
    now = deps.clock()
    async with deps.db.transaction() as session:
        reader = await remember(session, deps, who, private=True)
        comment = await comments.get(session, comment_id)
        if comment is None or reason is None:
            return Reported(t.REPORT_GONE, comment.article_id if comment is not None else None)
        if comment.status != S.APPROVED.value:
            return Reported(t.REPORT_GONE, comment.article_id)
        refused = domain.refusal(reporter_id=who.id, author_id=comment.author_id, per_hour=deps.settings.reports_per_hour,
                                 reported_last_hour=await reports.reported_since(session, who.id, now - timedelta(hours=1)))
        if refused is domain.Refusal.OWN:
            return Reported(t.REPORT_OWN, comment.article_id)
        if refused is domain.Refusal.TOO_MANY:
            return Reported(t.REPORT_TOO_MANY.format(count=fa_digits(deps.settings.reports_per_hour)), comment.article_id)
        counted = domain.counts(reader.banned_until, now)
        if not await reports.add(session, comment.id, who.id, reason.code, counted=counted, now=now):
            return Reported(t.REPORT_AGAIN, comment.article_id)
        review = await _review_if_due(session, deps, comment, now) if counted else None
    if review is not None:
        deps.outbox.wake()
        log.info("reported comment sent back to moderators", extra={"comment_id": comment.id, "review_id": review.id})
    return Reported(t.REPORT_THANKS, comment.article_id, review.id if review is not None else None)


async def _review_if_due(session: AsyncSession, deps: Deps, comment: Comment, now: datetime) -> ReportReview | None:
    """Join the open review, or open one when enough distinct readers reported (its card queued)."""
    current = await reports.open_review(session, comment.id)
    if current is not None:
        await reports.collect(session, comment.id, current.id)
        return None
    if not domain.due(await reports.unreviewed(session, comment.id), deps.settings.reports_to_review):
        return None
    review = await reports.open_new_review(session, comment.id, now)
    if review is None:
        return None  # another reader's report opened it at the same moment
    await audit.add_action(session, comment_id=comment.id, target_user_id=comment.author_id,
                           moderator_id=AUTO_MODERATOR, action="report_review", created_at=now,
                           details={"review_id": review.id, "round": review.round})
    text = await review_text(session, deps, review, comment)
    await outbox_repo.enqueue(session, kind=MessageKind.REPORT_CARD, dedupe_key=f"report:{review.id}", chat_key=deps.chats.moderators,
                              payload=call("send_message", chat_id=deps.chats.moderators, text=text,
                                           reply_markup=keyboard_dict(review_keyboard(review.id, comment.id)),
                                           no_preview=True),
                              now=now, comment_id=comment.id)
    return review


# ----- the moderators' review card ----------------------------------------------------------------------------
def review_keyboard(review_id: int, comment_id: int) -> Keyboard:
    """Keep, remove; the article's figures."""
    return (
        (Button(t.BUTTON_KEEP, callback_data=encode(Action.REPORT_KEEP, review_id)),
         Button(t.BUTTON_REVIEW_REMOVE, callback_data=encode(Action.REPORT_REMOVE, review_id))),
        (Button(t.BUTTON_FIGURES, callback_data=encode(Action.FIGURES, comment_id)),),
    )


async def review_text(session: AsyncSession, deps: Deps, review: ReportReview, comment: Comment) -> str:
    """The review card: the comment, its article and author, how many readers reported it and why."""
    article = await session.get(Article, comment.article_id)
    author = await session.get(User, comment.author_id)
    tally = await reports.reasons(session, review.id)
    reasons = "، ".join(t.REVIEW_REASON.format(label=domain.label(code), count=fa_digits(n))
                        for code, n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0])))
    name = comment.web_author or (author.display_name if author is not None else "") or str(comment.author_id)
    published = comment.published_at or comment.decided_at or comment.created_at
    return t.REVIEW_CARD.format(
        token=html.escape(comment.token),
        title=article_title_html(article.title, article.link, 120) if article is not None else "—",
        author=html.escape(clip(name, 64)), user_id=comment.author_id,
        text=html.escape(clip(comment.text, 1500)), count=fa_digits(sum(tally.values())), reasons=reasons or "—",
        published=format_datetime(published, deps.settings.tz),
    )


@dataclass(frozen=True, slots=True)
class Reviewed:
    """A moderator's press on a review card: their toast, and the card's new text (None: leave it)."""

    toast: str
    text: str | None


async def decide(deps: Deps, mod: Moderator, review_id: int, *, remove: bool) -> Reviewed:
    """«✅ بماند» or «🗑 حذف» on a review card; the first press decides, later ones are told so."""
    now = deps.clock()
    article_id: int | None = None
    async with deps.db.transaction() as session:
        review = await session.get(ReportReview, review_id)
        comment = await comments.get(session, review.comment_id) if review is not None else None
        if review is None or comment is None:
            return Reviewed(t.REVIEW_DECIDED, None)
        if review.status != reports.OPEN:
            return Reviewed(t.REVIEW_DECIDED, None)
        await remember_moderator(session, mod, now)
        card = await review_text(session, deps, review, comment)
        who = html.escape(clip(mod.name or str(mod.user_id), 64))
        when = format_datetime(now, deps.settings.tz)
        if not remove:
            if not await reports.decide(session, review.id, "kept", mod.user_id, now):
                return Reviewed(t.REVIEW_DECIDED, None)
            await audit.add_action(session, comment_id=comment.id, target_user_id=comment.author_id,
                                   moderator_id=mod.user_id, action="report_keep", created_at=now,
                                   details={"review_id": review.id})
            return Reviewed(t.REVIEW_TOAST_KEPT, f"{card}\n\n{t.REVIEW_KEPT.format(who=who, time=when)}")
        if not await reports.decide(session, review.id, "removed", mod.user_id, now):  # claimed first
            return Reviewed(t.REVIEW_DECIDED, None)
        thread = await service_takedown.remove_in(session, comment, mod, now, details={"review_id": review.id})
        if thread is None:  # taken down meanwhile (/remove, /purge)
            await reports.set_status(session, review.id, "gone")
            return Reviewed(t.REVIEW_GONE, f"{card}\n\n{t.REVIEW_GONE}")
        article_id = comment.article_id
        text = f"{card}\n\n{t.REVIEW_REMOVED.format(who=who, time=when, thread=thread)}"
    after_commit(deps, article_id)
    log.info("reported comment taken down", extra={"review_id": review_id, "moderator_id": mod.user_id})
    return Reviewed(t.REVIEW_TOAST_REMOVED, text)


async def stats_line(session: AsyncSession, since: datetime) -> str:
    """/stats: readers' reports since ``since``, reviews opened, and how moderators decided them."""
    made, opened, decided = await reports.counts_since(session, since)
    return t.STATS_REPORTS.format(made=fa_digits(made), opened=fa_digits(opened), kept=fa_digits(decided.get("kept", 0)),
                                  removed=fa_digits(decided.get("removed", 0)))
