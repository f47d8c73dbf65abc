"""The checks' resources, built once at start-up, and the one call intake makes into them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.checks.language import LanguageDetector, default_detector
from bot.checks.learned import Estimate
from bot.checks.lexicon import Lexicon, default_lexicon
from bot.checks.policy import Policy
from bot.checks.relevance import ArticleProfile, TermStats
from bot.checks.review import Verdict, review
from bot.checks.spam import AuthorHistory, PastComment
from bot.settings import Settings

PROFILE_CACHE = 500


def policy_from(settings: Settings) -> Policy:
    """The newsroom's policy: the checks' defaults plus what the operator configured.

    ``link_policy`` governs ordinary links; invite links to other chats stay rejected (spam).
    """
    return Policy(
        on_link=settings.link_policy,
        min_length=settings.min_comment_length,
        max_length=settings.max_comment_length,
        off_topic_threshold=settings.off_topic_threshold,
        model_review_confidence=settings.model_review_confidence,
        model_reject_confidence=settings.model_reject_confidence,
    )


@dataclass
class ChecksResources:
    """Lexicon, detector, term statistics and policy, plus a cache of article profiles."""

    policy: Policy
    lexicon: Lexicon
    detector: LanguageDetector
    stats: TermStats
    counted: set[int] = field(default_factory=set)
    profiles: dict[int, ArticleProfile] = field(default_factory=dict)
    on_verdict: Callable[[str, Iterable[str]], None] | None = None  # told (decision, reason codes): metrics

    @classmethod
    def build(cls, settings: Settings, articles: list[tuple[int, str]]) -> ChecksResources:
        """Everything the checks need, with term statistics over the stored articles."""
        lexicon = default_lexicon()
        stats = TermStats(lexicon, (text for _, text in articles))
        return cls(policy_from(settings), lexicon, default_detector(), stats, {ident for ident, _ in articles})

    def profile(self, article_id: int, title: str, text: str) -> ArticleProfile:
        """The article's cached profile (an article new since start-up joins the statistics)."""
        cached = self.profiles.get(article_id)
        if cached is not None:
            return cached
        if article_id not in self.counted:
            self.stats.add_article(f"{title} {text}")
            self.counted.add(article_id)
        if len(self.profiles) >= PROFILE_CACHE:
            self.profiles.pop(next(iter(self.profiles)))
        profile = ArticleProfile.build(text, self.stats, title=title)
        self.profiles[article_id] = profile
        return profile

    def review(
        self, text: str, profile: ArticleProfile | None, history: list[tuple[str, datetime]], now: datetime,
        estimate: Estimate | None = None,
    ) -> Verdict:
        """The verdict on one comment (``estimate``: the learned model's, when it has one)."""
        past = AuthorHistory(tuple(PastComment(t, at) for t, at in history))
        verdict = review(
            text, profile, past, self.policy, detector=self.detector, lexicon=self.lexicon, stats=self.stats, now=now,
            estimate=estimate,
        )
        if self.on_verdict is not None:
            self.on_verdict(verdict.decision, verdict.codes)
        return verdict


HISTORY_WINDOW = timedelta(days=1)
