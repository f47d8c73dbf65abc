"""The model learned from moderators' decisions: feature counts and the decisions counted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, utcnow


class LearnedFeature(Base):
    """How many approved and rejected texts had this feature (`#docs`: how many texts in all)."""

    __tablename__ = "learned_features"

    feature: Mapped[str] = mapped_column(String(120), primary_key=True)
    approved: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)


class LearnedExample(Base):
    """One decision the model has counted, so it is counted once and can be taken back (undo)."""

    __tablename__ = "learned_examples"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)  # comment:<id> or import:<hash>
    rejected: Mapped[bool]
    reason: Mapped[str | None] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(16))  # decision | import
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
