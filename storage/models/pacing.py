"""Telegram's limits shared by every instance on one PostgreSQL database (bot/pacing.py)."""

from __future__ import annotations

from sqlalchemy import Double, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class PacingSlot(Base):
    """The earliest time (Unix seconds, the database's clock) the next message of ``key`` may go:
    ``bot`` for the whole bot, ``chat:<id>`` for one group or channel."""

    __tablename__ = "pacing_slots"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_at: Mapped[float] = mapped_column(Double)
