"""Service helpers: card views from the database and outbox payloads for cards and the queue view
(keyboards as plain data, bot/domain/screen.py: the outbox turns their JSON into Telegram's markup)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import EllipsisType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checks.learned import Estimate
from bot.deps import Deps
from bot.domain.screen import Keyboard, keyboard_dict
from bot.moderation.card import CardAuthor, CardDecision, CardView, render_card
from bot.moderation.reasons import warnings_of
from bot.outbox import call
from storage.models import Article, Comment, User
from storage.repos import learning
from storage.repos import moderation as repo


def author_of(user: User | None, user_id: int) -> CardAuthor:
    """The card's author block from the user row."""
    if user is None:
        return CardAuthor(user_id, str(user_id))
    return CardAuthor(user.id, user.display_name, user.username, user.approved_count, user.rejected_count)


def _web_author(comment: Comment, user: User | None) -> CardAuthor:
    """A website author: the name they gave, their identity's counts, no Telegram id or username."""
    name = comment.web_author or "—"
    return CardAuthor(comment.author_id, name, None, user.approved_count if user else 0, user.rejected_count if user else 0)


async def load_views(
    session: AsyncSession,
    comments: Sequence[Comment],
    *,
    articles: Mapping[int, Article] | None = None,
    people: Mapping[int, User] | None = None,
    estimates: Mapping[int, Estimate | None] | None = None,
) -> list[CardView]:
    """Card views for ``comments`` (articles, authors and parents loaded in a few queries).

    ``articles`` and ``people``: rows the caller already holds (read in the same transaction); only
    what they lack is read. ``estimates``: the learned model's estimates the caller computed, by comment.
    A queue view's list is built by `queue_views` instead."""
    if not comments:
        return []
    parent_ids = {c.parent_id for c in comments if c.parent_id is not None}
    parents = await repo.comments_by_ids(session, parent_ids) if parent_ids else {}
    known_articles = dict(articles or {})
    article_ids = {c.article_id for c in comments} - known_articles.keys()
    if article_ids:
        known_articles.update(await repo.articles_by_ids(session, article_ids))
    articles = known_articles
    known_people = dict(people or {})
    wanted = ({c.author_id for c in comments} | {p.author_id for p in parents.values()}) - known_people.keys()
    people = {**known_people, **await repo.users(session, wanted)}
    unknown = [c for c in comments if estimates is None or c.id not in estimates]
    read = dict(zip((c.id for c in unknown), await learning.estimate_texts(session, [c.text for c in unknown]),
                    strict=True))
    views = []
    for c in comments:
        article = articles.get(c.article_id)
        parent = parents.get(c.parent_id) if c.parent_id is not None else None
        parent_user = people.get(parent.author_id) if parent is not None else None
        views.append(
            CardView(
                comment_id=c.id,
                token=c.token,
                text=c.text,
                created_at=c.submitted_at or c.created_at,
                article_title=article.title if article else "—",
                article_link=article.link if article else None,
                author=_web_author(c, people.get(c.author_id)) if c.source == "web"
                else author_of(people.get(c.author_id), c.author_id),
                parent_author=(parent.web_author if parent.source == "web" else
                               parent_user.display_name if parent_user else None) if parent else None,
                parent_text=parent.text if parent is not None else None,
                warnings=warnings_of(c.checks),
                via="web" if c.source == "web" else "telegram",
                estimate=estimates[c.id] if estimates is not None and c.id in estimates else read[c.id],
            )
        )
    return views


def queue_views(rows: Sequence[repo.QueueRow]) -> list[CardView]:
    """The card views of a queue view's list from its plain rows (`repo.queue_rows`): what `load_views`
    gives for the same comments, without a row object per comment and without the model's estimates (the
    list shows none; estimating every pending comment in a surge was most of a refresh's CPU)."""
    views = []
    for r in rows:
        if r.source == "web":
            author = CardAuthor(r.author_id, r.web_author or "—", None, r.author_approved or 0, r.author_rejected or 0)
        elif r.author_found:
            author = CardAuthor(r.author_id, r.author_name or "", r.author_username, r.author_approved or 0,
                                r.author_rejected or 0)
        else:
            author = CardAuthor(r.author_id, str(r.author_id))
        parent_author = None
        if r.parent_found:
            parent_author = r.parent_web_author if r.parent_source == "web" else r.parent_author_name
        views.append(CardView(
            comment_id=r.id,
            token=r.token,
            text=r.text,
            created_at=r.submitted_at or r.created_at,
            article_title=r.article_title if r.article_title is not None else "—",
            article_link=r.article_link,
            author=author,
            parent_author=parent_author,
            parent_text=r.parent_text if r.parent_found else None,
            warnings=warnings_of(r.checks),
            via="web" if r.source == "web" else "telegram",
        ))
    return views


async def load_view(
    session: AsyncSession, comment: Comment, *, article: Article | None = None, author: User | None = None,
    estimate: Estimate | EllipsisType | None = ...,
) -> CardView:
    """The card view of one comment (``article``, ``author``, ``estimate``: what the caller holds;
    ``...``: no estimate in hand, it is read)."""
    articles = {article.id: article} if article is not None else None
    people = {author.id: author} if author is not None else None
    estimates = None if isinstance(estimate, EllipsisType) else {comment.id: estimate}
    return (await load_views(session, [comment], articles=articles, people=people, estimates=estimates))[0]


def card_send(deps: Deps, view: CardView, keyboard: Keyboard, decision: CardDecision | None = None) -> dict[str, Any]:
    """The outbox payload that sends a card to the moderators' chat."""
    return call(
        "send_message",
        chat_id=deps.chats.moderators,
        text=render_card(view, deps.settings.tz, decision),
        reply_markup=keyboard_dict(keyboard),
        no_preview=True,
    )


def message_edit(chat_id: int, message_id: int, text: str, keyboard: Keyboard) -> dict[str, Any]:
    """The outbox payload that rewrites a message (no keyboard: buttons removed)."""
    args: dict[str, Any] = {"chat_id": chat_id, "message_id": message_id, "text": text, "no_preview": True}
    kb = keyboard_dict(keyboard)
    if kb is not None:
        args["reply_markup"] = kb
    return call("edit_message_text", **args)


def moderator_name(user: User | None, user_id: int) -> str:
    """A moderator's name for cards and stats."""
    if user_id == 0:
        return "خودکار"
    if user is None:
        return str(user_id)
    return user.display_name or (f"@{user.username}" if user.username else str(user_id))

