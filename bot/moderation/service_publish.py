"""Publication of approved comments into the discussion thread, and telling authors (through the outbox)."""

from __future__ import annotations

import html
import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.helpers import create_deep_linked_url

from bot.deps import Deps
from bot.jalali import format_date
from bot.moderation.card import clip
from bot.moderation.reasons import is_permanent, reason_label
from bot.outbox import Hooks, call
from bot.states import CommentStatus
from bot.texts import moderation as t
from bot.texts import web as web_texts
from storage.models import Article, Comment, Delivery, User
from storage.repos import comments, users
from storage.repos import outbox as outbox_repo

log = logging.getLogger(__name__)

PUBLISH, NOTIFY, DELETE = "comment_publish", "notify", "delete"
DELETE_WINDOW = timedelta(hours=47, minutes=30)  # Telegram deletes bot messages only within 48 hours
_BLOCKED = ("blocked", "deactivated", "chat not found", "forbidden", "bot can't initiate")


def publish_key(comment_id: int) -> str:
    """The one publication intent of a comment."""
    return f"publish:{comment_id}"


def article_link(deps: Deps, article: Article) -> str:
    """A deep link that opens the article (view + write) in the bot."""
    return create_deep_linked_url(deps.bot_username, f"a-{article.token}")


def _title(article: Article) -> str:
    return html.escape(clip(article.title, 120))


async def enqueue_publication(
    session: AsyncSession, deps: Deps, comment: Comment, article: Article, author: User | None, now: datetime
) -> None:
    """Queue the comment's message in the discussion thread (a reply to the forward or the parent's copy)."""
    if article.discussion_chat_id is None or article.discussion_message_id is None:
        return
    reply_to = article.discussion_message_id
    if comment.parent_id is not None:
        parent = await comments.get(session, comment.parent_id)
        if parent is not None and parent.thread_message_id is not None:
            reply_to = parent.thread_message_id
    name = author.display_name if author is not None and author.display_name else str(comment.author_id)
    if comment.source == "web":  # the website's comments reach the thread only if the newsroom wants them
        if not deps.settings.web_to_thread:
            return
        name = web_texts.THREAD_NAME.format(name=clip(comment.web_author or web_texts.ANONYMOUS, 48))
    payload = call(
        "send_message",
        chat_id=article.discussion_chat_id,
        text=t.PUBLISHED.format(name=html.escape(clip(name, 64)), text=html.escape(comment.text)),
        reply_to=reply_to,
        no_preview=True,
    )
    key = publish_key(comment.id)
    fresh = await outbox_repo.enqueue(
        session,
        kind=PUBLISH,
        dedupe_key=key,
        chat_key=article.discussion_chat_id,
        payload=payload,
        now=now,
        article_id=article.id,
        comment_id=comment.id,
    )
    if not fresh:  # approved again after an undo: the old row was cancelled or its message deleted
        await outbox_repo.requeue(session, key, payload, now)


def can_write(user: User | None) -> bool:
    """Whether the bot may write to this user privately."""
    return user is not None and user.started_bot and not user.blocked_bot


async def notify(
    session: AsyncSession, user: User | None, key: str, text: str, now: datetime, comment_id: int | None = None
) -> bool:
    """Queue a private message to ``user`` unless they never started the bot or blocked it."""
    if user is None or not can_write(user):
        return False
    return await outbox_repo.enqueue(
        session,
        kind=NOTIFY,
        dedupe_key=key,
        chat_key=user.id,
        payload=call("send_message", chat_id=user.id, text=text, no_preview=True),
        now=now,
        comment_id=comment_id,
    )


async def tell_approved(
    session: AsyncSession, deps: Deps, comment: Comment, article: Article, author: User | None, now: datetime
) -> None:
    """The author learns of the approval; the parent's author learns of the reply (unless /notify off)."""
    link = article_link(deps, article)
    await notify(
        session,
        author,
        f"notify:approved:{comment.id}",
        t.NOTIFY_APPROVED.format(title=_title(article), link=link),
        now,
        comment.id,
    )
    if comment.parent_id is None:
        return
    parent = await comments.get(session, comment.parent_id)
    if parent is None or parent.author_id == comment.author_id:
        return
    parent_author = await session.get(User, parent.author_id)
    if parent_author is None or not parent_author.notify_replies:
        return
    name = author.display_name if author is not None and author.display_name else str(comment.author_id)
    text = t.NOTIFY_REPLY.format(
        name=html.escape(clip(name, 64)), title=_title(article), text=html.escape(clip(comment.text, 500)), link=link
    )
    await notify(session, parent_author, f"notify:reply:{comment.id}", text, now, comment.id)


async def tell_rejected(
    session: AsyncSession,
    deps: Deps,
    comment: Comment,
    article: Article,
    author: User | None,
    now: datetime,
    banned_until: datetime | None = None,
) -> None:
    """The author learns of the rejection and its reason (or of the ban)."""
    if banned_until is not None:
        until = (
            t.NOTIFY_BANNED_FOREVER
            if is_permanent(banned_until)
            else t.NOTIFY_BANNED_UNTIL.format(date=format_date(banned_until, deps.settings.tz))
        )
        text = t.NOTIFY_BANNED.format(title=_title(article), until=until)
    else:
        text = t.NOTIFY_REJECTED.format(title=_title(article), reason=reason_label(comment.reason))
    await notify(session, author, f"notify:rejected:{comment.id}", text, now, comment.id)


async def withdraw(session: AsyncSession, comment: Comment, now: datetime, action_id: int) -> None:
    """Undo of an approval: stop a queued publication and notifications, delete the thread copy (≤ 48 h)."""
    await outbox_repo.cancel(session, publish_key(comment.id))
    await outbox_repo.cancel(session, f"notify:approved:{comment.id}")
    await outbox_repo.cancel(session, f"notify:reply:{comment.id}")
    await _delete_copy(session, comment, now, action_id)


async def _delete_copy(session: AsyncSession, comment: Comment, now: datetime, action_id: int) -> None:
    if comment.thread_message_id is None or comment.published_at is None:
        return
    article = await session.get(Article, comment.article_id)
    if article is None or article.discussion_chat_id is None:
        return
    if now - comment.published_at < DELETE_WINDOW:
        await outbox_repo.enqueue(
            session,
            kind=DELETE,
            dedupe_key=f"delete:{comment.id}:{action_id}",
            chat_key=article.discussion_chat_id,
            payload=call("delete_message", chat_id=article.discussion_chat_id, message_id=comment.thread_message_id),
            now=now,
            comment_id=comment.id,
        )
    else:
        log.warning("published comment too old to delete from the thread", extra={"comment_id": comment.id})
    comment.thread_message_id = None
    comment.published_at = None


async def _published(session: AsyncSession, row: Delivery, message_id: int | None, now: datetime) -> None:
    """Record the thread copy; if the comment was taken back meanwhile, delete the copy at once."""
    if row.comment_id is None:
        return
    comment = await comments.get(session, row.comment_id)
    if comment is None:
        return
    comment.thread_message_id = message_id
    comment.published_at = now
    if comment.status != CommentStatus.APPROVED.value:
        await _delete_copy(session, comment, now, row.id)


async def _notify_failed(session: AsyncSession, row: Delivery, error: str, now: datetime) -> None:
    """A 403 (blocked, deactivated): remember it so nothing more is sent to that user."""
    if any(word in error.lower() for word in _BLOCKED):
        chat_id = row.payload.get("args", {}).get("chat_id")
        if isinstance(chat_id, int):
            await users.mark_blocked(session, chat_id)
            log.info("user blocked the bot", extra={"user_id": chat_id})


def register_hooks(deps: Deps) -> None:
    """Outbox hooks for publication and notifications."""
    deps.outbox.register(PUBLISH, Hooks(on_sent=_published))
    deps.outbox.register(NOTIFY, Hooks(on_failed=_notify_failed))
