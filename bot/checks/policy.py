"""What the newsroom does with each kind of problem: reject, send to a moderator, or allow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from bot.checks.relevance import DEFAULT_OFF_TOPIC_THRESHOLD

Action = Literal["reject", "review", "allow"]


@dataclass(frozen=True, slots=True)
class Policy:
    """One action per reason; the defaults follow the site's comment rules."""

    on_not_persian: Action = "reject"
    on_finglish: Action = "reject"
    on_language_uncertain: Action = "review"
    on_off_topic: Action = "review"
    on_insult: Action = "review"
    on_accusation: Action = "review"
    on_link: Action = "reject"
    on_invite_link: Action = "reject"
    on_mention: Action = "review"
    on_phone: Action = "review"
    on_flood: Action = "review"
    on_too_short: Action = "reject"
    on_too_long: Action = "reject"
    on_empty: Action = "reject"
    on_duplicate: Action = "reject"
    min_length: int = 2
    max_length: int = 1000
    off_topic_threshold: float = DEFAULT_OFF_TOPIC_THRESHOLD
    duplicate_window: timedelta = timedelta(days=1)
    # The learned model flags for moderators from this P(reject), and rejects alone only from the
    # second (1.0: never).
    model_review_confidence: float = 0.9
    model_reject_confidence: float = 1.0

    def model_action(self, probability: float) -> Action:
        """What the learned model's estimate alone does to a comment."""
        if self.model_reject_confidence < 1.0 and probability >= self.model_reject_confidence:
            return "reject"
        return "review" if probability >= self.model_review_confidence else "allow"

    def action_for(self, code: str) -> Action:
        """The action configured for a reason code."""
        action: Action = getattr(self, f"on_{code}")
        return action
