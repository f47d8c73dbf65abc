"""Outbox rows: enqueue once, claim so one worker sends each, record the outcome."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, bindparam, case, cast, delete, false, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.message_kinds import MessageKind
from bot.states import CommentStatus as S
from storage.models import Article, Comment, Delivery
from storage.repos.upsert import insert_for, once_per_dialect

QUEUED, SENDING, SENT, FAILED, CANCELLED = "queued", "sending", "sent", "failed", "cancelled"

# The statements every send runs are built once, with bound parameters (building one costs more CPU than
# running it on SQLite; bench/pipeline.py).
_T = Delivery.__table__.c
_NOW = bindparam("p_now", type_=_T.next_attempt_at.type)
_DUE = or_(
    and_(Delivery.status == QUEUED, Delivery.next_attempt_at <= _NOW),
    and_(Delivery.status == SENDING, Delivery.claimed_until < _NOW),
)
_CLAIMABLE = (select(Delivery).where(_DUE, Delivery.chat_key.not_in(bindparam("p_exclude", expanding=True)))
              .order_by(Delivery.id).limit(bindparam("p_limit", type_=_T.id.type)))
_CLAIMABLE_LOCKED = _CLAIMABLE.with_for_update(skip_locked=True)
_MINE = and_(Delivery.id == bindparam("p_id"), Delivery.status == SENDING, Delivery.claimed_by == bindparam("p_owner"))
_RENEW = (update(Delivery).where(_MINE).values(claimed_until=bindparam("p_until", type_=_T.claimed_until.type))
          .execution_options(synchronize_session=False))
_SENT = (update(Delivery).where(_MINE)
         .values(claimed_by=None, claimed_until=None, status=SENT, error=None,
                 message_id=bindparam("p_message", type_=_T.message_id.type),
                 sent_at=bindparam("p_sent", type_=_T.sent_at.type))
         .execution_options(synchronize_session=False))
_ATTEMPT = (update(Delivery).where(_MINE, Delivery.after_message_id.is_(None))
            .values(after_message_id=bindparam("p_after", type_=_T.after_message_id.type))
            .execution_options(synchronize_session=False))
_CHAT_ID = bindparam("p_chat_id", type_=Article.__table__.c.discussion_chat_id.type)
_LAST_MESSAGE = select(
    select(func.max(Delivery.message_id)).where(Delivery.chat_key == bindparam("p_chat_key")).scalar_subquery(),
    select(func.max(Article.discussion_message_id)).where(Article.discussion_chat_id == _CHAT_ID).scalar_subquery(),
    select(func.max(Comment.origin_message_id)).where(Comment.origin_chat_id == _CHAT_ID).scalar_subquery(),
)
_SET_PAYLOAD = (update(Delivery).where(Delivery.id == bindparam("p_id"))
                .values(payload=bindparam("p_payload", type_=_T.payload.type))
                .execution_options(synchronize_session=False))


async def enqueue(
    session: AsyncSession,
    *,
    kind: MessageKind,
    dedupe_key: str,
    chat_key: str | int,
    payload: dict[str, Any],
    now: datetime,
    not_before: datetime | None = None,
    article_id: int | None = None,
    comment_id: int | None = None,
) -> bool:
    """Record a message owed to Telegram; False if the same intent is already recorded."""
    values = row(kind=kind, dedupe_key=dedupe_key, chat_key=chat_key, payload=payload, now=now, not_before=not_before,
                 article_id=article_id, comment_id=comment_id)
    result = await session.execute(_inserts(session)[0], values)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _inserts(session: AsyncSession) -> tuple[Any, Any]:
    """The outbox's INSERT … ON CONFLICT (dedupe_key) DO NOTHING of the session's dialect, plain and with
    RETURNING dedupe_key, built once: their values come as parameters (one row, or executemany rows that
    SQLAlchemy sends as multi-row INSERTs compiled once). Built with the values in them, each call's
    statement was built and keyed anew (~2 ms for a decision's rows on SQLite)."""

    def build() -> tuple[Any, Any]:
        plain = insert_for(session, Delivery.__table__).on_conflict_do_nothing(index_elements=[_T.dedupe_key])
        return plain, plain.returning(_T.dedupe_key)

    return once_per_dialect(session, "outbox.insert", build)


def row(
    *,
    kind: MessageKind,
    dedupe_key: str,
    chat_key: str | int,
    payload: dict[str, Any],
    now: datetime,
    not_before: datetime | None = None,
    article_id: int | None = None,
    comment_id: int | None = None,
) -> dict[str, Any]:
    """The values of one outbox row, as `enqueue` and `enqueue_many` insert them (``str(kind)``: the enum's
    value; a test may queue a kind of its own)."""
    return {
        "kind": str(kind), "dedupe_key": dedupe_key, "chat_key": str(chat_key), "payload": payload, "status": QUEUED,
        "attempts": 0, "next_attempt_at": not_before or now, "article_id": article_id, "comment_id": comment_id,
        "created_at": now,
    }


async def enqueue_many(session: AsyncSession, rows: list[dict[str, Any]]) -> set[str]:
    """Record several messages owed to Telegram in one INSERT (ids in the given order); the dedupe keys
    recorded now (``ON CONFLICT DO NOTHING RETURNING``: a key already recorded is not among them)."""
    if not rows:
        return set()
    return set((await session.execute(_inserts(session)[1], rows)).scalars())


async def requeue(session: AsyncSession, dedupe_key: str, payload: dict[str, Any], now: datetime) -> None:
    """Refresh a not-yet-sent row's payload, or queue a sent one again (count edits)."""
    stmt = (
        update(Delivery)
        .where(Delivery.dedupe_key == dedupe_key, Delivery.status != SENDING)
        .values(
            payload=payload, status=QUEUED, next_attempt_at=now, error=None,
            # A row sent before is a new send: its old attempt bound and doubt no longer apply.
            after_message_id=case((Delivery.status == SENT, None), else_=Delivery.after_message_id),
            uncertain=case((Delivery.status == SENT, false()), else_=Delivery.uncertain),
        )
        .execution_options(synchronize_session=False)
    )
    await session.execute(stmt)


async def wake(session: AsyncSession, dedupe_key: str, now: datetime) -> None:
    """Have a row rendered and sent again (a row whose content is rendered when sent): a finished row is
    queued afresh; a queued one keeps its time (it may be waiting on retry_after); one being sent is
    left alone (its sender looks again after recording the send)."""
    again = (
        update(Delivery)
        .where(Delivery.dedupe_key == dedupe_key, Delivery.status.in_([SENT, FAILED, CANCELLED]))
        .values(status=QUEUED, next_attempt_at=now, attempts=0, error=None)
        .execution_options(synchronize_session=False)
    )
    await session.execute(again)


async def retire(session: AsyncSession, dedupe_key: str) -> None:
    """Set a finished row aside (its key gets its id appended) so that the intent can be queued anew,
    behind what was queued meanwhile; a row queued or being sent is left as it is."""
    stmt = (
        update(Delivery)
        .where(Delivery.dedupe_key == dedupe_key, Delivery.status.in_([SENT, FAILED, CANCELLED]))
        .values(dedupe_key=Delivery.dedupe_key + literal(":") + cast(Delivery.id, String))
        .execution_options(synchronize_session=False)
    )
    await session.execute(stmt)


async def claim_due(
    session: AsyncSession,
    *,
    owner: str,
    now: datetime,
    lease: timedelta,
    limit: int,
    exclude_chats: Collection[str] = (),
    per_chat: int = 5,
    ordered_chats: Collection[str] = (),
) -> list[Delivery]:
    """Claim due rows (queued, or sending with an expired lease) for ``owner``, oldest first.

    In ``ordered_chats`` (the discussion groups, where a thread must read in order), rows go strictly
    in order (by id): a row is not claimed while an earlier row for the
    same chat waits on a retry (``retry_after``, backoff), or is due but was not visible to this claim
    (locked by another worker's claim). Rows scheduled for later on purpose (never attempted,
    ``not_before``) hold nothing up, and neither does a row another live instance is sending right
    now (an instance that died must not stall a chat until its lease runs out).

    On PostgreSQL the candidate rows are locked with SKIP LOCKED so that concurrent workers
    take disjoint rows; SQLite transactions are already serialised (BEGIN IMMEDIATE).
    """
    due = or_(
        and_(Delivery.status == QUEUED, Delivery.next_attempt_at <= now),
        and_(Delivery.status == SENDING, Delivery.claimed_until < now),
    )
    stmt = _CLAIMABLE_LOCKED if session.get_bind().dialect.name == "postgresql" else _CLAIMABLE
    params = {"p_now": now, "p_exclude": list(exclude_chats), "p_limit": limit * 4}
    rows = list((await session.execute(stmt, params)).scalars())
    if not rows:
        return []
    chats = list({row.chat_key for row in rows} & set(ordered_chats))
    in_the_way = or_(
        and_(Delivery.status == QUEUED, Delivery.attempts > 0, Delivery.next_attempt_at > now),
        and_(due, Delivery.id.not_in([row.id for row in rows])),  # locked by another worker's claim
    )
    heads = select(Delivery.chat_key, func.min(Delivery.id)).where(
        Delivery.chat_key.in_(chats), in_the_way).group_by(Delivery.chat_key)
    first_in_way = {chat: int(first) for chat, first in (await session.execute(heads)).all()} if chats else {}
    taken: list[Delivery] = []
    per: dict[str, int] = {}
    blocked: set[str] = set()
    for row in rows:
        head = first_in_way.get(row.chat_key)
        if head is not None and head < row.id:
            blocked.add(row.chat_key)  # an earlier row of this chat must go first
        if row.chat_key in blocked or len(taken) >= limit or per.get(row.chat_key, 0) >= per_chat:
            blocked.add(row.chat_key)  # whatever follows in this chat waits for the next claim
            continue
        per[row.chat_key] = per.get(row.chat_key, 0) + 1
        if row.status == SENDING and row.after_message_id is not None:
            row.uncertain = True  # its sender died or stopped mid-call: Telegram may have it already
        row.status = SENDING
        row.claimed_by = owner
        row.claimed_until = now + lease
        row.attempts += 1
        taken.append(row)
    await session.flush()
    return taken


async def release(session: AsyncSession, delivery_ids: Collection[int], owner: str) -> None:
    """Give claimed rows back unsent, their attempt not counted (an earlier row of their chat must wait)."""
    if not delivery_ids:
        return
    stmt = (
        update(Delivery)
        .where(Delivery.id.in_(list(delivery_ids)), Delivery.status == SENDING, Delivery.claimed_by == owner)
        .values(status=QUEUED, claimed_by=None, claimed_until=None, attempts=Delivery.attempts - 1)
        .execution_options(synchronize_session=False)
    )
    await session.execute(stmt)


async def _finish(session: AsyncSession, delivery_id: int, owner: str, **values: Any) -> bool:
    stmt = (
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == SENDING, Delivery.claimed_by == owner)
        .values(claimed_by=None, claimed_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    return bool((await session.execute(stmt)).rowcount == 1)  # type: ignore[attr-defined]


async def renew_claim(session: AsyncSession, delivery_id: int, owner: str, until: datetime) -> bool:
    """Extend ``owner``'s claim on a row it is about to send; False if the claim was lost meanwhile."""
    result = await session.execute(_RENEW, {"p_id": delivery_id, "p_owner": owner, "p_until": until})
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def mark_sent(
    session: AsyncSession, delivery_id: int, owner: str, message_id: int | None, now: datetime
) -> bool:
    """Record success; False if the claim was lost (another worker took over)."""
    params = {"p_id": delivery_id, "p_owner": owner, "p_message": message_id, "p_sent": now}
    return bool((await session.execute(_SENT, params)).rowcount == 1)  # type: ignore[attr-defined]


async def mark_retry(
    session: AsyncSession, delivery_id: int, owner: str, at: datetime, error: str, *, uncertain: bool = False,
    refund: bool = False, payload: dict[str, Any] | None = None,
) -> bool:
    """Put the row back in the queue to try again at ``at`` (``uncertain``: the attempt may have landed;
    ``refund``: the attempt does not count, as when Telegram was out of reach; ``payload``: send this
    instead from now on)."""
    values: dict[str, Any] = {"status": QUEUED, "next_attempt_at": at, "error": error[:1000]}
    if payload is not None:
        values["payload"] = payload
    if uncertain:
        values["uncertain"] = True
    if refund:
        values["attempts"] = Delivery.attempts - 1
    return await _finish(session, delivery_id, owner, **values)


async def mark_attempt(session: AsyncSession, delivery_id: int, owner: str, after_message_id: int) -> bool:
    """Before a first attempt into a repairable chat: the highest message id known there now."""
    params = {"p_id": delivery_id, "p_owner": owner, "p_after": after_message_id}
    return bool((await session.execute(_ATTEMPT, params)).rowcount == 1)  # type: ignore[attr-defined]


async def last_message_id(session: AsyncSession, chat_key: str) -> int | None:
    """The highest message id the database knows in a chat: sent by the outbox, an article's automatic
    forward, or a reader's comment taken from the group (None if it knows none)."""
    found = (await session.execute(_LAST_MESSAGE, {"p_chat_key": chat_key, "p_chat_id": int(chat_key)})).one()
    values = [int(v) for v in found if v is not None]
    return max(values) if values else None


async def known_message_ids(session: AsyncSession, chat_key: str, above: int, below: int) -> set[int]:
    """Message ids the database knows in a chat strictly between ``above`` and ``below``: the outbox's
    own sends, articles' automatic forwards and readers' comments taken from the group."""
    chat_id = int(chat_key)
    queries = [
        select(Delivery.message_id).where(
            Delivery.chat_key == chat_key, Delivery.message_id > above, Delivery.message_id < below),
        select(Article.discussion_message_id).where(
            Article.discussion_chat_id == chat_id, Article.discussion_message_id > above,
            Article.discussion_message_id < below),
        select(Comment.origin_message_id).where(
            Comment.origin_chat_id == chat_id, Comment.origin_message_id > above, Comment.origin_message_id < below),
    ]
    found: set[int] = set()
    for query in queries:
        found.update(int(m) for m in (await session.execute(query)).scalars() if m is not None)
    return found


async def sending_elsewhere(session: AsyncSession, chat_key: str, owner: str) -> bool:
    """Whether another live worker holds a row for this chat mid-send (its message id is not known yet)."""
    # Lapsed claims count too: a call can wait in a rate limiter longer than its lease.
    stmt = select(func.count()).select_from(Delivery).where(
        Delivery.chat_key == chat_key, Delivery.status == SENDING, Delivery.claimed_by != owner,
    )
    return int((await session.execute(stmt)).scalar_one()) > 0


async def mark_failed(session: AsyncSession, delivery_id: int, owner: str, error: str) -> bool:
    """Give up on the row for good (a permanent error)."""
    return await _finish(session, delivery_id, owner, status=FAILED, error=error[:1000])


async def cancel(session: AsyncSession, dedupe_key: str) -> bool:
    """Cancel a row that has not been sent yet; False if it is already out (or sending)."""
    stmt = (
        update(Delivery)
        .where(Delivery.dedupe_key == dedupe_key, Delivery.status == QUEUED)
        .values(status=CANCELLED)
        .execution_options(synchronize_session=False)
    )
    return bool((await session.execute(stmt)).rowcount == 1)  # type: ignore[attr-defined]


async def by_key(session: AsyncSession, dedupe_key: str) -> Delivery | None:
    """The row for an intent, if any."""
    stmt = select(Delivery).where(Delivery.dedupe_key == dedupe_key)
    return (await session.execute(stmt)).scalar_one_or_none()


async def next_due_at(session: AsyncSession) -> datetime | None:
    """When the earliest queued row becomes due (for the worker's sleep)."""
    stmt = select(func.min(Delivery.next_attempt_at)).where(Delivery.status == QUEUED)
    return (await session.execute(stmt)).scalar_one_or_none()


async def counts(session: AsyncSession) -> dict[str, int]:
    """Rows per status (for /queue, doctor and benchmarks)."""
    stmt = select(Delivery.status, func.count()).group_by(Delivery.status)
    return {status: int(n) for status, n in (await session.execute(stmt)).all()}


async def unrepaired(session: AsyncSession, chat_keys: Collection[str], since: datetime, limit: int = 20) -> list[Delivery]:
    """Sent rows whose copies were not looked for to the end (skipped, cut short, or killed), newest
    first, sent after ``since`` (older messages can no longer be deleted by a bot)."""
    stmt = (
        select(Delivery)
        .where(Delivery.status == SENT, Delivery.uncertain.is_(True), Delivery.chat_key.in_(list(chat_keys)),
               Delivery.message_id.is_not(None), Delivery.after_message_id.is_not(None), Delivery.sent_at >= since)
        .order_by(Delivery.id.desc())
        .limit(limit)
    )
    return list((await session.execute(stmt)).scalars())


async def repaired(session: AsyncSession, delivery_id: int) -> None:
    """The copies an uncertain send may have left were looked for: the row is certain again."""
    stmt = update(Delivery).where(Delivery.id == delivery_id).values(uncertain=False)
    await session.execute(stmt.execution_options(synchronize_session=False))


@dataclass(frozen=True, slots=True)
class Health:
    """What an operator should know about the outbox (``khabar doctor``)."""

    failed_recently: int
    last_error: str | None
    overdue: int  # queued and due for a while: nobody is sending
    unrepaired: int  # sent after an uncertain attempt, copies not yet looked for


async def health(session: AsyncSession, now: datetime, *, failed_since: datetime, overdue_before: datetime) -> Health:
    """Failures since ``failed_since``, rows due before ``overdue_before`` still queued, unfinished repairs."""
    failed = select(func.count()).select_from(Delivery).where(
        Delivery.status == FAILED, Delivery.created_at >= failed_since)
    last = select(Delivery.error).where(Delivery.status == FAILED).order_by(Delivery.id.desc()).limit(1)
    overdue = select(func.count()).select_from(Delivery).where(
        Delivery.status == QUEUED, Delivery.next_attempt_at < overdue_before)
    unrepaired_q = select(func.count()).select_from(Delivery).where(
        Delivery.status == SENT, Delivery.uncertain.is_(True), Delivery.after_message_id.is_not(None),
        Delivery.sent_at >= now - timedelta(hours=47))
    return Health(
        failed_recently=int((await session.execute(failed)).scalar_one()),
        last_error=(await session.execute(last)).scalar_one_or_none(),
        overdue=int((await session.execute(overdue)).scalar_one()),
        unrepaired=int((await session.execute(unrepaired_q)).scalar_one()),
    )


async def set_payload(session: AsyncSession, delivery_id: int, payload: dict[str, Any]) -> None:
    """Replace one row's payload (a notice keeps what the author's message shows in it)."""
    await session.execute(_SET_PAYLOAD, {"p_id": delivery_id, "p_payload": payload})


# Rows written on others' behalf: the outbox's repository is the one writer of delivery rows.


async def cancel_queued(session: AsyncSession, kind: MessageKind, *, comment_id: int | None = None, prefix: str = "") -> int:
    """Cancel not-yet-sent rows of ``kind`` (for a comment, or whose key starts with ``prefix``)."""
    stmt = update(Delivery).where(Delivery.kind == kind, Delivery.status == QUEUED)
    if comment_id is not None:
        stmt = stmt.where(Delivery.comment_id == comment_id)
    if prefix:
        stmt = stmt.where(Delivery.dedupe_key.startswith(prefix))
    result = await session.execute(stmt.values(status=CANCELLED).execution_options(synchronize_session=False))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def cancel_queued_kinds(session: AsyncSession, kinds: Iterable[MessageKind], comment_id: int, *,
                              also: tuple[MessageKind, str] | None = None) -> None:
    """Cancel a comment's not-yet-sent rows of any of ``kinds`` and (``also``: a kind and a key prefix)
    the not-yet-sent rows of that kind whose key starts so, in one UPDATE."""
    which: Any = and_(Delivery.kind.in_(list(kinds)), Delivery.comment_id == comment_id)
    if also is not None:
        which = or_(which, and_(Delivery.kind == also[0], Delivery.dedupe_key.startswith(also[1])))
    stmt = update(Delivery).where(Delivery.status == QUEUED, which)
    await session.execute(stmt.values(status=CANCELLED).execution_options(synchronize_session=False))


async def settle_post(session: AsyncSession, delivery_id: int, post_id: int, now: datetime) -> None:
    """Mark the post delivery sent as channel message ``post_id`` (if it is still queued or sending)."""
    await session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status.in_([QUEUED, SENDING]))
        .values(status=SENT, message_id=post_id, sent_at=now, claimed_by=None, claimed_until=None, error=None)
        .execution_options(synchronize_session=False)
    )


def hold_back(row: Delivery, until: datetime, error: str) -> None:
    """Put the loaded delivery back in the queue, not before ``until``, with ``error`` noted (written when
    the transaction flushes)."""
    row.status = QUEUED
    row.claimed_by = row.claimed_until = None
    row.next_attempt_at = until
    row.error = error


async def expire_claims(session: AsyncSession, owners: Collection[str] | None, now: datetime,
                        stale: datetime) -> None:
    """Rows still sending under a claim running at or after ``now`` get a claim ending at ``stale``
    (so they are due now): those claimed by ``owners``, or every such row when ``owners`` is None."""
    stmt = update(Delivery).where(Delivery.status == SENDING, Delivery.claimed_until >= now)
    if owners is not None:
        stmt = stmt.where(Delivery.claimed_by.in_(owners))
    await session.execute(stmt.values(claimed_until=stale).execution_options(synchronize_session=False))


async def purge_deliveries(session: AsyncSession, *, sent_before: datetime, failed_before: datetime,
                           limit: int = 500) -> int:
    """Delete outbox rows sent or cancelled before ``sent_before`` and failed before ``failed_before``.

    Rows of a comment still waiting (for its captcha or a moderator) stay: its card rows are counted
    to key a re-sent card (storage/repos/moderation.card_attempts).
    """
    done_at = func.coalesce(Delivery.sent_at, Delivery.next_attempt_at)
    finished = (((Delivery.status.in_([SENT, CANCELLED])) & (done_at < sent_before))
                | ((Delivery.status == FAILED) & (Delivery.next_attempt_at < failed_before)))
    waiting = select(Comment.id).where(Comment.status.in_([S.PENDING.value, S.AWAITING_CAPTCHA.value]))
    finished = finished & (Delivery.comment_id.is_(None) | Delivery.comment_id.not_in(waiting))
    ids = list((await session.execute(select(Delivery.id).where(finished).order_by(Delivery.id).limit(limit))).scalars())
    if not ids:
        return 0
    result = await session.execute(delete(Delivery).where(Delivery.id.in_(ids)).execution_options(synchronize_session=False))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
