"""Readers' reports and the reviews they open: idempotent writes on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Comment, CommentReport, ReportReview
from storage.repos.upsert import insert_for

OPEN = "open"


async def add(session: AsyncSession, comment_id: int, reporter_id: int, reason: str, *, counted: bool,
              now: datetime) -> bool:
    """Record one reader's report; False if they had reported this comment already (nothing changes)."""
    stmt = insert_for(session, CommentReport).values(
        comment_id=comment_id, reporter_id=reporter_id, reason=reason, counted=counted, created_at=now
    ).on_conflict_do_nothing(index_elements=[CommentReport.comment_id, CommentReport.reporter_id])
    result = await session.execute(stmt)
    return bool(getattr(result, "rowcount", 0) == 1)


async def reported_since(session: AsyncSession, reporter_id: int, since: datetime) -> int:
    """How many reports a reader made since ``since`` (the rate limit, shared by every instance)."""
    stmt = select(func.count()).where(CommentReport.reporter_id == reporter_id, CommentReport.created_at >= since)
    return int((await session.execute(stmt)).scalar_one())


async def unreviewed(session: AsyncSession, comment_id: int) -> int:
    """Distinct readers whose counted reports of the comment no review has collected yet."""
    stmt = select(func.count()).where(CommentReport.comment_id == comment_id, CommentReport.counted.is_(True),
                                      CommentReport.review_id.is_(None))
    return int((await session.execute(stmt)).scalar_one())


async def open_review(session: AsyncSession, comment_id: int) -> ReportReview | None:
    """The comment's review still waiting for a moderator, if any."""
    stmt = select(ReportReview).where(ReportReview.comment_id == comment_id, ReportReview.status == OPEN)
    return (await session.execute(stmt.limit(1))).scalar_one_or_none()


async def open_new_review(session: AsyncSession, comment_id: int, now: datetime) -> ReportReview | None:
    """Open the comment's next review round and collect its reports; None if another transaction
    opened this round first (the unique (comment, round) decides; the reports join that one)."""
    last = (await session.execute(select(func.max(ReportReview.round))
                                  .where(ReportReview.comment_id == comment_id))).scalar_one()
    round_ = int(last or 0) + 1
    stmt = insert_for(session, ReportReview).values(
        comment_id=comment_id, round=round_, status=OPEN, opened_at=now
    ).on_conflict_do_nothing(index_elements=[ReportReview.comment_id, ReportReview.round])
    created = getattr(await session.execute(stmt), "rowcount", 0) == 1
    review = (await session.execute(select(ReportReview).where(
        ReportReview.comment_id == comment_id, ReportReview.round == round_))).scalar_one_or_none()
    if review is not None:  # opened here, or by a concurrent report: this report joins it either way
        await collect(session, comment_id, review.id)
    return review if created else None


async def collect(session: AsyncSession, comment_id: int, review_id: int) -> None:
    """Attach the comment's not-yet-reviewed reports to ``review_id``."""
    await session.execute(
        update(CommentReport)
        .where(CommentReport.comment_id == comment_id, CommentReport.review_id.is_(None))
        .values(review_id=review_id)
        .execution_options(synchronize_session=False)
    )


async def decide(session: AsyncSession, review_id: int, status: str, moderator_id: int, now: datetime) -> bool:
    """Close an open review as ``status``; False if it was decided already (the first press wins)."""
    result = await session.execute(
        update(ReportReview)
        .where(ReportReview.id == review_id, ReportReview.status == OPEN)
        .values(status=status, moderator_id=moderator_id, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def set_status(session: AsyncSession, review_id: int, status: str) -> None:
    """Correct a decided review's outcome (the comment was gone when the removal ran)."""
    await session.execute(update(ReportReview).where(ReportReview.id == review_id).values(status=status)
                          .execution_options(synchronize_session=False))


async def reasons(session: AsyncSession, review_id: int) -> dict[str, int]:
    """The reasons readers gave in one review's reports, counted (only those that count)."""
    stmt = (select(CommentReport.reason, func.count()).where(CommentReport.review_id == review_id,
                                                            CommentReport.counted.is_(True))
            .group_by(CommentReport.reason))
    return {reason: int(n) for reason, n in (await session.execute(stmt)).all()}


async def open_of_article(session: AsyncSession, article_id: int) -> int:
    """How many of an article's comments wait in an open review."""
    stmt = (select(func.count()).select_from(ReportReview).join(Comment, Comment.id == ReportReview.comment_id)
            .where(Comment.article_id == article_id, Comment.status == "approved", ReportReview.status == OPEN))
    return int((await session.execute(stmt)).scalar_one())


async def counts_since(session: AsyncSession, since: datetime) -> tuple[int, int, dict[str, int]]:
    """/stats: reports made, reviews opened, and reviews decided by outcome, since ``since``."""
    made = int((await session.execute(select(func.count()).where(CommentReport.created_at >= since))).scalar_one())
    opened = int((await session.execute(select(func.count()).where(ReportReview.opened_at >= since))).scalar_one())
    stmt = (select(ReportReview.status, func.count()).where(ReportReview.decided_at >= since)
            .group_by(ReportReview.status))
    return made, opened, {status: int(n) for status, n in (await session.execute(stmt)).all()}
