"""A model that learns from the newsroom's own decisions: naive Bayes over words and letter n-grams.

Pure and incremental. Teaching one decision adds 1 to the approved or rejected count of each feature
the text has (and to the document count under `DOCS`); undoing it subtracts the same counts, so a
reversed decision leaves no trace. The estimate needs only the counts of the features one text has,
so a caller can read just those rows from storage. Deterministic: no randomness, no training loop.

Features (each counted once per text): words in matching form (doubled letters squeezed, so
«احمقققق» meets «احمق»), letter 3-grams inside words with word edges marked, which
carry the model across inflections («کثافتا», «کثافتی») and evasive spellings it has seen, and what
the insult lists know of the words (`x:`), so that the model learns which senses of «گاو» or «سگ»
this newsroom rejects. Word pairs were dropped: measured on the dev replay they added nothing (AUC
0.879 with and without after 1,000 decisions) and were most of the model's rows.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.checks.insult_lists import insult_key
from bot.checks.insults import listed_context_word, listed_insult
from bot.checks.lexicon import default_lexicon
from bot.checks.normalize import clean_text, normalize, tokenize

DOCS = "#docs"  # the feature under which the number of taught texts of each kind is counted
_SMOOTHING = 1.0
# Naive Bayes adds up evidence as if features were independent; they are not, and a long review
# has ten times the features of a short comment. The evidence is divided by the square root of the
# number of features that carry any, then scaled; and a feature seen in few decisions counts less
# (weight * seen / (seen + _SHRINK)). Measured on the dev replay, this keeps clean reviews from being
# flagged at the default confidence after 100 decisions as after 3,000 (docs/checks.md).
_SCALE = 1.3
_SHRINK = 1.0
_MAX_FEATURES = 400
_MAX_WORD = 40  # longer "words" are key mashing; a feature stays short enough to store
MIN_EACH = 20  # decisions of each kind before the model says anything


@dataclass(frozen=True, slots=True)
class Counts:
    """How often each feature appeared in approved and in rejected texts: (approved, rejected)."""

    approved_docs: int
    rejected_docs: int
    features: Mapping[str, tuple[int, int]]

    @property
    def ready(self) -> bool:
        """Enough decisions of each kind for an estimate worth showing."""
        return self.approved_docs >= MIN_EACH and self.rejected_docs >= MIN_EACH


@dataclass(frozen=True, slots=True)
class Estimate:
    """The model's probability that moderators reject a text, and the words that drove it."""

    probability: float
    words: tuple[str, ...]
    decisions: int

    def percent(self) -> int:
        """The probability as a whole percentage, 1–99: a count of past decisions is never certain."""
        return max(1, min(99, round(100 * self.probability)))


def text_words(text: str) -> list[str]:
    """The words of a comment as the model sees them (matching form, doubled letters squeezed)."""
    return [insult_key(t)[:_MAX_WORD] for t in tokenize(normalize(clean_text(text))) if not t.isdigit()]


def _grams(word: str) -> list[str]:
    marked = f"<{word}>"
    return [f"c:{marked[j : j + 3]}" for j in range(len(marked) - 2)]


@lru_cache(maxsize=65536)
def word_features(word: str) -> tuple[str, ...]:
    """A word's own features, memoised (words repeat, comments do not): the word, its letter grams,
    and what the insult lists know of it: `x:` the listed insult, or the ordinary word that insults
    when aimed («گاو»), with `x:*insult` / `x:*listed` shared by all such words."""
    own = (f"w:{word}", *_grams(word))
    lists = default_lexicon().insults
    if (hit := listed_insult(word, lists)) is not None:
        return (*own, f"x:{hit}", "x:*insult", "x:*listed")
    if (stem := listed_context_word(word, lists)) is not None:
        return (*own, f"x:{stem}", "x:*listed")
    return own


# Words that speak to someone: the model learns how much they add to a listed word.
_YOU = frozenset({"تو", "شما", "شماها", "همتون", "خودت", "خودتون", "تویی", "هستی", "هستید", "هستین", "ای"})


def features(text: str) -> frozenset[str]:
    """The features of one comment: `w:` words, `c:` letter 3-grams, `x:` what the lists know."""
    return features_of(text_words(text))


def features_of(words: Sequence[str]) -> frozenset[str]:
    """The features of a comment's words (see `features`)."""
    return frozenset(_feature_list(words))


def _feature_list(words: Sequence[str]) -> tuple[str, ...]:
    """The features in the order the words give them, each once, at most `_MAX_FEATURES`."""
    parts: list[str] = ["x:*you"] if _YOU.intersection(words) else []
    for word in words:
        parts.extend(word_features(word))
    return tuple(dict.fromkeys(parts))[:_MAX_FEATURES]


def _weight(approved: int, rejected: int, counts: Counts) -> float:
    """Log odds that a text with this feature is rejected, beyond the prior (Bernoulli NB)."""
    p_rejected = (rejected + _SMOOTHING) / (counts.rejected_docs + 2 * _SMOOTHING)
    p_approved = (approved + _SMOOTHING) / (counts.approved_docs + 2 * _SMOOTHING)
    return math.log(p_rejected / p_approved)


def estimate(text_features: Iterable[str], counts: Counts, words: Sequence[str] = (), top: int = 3,
             memo: dict[str, float] | None = None) -> Estimate | None:
    """P(rejected) for a text's features, or None while the model has too few decisions.

    The explanation names the text's ``words`` whose own features (the word and its letter grams)
    pushed hardest towards rejection; without ``words``, the word and list features that did.
    ``memo`` keeps feature weights between calls while ``counts`` stays the same."""
    if not counts.ready:
        return None
    prior = math.log((counts.rejected_docs + 1) / (counts.approved_docs + 1))
    known = memo if memo is not None else {}
    # A set is walked in sorted order, so the float sum is the same in every process.
    ordered = text_features if isinstance(text_features, tuple) else sorted(text_features)
    total = 0.0
    carrying = 0
    for feature in ordered:
        weight = known.get(feature)
        if weight is None:
            approved, rejected = counts.features.get(feature, (0, 0))
            # Never below zero: a decision undone after the lists changed may take back a feature
            # it was not taught with.
            approved, rejected = max(approved, 0), max(rejected, 0)
            seen = approved + rejected
            weight = known[feature] = _weight(approved, rejected, counts) * seen / (seen + _SHRINK) if seen else 0.0
        if weight:  # 0.0: never seen, no evidence either way
            total += weight
            carrying += 1
    decisions = counts.approved_docs + counts.rejected_docs
    if carrying:
        total *= _SCALE / math.sqrt(carrying)
    score = prior + total
    probability = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))
    if probability < 0.5:
        return Estimate(probability, (), decisions)
    weights = {f: known[f] for f in ordered if known[f]}
    if words:
        drivers = [(sum(weights.get(f, 0.0) for f in word_features(w)), w) for w in set(words)
                   if len(w) >= 3]  # «بی», «تو»: too short to explain anything
    else:
        drivers = [(v, f[2:]) for f, v in weights.items() if not f.startswith("c:")]
    ranked = sorted((d for d in drivers if d[0] > 0), key=lambda d: (-d[0], d[1]))
    return Estimate(probability, tuple(label for _, label in ranked[:top]), decisions)


class Model:
    """An in-memory model (the bench, `khabar check`, tests): teach, forget, estimate."""

    def __init__(self, rows: Mapping[str, tuple[int, int]] | None = None) -> None:
        self._rows: dict[str, tuple[int, int]] = dict(rows or {})
        self._memo: dict[str, float] = {}

    def teach(self, text: str, rejected: bool, sign: int = 1) -> None:
        """Count one decision (`sign=-1` forgets it again)."""
        self._memo.clear()
        for feature in (DOCS, *features(text)):
            approved, rejections = self._rows.get(feature, (0, 0))
            if rejected:
                rejections += sign
            else:
                approved += sign
            self._rows[feature] = (approved, rejections)

    def counts(self) -> Counts:
        """A snapshot to estimate with."""
        approved, rejected = self._rows.get(DOCS, (0, 0))
        return Counts(approved, rejected, self._rows)

    def estimate(self, text: str) -> Estimate | None:
        """P(rejected) for one text."""
        words = text_words(text)
        return estimate(_feature_list(words), self.counts(), words, memo=self._memo)

    @property
    def size(self) -> int:
        """How many features the model knows."""
        return max(len(self._rows) - 1, 0)
