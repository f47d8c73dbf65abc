"""The reader's side of the private chat: deep links, the article view, drafts, /my."""

from __future__ import annotations

from datetime import timedelta
from html import escape

from sqlalchemy.ext.asyncio import AsyncSession

from bot.comments_open import article_closes_at, article_open, comments_open
from bot.deps import Deps
from bot.domain.paging import page_of
from bot.domain.payload import LinkKind, parse_payload
from bot.domain.screen import Screen
from bot.intake import service_captcha
from bot.intake.readers import Author, remember
from bot.intake.screens import (
    ParentRef,
    article_view,
    author_name,
    latest,
    my_comments,
    reply_prompt,
    unfinished,
    write_prompt,
)
from bot.intake.service_submit import DRAFT_TTL
from bot.intake.steps import Send, Step
from bot.jalali import format_datetime
from bot.states import CommentStatus
from bot.texts import common
from bot.texts import intake as t
from bot.texts import tools as tools_text
from storage.models import Article, Comment, User
from storage.repos import comments
from storage.repos import intake as repo

S = CommentStatus


async def _view(session: AsyncSession, deps: Deps, article: Article, page: int, user_id: int,
                writing: bool | None = None) -> Screen:
    """The article view; ``writing``: whether the reader is writing on it (None: read their draft)."""
    total = await repo.approved_total(session, article.id)
    where = page_of(total, page)
    rows = await repo.approved_page(session, article.id, where.offset, where.limit)
    parents: dict[int, ParentRef] = {}
    parent_rows = [p for p in [await comments.get(session, c.parent_id) for c in rows if c.parent_id] if p]
    names = await repo.authors(session, {c.author_id for c in rows} | {p.author_id for p in parent_rows})
    for parent in parent_rows:
        parents[parent.id] = ParentRef(await repo.approved_number(session, parent), author_name(names.get(parent.author_id)))
    if writing is None:
        user = await session.get(User, user_id, populate_existing=True)
        writing = (user is not None and user.draft_article_id == article.id and user.draft_parent_id is None
                   and user.draft_expires_at is not None and user.draft_expires_at > deps.clock())
    closed = not article_open(article, deps.settings, deps.clock())
    deadline = article_closes_at(article, deps.settings)
    closes_at = format_datetime(deadline, deps.settings.tz) if deadline is not None and not closed else None
    return article_view(article, rows, names, where, total, deps.settings.tz, parents,
                        _limit(deps) if writing and not closed else None, closed=closed, closes_at=closes_at)


def _limit(deps: Deps) -> int:
    return deps.settings.max_comment_length


def _welcome(deps: Deps) -> str:
    channel = escape(deps.chats.channel_title or deps.settings.channel or "")
    text = common.WELCOME_NATIVE if deps.settings.comment_mode == "native" else common.WELCOME
    return text.format(channel=channel, commands=common.COMMANDS)


async def _unfinished(session: AsyncSession, deps: Deps, user_id: int) -> list[tuple[Comment, str]]:
    now = deps.clock()
    return await repo.unfinished(session, user_id, now, now - timedelta(hours=deps.settings.comment_expiry_hours))


async def _latest(session: AsyncSession, deps: Deps, head: str) -> Screen:
    return latest(await repo.latest_articles(session), deps.bot_username, head)


async def start(deps: Deps, who: Author, payload: str | None) -> list[Step]:
    """``/start [payload]``: open an article, start a reply, continue a group comment, or explain."""
    link = parse_payload(payload)
    continue_id: int | None = None
    extra: Screen | None = None
    async with deps.db.transaction() as session:
        await remember(session, deps, who, private=True)
        if link is None:
            # /start or /help: out of any writing state; what the reader left unfinished is offered again.
            await repo.set_draft(session, who.id, None, None, None)
            screen = await _latest(session, deps, t.BAD_LINK if payload else _welcome(deps))
            extra = unfinished(await _unfinished(session, deps, who.id), deps.bot_username)
        elif link.kind is LinkKind.ARTICLE:
            article = await repo.article_by_token(session, link.token)
            if article is None:
                screen = await _latest(session, deps, t.BAD_LINK)
            else:
                # Even when closed: a text typed next is answered «closed», not «which article?».
                await repo.set_draft(session, who.id, article.id, None, deps.clock() + DRAFT_TTL)
                screen = await _view(session, deps, article, 0, who.id, writing=True)  # the draft just set
        else:
            comment = await comments.by_token(session, link.token)
            if comment is None or comment.author_id != who.id:
                screen = await _latest(session, deps, t.BAD_LINK)
            elif comment.status != S.AWAITING_CAPTCHA.value:
                screen = Screen(t.CONTINUE_DONE)
            else:
                screen, continue_id = None, comment.id
    if continue_id is not None:
        expired = Send(who.id, Screen(t.CAPTCHA_EXPIRED))
        captcha = await service_captcha.show(deps, continue_id, otherwise=expired)
        return [captcha if captcha is not None else expired]
    return [Send(who.id, shown) for shown in (screen, extra) if shown is not None]


async def page(deps: Deps, who: Author, article_id: int, number: int) -> Screen | None:
    """Another page of an article's comments (None: the article is gone)."""
    async with deps.db.transaction() as session:
        await remember(session, deps, who, private=True)
        article = await session.get(Article, article_id)
        return await _view(session, deps, article, number, who.id) if article else None


async def begin_write(deps: Deps, who: Author, article_id: int) -> Screen | None:
    """«✍️ ثبت نظر»: the next text comments on the article (None: the article is gone)."""
    async with deps.db.transaction() as session:
        await remember(session, deps, who, private=True)
        article = await session.get(Article, article_id)
        if article is None:
            return None
        if not article_open(article, deps.settings, deps.clock()):
            return Screen(tools_text.CLOSED_NOTE)
        await repo.set_draft(session, who.id, article.id, None, deps.clock() + DRAFT_TTL)
        return write_prompt(article, _limit(deps))


async def begin_reply(deps: Deps, who: Author, comment_id: int) -> Screen | None:
    """«↩️ پاسخ»: the next text replies to that approved comment (None: it is not published)."""
    async with deps.db.transaction() as session:
        await remember(session, deps, who, private=True)
        parent = await comments.get(session, comment_id)
        if parent is None or parent.status != S.APPROVED.value:
            return None
        if not await comments_open(session, deps.settings, parent.article_id, deps.clock()):
            return Screen(tools_text.CLOSED_NOTE)
        await repo.set_draft(session, who.id, parent.article_id, parent.id, deps.clock() + DRAFT_TTL)
        return reply_prompt(parent, await session.get(User, parent.author_id), _limit(deps))


async def cancel(deps: Deps, who: Author) -> bool:
    """«انصراف»: forget the draft; False if there was none (a second, stale press: nothing to show)."""
    async with deps.db.transaction() as session:
        await remember(session, deps, who, private=True)
        return await repo.clear_draft(session, who.id)


async def mine(deps: Deps, who: Author) -> Screen:
    """/my: the author's last ten comments with status and date; unfinished ones can be continued."""
    async with deps.db.transaction() as session:
        await remember(session, deps, who, private=True)
        await repo.set_draft(session, who.id, None, None, None)
        rows = await repo.recent_by_author(session, who.id, 10)
        open_ids = {c.id for c, _ in await _unfinished(session, deps, who.id)}
        return my_comments(rows, deps.settings.tz, deps.bot_username, open_ids)

