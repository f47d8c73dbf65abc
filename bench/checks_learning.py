"""The learned model replayed on the real dev comments as a stream of moderators' decisions.

Measuring only: the model built here is thrown away; nothing of the dev set ships.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from bot.checks.insults import find_insults
from bot.checks.learned import Model, features
from bot.checks.lexicon import default_lexicon

STEPS = (100, 300, 1000, 3000)
SEED = 14
OTHER_SEEDS = (7, 99)  # other orders of the same stream: a choice that only suits one order shows here
THRESHOLDS = (0.5, 0.7, 0.8, 0.9)


def stream(rows: list[dict[str, Any]], seed: int = SEED) -> list[tuple[str, bool]]:
    """The dev comments in a fixed shuffled order, as (text, rejected) decisions."""
    items = [(r["text"], r["label"] == "offensive") for r in rows]
    random.Random(seed).shuffle(items)
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


def _replay(rows: list[dict[str, Any]], seed: int) -> Iterator[tuple[int, Model, list[tuple[str, bool]]]]:
    """The model after each of `STEPS` decisions of the stream in ``seed``'s order, and the rest."""
    decisions = stream(rows, seed)
    model = Model()
    taught = 0
    for step in STEPS:
        while taught < step:
            text, rejected = decisions[taught]
            model.teach(text, rejected)
            taught += 1
        yield step, model, decisions[step:]


def _p(model: Model, text: str) -> float:
    found = model.estimate(text)
    return found.probability if found else 0.0


def learning_curve(rows: list[dict[str, Any]], clean: list[str], review_at: float) -> list[str]:
    """Held back and falsely flagged after 100 … 3,000 decisions, on the held-out rest each time."""
    lexicon = default_lexicon()
    rule = {text: bool(find_insults(text, lexicon)) for text, _ in stream(rows)}
    clean_rule = [bool(find_insults(t, lexicon)) for t in clean]
    lines = [
        f"learning from decisions (real dev comments replayed in a fixed order, seed {SEED}; measured each time on",
        "  the comments not yet taught; 'clean' = real Persian reviews of language_dev and relevance_dev)",
        "  held back = flagged as insult by the rules or model P(reject) >= threshold",
        "  after   AUC   threshold  offensive held  neutral flagged  clean flagged",
    ]
    model = Model()
    best: list[str] = []
    allowed = len(clean) // 200
    for step, model, rest in _replay(rows, SEED):
        off = [(t, _p(model, t)) for t, y in rest if y]
        neu = [(t, _p(model, t)) for t, y in rest if not y]
        cln = [_p(model, t) for t in clean]
        area = auc([x for _, x in off], [x for _, x in neu])
        reach = _held_within([(rule[t], x) for t, x in off], list(zip(clean_rule, cln, strict=True)), allowed)
        best.append(f"{step}: {100 * reach:.1f}%")
        for threshold in THRESHOLDS:
            mark = "*" if threshold == review_at else " "
            held = sum(rule[t] or x >= threshold for t, x in off)
            flagged = sum(rule[t] or x >= threshold for t, x in neu)
            false = sum(r or x >= threshold for r, x in zip(clean_rule, cln, strict=True))
            lines.append(f"  {step:5d}  {area:.3f}   {threshold:.1f}{mark}     {_pct(held, len(off))}         "
                         f"{_pct(flagged, len(neu))}          {_pct(false, len(cln))} ({false}/{len(cln)})")
    lines.append("  (* = the default KHABAR_MODEL_REVIEW_CONFIDENCE; the model alone never rejects by default)")
    lines.append(f"  model size after {STEPS[-1]:,} decisions: {model.size:,} features")
    lines.append(estimate_speed(rows))
    lines.append(f"  most offensive held back at any threshold with <= {allowed} clean reviews flagged: " + "   ".join(best))
    lines.append(f"  other orders of the stream, at the default threshold {review_at}: offensive held / neutral flagged / "
                 "clean flagged")
    for seed in OTHER_SEEDS:
        cells = []
        for step, model, rest in _replay(rows, seed):
            held = sum(rule[t] or _p(model, t) >= review_at for t, y in rest if y)
            flagged = sum(rule[t] or _p(model, t) >= review_at for t, y in rest if not y)
            false = sum(r or _p(model, t) >= review_at for t, r in zip(clean, clean_rule, strict=True))
            n_off = sum(y for _, y in rest)
            cells.append(f"{step}: {_pct(held, n_off).strip()} / {_pct(flagged, len(rest) - n_off).strip()} / {false}")
        lines.append(f"    seed {seed:3d}  " + "   ".join(cells))
    return lines


def estimate_speed(rows: list[dict[str, Any]], taught: int = 1000) -> str:
    """CPU time of one estimate after ``taught`` decisions, on the comments not taught (their text
    already normalised, as the review leaves it; the model's weights memo cold, then warm)."""
    decisions = stream(rows)
    model = Model()
    for text, rejected in decisions[:taught]:
        model.teach(text, rejected)
    texts = [text for text, _ in decisions[taught:]]
    for text in texts:
        model.estimate(text)

    def best(cold: bool) -> float:
        runs = []
        for _ in range(3):  # best of three: other work on a shared machine only slows a run down
            if cold:
                model.teach(texts[0], True)  # a decision: every memoised weight is forgotten
                model.teach(texts[0], True, sign=-1)
            start = time.process_time()
            for text in texts:
                model.estimate(text)
            runs.append(time.process_time() - start)
        return 1e6 * min(runs) / len(texts)

    return (f"  estimate speed after {taught:,} decisions: {best(cold=True):.0f} µs per comment just after a "
            f"decision, {best(cold=False):.0f} µs with the weights memoised (CPU, one core, {len(texts):,} comments)")


def _held_within(scores_off: Sequence[tuple[bool, float]], scores_clean: Sequence[tuple[bool, float]],
                 allowed: int) -> float:
    """The share of offensive comments held back (rules or score) at the best threshold that flags at
    most ``allowed`` clean reviews: what any threshold of this score could reach."""
    flagged_by_rules = sum(r for r, _ in scores_clean)
    left = sorted((x for r, x in scores_clean if not r), reverse=True)
    spare = allowed - flagged_by_rules
    cut = left[spare] if 0 <= spare < len(left) else (-1.0 if spare >= 0 else float("inf"))
    return sum(r or x > cut for r, x in scores_off) / len(scores_off)


def model_choice(rows: list[dict[str, Any]], clean: Sequence[str] = ()) -> list[str]:
    """Naive Bayes (shipped) against logistic regression on the same features: AUC on the held-out rest,
    and with ``clean``, the most either could hold back at any threshold flagging <= 0.5% of them."""
    lexicon = default_lexicon()
    rule = {text: bool(find_insults(text, lexicon)) for text, _ in stream(rows)}
    clean_rule = [bool(find_insults(t, lexicon)) for t in clean]
    allowed = len(clean) // 200
    decisions = [(features(t), y) for t, y in stream(rows)]
    lines = ["model choice (held-out rest): naive Bayes / logistic regression over the same features; AUC offensive vs"
             " neutral" + (f"; best = most offensive held back by rules or model at any threshold with <= {allowed}"
                           f" of {len(clean)} clean reviews flagged" if clean else "")]
    for step, model, rest in _replay(rows, SEED):
        if step < 1000:
            continue
        nb_off = [(rule[t], _p(model, t)) for t, y in rest if y]
        nb_neu = [_p(model, t) for t, y in rest if not y]
        predict = _logistic(decisions[:step])
        lr_off = [(rule[t], predict(features(t))) for t, y in rest if y]
        lr_neu = [predict(f) for f, y in decisions[step:] if not y]
        line = (f"  after {step:5d}: AUC {auc([x for _, x in nb_off], nb_neu):.3f} / "
                f"{auc([x for _, x in lr_off], lr_neu):.3f}")
        if clean:
            nb_clean = [(r, _p(model, t)) for t, r in zip(clean, clean_rule, strict=True)]
            lr_clean = [(r, predict(features(t))) for t, r in zip(clean, clean_rule, strict=True)]
            line += (f"   best {100 * _held_within(nb_off, nb_clean, allowed):.1f}% / "
                     f"{100 * _held_within(lr_off, lr_clean, allowed):.1f}%")
        lines.append(line)
    return lines
