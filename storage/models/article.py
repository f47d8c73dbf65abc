"""Articles posted to the channel and the feeds they come from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IdType, utcnow


class Feed(Base):
    """An RSS/Atom feed polled for new articles."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    title: Mapped[str | None] = mapped_column(String(500))
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(200))
    last_polled_at: Mapped[datetime | None]
    next_poll_at: Mapped[datetime | None]
    first_poll_done: Mapped[bool] = mapped_column(default=False)
    failures: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Article(Base):
    """One news item, delivered to the channel once."""

    __tablename__ = "articles"
    __table_args__ = (
        Index("ix_articles_published_at", "published_at"),
        Index("ix_articles_discussion", "discussion_chat_id", "discussion_message_id"),
        Index("ix_articles_link", "link"),  # the website finds its article by the page's URL
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    # Random, URL-safe: used in deep links so article ids are not guessable.
    token: Mapped[str] = mapped_column(String(32), unique=True)
    source: Mapped[str] = mapped_column(String(20), default="manual")  # feed | manual | chat
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feeds.id", ondelete="SET NULL"))
    # guid, or the normalised link, or a hash of the title: the duplicate guard.
    dedupe_key: Mapped[str] = mapped_column(String(2000), unique=True)
    kicker: Mapped[str | None] = mapped_column(String(500))
    title: Mapped[str] = mapped_column(String(1000))
    lead: Mapped[str | None] = mapped_column(Text)
    body: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(2000))
    image: Mapped[str | None] = mapped_column(String(2000))
    hashtags: Mapped[str | None] = mapped_column(String(500))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Delivery state mirrors the outbox row: queued | sending | posted | failed.
    delivery_state: Mapped[str] = mapped_column(String(20), default="queued")
    channel_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    channel_message_id: Mapped[int | None] = mapped_column(BigInteger)
    is_photo: Mapped[bool] = mapped_column(default=False)
    discussion_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    discussion_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # A cache of the article's approved comments, kept in the transaction that publishes, undoes or takes
    # one down, so the post's button and the website's list read one row instead of counting.
    approved_count: Mapped[int] = mapped_column(default=0)
    # The count the post's button shows now; differs from approved_count while an edit is due.
    shown_count: Mapped[int] = mapped_column(default=0)
    count_edited_at: Mapped[datetime | None]
    # Comments open or closed by a moderator ("closed" | "open"), overriding KHABAR_COMMENTS_OPEN_HOURS;
    # None: by the clock alone (bot/closing.py).
    comments_override: Mapped[str | None] = mapped_column(String(10))
    comments_override_at: Mapped[datetime | None]
