"""SQLAlchemy models for the whole newsroom domain; import from here."""

from storage.models.article import Article, Feed
from storage.models.base import Base
from storage.models.comment import Captcha, Comment
from storage.models.moderation import ModerationAction, QueueView
from storage.models.outbox import Delivery, Lease
from storage.models.seen import SeenChat
from storage.models.user import User

__all__ = [
    "Article",
    "Base",
    "Captcha",
    "Comment",
    "Delivery",
    "Feed",
    "Lease",
    "ModerationAction",
    "QueueView",
    "SeenChat",
    "User",
]
