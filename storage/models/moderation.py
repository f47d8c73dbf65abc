"""The moderators' audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IdType, utcnow


class ModerationAction(Base):
    """One decision, ban, trust or undo, with who, when and from which card."""

    __tablename__ = "moderation_actions"
    __table_args__ = (Index("ix_moderation_actions_created", "created_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    target_user_id: Mapped[int | None] = mapped_column(BigInteger)
    moderator_id: Mapped[int] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(20))  # approve | reject | ban | unban | trust | undo
    reason: Mapped[str | None] = mapped_column(String(40))
    card_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    card_message_id: Mapped[int | None] = mapped_column(BigInteger)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class QueueView(Base):
    """The moderators' batch message during a surge: one message listing pending comments, paged."""

    __tablename__ = "queue_views"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)  # set when the send is confirmed
    page: Mapped[int] = mapped_column(default=0)  # the page moderators turned to
    refreshed_at: Mapped[datetime | None]  # when the last automatic refresh was scheduled for
    closed_at: Mapped[datetime | None]  # emptied: the next surge gets a new message
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
