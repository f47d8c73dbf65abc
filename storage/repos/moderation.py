"""Queries and writes for moderation: the card backlog, queue views, audit rows, stats and export."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Integer, and_, bindparam, exists, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.message_kinds import MessageKind
from bot.states import CommentStatus
from storage.models import Article, Comment, Delivery, ModerationAction, QueueView, User
from storage.repos.outbox import CANCELLED, FAILED, QUEUED, SENDING

PENDING = CommentStatus.PENDING.value


def _card_row(*statuses: str) -> Any:
    cond = and_(Delivery.kind == MessageKind.CARD, Delivery.comment_id == Comment.id)
    if statuses:
        cond = and_(cond, Delivery.status.in_(statuses))
    return exists().where(cond)


# The statements each new comment and each decision run are built once, with bound parameters (building
# one costs more CPU than running it on SQLite; bench/pipeline.py).
_NEEDING_DISPATCH = (
    select(Comment, User, Article)
    .outerjoin(User, User.id == Comment.author_id)
    .outerjoin(Article, Article.id == Comment.article_id)
    .where(
        Comment.status == PENDING,
        Comment.card_message_id.is_(None),
        Comment.queue_view_id.is_(None),
        ~_card_row(),
    )
    .order_by(Comment.id)
    .limit(bindparam("p_limit", type_=Integer))
)


async def needing_dispatch(session: AsyncSession, limit: int = 500) -> list[tuple[Comment, User | None, Article | None]]:
    """Pending comments with no card (message, delivery row) and not listed in a queue view, oldest first,
    each with its author and article (one SELECT: the dispatch and the cards need all three)."""
    return [(c, u, a) for c, u, a in (await session.execute(_NEEDING_DISPATCH, {"p_limit": limit})).all()]


async def missing_cards(session: AsyncSession, limit: int = 500) -> list[Comment]:
    """Pending comments whose card was never sent, was lost or failed, outside any open queue view."""
    open_view = exists().where(QueueView.id == Comment.queue_view_id, QueueView.closed_at.is_(None))
    stmt = (
        select(Comment)
        .where(
            Comment.status == PENDING,
            Comment.card_message_id.is_(None),
            ~open_view,
            ~_card_row(QUEUED, SENDING),
        )
        .order_by(Comment.id)
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())


async def card_rows_since(session: AsyncSession, since: datetime) -> int:
    """Card deliveries created since ``since`` (the per-minute card budget, shared by instances)."""
    stmt = select(func.count()).where(Delivery.kind == MessageKind.CARD, Delivery.created_at >= since, Delivery.status != CANCELLED)
    return int((await session.execute(stmt)).scalar_one())


def _routing_state() -> Any:
    since = bindparam("p_since", type_=Delivery.__table__.c.created_at.type)
    recent = (
        select(func.count())
        .where(Delivery.kind == MessageKind.CARD, Delivery.created_at >= since, Delivery.status != CANCELLED)
        .scalar_subquery()
    )
    view_id = select(QueueView.id).where(QueueView.closed_at.is_(None)).order_by(QueueView.id.desc()).limit(1)
    one = select(literal(1).label("one")).subquery()
    return select(recent.label("recent"), QueueView).select_from(one).outerjoin(
        QueueView, QueueView.id == view_id.scalar_subquery())


_ROUTING_STATE = _routing_state()


async def routing_state(session: AsyncSession, since: datetime) -> tuple[QueueView | None, int]:
    """The open queue view (if any) and the card deliveries created since ``since``, in one SELECT
    (the count beside the newest open view's row, joined from a one-row FROM so it comes without one)."""
    count, view = (await session.execute(_ROUTING_STATE, {"p_since": since})).one()
    return view, int(count)


async def card_attempts(session: AsyncSession, comment_id: int) -> int:
    """How many card rows a comment has had (to give a re-sent card a fresh dedupe key)."""
    stmt = select(func.count()).where(Delivery.kind == MessageKind.CARD, Delivery.comment_id == comment_id)
    return int((await session.execute(stmt)).scalar_one())


async def open_view(session: AsyncSession) -> QueueView | None:
    """The queue view currently collecting comments, if any."""
    stmt = select(QueueView).where(QueueView.closed_at.is_(None)).order_by(QueueView.id.desc()).limit(1)
    return (await session.execute(stmt)).scalar_one_or_none()


async def view_by_message(session: AsyncSession, chat_id: int, message_id: int) -> QueueView | None:
    """The queue view shown in this message, if it is one."""
    stmt = select(QueueView).where(QueueView.chat_id == chat_id, QueueView.message_id == message_id)
    return (await session.execute(stmt)).scalar_one_or_none()


_VIEW_SIZE = select(func.count()).where(Comment.queue_view_id == bindparam("p_view"), Comment.status == PENDING)
_VIEW_HAS_PENDING = select(Comment.id).where(Comment.queue_view_id == bindparam("p_view"),
                                             Comment.status == PENDING).limit(1)


class QueueRow(NamedTuple):
    """What a queue view's list shows of one pending comment, read with its author, article and parent."""

    id: int
    token: str
    text: str
    created_at: datetime
    submitted_at: datetime | None
    source: str
    web_author: str | None
    author_id: int
    checks: dict[str, Any]
    article_title: str | None
    article_link: str | None
    author_found: bool
    author_name: str | None
    author_username: str | None
    author_approved: int | None
    author_rejected: int | None
    parent_found: bool
    parent_text: str | None
    parent_source: str | None
    parent_web_author: str | None
    parent_author_name: str | None


def _queue_rows() -> Any:
    c, a, u = Comment.__table__, Article.__table__, User.__table__
    parent, parent_user = c.alias("parent"), u.alias("parent_user")
    # The page's ids first (the view's pending ids, from ix_comments_status_view_card, sorted), then only
    # their five rows joined: a surge's list has thousands of comments, and joining and converting every row
    # cost far more than sorting their ids.
    page = (
        select(c.c.id)
        .where(c.c.queue_view_id == bindparam("p_view", type_=c.c.queue_view_id.type), c.c.status == PENDING)
        .order_by(c.c.id)
        .offset(bindparam("p_offset", type_=Integer))
        .limit(bindparam("p_limit", type_=Integer))
        .scalar_subquery()
    )
    return (
        select(c.c.id, c.c.token, c.c.text, c.c.created_at, c.c.submitted_at, c.c.source, c.c.web_author,
               c.c.author_id, c.c.checks, a.c.title, a.c.link, u.c.id.is_not(None), u.c.display_name, u.c.username,
               u.c.approved_count, u.c.rejected_count, parent.c.id.is_not(None), parent.c.text, parent.c.source,
               parent.c.web_author, parent_user.c.display_name)
        .select_from(c)
        .outerjoin(a, a.c.id == c.c.article_id)
        .outerjoin(u, u.c.id == c.c.author_id)
        .outerjoin(parent, parent.c.id == c.c.parent_id)
        .outerjoin(parent_user, parent_user.c.id == parent.c.author_id)
        .where(c.c.id.in_(page))
        .order_by(c.c.id)
    )


_QUEUE_ROWS = _queue_rows()


async def queue_rows(session: AsyncSession, view_id: int, offset: int, limit: int) -> list[QueueRow]:
    """``limit`` of the pending comments a queue view lists from ``offset``, oldest first, each with what
    its line shows, in one read of plain rows (loading each as an ORM object with its author's cost more
    than the rest of a refresh)."""
    await session.flush()  # a plain read sees only what is flushed (a comment just put in the view)
    params = {"p_view": view_id, "p_offset": offset, "p_limit": limit}
    return [QueueRow(*row) for row in (await session.execute(_QUEUE_ROWS, params)).all()]


async def view_size(session: AsyncSession, view_id: int) -> int:
    """How many pending comments a queue view lists (what is flushed and committed)."""
    await session.flush()
    return int((await session.execute(_VIEW_SIZE, {"p_view": view_id})).scalar_one())


async def view_has_pending(session: AsyncSession, view_id: int) -> bool:
    """Whether a queue view still lists a pending comment."""
    return (await session.execute(_VIEW_HAS_PENDING, {"p_view": view_id})).first() is not None


async def add_action(session: AsyncSession, **fields: Any) -> ModerationAction:
    """Write one audit row (flushed, so its id is known)."""
    row = ModerationAction(**fields)
    session.add(row)
    await session.flush()
    return row


async def last_action(session: AsyncSession, comment_id: int) -> ModerationAction | None:
    """The newest audit row of a comment."""
    stmt = (
        select(ModerationAction)
        .where(ModerationAction.comment_id == comment_id)
        .order_by(ModerationAction.id.desc())
        .limit(1)
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def users(session: AsyncSession, ids: Iterable[int]) -> dict[int, User]:
    """Users by id (missing ids are simply absent)."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = (await session.execute(select(User).where(User.id.in_(wanted)))).scalars()
    return {u.id: u for u in rows}


class DecisionRows(NamedTuple):
    """What a decision reads after its UPDATE: the comment's article, author and queue view, and whether
    that view still lists a pending comment (None: not asked)."""

    article: Article | None
    author: User | None
    view: QueueView | None
    view_pending: bool | None


def _decision_rows(with_view: bool) -> Any:
    entities: list[Any] = [Article, User]
    view = bindparam("p_view", type_=QueueView.__table__.c.id.type)  # the ids' own types: BIGINT on PostgreSQL
    if with_view:
        still = exists().where(Comment.queue_view_id == view, Comment.status == PENDING)
        entities += [QueueView, still.label("view_pending")]
    stmt = select(*entities).select_from(Article).outerjoin(User, User.id == bindparam("p_user", type_=User.__table__.c.id.type))
    if with_view:
        stmt = stmt.outerjoin(QueueView, QueueView.id == view)
    return stmt.where(Article.id == bindparam("p_article")).execution_options(populate_existing=True)


_DECISION_ROWS = {True: _decision_rows(True), False: _decision_rows(False)}


async def decision_rows(session: AsyncSession, article_id: int, user_id: int, view_id: int | None = None) -> DecisionRows:
    """A decided comment's article, author and (``view_id``) the queue view listing it with whether it
    still lists a pending comment, in one SELECT, read afresh (counters moved by SQL in this transaction)."""
    params = {"p_article": article_id, "p_user": user_id, "p_view": view_id}
    if view_id is None:
        del params["p_view"]
    found = (await session.execute(_DECISION_ROWS[view_id is not None], params)).first()
    if found is None:
        user = await session.get(User, user_id, populate_existing=True)
        return DecisionRows(None, user, await session.get(QueueView, view_id) if view_id is not None else None, None)
    if view_id is None:
        return DecisionRows(found[0], found[1], None, None)
    return DecisionRows(found[0], found[1], found[2], bool(found[3]) if found[2] is not None else None)


async def pending_of_author(session: AsyncSession, author_id: int) -> list[Comment]:
    """An author's comments waiting for a decision."""
    stmt = select(Comment).where(Comment.author_id == author_id, Comment.status == PENDING).order_by(Comment.id)
    return list((await session.execute(stmt)).scalars())


async def pending_summary(session: AsyncSession) -> tuple[int, datetime | None]:
    """How many comments wait, and when the oldest entered the queue."""
    stmt = select(func.count(), func.min(func.coalesce(Comment.submitted_at, Comment.created_at))).where(
        Comment.status == PENDING
    )
    count, oldest = (await session.execute(stmt)).one()
    if isinstance(oldest, str):  # SQLite returns coalesce() of two datetimes as text
        oldest = datetime.fromisoformat(oldest)
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return int(count), oldest


async def comments_touching(session: AsyncSession, since: datetime) -> list[Comment]:
    """Comments created or decided since ``since`` (the raw material of /stats)."""
    stmt = select(Comment).where(or_(Comment.created_at >= since, Comment.decided_at >= since))
    return list((await session.execute(stmt)).scalars())


async def failed_notifications(session: AsyncSession) -> int:
    """Notifications given up on (for /queue's health line)."""
    stmt = select(func.count()).where(Delivery.kind.in_([MessageKind.NOTIFY, MessageKind.NOTICE]), Delivery.status == FAILED)
    return int((await session.execute(stmt)).scalar_one())


async def export_rows(
    session: AsyncSession,
    *,
    article_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    after_id: int = 0,
    limit: int = 1000,
) -> list[tuple[Comment, Article, User | None]]:
    """A page of comments with their article and author, by id, for ``khabar export``."""
    stmt = (
        select(Comment, Article, User)
        .join(Article, Article.id == Comment.article_id)
        .outerjoin(User, User.id == Comment.author_id)
        .where(Comment.id > after_id)
        .order_by(Comment.id)
        .limit(limit)
    )
    if article_id is not None:
        stmt = stmt.where(Comment.article_id == article_id)
    if since is not None:
        stmt = stmt.where(Comment.created_at >= since)
    if until is not None:
        stmt = stmt.where(Comment.created_at < until)
    return [(c, a, u) for c, a, u in (await session.execute(stmt)).all()]


async def article_by_ref(session: AsyncSession, ref: str) -> Article | None:
    """An article by numeric id or by token."""
    if ref.isdigit():
        found = await session.get(Article, int(ref))
        if found is not None:
            return found
    return (await session.execute(select(Article).where(Article.token == ref))).scalar_one_or_none()


async def comments_by_ids(session: AsyncSession, ids: Iterable[int]) -> dict[int, Comment]:
    """Comments by id, in one SELECT (missing ids are simply absent; the caller skips an empty set)."""
    rows = (await session.execute(select(Comment).where(Comment.id.in_(set(ids))))).scalars()
    return {c.id: c for c in rows}


async def articles_by_ids(session: AsyncSession, ids: Iterable[int]) -> dict[int, Article]:
    """Articles by id, in one SELECT (missing ids are simply absent; the caller skips an empty set)."""
    rows = (await session.execute(select(Article).where(Article.id.in_(set(ids))))).scalars()
    return {a.id: a for a in rows}


async def published_count(session: AsyncSession, author_id: int) -> int:
    """How many of the author's comments are published now."""
    stmt = select(func.count()).select_from(Comment).where(Comment.author_id == author_id,
                                                          Comment.status == CommentStatus.APPROVED.value)
    return int((await session.execute(stmt)).scalar_one())


async def published_of_author(session: AsyncSession, author_id: int, limit: int) -> list[Comment]:
    """The author's first ``limit`` published comments, oldest first."""
    stmt = (select(Comment).where(Comment.author_id == author_id, Comment.status == CommentStatus.APPROVED.value)
            .order_by(Comment.id).limit(limit))
    return list((await session.execute(stmt)).scalars())
