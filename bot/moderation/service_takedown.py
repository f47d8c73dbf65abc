"""Take-downs (issue 18, item 4): a published comment removed by a moderator at any time.

The comment leaves the bot's view and the post's count; its copy in the article's thread is deleted
while Telegram allows (48 hours), else edited to say it was removed; its author is told through the
comment's state-derived notice (bot/moderation/notices.py).
"""

from __future__ import annotations

import html
import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.checks.normalize import parse_number
from bot.deps import Deps
from bot.domain.message_kinds import MessageKind
from bot.moderation import notices
from bot.moderation import service_publish as publish
from bot.moderation.card import clip
from bot.moderation.service_decide import Moderator, after_commit, remember
from bot.outbox import OTHERWISE, call
from bot.states import CommentStatus
from bot.texts import intake as intake_text
from bot.texts import tools as t
from storage.models import Article, Comment, User
from storage.repos import comments
from storage.repos import moderation as audit
from storage.repos import outbox as outbox_repo
from storage.repos.counters import bump

log = logging.getLogger(__name__)
S = CommentStatus
REASON = "removed"


async def find_comment(session: AsyncSession, ref: str) -> Comment | None:
    """The comment a moderator names: its reference (shown on its card), else its number."""
    ref = ref.strip().lstrip("#")[:40]
    if not ref:
        return None
    found = await comments.by_token(session, ref)
    number = parse_number(ref) if found is None else None  # «۱۲» and «١٢» as well as «12»
    if number is not None and 0 < number < 10**15:
        found = await comments.get(session, number)
    return found


async def _thread_copy(session: AsyncSession, comment: Comment, now: datetime) -> tuple[str, str]:
    """Delete the thread copy (≤ 48 h) or edit it to say it was removed: (what was done, the line saying so)."""
    article = await session.get(Article, comment.article_id)
    if comment.thread_message_id is None or article is None or article.discussion_chat_id is None:
        return "none", t.REMOVED_THREAD_NONE
    chat_id, message_id = article.discussion_chat_id, comment.thread_message_id
    young = comment.published_at is not None and now - comment.published_at < publish.DELETE_WINDOW
    edit = call("edit_message_text", chat_id=chat_id, message_id=message_id, text=t.REMOVED_IN_THREAD)
    if young:
        payload = call("delete_message", chat_id=chat_id, message_id=message_id)
        # Sent late (an outage past Telegram's 48 hours): the copy can no longer be deleted; say so in it.
        payload[OTHERWISE] = {"on": "can't be deleted", "payload": edit}
        kind, done, line = MessageKind.DELETE, "deleted", t.REMOVED_THREAD_DELETED
    else:
        payload, kind, done, line = edit, MessageKind.TAKEDOWN_EDIT, "edited", t.REMOVED_THREAD_EDITED
    # A removal is final (REMOVED has no way out), so one row per comment.
    await outbox_repo.enqueue(session, kind=kind, dedupe_key=f"takedown:{comment.id}", chat_key=chat_id,
                              payload=payload, now=now, comment_id=comment.id)
    comment.thread_message_id = None
    return done, line


async def remove_in(session: AsyncSession, comment: Comment, mod: Moderator, now: datetime,
                    details: dict[str, object] | None = None) -> str | None:
    """Take one published comment down in ``session``: the line about its thread copy, or None if it
    was not published (anymore) — the conditional update decides between concurrent removals."""
    if comment.status != S.APPROVED.value or not await comments.transition(
        session, comment.id, S.APPROVED, S.REMOVED, now=now, moderator_id=mod.user_id, reason=REASON
    ):
        return None
    await session.refresh(comment)
    await outbox_repo.cancel(session, publish.publish_key(comment.id))  # not yet in the thread: it never will be
    done, thread = await _thread_copy(session, comment, now)
    await audit.add_action(
        session, comment_id=comment.id, target_user_id=comment.author_id, moderator_id=mod.user_id,
        action="remove", reason=REASON, card_chat_id=comment.card_chat_id, card_message_id=comment.card_message_id,
        details={"article_id": comment.article_id, "thread": done, **(details or {})}, created_at=now,
    )
    await bump(session, User, comment.author_id, "approved_count", -1)
    await bump(session, User, comment.author_id, "rejected_count", 1)  # counts against trust, like a rejection
    await bump(session, Article, comment.article_id, "approved_count", -1)
    await notices.sync_comment(session, comment, now)
    await notices.sync_reply(session, comment, now)
    return thread


async def take_down(deps: Deps, mod: Moderator, ref: str) -> str:
    """/remove: take a published comment down; the Persian answer for the moderator."""
    now = deps.clock()
    async with deps.db.transaction() as session:
        comment = await find_comment(session, ref)
        if comment is None:
            return t.COMMENT_UNKNOWN.format(ref=html.escape(clip(ref, 40)))
        token = html.escape(comment.token)
        if comment.status == S.REMOVED.value:
            return t.REMOVE_ALREADY.format(token=token)
        await remember(session, mod, now)
        thread = await remove_in(session, comment, mod, now)
        if thread is None:
            await session.refresh(comment)
            if comment.status == S.REMOVED.value:
                return t.REMOVE_ALREADY.format(token=token)
            status = intake_text.STATUS.get(comment.status, comment.status)
            return t.REMOVE_NOT_PUBLISHED.format(token=token, status=status)
        article = await session.get(Article, comment.article_id)
        author = await session.get(User, comment.author_id)
        name = author.display_name if author is not None and author.display_name else str(comment.author_id)
        title = html.escape(clip(article.title, 120)) if article is not None else "—"
        answer = t.REMOVED_DONE.format(token=token, author=html.escape(clip(name, 64)), title=title, thread=thread)
    after_commit(deps, comment.article_id)
    log.info("published comment taken down", extra={"comment_id": comment.id, "moderator_id": mod.user_id})
    return answer
