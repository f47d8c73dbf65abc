"""The outbox: every message that matters if lost is a row before it is sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IdType, utcnow


class Delivery(Base):
    """One Bot API call owed to Telegram: queued → sending → sent | failed."""

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_due", "status", "next_attempt_at"),
        Index("ix_deliveries_chat_message", "chat_key", "message_id"),
        # A comment's card rows (the dispatch's NOT EXISTS, the cancels), and the cards sent in the last
        # minute (the card budget): both scanned the whole table before.
        Index("ix_deliveries_comment_kind", "comment_id", "kind"),
        Index("ix_deliveries_kind_created", "kind", "created_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    # What it sends: a MessageKind value (bot/domain/message_kinds.py); its hooks are in bot/outbox_kinds.py.
    kind: Mapped[str] = mapped_column(String(30))
    # Unique per intent, so enqueueing twice is a no-op (e.g. "publish:comment:42").
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    # Rate-limit bucket: the target chat id as text.
    chat_key: Mapped[str] = mapped_column(String(64), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_until: Mapped[datetime | None]
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    # Sends into a group whose duplicates can be found and removed (see bot/outbox_repair.py): the
    # highest message id known in that chat before the first attempt, and whether an attempt may
    # have reached Telegram without its answer reaching us (a lost answer, a timeout, a crash).
    after_message_id: Mapped[int | None] = mapped_column(BigInteger)
    uncertain: Mapped[bool] = mapped_column(default=False, server_default=false())
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]


class Lease(Base):
    """A named, expiring lock held by one instance (feed polling, the polling updater)."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    owner: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime]
