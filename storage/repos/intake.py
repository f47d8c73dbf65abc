"""Queries the comment intake needs: articles by link, drafts, captchas (an author's recent comments:
`storage/repos/author_history.py`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, bindparam, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.states import CommentStatus
from storage.models import Article, Captcha, Comment, ModerationAction, User

S = CommentStatus

# The statements of a comment's path are built once, with bound parameters: building one anew costs more
# CPU than running it (a select of a whole row 80–130 µs, its run on SQLite ~60 µs; bench/pipeline.py).
_ARTICLE_BY_TOKEN = select(Article).where(Article.token == bindparam("token"))


# ----- articles ------------------------------------------------------------------------------------------
async def article_by_token(session: AsyncSession, token: str) -> Article | None:
    """The article a deep link names, or None."""
    return (await session.execute(_ARTICLE_BY_TOKEN, {"token": token})).scalar_one_or_none()


async def article(session: AsyncSession, article_id: int | None) -> Article | None:
    """The article with this id (from the session's identity map if loaded), or None."""
    return await session.get(Article, article_id)


async def latest_articles(session: AsyncSession, limit: int = 5) -> list[Article]:
    """The newest articles already in the channel."""
    stmt = (
        select(Article)
        .where(Article.delivery_state == "posted")
        .order_by(Article.published_at.desc(), Article.id.desc())
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())


async def article_by_thread(session: AsyncSession, chat_id: int, message_id: int) -> Article | None:
    """The article whose automatic forward in the discussion group is ``message_id``."""
    stmt = select(Article).where(Article.discussion_message_id == message_id).order_by(Article.id.desc())
    for article in (await session.execute(stmt)).scalars():
        if article.discussion_chat_id in (None, chat_id):
            return article
    return None


async def all_article_texts(session: AsyncSession, limit: int = 5000) -> list[tuple[int, str]]:
    """Ids and text (title, lead, body) of the newest stored articles, for term statistics."""
    stmt = select(Article.id, Article.title, Article.lead, Article.body).order_by(Article.id.desc()).limit(limit)
    rows = (await session.execute(stmt)).all()
    return [(row[0], " ".join(part or "" for part in row[1:])) for row in rows]


# ----- comments ------------------------------------------------------------------------------------------
async def comment_by_thread_message(session: AsyncSession, message_id: int) -> Comment | None:
    """The published comment whose copy in the discussion thread is ``message_id``."""
    stmt = select(Comment).where(Comment.thread_message_id == message_id).order_by(Comment.id.desc()).limit(1)
    return (await session.execute(stmt)).scalar_one_or_none()


async def add_comment(session: AsyncSession, **values: Any) -> Comment:
    """Insert a comment row and flush so it has an id."""
    comment = Comment(**values)
    session.add(comment)
    await session.flush()
    return comment


def _approved_order() -> Any:
    """When a comment joined the article view: its approval (moderators' order), then its id."""
    return func.coalesce(Comment.decided_at, Comment.created_at)


_APPROVED_PAGE = (
    select(Comment)
    .where(Comment.article_id == bindparam("article_id"), Comment.status == S.APPROVED.value)
    .order_by(_approved_order(), Comment.id)
    .offset(bindparam("offset", type_=Integer))
    .limit(bindparam("limit", type_=Integer))
)


async def approved_page(session: AsyncSession, article_id: int, offset: int, limit: int) -> list[Comment]:
    """One page of an article's approved comments, oldest first (numbers stay put as new ones arrive)."""
    params = {"article_id": article_id, "offset": offset, "limit": limit}
    return list((await session.execute(_APPROVED_PAGE, params)).scalars())


async def approved_number(session: AsyncSession, comment: Comment) -> int | None:
    """An approved comment's 1-based number in its article's view (None if it is not approved)."""
    if comment.status != S.APPROVED.value:
        return None
    at = comment.decided_at or comment.created_at
    earlier = (_approved_order() < at) | ((_approved_order() == at) & (Comment.id < comment.id))
    stmt = select(func.count()).where(Comment.article_id == comment.article_id,
                                      Comment.status == S.APPROVED.value, earlier)
    return int((await session.execute(stmt)).scalar_one()) + 1


_APPROVED_TOTAL = select(func.count()).where(Comment.article_id == bindparam("article_id"),
                                             Comment.status == S.APPROVED.value)


async def approved_total(session: AsyncSession, article_id: int) -> int:
    """How many approved comments an article has."""
    return int((await session.execute(_APPROVED_TOTAL, {"article_id": article_id})).scalar_one())


async def authors(session: AsyncSession, user_ids: set[int]) -> dict[int, User]:
    """Users by id."""
    if not user_ids:
        return {}
    rows = (await session.execute(select(User).where(User.id.in_(user_ids)))).scalars()
    return {u.id: u for u in rows}


FAILURE_MEMORY = timedelta(days=1)  # how long failed captchas count towards the cooldown


async def captcha_failures(session: AsyncSession, author_id: int, since: datetime) -> tuple[int, datetime | None]:
    """How many of the author's captchas failed (tries used up) since ``since``, and when the last did."""
    stmt = select(func.count(), func.max(Comment.status_changed_at)).where(
        Comment.author_id == author_id, Comment.status == S.EXPIRED.value, Comment.reason == "captcha_failed",
        Comment.status_changed_at >= since,
    )
    row = (await session.execute(stmt)).one()
    return int(row[0]), row[1]


async def unfinished(session: AsyncSession, author_id: int, now: datetime, never_shown_after: datetime,
                     limit: int = 5) -> list[tuple[Comment, str]]:
    """The author's comments still waiting for their captcha and still able to get it, newest first."""
    stmt = (
        select(Comment, Article.title)
        .join(Article, Article.id == Comment.article_id)
        .outerjoin(Captcha, Captcha.comment_id == Comment.id)
        .where(Comment.author_id == author_id, Comment.status == S.AWAITING_CAPTCHA.value)
        .where(((Captcha.id.is_not(None)) & (Captcha.expires_at > now))
               | ((Captcha.id.is_(None)) & (Comment.created_at > never_shown_after)))
        .order_by(Comment.id.desc())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


async def recent_by_author(session: AsyncSession, author_id: int, limit: int = 10) -> list[tuple[Comment, str]]:
    """An author's newest comments with their article titles (for /my)."""
    stmt = (
        select(Comment, Article.title)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.author_id == author_id)
        .order_by(Comment.id.desc())
        .limit(limit)
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


# ----- users ---------------------------------------------------------------------------------------------
async def clear_draft(session: AsyncSession, user_id: int) -> bool:
    """Forget the user's draft; False if there was none (checked and cleared in one statement, so of
    two presses at once only one finds it)."""
    stmt = (
        update(User)
        .where(User.id == user_id, User.draft_article_id.is_not(None))
        .values(draft_article_id=None, draft_parent_id=None, draft_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    return bool((await session.execute(stmt)).rowcount == 1)  # type: ignore[attr-defined]


_SET_DRAFT = (
    update(User)
    .where(User.id == bindparam("user_id"))
    .values(draft_article_id=bindparam("p_article", type_=User.draft_article_id.type),
            draft_parent_id=bindparam("p_parent", type_=User.draft_parent_id.type),
            draft_expires_at=bindparam("p_expires", type_=User.draft_expires_at.type))
    .execution_options(synchronize_session=False)
)


async def set_draft(
    session: AsyncSession, user_id: int, article_id: int | None, parent_id: int | None, expires_at: datetime | None
) -> None:
    """Remember what the user's next private text comments on (None clears it)."""
    params = {"user_id": user_id, "p_article": article_id, "p_parent": parent_id, "p_expires": expires_at}
    await session.execute(_SET_DRAFT, params)


def _end_draft(top_level: bool) -> Any:
    return (
        update(User)
        .where(User.id == bindparam("user_id"), User.draft_article_id == bindparam("article_id"))
        .where(User.draft_parent_id.is_(None) if top_level else User.draft_parent_id == bindparam("parent_id"))
        .values(draft_article_id=None, draft_parent_id=None, draft_expires_at=None)
        .execution_options(synchronize_session=False)
    )


_END_DRAFT = {True: _end_draft(True), False: _end_draft(False)}


async def end_draft(session: AsyncSession, user_id: int, article_id: int, parent_id: int | None) -> None:
    """The comment the reader was writing is sent: leave the writing state (if it is still that one)."""
    params: dict[str, Any] = {"user_id": user_id, "article_id": article_id}
    if parent_id is not None:
        params["parent_id"] = parent_id
    await session.execute(_END_DRAFT[parent_id is None], params)


async def claim_ban_notice(session: AsyncSession, user_id: int) -> bool:
    """True exactly once per ban: the caller tells the user, later comments are dropped quietly."""
    stmt = (
        update(User)
        .where(User.id == user_id, User.ban_notified.is_(False))
        .values(ban_notified=True)
        .execution_options(synchronize_session=False)
    )
    return bool((await session.execute(stmt)).rowcount == 1)  # type: ignore[attr-defined]


async def count_auto_rejected(session: AsyncSession, user_id: int) -> None:
    """One more comment of this user was rejected by the checks."""
    stmt = (
        update(User)
        .where(User.id == user_id)
        .values(auto_rejected_count=User.auto_rejected_count + 1)
        .execution_options(synchronize_session=False)
    )
    await session.execute(stmt)


# ----- captchas ------------------------------------------------------------------------------------------
async def add_captcha(session: AsyncSession, **values: Any) -> Captcha:
    """Insert a captcha row and flush so it has an id."""
    captcha = Captcha(**values)
    session.add(captcha)
    await session.flush()
    return captcha


async def captcha_of(session: AsyncSession, comment_id: int) -> Captcha | None:
    """The captcha guarding a comment, if one was made."""
    return (await session.execute(select(Captcha).where(Captcha.comment_id == comment_id))).scalar_one_or_none()


CaptchaContext = tuple[Captcha, Comment, User | None]


_CAPTCHA_CONTEXT = (
    select(Captcha, Comment, User)
    .join(Comment, Comment.id == Captcha.comment_id)
    .outerjoin(User, User.id == Comment.author_id)
    .where(Captcha.id == bindparam("captcha_id"))
    .execution_options(populate_existing=True)
)


async def captcha_context(session: AsyncSession, captcha_id: int) -> CaptchaContext | None:
    """A captcha with the comment it guards and that comment's author, read fresh in one statement."""
    row = (await session.execute(_CAPTCHA_CONTEXT, {"captcha_id": captcha_id})).first()
    return (row[0], row[1], row[2]) if row is not None else None


async def move_receipt(session: AsyncSession, comment_id: int, chat_id: int, message_id: int) -> int | None:
    """A solved captcha's receipt is shown by another message from now on (a newer one, in the same chat);
    the message that showed it before (None if none was recorded, or nothing moved)."""
    where = (Captcha.comment_id == comment_id, Captcha.chat_id == chat_id, Captcha.solved_at.is_not(None),
             or_(Captcha.message_id.is_(None), Captcha.message_id < message_id))
    before = (await session.execute(select(Captcha.message_id).where(*where).with_for_update())).first()
    if before is None:
        return None
    await session.execute(update(Captcha).where(*where).values(message_id=message_id)
                          .execution_options(synchronize_session=False))
    return int(before[0]) if before[0] is not None else None


async def captcha_location(session: AsyncSession, captcha_id: int) -> tuple[int, int] | None:
    """The chat and message showing the captcha, once its send is recorded."""
    row = (await session.execute(select(Captcha.chat_id, Captcha.message_id).where(Captcha.id == captcha_id))).first()
    return (row[0], row[1]) if row is not None and row[0] and row[1] else None


_OPEN_CAPTCHAS = (
    select(Captcha, Comment, User)
    .join(Comment, Comment.id == Captcha.comment_id)
    .outerjoin(User, User.id == Comment.author_id)
    .where(Comment.author_id == bindparam("author_id"), Comment.status == S.AWAITING_CAPTCHA.value,
           Captcha.solved_at.is_(None), Captcha.expires_at > bindparam("now", type_=Captcha.expires_at.type))
    .order_by(Captcha.message_id.is_(None).desc(), Captcha.message_id.desc(), Captcha.id.desc())
    .limit(bindparam("limit", type_=Integer))
    .execution_options(populate_existing=True)
)


async def open_captchas_in_context(session: AsyncSession, author_id: int, now: datetime, limit: int = 10
                                   ) -> list[CaptchaContext]:
    """The author's open captchas with each one's comment and author, in one statement (a typed answer's
    one read); the one shown last first, and one being sent now (its message id not recorded yet, so an
    answer may arrive before the record) first of all."""
    params = {"author_id": author_id, "now": now, "limit": limit}
    return [(row[0], row[1], row[2]) for row in await session.execute(_OPEN_CAPTCHAS, params)]


_SET_CAPTCHA_MESSAGE = (
    update(Captcha)
    .where(Captcha.id == bindparam("captcha_id"))
    .values(chat_id=bindparam("p_chat", type_=Captcha.chat_id.type),
            message_id=bindparam("p_message", type_=Captcha.message_id.type))
    .execution_options(synchronize_session=False)
)


async def set_captcha_message(session: AsyncSession, captcha_id: int, chat_id: int, message_id: int) -> None:
    """Record where the captcha is shown, so answers and expiry edit that message."""
    await session.execute(_SET_CAPTCHA_MESSAGE, {"captcha_id": captcha_id, "p_chat": chat_id, "p_message": message_id})


async def drop_unshown_captcha(session: AsyncSession, captcha_id: int) -> None:
    """Delete the captcha if it was never shown (Telegram refused the message that would show it)."""
    await session.execute(delete(Captcha).where(Captcha.id == captcha_id, Captcha.message_id.is_(None)))


async def renew_captcha(
    session: AsyncSession, captcha_id: int, generation: int, *, a: int, b: int, options: list[int]
) -> bool:
    """A wrong answer to ``generation``: new numbers, one try fewer; False if someone moved it first."""
    stmt = (
        update(Captcha)
        .where(
            Captcha.id == captcha_id,
            Captcha.generation == generation,
            Captcha.solved_at.is_(None),
            Captcha.tries_left > 0,
        )
        .values(a=a, b=b, options=options, generation=generation + 1, tries_left=Captcha.tries_left - 1)
        .execution_options(synchronize_session=False)
    )
    return bool((await session.execute(stmt)).rowcount == 1)  # type: ignore[attr-defined]


async def reload_captcha(session: AsyncSession, captcha: Captcha) -> None:
    """Read the loaded captcha's row again (after an UPDATE that bypassed the session)."""
    await session.refresh(captcha)


_SOLVE_CAPTCHA = (
    update(Captcha)
    .where(Captcha.id == bindparam("captcha_id"), Captcha.generation == bindparam("p_generation"),
           Captcha.solved_at.is_(None))
    .values(solved_at=bindparam("p_now", type_=Captcha.solved_at.type))
    .execution_options(synchronize_session=False)
)


async def solve_captcha(session: AsyncSession, captcha_id: int, generation: int, now: datetime) -> bool:
    """Mark ``generation`` solved; False if it was already solved or replaced."""
    params = {"captcha_id": captcha_id, "p_generation": generation, "p_now": now}
    return bool((await session.execute(_SOLVE_CAPTCHA, params)).rowcount == 1)  # type: ignore[attr-defined]


async def expired_waiting(
    session: AsyncSession, now: datetime, never_shown_before: datetime, limit: int = 200
) -> list[tuple[Comment, Captcha | None]]:
    """Comments still awaiting a captcha whose time is up (shown and expired, or never shown)."""
    stmt = (
        select(Comment, Captcha)
        .outerjoin(Captcha, Captcha.comment_id == Comment.id)
        .where(Comment.status == S.AWAITING_CAPTCHA.value)
        .where(
            ((Captcha.id.is_not(None)) & (Captcha.expires_at <= now))
            | ((Captcha.id.is_(None)) & (Comment.created_at <= never_shown_before))
        )
        .order_by(Comment.id)
        .limit(limit)
    )
    return [(row[0], row[1]) for row in (await session.execute(stmt)).all()]


# ----- slow mode ------------------------------------------------------------------------------------------
async def count_actions_since(session: AsyncSession, action: str, since: datetime) -> int:
    """How many audit rows of ``action`` were written since ``since`` (slow mode's refusals for /stats)."""
    stmt = select(func.count()).where(ModerationAction.action == action, ModerationAction.created_at >= since)
    return int((await session.execute(stmt)).scalar_one())
