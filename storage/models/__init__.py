"""SQLAlchemy models for the whole newsroom domain; import from here."""

from storage.models.article import Article, Feed
from storage.models.base import Base
from storage.models.comment import Captcha, Comment
from storage.models.learning import LearnedExample, LearnedFeature
from storage.models.moderation import ModerationAction, QueueView
from storage.models.outbox import Delivery, Lease
from storage.models.pacing import PacingSlot
from storage.models.report import CommentReport, ReportReview
from storage.models.seen import SeenChat
from storage.models.user import User
from storage.models.web import WebCaptcha, WebKey
from storage.models.words import ListedWord, WordListVersion

__all__ = [
    "Article",
    "Base",
    "Captcha",
    "Comment",
    "CommentReport",
    "Delivery",
    "Feed",
    "LearnedExample",
    "LearnedFeature",
    "Lease",
    "ListedWord",
    "ModerationAction",
    "PacingSlot",
    "QueueView",
    "ReportReview",
    "SeenChat",
    "User",
    "WebCaptcha",
    "WebKey",
    "WordListVersion",
]
