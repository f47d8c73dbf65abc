"""One article's figures for moderators (issue 18, item 7): a card's «📊» button and ``/queue <article>``."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.comments_open import article_open
from bot.deps import Deps
from bot.jalali import fa_digits, format_datetime
from bot.moderation import service_cards
from bot.moderation.card import article_title_html, clip
from bot.states import CommentStatus
from bot.texts import tools as t
from storage.models import Article, Comment
from storage.repos import closing as closing_repo
from storage.repos import comments, figures, reports
from storage.repos import moderation as repo

S = CommentStatus
LISTED = 20  # pending comments listed by /queue <article>; the rest are counted
ALERT_LIMIT = 200  # Telegram's limit for a callback answer's text


@dataclass(frozen=True, slots=True)
class Figures:
    """What moderators see about one article's comments."""

    article_id: int
    title: str
    pending: int
    approved: int
    rejected: int
    removed: int
    reports: int
    open: bool


async def figures_of(session: AsyncSession, deps: Deps, article: Article) -> Figures:
    """The article's comments counted by outcome, its open reviews, and whether it takes comments."""
    by_status = await figures.status_counts(session, article.id)
    return Figures(
        article_id=article.id,
        title=article.title,
        pending=by_status.get(S.PENDING.value, 0),
        approved=by_status.get(S.APPROVED.value, 0),
        rejected=by_status.get(S.REJECTED.value, 0) + by_status.get(S.AUTO_REJECTED.value, 0),
        removed=by_status.get(S.REMOVED.value, 0),
        reports=await reports.open_of_article(session, article.id),
        open=article_open(article, deps.settings, deps.clock()),
    )


def alert_text(f: Figures) -> str:
    """The «📊» button's alert (plain text, within Telegram's 200 characters)."""
    def render(title: str) -> str:
        return t.FIGURES_ALERT.format(
            title=title, pending=fa_digits(f.pending), approved=fa_digits(f.approved), rejected=fa_digits(f.rejected),
            removed=fa_digits(f.removed), reports=fa_digits(f.reports), state=t.STATE_OPEN if f.open else t.STATE_CLOSED,
            number=f.article_id,
        )
    spare = ALERT_LIMIT - len(render(""))
    return render(clip(f.title, max(spare, 1)))[:ALERT_LIMIT]


async def alert_for_comment(deps: Deps, comment_id: int) -> str:
    """A card's «📊 آمار این خبر»: the figures of the article the comment is on."""
    async with deps.db.transaction() as session:
        comment = await comments.get(session, comment_id)
        article = await session.get(Article, comment.article_id) if comment is not None else None
        if article is None:
            return t.FIGURES_GONE
        return alert_text(await figures_of(session, deps, article))


def message_link(chat_id: int, message_id: int) -> str | None:
    """A link to a message in a supergroup (its members can open it), or None for other chats."""
    text = str(chat_id)
    return f"https://t.me/c/{text[4:]}/{message_id}" if text.startswith("-100") else None


def _item(n: int, comment: Comment, link: str | None, author: str) -> str:
    token = f"<code>{html.escape(comment.token)}</code>"
    ref = f'<a href="{html.escape(link, quote=True)}">{html.escape(comment.token)}</a>' if link else token
    return t.QUEUE_ARTICLE_ITEM.format(n=fa_digits(n), ref=ref, author=html.escape(clip(author, 40)),
                                       text=html.escape(clip(comment.text, 80)))


async def queue_of_article(deps: Deps, ref: str) -> str:
    """``/queue <article>``: the article's figures, its pending comments linked to their cards, and its
    lost cards sent again."""
    now = deps.clock()
    async with deps.db.transaction() as session:
        article = await closing_repo.find_article(session, ref, deps.chats.channel)
        if article is None:
            return t.ARTICLE_UNKNOWN.format(ref=html.escape(clip(ref, 40)))
        missing = [c for c in await repo.missing_cards(session) if c.article_id == article.id]
        for comment in missing:
            comment.queue_view_id = None
        await session.flush()
        await service_cards.route(session, deps, missing, now)
        f = await figures_of(session, deps, article)
        waiting = await figures.pending_of_article(session, article.id, LISTED)
        views = await figures.view_messages(session, {c.queue_view_id for c in waiting if c.queue_view_id})
        names = await repo.users(session, {c.author_id for c in waiting})
        lines = [
            t.QUEUE_ARTICLE_HEAD.format(title=article_title_html(article.title, article.link, 120),
                                        number=fa_digits(article.id), state=t.STATE_OPEN if f.open else t.STATE_CLOSED),
            t.QUEUE_ARTICLE_FIGURES.format(pending=fa_digits(f.pending), approved=fa_digits(f.approved),
                                           rejected=fa_digits(f.rejected), removed=fa_digits(f.removed),
                                           reports=fa_digits(f.reports)),
        ]
        if waiting:
            oldest = min(c.submitted_at or c.created_at for c in waiting)
            lines.append(t.QUEUE_ARTICLE_OLDEST.format(oldest=_when(oldest, deps)))
            lines.append("")
            for n, comment in enumerate(waiting, start=1):
                link = None
                if comment.card_message_id is not None and comment.card_chat_id is not None:
                    link = message_link(comment.card_chat_id, comment.card_message_id)
                elif comment.queue_view_id in views:
                    link = message_link(deps.chats.moderators, views[comment.queue_view_id])
                user = names.get(comment.author_id)
                author = comment.web_author or (user.display_name if user is not None else "") or str(comment.author_id)
                lines.append(_item(n, comment, link, author))
            if f.pending > len(waiting):
                lines.append(t.QUEUE_ARTICLE_MORE.format(count=fa_digits(f.pending - len(waiting))))
            lines.append("")
            lines.append(t.QUEUE_ARTICLE_NOTE)
        else:
            lines.append(t.QUEUE_ARTICLE_EMPTY)
        if missing:
            lines.append(t.QUEUE_ARTICLE_RESENT.format(count=fa_digits(len(missing))))
    if missing:
        deps.outbox.wake()
    return "\n".join(lines)


def _when(moment: datetime, deps: Deps) -> str:
    return format_datetime(moment, deps.settings.tz) if moment else "—"



