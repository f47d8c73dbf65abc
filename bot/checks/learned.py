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
0.879 with and without after 1,000 decisions) and were most of the model's rows. Also measured and
not kept (bench/checks_learning.py, three orders of the stream): letter 4- and 5-grams, grams across
word boundaries, words of the lists' mild and accusation sections, cues that the comment speaks to
someone (a verb said to «you», an order), a word read through its letter grams only while rare,
scaling by the share of words already seen: none held back more offensive comments at the same clean
rate on every order by more than a few comments, and several flagged more neutral ones.

The estimate is naive Bayes made cautious, because the comments it scores are not always like the
ones it learned from (a newsroom's readers write about products, films, recipes): each feature's
rejection rate is shrunk towards the newsroom's base rate (as if also seen in `_PRIOR_WEIGHT`
decisions at that rate), so a feature seen twice says little; only the `_TOP` strongest features
for and against are added up, so a long text is not condemned by many weak letter grams; and no
estimate rises above the base rate unless the text has a word or list feature that moderators
rejected clearly more often than not, with a Wilson lower bound of at least `_EVIDENCE` (that word is
what the card names). Chosen by replaying the dev comments (notes in the bench, bench/checks_learning.py).
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
# A feature's rejection rate is estimated as if it had also been seen in this many decisions at the
# newsroom's base rate: a feature seen in a handful of decisions stays near "no evidence".
_PRIOR_WEIGHT = 30.0
# Naive Bayes adds up evidence as if features were independent; they are not (a word and its letter
# grams say the same thing), and a long review has ten times the features of a short comment. Only
# the strongest `_TOP` features each way are added, then scaled.
_TOP = 8
_SCALE = 1.6
# No estimate above the base rate without one word or list feature (`w:`, `x:`) that moderators
# rejected clearly more often than not: the lower end of its rejection rate's Wilson interval
# (one standard error), over at least `_EVIDENCE_SEEN` decisions, is at least `_EVIDENCE`.
_EVIDENCE = 0.6
_EVIDENCE_SEEN = 2
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


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _base_rate(counts: Counts) -> float:
    """The share of decisions that were rejections (add-one smoothed)."""
    return (counts.rejected_docs + 1) / (counts.approved_docs + counts.rejected_docs + 2)


def _weight(approved: int, rejected: int, base: float, prior: float) -> float:
    """Log odds that a text with this feature is rejected, beyond the base rate (``prior``: its log
    odds); the feature's rate shrunk towards the base rate by `_PRIOR_WEIGHT` decisions."""
    shrunk = rejected + _PRIOR_WEIGHT * base
    return math.log(shrunk / (approved + rejected + _PRIOR_WEIGHT - shrunk)) - prior


def _clear_evidence(approved: int, rejected: int) -> bool:
    """Whether a feature's decisions show rejection clearly more often than not (Wilson, z = 1)."""
    seen = approved + rejected
    if seen < _EVIDENCE_SEEN or rejected < _EVIDENCE * seen:  # the bound is below the share itself
        return False
    share = rejected / seen
    centre = share + 1 / (2 * seen)
    spread = math.sqrt(share * (1 - share) / seen + 1 / (4 * seen * seen))
    return (centre - spread) / (1 + 1 / seen) >= _EVIDENCE


def estimate(text_features: Iterable[str], counts: Counts, words: Sequence[str] = (), top: int = 3,
             memo: dict[str, float] | None = None) -> Estimate | None:
    """P(rejected) for a text's features, or None while the model has too few decisions.

    The explanation names the text's ``words`` whose own features (the word and its letter grams)
    pushed hardest towards rejection; without ``words``, the word and list features that did.
    ``memo`` keeps feature weights between calls while ``counts`` stays the same."""
    if not counts.ready:
        return None
    base = _base_rate(counts)
    prior = _logit(base)
    known = memo if memo is not None else {}
    # A set is walked in sorted order, so the result is the same in every process.
    ordered = text_features if isinstance(text_features, tuple) else sorted(text_features)
    values: list[float] = []
    evidence = False
    for feature in ordered:
        weight = known.get(feature)
        if weight is None:
            approved, rejected = counts.features.get(feature, (0, 0))
            # Never below zero: a decision undone after the lists changed may take back a feature
            # it was not taught with.
            approved, rejected = max(approved, 0), max(rejected, 0)
            weight = _weight(approved, rejected, base, prior) if approved or rejected else 0.0
            known[feature] = weight
            if weight > 0 and feature[0] in "wx" and _clear_evidence(approved, rejected):
                known["!" + feature] = weight  # a word or list feature that can carry a flag
        if weight:  # 0.0: never seen, no evidence either way
            values.append(weight)
            if not evidence and weight > 0 and feature[0] in "wx":
                evidence = "!" + feature in known
    values.sort()  # sorted, so the float sums are the same every time
    strongest_for = [v for v in values[: -_TOP - 1 : -1] if v > 0]
    strongest_against = [v for v in values[:_TOP] if v < 0]
    score = prior + _SCALE * (sum(strongest_for) + sum(strongest_against))
    if not evidence:
        score = min(score, prior)
    decisions = counts.approved_docs + counts.rejected_docs
    probability = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))
    if probability < 0.5:
        return Estimate(probability, (), decisions)
    if words:
        inside = set(ordered)  # at most `_MAX_FEATURES`: a long text's last words may have none
        drivers = [(sum(known[f] for f in word_features(w) if f in inside), w) for w in set(words)
                   if len(w) >= 3]  # «بی», «تو»: too short to explain anything
    else:
        drivers = [(known[f], f[2:]) for f in ordered if not f.startswith("c:") and known[f]]
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
