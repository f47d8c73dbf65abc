"""The website's own rows: its typed captchas and its signing key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IdType, utcnow


class WebCaptcha(Base):
    """An addition question served to the website, answered once (right or wrong) before it expires."""

    __tablename__ = "web_captchas"
    __table_args__ = (Index("ix_web_captchas_expires_at", "expires_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)  # what the API calls its id
    a: Mapped[int]
    b: Mapped[int]
    address: Mapped[str] = mapped_column(String(64), default="")  # keyed hash of the asking address
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebKey(Base):
    """A secret the website keeps in the database (its identity-signing key when none is configured)."""

    __tablename__ = "web_keys"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
