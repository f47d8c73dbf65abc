"""Is a comment about its article? Stemmed TF-IDF overlap, char n-grams and a praise detector."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from bot.checks.lexicon import Lexicon, background_frequencies, default_lexicon
from bot.checks.normalize import normalize, stem, tokenize

RelevanceLabel = Literal["related", "generic", "off_topic", "unknown"]
DEFAULT_OFF_TOPIC_THRESHOLD = 0.12
_BACKGROUND_DOCS = 10_000
_LETTERS = re.compile(r"[^\W\d_]")
_REACTION_MARKS = ("!", "?", "؟", "!!", "…")
_TITLES = frozenset({"آقای", "خانم", "دکتر", "مهندس", "حجتالاسلام", "سردار", "جناب"})


@dataclass(frozen=True, slots=True)
class Relevance:
    """How much a comment is about its article (0–1) and what that means."""

    score: float
    label: RelevanceLabel


def content_stems(text: str, lexicon: Lexicon) -> list[str]:
    """Stems of the words that carry meaning: normalised, stop words dropped, lightly stemmed."""
    return [stem(t) for t in tokenize(normalize(text)) if t not in lexicon.stopwords and not t.isdigit()]


def _grams(word: str) -> set[str]:
    padded = f"_{word}_"
    return {padded[i : i + n] for n in (3, 4) for i in range(len(padded) - n + 1)}


class TermStats:
    """Document frequencies of stems: a built-in Persian background plus the stored articles."""

    def __init__(self, lexicon: Lexicon | None = None, articles: Iterable[str] = ()) -> None:
        self._lexicon = lexicon or default_lexicon()
        self._df: Counter[str] = Counter()
        self._docs = _BACKGROUND_DOCS
        ranked = self._lexicon.persian_ranked
        for rank, word in enumerate(ranked, start=1):
            # Zipf-like background: the commonest words appear in most documents.
            self._df[stem(word)] += max(1, int(_BACKGROUND_DOCS * 0.6 / rank**0.7))
        documents, counts = background_frequencies()
        for term, count in counts.items():
            # Measured document frequencies (data/fa_background.tsv), scaled to the background size.
            self._df[term] = max(self._df[term], round(_BACKGROUND_DOCS * count / documents))
        for text in articles:
            self.add_article(text)

    @property
    def lexicon(self) -> Lexicon:
        """The word lists these statistics were built with."""
        return self._lexicon

    def add_article(self, text: str) -> None:
        """Count one more stored article."""
        self._docs += 1
        self._df.update(set(content_stems(text, self._lexicon)))

    def idf(self, term: str) -> float:
        """Inverse document frequency, smoothed; unseen words weigh most."""
        return math.log((self._docs + 1) / (self._df.get(term, 0) + 1)) + 1.0


@dataclass(frozen=True, slots=True)
class ArticleProfile:
    """An article's cached term vector, n-grams and the names it mentions."""

    weights: dict[str, float]
    norm: float
    grams: frozenset[str]
    names: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def build(cls, text: str, stats: TermStats, title: str = "") -> ArticleProfile:
        """Profile an article once; the title counts twice."""
        stems = content_stems(f"{title} {title} {text}", stats.lexicon)
        counts = Counter(stems)
        weights = {t: (1 + math.log(c)) * stats.idf(t) for t, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        grams = frozenset(g for t in counts for g in _grams(t))
        return cls(weights, norm, grams, _names(f"{title} {text}", stats.lexicon))


def _names(text: str, lexicon: Lexicon) -> frozenset[str]:
    """Words right after a title or office («آقای X», «وزیر X»): the people a comment may accuse."""
    tokens = tokenize(normalize(text))
    names: set[str] = set()
    for i, token in enumerate(tokens[:-1]):
        if token in _TITLES or token in lexicon.office_words:
            following = tokens[i + 1]
            if following not in lexicon.stopwords and following not in lexicon.office_words and len(following) > 2:
                names.add(following)
    return frozenset(names)


@cache
def _padded(phrases: tuple[str, ...]) -> dict[str, tuple[tuple[int, str], ...]]:
    """The phrases by their first word, each with its place in the list and padded with spaces."""
    by_first: dict[str, list[tuple[int, str]]] = {}
    for i, p in enumerate(phrases):
        by_first.setdefault(p.split(" ", 1)[0], []).append((i, f" {p} "))
    return {first: tuple(padded) for first, padded in by_first.items()}


def is_generic(text: str, lexicon: Lexicon) -> bool:
    """Praise, thanks, blessings or emoji: a comment mostly made of them is generic, not off topic."""
    normalized = normalize(text)
    tokens = tokenize(normalized)
    if not tokens:
        return not _LETTERS.search(normalized)
    joined = f" {' '.join(tokens)} "
    phrases = 0
    by_first = _padded(lexicon.generic_phrases)
    # Only the phrases whose first word the comment has, in the list's order (as if all were tried).
    for _, padded in sorted(p for first in set(tokens) & by_first.keys() for p in by_first[first]):
        if padded in joined:
            joined = joined.replace(padded, " ")  # a blessing's words are not topic words
            phrases += 1
    generic, rest = 2 * phrases, 0
    for token in joined.split():
        if token in lexicon.generic_words or stem(token) in lexicon.generic_words:
            generic += 1
        elif token not in lexicon.stopwords:
            rest += 1
            if rest > 2:
                break  # three topic words: generic only as a reaction, whatever follows
    return rest == 0 or (generic >= 2 * rest and rest <= 2) or _reaction(normalized, tokens)


def _reaction(normalized: str, tokens: list[str]) -> bool:
    """Shapes of a reaction rather than a topic: one word exclaimed or asked («عجب!», «کی؟»),
    or an echo pair («خرت و پرت»: two words that differ only in the first letter)."""
    if len(tokens) == 1:
        return normalized.rstrip().endswith(_REACTION_MARKS)
    if len(tokens) == 3 and tokens[1] == "و":
        first, second = tokens[0], tokens[2]
        return len(first) == len(second) >= 3 and first[0] != second[0] and first[1:] == second[1:]
    return False


def relevance_score(text: str, article: ArticleProfile, stats: TermStats) -> float:
    """0–1: the share of the comment's weighted words found in the article, exactly or nearly."""
    stems = content_stems(text, stats.lexicon)
    if not stems:
        return 0.0
    total = matched = dot = 0.0
    comment_norm = 0.0
    for term, count in Counter(stems).items():
        weight = stats.idf(term)
        total += weight
        comment_norm += (weight * count) ** 2
        if term in article.weights:
            matched += weight
            dot += weight * count * article.weights[term]
        elif len(term) >= 4:
            grams = _grams(term)
            share = len(grams & article.grams) / len(grams)
            if share >= 0.5:
                matched += weight * share * 0.7
    coverage = matched / total
    cosine = dot / (math.sqrt(comment_norm) * article.norm) if comment_norm else 0.0
    return min(1.0, 0.75 * coverage + 0.25 * min(1.0, cosine * 3))


def relevance(text: str, article: ArticleProfile | None, stats: TermStats | None = None,
              off_topic_threshold: float = DEFAULT_OFF_TOPIC_THRESHOLD) -> Relevance:
    """Label a comment `related`, `generic`, `off_topic` (below the threshold) or `unknown` (no article)."""
    lexicon = stats.lexicon if stats else default_lexicon()
    generic = is_generic(text, lexicon)
    if article is None:
        return Relevance(0.0, "generic" if generic else "unknown")
    score = relevance_score(text, article, stats or TermStats(lexicon))
    if generic:
        return Relevance(round(score, 4), "generic")
    return Relevance(round(score, 4), "off_topic" if score < off_topic_threshold else "related")
