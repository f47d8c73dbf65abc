"""Telegram users known to Khabar: readers, commenters, moderators."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class User(Base):
    """A Telegram user, keyed by Telegram's own id."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    display_name: Mapped[str] = mapped_column(String(300), default="")
    username: Mapped[str | None] = mapped_column(String(64))
    # True once the user pressed Start: only then may the bot write to them.
    started_bot: Mapped[bool] = mapped_column(default=False)
    blocked_bot: Mapped[bool] = mapped_column(default=False)
    banned_until: Mapped[datetime | None]
    ban_notified: Mapped[bool] = mapped_column(default=False)
    trusted: Mapped[bool] = mapped_column(default=False)
    notify_replies: Mapped[bool] = mapped_column(default=True)
    # Caches, derivable from the comments: the author's published and rejected comments (a take-down
    # counts as a rejection), kept in the transaction that moves a comment (service_decide, service_undo,
    # service_takedown) so a card and the trust rule read one row instead of counting; and the comments
    # the checks refused outright (status auto_rejected, counted by the intake when it stores one).
    approved_count: Mapped[int] = mapped_column(default=0)
    rejected_count: Mapped[int] = mapped_column(default=0)
    auto_rejected_count: Mapped[int] = mapped_column(default=0)
    # What the user's next private text means: a comment on this article (or a reply).
    draft_article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    # No foreign key: it would make users and comments depend on each other.
    draft_parent_id: Mapped[int | None] = mapped_column(BigInteger)
    draft_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
