"""The outbox's message kinds: their stored values never change (queued rows name them)."""

from __future__ import annotations

from bot.domain.message_kinds import MessageKind

# What deliveries.kind holds in databases already running: a renamed value would strand those rows.
STORED = {
    "article_post", "count_edit", "notify", "card", "card_auto", "card_edit", "queue", "queue_edit", "report_card",
    "penalty_card", "comment_publish", "takedown_edit", "delete", "notice", "intake_note", "intake_edit", "receipt_edit",
}


def test_every_stored_kind_is_a_member_and_nothing_else() -> None:
    assert {kind.value for kind in MessageKind} == STORED
    assert MessageKind("card") is MessageKind.CARD and MessageKind.CARD == "card"
