"""Publication of approved comments into the discussion thread (through the outbox); what authors are
told is bot/moderation/notices.py."""

from __future__ import annotations

import html
import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps
from bot.domain.message_kinds import MessageKind
from bot.moderation.card import clip, clip_units
from bot.outbox import REPLY_INSTEAD, call
from bot.publishing.post_format import utf16_len
from bot.states import CommentStatus
from bot.texts import moderation as t
from bot.texts import web as web_texts
from storage.models import Article, Comment, Delivery, User
from storage.repos import comments
from storage.repos import outbox as outbox_repo

log = logging.getLogger(__name__)

# A thread message holds Telegram's 4,096 UTF-16 units. A comment within KHABAR_MAX_COMMENT_LENGTH (up to
# 4,000 characters) can still be longer in units if it has emoji, and so can a name of 64 characters.
THREAD_UNITS = 4096


def _thread_text(name: str, text: str) -> str:
    """The comment's message in the thread: its author's name line, then the text cut to what is left."""
    head = t.PUBLISHED.format(name=name, text="").replace("<b>", "").replace("</b>", "")  # as Telegram counts
    return t.PUBLISHED.format(name=html.escape(name), text=html.escape(clip_units(text, THREAD_UNITS - utf16_len(head))))
DELETE_WINDOW = timedelta(hours=47, minutes=30)  # Telegram deletes bot messages only within 48 hours


def publish_key(comment_id: int) -> str:
    """The one publication intent of a comment."""
    return f"publish:{comment_id}"


def _title(article: Article) -> str:
    return html.escape(clip(article.title, 120))


async def publication_row(
    session: AsyncSession, deps: Deps, comment: Comment, article: Article, author: User | None, now: datetime
) -> dict[str, Any] | None:
    """The outbox row of the comment's message in the discussion thread (a reply to the forward or the
    parent's copy); None if it has no place there. Queue it with `queue_publication`."""
    if article.discussion_chat_id is None or article.discussion_message_id is None:
        return None
    reply_to = article.discussion_message_id
    under_parent: dict[str, Any] = {}
    if comment.parent_id is not None:
        parent = await comments.get(session, comment.parent_id)
        if parent is not None and parent.thread_message_id is not None:
            reply_to = parent.thread_message_id
            # If the parent's copy is gone (an admin deleted it), Telegram would send the reply as a plain
            # group message, outside the post's thread: refuse that and reply to the thread's root instead.
            under_parent = {"allow_without_reply": False}
    name = author.display_name if author is not None and author.display_name else str(comment.author_id)
    if comment.source == "web":  # the website's comments reach the thread only if the newsroom wants them
        if not deps.settings.web_to_thread:
            return None
        name = web_texts.THREAD_NAME.format(name=clip(comment.web_author or web_texts.ANONYMOUS, 48))
    payload = call(
        "send_message",
        chat_id=article.discussion_chat_id,
        text=_thread_text(clip(name, 64), comment.text),
        reply_to=reply_to,
        no_preview=True,
        **under_parent,
    )
    if under_parent:
        payload[REPLY_INSTEAD] = article.discussion_message_id
    return outbox_repo.row(
        kind=MessageKind.COMMENT_PUBLISH,
        dedupe_key=publish_key(comment.id),
        chat_key=article.discussion_chat_id,
        payload=payload,
        now=now,
        article_id=article.id,
        comment_id=comment.id,
    )


async def queue_publication(session: AsyncSession, row: dict[str, Any], recorded: set[str] | None = None) -> None:
    """Queue a publication row; ``recorded``: the keys an `outbox_repo.enqueue_many` holding it recorded.

    Approved again after an undo: the old row (cancelled, or sent and its message deleted) is set aside,
    so the new one queues behind the comments approved meanwhile — threads read in the order moderators
    approved. A row still on its way is kept: its copy stands, as the comment is approved.
    """
    key = str(row["dedupe_key"])
    if recorded is not None and key in recorded:
        return  # the first approval (nearly always): recorded with the decision's other rows
    await outbox_repo.retire(session, key)
    await outbox_repo.enqueue_many(session, [row])


async def enqueue_publication(
    session: AsyncSession, deps: Deps, comment: Comment, article: Article, author: User | None, now: datetime
) -> None:
    """Queue the comment's message in the discussion thread (see `publication_row`)."""
    row = await publication_row(session, deps, comment, article, author, now)
    if row is not None:
        await queue_publication(session, row)


async def withdraw(session: AsyncSession, comment: Comment, now: datetime, action_id: int) -> None:
    """Undo of an approval: stop a queued publication, delete the thread copy (≤ 48 h)."""
    await outbox_repo.cancel(session, publish_key(comment.id))
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
            kind=MessageKind.DELETE,
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


async def published(session: AsyncSession, row: Delivery, message_id: int | None, now: datetime) -> None:
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
