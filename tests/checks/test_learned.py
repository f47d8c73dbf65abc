"""The model learned from decisions: counts, exact undo, readiness, explanation, the policy around it."""

from __future__ import annotations

import pytest

from bot.checks.learned import MIN_EACH, Estimate, Model, estimate, features
from bot.checks.policy import Policy
from bot.checks.review import review
from bot.checks.spam import AuthorHistory

# Written for Khabar: what one newsroom's moderators might approve and reject.
REJECTED = [
    "این آدم یه دلقک به تمام معناست",
    "دلقک بازی بسه دیگه",
    "چه دلقک بی مزه ای",
    "مجری دلقک برنامه رو خراب کرد",
    "دلقک های سیاسی همه مثل همند",
]
APPROVED = [
    "گزارش دقیقی بود ممنون",
    "امیدوارم مشکل برق زودتر حل شود",
    "ممنون از خبرنگار برای این گزارش",
    "کاش دربارهٔ قیمت‌ها هم می‌نوشتید",
    "خبر خوبی بود برای مردم شهر",
]


def taught(approved: list[str], rejected: list[str], rounds: int) -> Model:
    """A model taught each text ``rounds`` times, numbered so that each is a decision of its own."""
    model = Model()
    for i in range(rounds):
        for text in rejected:
            model.teach(f"{text} {i}", rejected=True)
        for text in approved:
            model.teach(f"{text} {i}", rejected=False)
    return model


def trained(rounds: int = MIN_EACH // len(REJECTED) + 1) -> Model:
    return taught(APPROVED, REJECTED, rounds)


def test_features_are_words_letter_grams_and_list_knowledge() -> None:
    found = features("دلقکــــک بازی")
    assert {"w:دلقک", "w:بازی", "c:<دل", "c:قک>", "x:دلقک", "x:*listed"} <= found
    assert not any(f.startswith("b:") for f in found)  # no word pairs: they measured no better
    assert features("دلقک بازی") == found  # stretched and doubled letters read the same


def test_no_estimate_until_enough_decisions_of_each_kind() -> None:
    model = Model()
    for text in REJECTED * 10:
        model.teach(text, rejected=True)
    assert model.estimate("دلقک") is None


def test_estimate_separates_and_names_the_words_that_drove_it() -> None:
    model = trained()
    bad = model.estimate("عجب دلقکی")
    good = model.estimate("گزارش خوبی بود ممنون")
    assert bad is not None and good is not None
    assert bad.probability > 0.8 > 0.2 > good.probability
    assert "دلقک" in " ".join(bad.words)
    assert good.words == ()


def test_forgetting_a_decision_restores_the_counts_exactly() -> None:
    model = trained()
    before = dict(model.counts().features)
    model.teach("یک نظر تازه و بی‌سابقه", rejected=True)
    model.teach("یک نظر تازه و بی‌سابقه", rejected=True, sign=-1)
    after = {k: v for k, v in model.counts().features.items() if v != (0, 0)}
    assert after == before


def test_estimate_is_deterministic_whatever_the_feature_order() -> None:
    counts = trained().counts()
    names = features("مجری دلقک بود")
    first = estimate(sorted(names), counts)
    second = estimate(sorted(names, reverse=True), counts)
    assert first == second


@pytest.mark.parametrize(
    ("probability", "review_at", "reject_at", "expected"),
    [
        (0.95, 0.9, 1.0, "review"),  # the default: the model alone never rejects
        (0.999, 0.9, 1.0, "review"),
        (0.5, 0.9, 1.0, "allow"),
        (0.97, 0.9, 0.96, "reject"),  # the operator let it reject above 96%
        (0.95, 0.9, 0.96, "review"),
    ],
)
def test_policy_model_action(probability: float, review_at: float, reject_at: float, expected: str) -> None:
    policy = Policy(model_review_confidence=review_at, model_reject_confidence=reject_at)
    assert policy.model_action(probability) == expected


def test_review_flags_for_moderators_with_the_estimate() -> None:
    guess = Estimate(0.93, ("دلقک",), 60)
    verdict = review("یک نظر معمولی دربارهٔ خبر", None, AuthorHistory(), Policy(), estimate=guess)
    assert verdict.decision == "review"
    assert [(r.code, r.action) for r in verdict.reasons] == [("model", "review")]
    assert verdict.to_dict()["estimate"]["probability"] == 0.93
    lenient = review("یک نظر معمولی دربارهٔ خبر", None, AuthorHistory(), Policy(),
                     estimate=Estimate(0.5, (), 60))
    assert lenient.decision == "pass"
