"""What follows a send, for every kind of message (bot/domain/message_kinds.py): one table, built in post_init.

For each kind: ``before_send`` renders the payload from the database as it is now (or drops the row),
``on_sent`` records what Telegram answered, ``on_failed`` what a send given up on leaves behind, each
in the transaction that marks the row. A kind with nothing to record sends its stored payload as is.
A stored row of a kind not in the table (one retired since) is sent the same way.
"""

from __future__ import annotations

from functools import partial

from bot.deps import Deps
from bot.domain.message_kinds import MessageKind
from bot.intake import service_captcha, service_submit
from bot.moderation import card_updates, notices, service_publish
from bot.outbox import Hooks
from bot.publishing import articles, counts

AS_STORED = Hooks()  # sent as queued; nothing to record afterwards


def follow_ups(deps: Deps) -> dict[MessageKind, Hooks]:
    """Every kind's hooks (the outbox worker's table); a kind missing here is a start-up error."""
    k = MessageKind
    table = {
        # Publishing
        k.ARTICLE_POST: Hooks(on_sent=articles.on_post_sent,  # the channel message id, the count shown
                              on_failed=partial(articles.on_post_failed, deps.chats.moderators)),
        k.COUNT_EDIT: Hooks(on_sent=counts.on_count_sent, on_failed=counts.on_count_failed),
        k.NOTIFY: AS_STORED,
        # Moderation
        k.CARD: Hooks(on_sent=partial(card_updates.card_sent, deps)),  # where the card is; late decisions
        k.CARD_AUTO: Hooks(on_sent=partial(card_updates.auto_card_sent, deps)),
        k.CARD_EDIT: Hooks(on_failed=card_updates.card_edit_failed),  # a card deleted: forgotten, sent anew
        k.QUEUE: Hooks(on_sent=partial(card_updates.queue_sent, deps)),  # the view's message; refreshed
        k.QUEUE_EDIT: Hooks(before_send=partial(card_updates.render_queued, deps)),
        k.REPORT_CARD: AS_STORED,
        k.PENALTY_CARD: AS_STORED,
        # The discussion thread
        k.COMMENT_PUBLISH: Hooks(on_sent=service_publish.published),  # the thread copy; deleted if undone
        k.TAKEDOWN_EDIT: AS_STORED,
        k.DELETE: AS_STORED,
        # Authors and readers
        k.NOTICE: Hooks(before_send=partial(notices.before_send, deps), on_sent=partial(notices.on_sent, deps),
                        on_failed=partial(notices.on_failed, deps)),
        k.INTAKE_NOTE: Hooks(on_sent=service_submit.note_sent),  # its deletion, a minute later
        k.INTAKE_EDIT: AS_STORED,
        k.RECEIPT_EDIT: Hooks(before_send=service_captcha.receipt_still_true),  # never over an outcome
    }
    missing = set(MessageKind) - set(table)
    if missing:
        raise RuntimeError(f"bot/outbox_kinds.py declares nothing for {sorted(missing)}")
    return table
