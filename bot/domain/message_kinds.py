"""Every kind of message Khabar queues in the outbox; what follows each one's send is bot/outbox_kinds.py.

The values are what ``deliveries.kind`` stores: renaming one strands the rows already queued under it.
"""

from __future__ import annotations

from enum import StrEnum


class MessageKind(StrEnum):
    """What an outbox row sends, and so which hooks run around its send."""

    # Publishing: the newsroom's channel.
    ARTICLE_POST = "article_post"  # an article into the channel
    COUNT_EDIT = "count_edit"  # an article's «نظرها (n)» button brought up to date
    NOTIFY = "notify"  # a one-off line to the moderators (an article post that failed for good)
    # Moderation: the moderators' chat.
    CARD = "card"  # a pending comment's card
    CARD_AUTO = "card_auto"  # the decided card of a trusted author's comment, published without waiting
    CARD_EDIT = "card_edit"  # a card edited after a decision, an undo or a change of article
    QUEUE = "queue"  # a /queue view
    QUEUE_EDIT = "queue_edit"  # a /queue view refreshed, rendered when it is sent
    REPORT_CARD = "report_card"  # a reader's report for the moderators to review
    PENALTY_CARD = "penalty_card"  # a ban the penalty ladder gave, with its undo button
    # The discussion thread.
    COMMENT_PUBLISH = "comment_publish"  # an approved comment in the article's thread
    TAKEDOWN_EDIT = "takedown_edit"  # a removed comment's thread copy, too old to delete, edited to say so
    DELETE = "delete"  # a message deleted (a taken-back copy, a reader's group reply, an expired note)
    # Authors and readers.
    NOTICE = "notice"  # what an author is told about a comment, a ban or a reply, rendered when sent
    INTAKE_NOTE = "intake_note"  # a short-lived note under a reader's reply in the discussion group
    INTAKE_EDIT = "intake_edit"  # a captcha message edited to say it expired
    RECEIPT_EDIT = "receipt_edit"  # a receipt shown again (an answer given twice), only while its comment waits
