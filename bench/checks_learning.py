"""The learned model replayed on the real dev comments as a stream of moderators' decisions.

Measuring only: the model built here is thrown away; nothing of the dev set ships.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import Any

from bot.checks.insults import find_insults
from bot.checks.learned import Model, features
from bot.checks.lexicon import default_lexicon

STEPS = (100, 300, 1000, 3000)
SEED = 14
THRESHOLDS = (0.5, 0.7, 0.8, 0.9)


def stream(rows: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    """The dev comments in a fixed shuffled order, as (text, rejected) decisions."""
    items = [(r["text"], r["label"] == "offensive") for r in rows]
    random.Random(SEED).shuffle(items)
    return items


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """Area under the ROC curve, by ranks (ties count half)."""
    scored = sorted([(v, 1) for v in positives] + [(v, 0) for v in negatives])
    ranks = [0.0] * len(scored)
    i = 0
    while i < len(scored):
        j = i
        while j < len(scored) and scored[j][0] == scored[i][0]:
            j += 1
        for k in range(i, j):
            ranks[k] = (i + j + 1) / 2
        i = j
    rank_sum = sum(r for r, (_, label) in zip(ranks, scored, strict=True) if label)
    n_pos, n_neg = len(positives), len(negatives)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg) if n_pos and n_neg else float("nan")


def _logistic(train: list[tuple[frozenset[str], bool]], epochs: int = 8) -> Callable[[frozenset[str]], float]:
    """A plain logistic regression over the same features (SGD, fixed order per epoch): the rival model."""
    weights: dict[str, float] = {}
    bias = 0.0
    order = list(range(len(train)))
    for epoch in range(epochs):
        random.Random(epoch).shuffle(order)
        step = 0.2 / (1 + epoch)
        for i in order:
            feats, label = train[i]
            norm = math.sqrt(len(feats) + 1)
            z = bias + sum(weights.get(f, 0.0) for f in feats) / norm
            grad = 1 / (1 + math.exp(-max(-30.0, min(30.0, z)))) - label
            bias -= step * grad
            for f in feats:
                weights[f] = weights.get(f, 0.0) * (1 - step * 1e-4) - step * grad / norm

    def predict(feats: frozenset[str]) -> float:
        z = bias + sum(weights.get(f, 0.0) for f in feats) / math.sqrt(len(feats) + 1)
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    return predict


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "  n/a"


def learning_curve(rows: list[dict[str, Any]], clean: list[str], review_at: float) -> list[str]:
    """Held back and falsely flagged after 100 … 3,000 decisions, on the held-out rest each time."""
    lexicon = default_lexicon()
    decisions = stream(rows)
    rule = {text: bool(find_insults(text, lexicon)) for text, _ in decisions}
    clean_rule = [bool(find_insults(t, lexicon)) for t in clean]
    lines = [
        f"learning from decisions (real dev comments replayed in a fixed order, seed {SEED}; measured each time on",
        "  the comments not yet taught; 'clean' = real Persian reviews of language_dev and relevance_dev)",
        "  held back = flagged as insult by the rules or model P(reject) >= threshold",
        "  after   AUC   threshold  offensive held  neutral flagged  clean flagged",
    ]
    model = Model()
    taught = 0
    for step in STEPS:
        while taught < step:
            text, rejected = decisions[taught]
            model.teach(text, rejected)
            taught += 1
        rest = decisions[step:]

        def p(text: str) -> float:
            found = model.estimate(text)
            return found.probability if found else 0.0

        off = [(t, p(t)) for t, y in rest if y]
        neu = [(t, p(t)) for t, y in rest if not y]
        cln = [p(t) for t in clean]
        area = auc([x for _, x in off], [x for _, x in neu])
        for threshold in THRESHOLDS:
            mark = "*" if threshold == review_at else " "
            held = sum(rule[t] or x >= threshold for t, x in off)
            flagged = sum(rule[t] or x >= threshold for t, x in neu)
            false = sum(r or x >= threshold for r, x in zip(clean_rule, cln, strict=True))
            lines.append(f"  {step:5d}  {area:.3f}   {threshold:.1f}{mark}     {_pct(held, len(off))}         "
                         f"{_pct(flagged, len(neu))}          {_pct(false, len(cln))} ({false}/{len(cln)})")
    lines.append("  (* = the default KHABAR_MODEL_REVIEW_CONFIDENCE; the model alone never rejects by default)")
    lines.append(f"  model size after {STEPS[-1]:,} decisions: {model.size:,} features")
    return lines


def model_choice(rows: list[dict[str, Any]]) -> list[str]:
    """Naive Bayes (shipped) against logistic regression on the same features: AUC on the held-out rest."""
    decisions = [(features(t), y) for t, y in stream(rows)]
    lines = ["model choice (AUC, offensive vs neutral, held-out rest): naive Bayes / logistic regression"]
    for step in (1000, 3000):
        model = Model()
        for (text, rejected) in stream(rows)[:step]:
            model.teach(text, rejected)
        rest_text = stream(rows)[step:]
        nb_off = [e.probability for t, y in rest_text if y and (e := model.estimate(t))]
        nb_neu = [e.probability for t, y in rest_text if not y and (e := model.estimate(t))]
        predict = _logistic(decisions[:step])
        lr_off = [predict(f) for f, y in decisions[step:] if y]
        lr_neu = [predict(f) for f, y in decisions[step:] if not y]
        lines.append(f"  after {step:5d}: naive Bayes {auc(nb_off, nb_neu):.3f}   logistic regression "
                     f"{auc(lr_off, lr_neu):.3f}")
    return lines
