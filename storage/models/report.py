"""Readers' reports of published comments, and the reviews they send to moderators (issue 18)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IdType, utcnow


class ReportReview(Base):
    """A reported comment back before the moderators: one card, decided once (keep or remove).

    ``round`` counts a comment's reviews (1, 2 …): a kept comment reported again by new readers
    comes back as the next round; (comment_id, round) is unique, so concurrent reports open one.
    """

    __tablename__ = "report_reviews"
    __table_args__ = (
        UniqueConstraint("comment_id", "round", name="uq_report_reviews_comment_round"),
        Index("ix_report_reviews_opened", "opened_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | kept | removed | gone
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    moderator_id: Mapped[int | None] = mapped_column(BigInteger)


class CommentReport(Base):
    """One reader's report of one published comment (a reader reports a comment once).

    ``counted`` is False for reports that cannot send a comment back (its author's, a banned
    reader's); ``review_id`` is set once a review collects the report.
    """

    __tablename__ = "comment_reports"
    __table_args__ = (
        UniqueConstraint("comment_id", "reporter_id", name="uq_comment_reports_comment_reporter"),
        Index("ix_comment_reports_reporter_created", "reporter_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(20))
    counted: Mapped[bool] = mapped_column(default=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("report_reviews.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
