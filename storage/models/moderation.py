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
