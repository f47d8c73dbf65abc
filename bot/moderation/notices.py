"""What authors are told: one notice per comment, per ban and per reply, always the current truth.

A notice is one outbox row (its dedupe key names the subject) whose content is rendered from the
database when it is sent, never when it is queued. Every decision, undo or ban only wakes the row:

- not sent yet: whatever the state is when it goes out is what is sent (a decision taken back before
  its notice left sends nothing);
- sent, and the state is now a new outcome (published → rejected, a 7-day ban → a permanent one):
  a new message, so that the author is alerted;
- sent, and the decision was taken back (the comment is in the queue again, a ban lifted moments
  after it was announced): the message that announced it is edited to say so — no new alert;
- the content equals what the message shows: nothing is sent (never "message is not modified").

The row's payload keeps what the author's message shows (``state``). After each send the row is
rendered again: if the state moved while the message was on its way, the row is queued once more.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram.helpers import create_deep_linked_url

from bot.deps import Deps
from bot.domain.message_kinds import MessageKind
from bot.domain.unreachable import cannot_write
from bot.jalali import format_datetime
from bot.moderation.card import clip
from bot.moderation.reasons import BANNED, is_permanent
from bot.outbox import call
from bot.states import CommentStatus
from bot.texts import moderation as t
from bot.texts import tools as tools_text
from storage.models import Article, Comment, Delivery, ModerationAction, User
from storage.repos import actions, comments, users
from storage.repos import outbox as outbox_repo

log = logging.getLogger(__name__)

NOTICE = MessageKind.NOTICE
_STORED = "notice"  # the payload's method while nothing is being sent: the row only keeps its state
_GONE = ("message to edit not found", "message can't be edited")
MAX_LISTED = 5  # comments named in a ban notice


@dataclass(frozen=True, slots=True)
class Wanted:
    """What the author's message should say; ``push``: a new outcome, sent as a new message."""

    text: str
    push: bool


def comment_key(comment_id: int) -> str:
    """The notice telling a comment's author what became of it."""
    return f"notice:{comment_id}"


def ban_key(user_id: int) -> str:
    """The notice telling a user of their ban (and of its end)."""
    return f"ban_notice:{user_id}"


def reply_key(comment_id: int) -> str:
    """The notice telling a parent's author of the reply ``comment_id``."""
    return f"reply_notice:{comment_id}"


def can_write(user: User | None) -> bool:
    """Whether the bot may write to this user privately."""
    return user is not None and user.started_bot and not user.blocked_bot


def ban_until_text(until: datetime, deps: Deps) -> str:
    """«برای همیشه» for a permanent ban, else «تا <date>»."""
    if is_permanent(until):
        return t.NOTIFY_BANNED_FOREVER
    return t.NOTIFY_BANNED_UNTIL.format(date=format_datetime(until, deps.settings.tz))


def article_link(deps: Deps, article: Article) -> str:
    """A deep link that opens the article (view + write) in the bot."""
    return create_deep_linked_url(deps.bot_username, f"a-{article.token}")


def reason_sentence(code: str | None) -> str:
    """Why a comment was not published, as a sentence for its author."""
    sentence = t.REASON_SENTENCES.get(code or "other", t.REASON_SENTENCES["other"])
    return t.REASON_SENTENCE.format(sentence=sentence)


async def _wake(session: AsyncSession, key: str, user: User | None, now: datetime, comment_id: int | None) -> None:
    if user is None or not can_write(user):
        return
    stored = {"method": _STORED, "args": {"chat_id": user.id}, "state": {}}
    fresh = await outbox_repo.enqueue(
        session, kind=NOTICE, dedupe_key=key, chat_key=user.id, payload=stored, now=now, comment_id=comment_id
    )
    if not fresh:
        await outbox_repo.wake(session, key, now)


def comment_row(comment: Comment, author: User | None, now: datetime) -> dict[str, Any] | None:
    """The outbox row of the comment's notice, for a batch of rows (None: the author cannot be written
    to). If the batch did not record it (the row exists), `wake_comment` it."""
    if author is None or not can_write(author):
        return None
    stored = {"method": _STORED, "args": {"chat_id": author.id}, "state": {}}
    return outbox_repo.row(kind=NOTICE, dedupe_key=comment_key(comment.id), chat_key=author.id, payload=stored,
                           now=now, comment_id=comment.id)


async def wake_comment(session: AsyncSession, comment: Comment, now: datetime) -> None:
    """The comment's notice row exists already: have it rendered again."""
    await outbox_repo.wake(session, comment_key(comment.id), now)


async def sync_comment(session: AsyncSession, comment: Comment, now: datetime) -> None:
    """The comment's state changed: its author's notice is brought up to date."""
    author = await session.get(User, comment.author_id)
    await _wake(session, comment_key(comment.id), author, now, comment.id)


async def sync_ban(session: AsyncSession, user_id: int, now: datetime) -> None:
    """A ban was set, changed or lifted: the user's ban notice is brought up to date."""
    await _wake(session, ban_key(user_id), await session.get(User, user_id), now, None)


async def sync_reply(session: AsyncSession, reply: Comment, now: datetime) -> None:
    """A reply was published or taken back: its parent's author is told (unless /notify is off)."""
    if reply.parent_id is None:
        return
    parent = await session.get(Comment, reply.parent_id)
    if parent is None or parent.author_id == reply.author_id:
        return
    parent_author = await session.get(User, parent.author_id)
    if parent_author is None:
        return
    if not parent_author.notify_replies and await outbox_repo.by_key(session, reply_key(reply.id)) is None:
        return
    await _wake(session, reply_key(reply.id), parent_author, now, reply.id)


# ----- what a notice should say now ----------------------------------------------------------------------
def _title(article: Article | None) -> str:
    return html.escape(clip(article.title, 120)) if article is not None else "—"


async def _comment_wanted(session: AsyncSession, deps: Deps, comment: Comment, shown: bool) -> Wanted | None:
    article = await session.get(Article, comment.article_id)
    title = _title(article)
    if comment.status == CommentStatus.APPROVED.value:
        link = article_link(deps, article) if article is not None else ""
        return Wanted(t.NOTIFY_APPROVED.format(title=title, link=link), push=True)
    if comment.status == CommentStatus.REMOVED.value:  # taken down after publication (issue 18)
        return Wanted(tools_text.NOTIFY_REMOVED.format(title=title), push=True)
    if comment.status == CommentStatus.REJECTED.value and comment.reason == BANNED.code:
        return Wanted(t.NOTIFY_REJECTED_BANNED.format(title=title), push=False)  # the ban notice alerts
    if comment.status == CommentStatus.REJECTED.value:
        return Wanted(t.NOTIFY_REJECTED.format(title=title, reason=reason_sentence(comment.reason)), push=True)
    return Wanted(t.NOTIFY_REOPENED.format(title=title), push=False) if shown else None


async def _reply_wanted(session: AsyncSession, deps: Deps, reply: Comment, shown: bool) -> Wanted | None:
    article = await session.get(Article, reply.article_id)
    if reply.status != CommentStatus.APPROVED.value:
        return Wanted(t.NOTIFY_REPLY_WITHDRAWN.format(title=_title(article)), push=False) if shown else None
    author = await session.get(User, reply.author_id)
    name = author.display_name if author is not None and author.display_name else str(reply.author_id)
    link = article_link(deps, article) if article is not None else ""
    text = t.NOTIFY_REPLY.format(
        name=html.escape(clip(name, 64)), title=_title(article), text=html.escape(clip(reply.text, 500)), link=link
    )
    return Wanted(text, push=True)


async def last_ban(session: AsyncSession, user_id: int) -> ModerationAction | None:
    """The user's newest ban audit row (it lists the comments the ban closed)."""
    return await actions.last_of_user(session, user_id, "ban")


async def _ban_wanted(
    session: AsyncSession, deps: Deps, user_id: int, state: dict[str, Any], now: datetime
) -> Wanted | None:
    user = await session.get(User, user_id)
    if user is None:
        return None
    if user.banned_until is not None and user.banned_until > now:
        ban = await last_ban(session, user_id)
        note = (ban.details or {}).get("note") if ban is not None else None  # a penalty's ban says why (issue 18)
        lines = [note if isinstance(note, str) and note else t.NOTIFY_BANNED.format(
            until=ban_until_text(user.banned_until, deps))]
        closed = [int(i) for i in (ban.details or {}).get("closed", [])] if ban is not None else []
        titles: list[str] = []
        for comment_id in closed:
            comment = await session.get(Comment, comment_id)
            if comment is not None and comment.status == CommentStatus.REJECTED.value:
                title = _title(await session.get(Article, comment.article_id))
                if title not in titles:
                    titles.append(title)
        if len(titles) == 1:
            lines.append(t.NOTIFY_BANNED_ONE.format(title=titles[0]))
        elif titles:
            lines.append(t.NOTIFY_BANNED_MANY)
            lines += [t.NOTIFY_BANNED_ITEM.format(title=title) for title in titles[:MAX_LISTED]]
        return Wanted("\n".join(lines), push=True)
    if not state.get("shown"):
        return None
    lines = [t.NOTIFY_BAN_LIFTED]
    unban = await actions.last_of_user(session, user_id, "unban")
    if unban is not None and int((unban.details or {}).get("reopened", 0)) > 0:
        lines.append(t.NOTIFY_BAN_LIFTED_REOPENED)
    # Lifted moments after it was announced (an undo): the announcement is corrected in place.
    # Lifted later (/unban): a message of its own, so the reader learns they may write again.
    at = state.get("at")
    recent = isinstance(at, str) and now - datetime.fromisoformat(at) <= timedelta(
        seconds=deps.settings.undo_window_seconds
    )
    return Wanted("\n".join(lines), push=not recent)


async def _wanted(session: AsyncSession, deps: Deps, row: Delivery, state: dict[str, Any], now: datetime) -> Wanted | None:
    shown = bool(state.get("shown"))
    if row.dedupe_key.startswith("ban_notice:"):
        return await _ban_wanted(session, deps, int(row.chat_key), state, now)
    comment = await session.get(Comment, row.comment_id) if row.comment_id is not None else None
    if comment is None:
        return None
    if row.dedupe_key.startswith("reply_notice:"):
        return await _reply_wanted(session, deps, comment, shown)
    return await _comment_wanted(session, deps, comment, shown)


def _plan(chat_id: int, state: dict[str, Any], wanted: Wanted | None, receipt: int | None = None
          ) -> dict[str, Any] | None:
    """The call that makes the author's message say ``wanted`` (None: nothing to do).

    ``receipt``: the message showing the comment's receipt, still the author's newest; a first outcome
    is written into it rather than sent as one more message (issue 15: view + captcha, nothing more)."""
    if wanted is None:
        return None
    message_id = state.get("message_id")
    if message_id is None and wanted.push and receipt is not None:
        into = call("edit_message_text", chat_id=chat_id, message_id=receipt, text=wanted.text, no_preview=True)
        return {**into, "state": {**state, "message_id": receipt, "pushed": wanted.text, "receipt": True}}
    if message_id is None:
        return {**call("send_message", chat_id=chat_id, text=wanted.text, no_preview=True), "state": state} if wanted.push else None
    if wanted.text == state.get("shown"):
        return None
    if wanted.push and wanted.text != state.get("pushed"):
        return {**call("send_message", chat_id=chat_id, text=wanted.text, no_preview=True), "state": state}
    edit = call("edit_message_text", chat_id=chat_id, message_id=message_id, text=wanted.text, no_preview=True)
    return {**edit, "state": state}


async def receipt_moved(session: AsyncSession, comment_id: int, chat_id: int, old_id: int, new_id: int,
                        now: datetime) -> None:
    """The comment's receipt is message ``new_id`` now. A first outcome already written into ``old_id`` (the
    comment was decided while the new receipt was on its way) is written again into the new one, where
    the author's chat ends, and later outcomes edit that one."""
    row = await outbox_repo.by_key(session, comment_key(comment_id))
    if row is None:
        return  # no outcome yet: it will find the new receipt by itself
    state = _state(row)
    if not state.get("receipt") or state.get("message_id") != old_id:
        return
    state.update(message_id=new_id, shown=None)
    await outbox_repo.set_payload(session, row.id, {"method": _STORED, "args": {"chat_id": chat_id}, "state": state})
    await outbox_repo.wake(session, row.dedupe_key, now)


def _state(row: Delivery) -> dict[str, Any]:
    state = row.payload.get("state")
    return dict(state) if isinstance(state, dict) else {}


async def _receipt(session: AsyncSession, row: Delivery, state: dict[str, Any]) -> int | None:
    """The receipt a comment's first outcome may be written into (None: a message of its own)."""
    if (row.comment_id is None or not row.dedupe_key.startswith("notice:") or state.get("message_id") is not None
            or state.get("receipt_gone")):
        return None
    return await comments.receipt_message(session, row.comment_id, int(row.chat_key))


async def _next(deps: Deps, session: AsyncSession, row: Delivery, state: dict[str, Any], now: datetime
                ) -> dict[str, Any] | None:
    wanted = await _wanted(session, deps, row, state, now)
    receipt = await _receipt(session, row, state) if wanted is not None and wanted.push else None
    return _plan(int(row.chat_key), state, wanted, receipt)


async def _render(deps: Deps, session: AsyncSession, row: Delivery, now: datetime) -> dict[str, Any] | None:
    """Right before sending: the call the notice needs now, or None."""
    return await _next(deps, session, row, _state(row), now)


async def _store(session: AsyncSession, row: Delivery, state: dict[str, Any], now: datetime, deps: Deps) -> None:
    """Keep what the author's message shows; queue the row again if the state moved meanwhile."""
    stored = {"method": _STORED, "args": {"chat_id": int(row.chat_key)}, "state": state}
    await outbox_repo.set_payload(session, row.id, stored)
    if await _next(deps, session, row, state, now) is not None:
        await outbox_repo.wake(session, row.dedupe_key, now)


async def _sent(deps: Deps, session: AsyncSession, row: Delivery, message_id: int | None, now: datetime) -> None:
    """The call went out (``row.payload`` is what was sent): record what the message shows now."""
    state = _state(row)
    method, args = row.payload.get("method"), row.payload.get("args", {})
    text = args.get("text")
    if method == "send_message" and message_id is not None:
        state.update(message_id=message_id, pushed=text, shown=text, at=now.isoformat())
    elif method == "edit_message_text":
        state["shown"] = text
    await _store(session, row, state, now, deps)


async def _failed(deps: Deps, session: AsyncSession, row: Delivery, error: str, now: datetime) -> None:
    """Blocked: nothing more is sent. The message to edit is gone: the next outcome is a new message."""
    lowered = error.lower()
    if cannot_write(error):
        await users.mark_blocked(session, int(row.chat_key))
        log.info("user blocked the bot", extra={"user_id": row.chat_key})
        return
    if any(word in lowered for word in _GONE):
        state = _state(row)
        state.pop("message_id", None)
        state.pop("shown", None)
        if state.pop("receipt", None):
            state["receipt_gone"] = True  # the receipt was deleted: the outcome becomes a message of its own
        await _store(session, row, state, now, deps)


# What follows a notice's send, under the names bot/outbox_kinds.py's table uses.
before_send, on_sent, on_failed = _render, _sent, _failed
