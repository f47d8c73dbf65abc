"""One comment in, one verdict out: every check run and the policy applied."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from bot.checks.insults import InsultResult, check_insults
from bot.checks.language import LanguageDetector, LanguageResult, detect_language
from bot.checks.learned import Estimate
from bot.checks.lexicon import Lexicon, default_lexicon
from bot.checks.normalize import clean_text, normalize, tokenize
from bot.checks.policy import Action, Policy
from bot.checks.relevance import ArticleProfile, Relevance, TermStats, relevance
from bot.checks.spam import AuthorHistory, find_spam, is_duplicate

Decision = Literal["pass", "review", "reject"]
_RANK: dict[str, int] = {"allow": 0, "review": 1, "reject": 2}
_DECISIONS: tuple[Decision, Decision, Decision] = ("pass", "review", "reject")
# Languages written in Arabic letters whose ordinary words can spell a Persian insult.
_OTHER_LANGUAGES = frozenset({"arabic", "urdu", "pashto", "kurdish", "sindhi", "uyghur"})
_NO_INSULT = InsultResult(False, (), False, ())


@dataclass(frozen=True, slots=True)
class Reason:
    """A machine-readable reason code, the action the policy took for it, and a short detail."""

    code: str
    action: Action
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of checking one comment, stored as JSON with `to_dict()`."""

    decision: Decision
    reasons: tuple[Reason, ...]
    language: LanguageResult
    relevance: Relevance
    insult: bool
    insult_terms: tuple[str, ...]
    accusation: bool
    cleaned_text: str
    normalized_text: str
    estimate: Estimate | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """The reason codes alone."""
        return tuple(r.code for r in self.reasons)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (lists for tuples)."""
        data = asdict(self)
        data["reasons"] = [asdict(r) for r in self.reasons]
        data["insult_terms"] = list(self.insult_terms)
        return data


class _Reasons:
    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.items: list[Reason] = []

    def add(self, code: str, detail: str = "") -> None:
        action = self.policy.action_for(code)
        if action != "allow":
            self.items.append(Reason(code, action, detail))

    def decision(self) -> Decision:
        worst = max((_RANK[r.action] for r in self.items), default=0)
        return _DECISIONS[worst]


def _language_reason(result: LanguageResult, reasons: _Reasons) -> None:
    if result.label == "uncertain":
        reasons.add("language_uncertain", result.reason)
    elif result.label == "not_fa":
        reasons.add("finglish" if result.reason == "finglish" else "not_persian", result.reason)


def review(
    comment_text: str,
    article: ArticleProfile | None,
    history: AuthorHistory,
    policy: Policy,
    *,
    detector: LanguageDetector | None = None,
    lexicon: Lexicon | None = None,
    stats: TermStats | None = None,
    now: datetime | None = None,
    estimate: Estimate | None = None,
) -> Verdict:
    """Check one comment against the site's rules and decide pass, review or reject."""
    lex = lexicon or (stats.lexicon if stats else default_lexicon())
    cleaned = clean_text(comment_text)
    normalized = normalize(cleaned)
    reasons = _Reasons(policy)
    if not cleaned or not normalized:  # nothing but tatweel or diacritics is as empty as nothing
        reasons.add("empty")
        empty_language = LanguageResult("uncertain", "too_short", 0.0)
        return Verdict(reasons.decision(), tuple(reasons.items), empty_language, Relevance(0.0, "unknown"),
                       False, (), False, cleaned, normalized)
    if len(cleaned) < policy.min_length:
        reasons.add("too_short", str(len(cleaned)))
    if len(cleaned) > policy.max_length:
        reasons.add("too_long", str(len(cleaned)))
    if history.recent and is_duplicate(normalized, history, now or datetime.now(UTC), policy.duplicate_window):
        reasons.add("duplicate")
    spam = find_spam(cleaned)
    if spam.invite_links:
        reasons.add("invite_link", spam.invite_links[0])
    elif spam.links:
        reasons.add("link", spam.links[0])
    if spam.mentions:
        reasons.add("mention", spam.mentions[0])
    if spam.phones:
        reasons.add("phone")
    if spam.flood:
        reasons.add("flood")
    language = detect_language(cleaned, detector=detector, lexicon=lex)
    _language_reason(language, reasons)
    topic = relevance(cleaned, article, stats or (TermStats(lex) if article else None), policy.off_topic_threshold)
    if topic.label == "off_topic" and language.label == "fa":
        reasons.add("off_topic", f"{topic.score:.2f}")
    found = check_insults(cleaned, tokenize(normalized), lex, article.names if article else ())
    if language.label == "not_fa" and language.reason in _OTHER_LANGUAGES:
        found = _NO_INSULT  # Urdu «کون» (who), «اسکول» (school), Arabic «كوني» (be): not Persian vulgarity
    if found.insult:
        reasons.add("insult", "، ".join(found.terms))
    if found.accusation:
        reasons.add("accusation", "، ".join(found.accusation_terms))
    if estimate is not None and (action := policy.model_action(estimate.probability)) != "allow":
        reasons.items.append(Reason("model", action, f"{estimate.percent()}% {'، '.join(estimate.words)}".strip()))
    return Verdict(reasons.decision(), tuple(reasons.items), language, topic, found.insult, found.terms,
                   found.accusation, cleaned, normalized, estimate)
