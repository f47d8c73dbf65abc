"""Chats and users the bot has seen: how an operator finds the ids to put in .env."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class SeenChat(Base):
    """A chat (channel, group) or a user seen in a group, keyed by Telegram's id."""

    __tablename__ = "seen_chats"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # channel, supergroup, group, private, or user (a person seen writing in a group).
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300), default="")
    username: Mapped[str | None] = mapped_column(String(64))
    # For a user: the chat they were last seen in.
    seen_in: Mapped[int | None] = mapped_column(BigInteger)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
