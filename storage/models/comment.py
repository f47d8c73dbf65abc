"""Reader comments and their addition captchas."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, IdType, utcnow


class Comment(Base):
    """Text by an author on an article, optionally a reply to another comment."""

    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_author_created", "author_id", "created_at"),
        # An author's comments in one status (the captcha failures, the open captchas of a typed answer) and,
        # with the article, the same text still alive: SQLite's planner, without statistics, chose the
        # article's or the status's index for these and walked every comment of the article (1.1 ms of the
        # comment's 1.2 ms read with 2,000 comments on it) or every expired comment.
        Index("ix_comments_author_status_article", "author_id", "status", "article_id"),
        Index("ix_comments_status_created", "status", "created_at"),
        Index("ix_comments_origin", "origin_chat_id", "origin_message_id"),
        Index("ix_comments_web_address", "web_address"),
        # The card dispatch's pending comments with no card and no queue view, and a view's own comments:
        # without it both walked every pending comment (1 ms and more a new comment in a surge).
        Index("ix_comments_status_view_card", "status", "queue_view_id", "card_message_id"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    # Short random reference shown to the author and used in reply deep links.
    token: Mapped[str] = mapped_column(String(32), unique=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)  # as written, minus control characters
    normalized_text: Mapped[str] = mapped_column(Text, default="")
    # awaiting_captcha | pending | approved | rejected | auto_rejected | expired (bot/states.py)
    status: Mapped[str] = mapped_column(String(20))
    verdict: Mapped[str | None] = mapped_column(String(10))  # pass | review | reject
    checks: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the Verdict as JSON
    source: Mapped[str] = mapped_column(String(10), default="private")  # private | group | web
    origin_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    origin_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]  # captcha solved, entered the queue
    decided_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    moderator_id: Mapped[int | None] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(String(40))
    card_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    card_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # Listed in a surge's queue view instead of having its own card.
    queue_view_id: Mapped[int | None] = mapped_column(ForeignKey("queue_views.id", ondelete="SET NULL"))
    # The bot's own copy of the comment in the discussion thread, once published.
    thread_message_id: Mapped[int | None] = mapped_column(BigInteger)
    # From the website (source "web"): the name the reader gave, and a keyed hash of their address.
    web_author: Mapped[str | None] = mapped_column(String(100))
    web_address: Mapped[str | None] = mapped_column(String(64))


class Captcha(Base):
    """An addition captcha guarding one comment; every try is recorded here."""

    __tablename__ = "captchas"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), unique=True)
    a: Mapped[int]
    b: Mapped[int]
    options: Mapped[list[Any]] = mapped_column(default=list)  # four sums, shuffled
    generation: Mapped[int] = mapped_column(default=1)  # bumps with new numbers
    tries_left: Mapped[int] = mapped_column(default=3)
    expires_at: Mapped[datetime]
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    solved_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


# An article's comments in one status in the order the article view numbers them (approval, then id): the
# view's page and a comment's number read the index in order instead of sorting every approved comment.
# It also serves what ``ix_comments_article_status`` served (it begins with those columns).
Index("ix_comments_article_view", Comment.article_id, Comment.status,
      func.coalesce(Comment.decided_at, Comment.created_at), Comment.id)
