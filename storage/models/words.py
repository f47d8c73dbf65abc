"""Word lists moderators edit at run time (issue 18, item 6): blocked words and allowed exceptions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IdType, utcnow


class ListedWord(Base):
    """One entry: a word or phrase blocked in, or allowed as an exception to, one category.

    ``key`` is the entry in matching form (bot/words.py); an entry is unique per category, kind and key.
    """

    __tablename__ = "listed_words"
    __table_args__ = (UniqueConstraint("category", "kind", "key", name="uq_listed_words_category_kind_key"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    category: Mapped[str] = mapped_column(String(20))  # insult | accusation | spam
    kind: Mapped[str] = mapped_column(String(10))  # block | allow
    entry: Mapped[str] = mapped_column(String(200))  # as the moderator wrote it
    key: Mapped[str] = mapped_column(String(200))
    added_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class WordListVersion(Base):
    """One row: bumped by every change, so each instance reloads its lists the moment they change."""

    __tablename__ = "word_list_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[datetime | None]
