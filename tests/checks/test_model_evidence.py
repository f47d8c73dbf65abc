"""The learned model's caution: a word flags only on well-supported evidence, and never by itself on
texts unlike the ones it learned from (many weak letter grams, unseen words)."""

from __future__ import annotations

import pytest

from bot.checks.learned import Model
from tests.checks.test_learned import taught

# Written for Khabar. Ordinary comments a newsroom approves, and rejected ones that share no word with
# the texts under test: the model's background.
APPROVED = [
    "گزارش دقیقی بود",
    "ممنون از خبرنگار",
    "امیدوارم مشکل حل شود",
    "خبر خوبی بود",
    "کاش زودتر اعلام می‌کردند",
    "عکس‌ها زیبا بودند",
]
REJECTED = [
    "برو گمشو",
    "خفه شو دیگه",
    "حرف مفت نزن",
    "ساکت باش لطفا نه",
]
TARGET = "زنگولپا"  # invented: nothing in the insult lists knows it


def background(rounds: int = 6) -> Model:
    """60 decisions, about a third rejected (the share of the newsrooms' real streams)."""
    return taught(APPROVED, REJECTED, rounds)  # counts: the order of teaching does not matter


def base_rate(model: Model) -> float:
    counts = model.counts()
    return (counts.rejected_docs + 1) / (counts.approved_docs + counts.rejected_docs + 2)


@pytest.mark.parametrize(
    ("rejected", "approved", "flagged"),
    [
        (12, 0, True),  # rejected every one of a dozen times: well supported
        (8, 1, True),
        (2, 0, False),  # twice is not evidence enough to flag anyone
        (1, 0, False),
        (6, 6, False),  # as often approved as rejected: no evidence
        (0, 10, False),  # approved every time
        (0, 0, False),  # never seen
    ],
)
def test_a_word_flags_only_on_well_supported_evidence(rejected: int, approved: int, flagged: bool) -> None:
    model = background()
    for i in range(rejected):
        model.teach(f"{TARGET} {APPROVED[i % len(APPROVED)]}", rejected=True)
    for i in range(approved):
        model.teach(f"{TARGET} {APPROVED[i % len(APPROVED)]}", rejected=False)
    guess = model.estimate(f"عجب {TARGET}")
    assert guess is not None
    assert (guess.probability >= 0.9) is flagged
    if flagged:
        assert TARGET in guess.words


def test_many_weak_features_do_not_add_up_to_a_flag() -> None:
    model = background()
    # Each word rejected once: their shared letter grams («<سن») were rejected eight times, but no word
    # was rejected clearly more often than not.
    weak = ["سنگین", "سنجاق", "سنبل", "سنتی", "سنجش", "سنگر", "سندان", "سنایی"]
    for word in weak:
        model.teach(word, rejected=True)
    guess = model.estimate(" ".join(weak) + " و " + " ".join(weak[::-1]))
    assert guess is not None
    assert guess.probability <= base_rate(model) + 1e-9  # no more than the base rate
    assert guess.words == ()
    model.teach(f"{weak[0]} سنگین", rejected=True)  # «سنگین» now rejected every time it was seen, thrice
    model.teach("سنگین", rejected=True)
    again = model.estimate(" ".join(weak))
    assert again is not None and again.probability > base_rate(model)


@pytest.mark.parametrize("extra", ["", "xyzzy", "xyzzy qwop plugh", "xyzzy qwop plugh " * 10])
def test_words_never_seen_change_nothing(extra: str) -> None:
    model = background()
    for i in range(12):
        model.teach(f"{TARGET} {i}", rejected=True)
    alone = model.estimate(TARGET)
    padded = model.estimate(f"{TARGET} {extra}")
    assert alone is not None and padded is not None
    assert padded.probability == alone.probability
    assert padded.words == alone.words


def test_undoing_a_decision_restores_the_estimate_exactly() -> None:
    model = background()
    for i in range(9):
        model.teach(f"{TARGET} {i}", rejected=True)
    before = model.estimate(f"یک {TARGET} دیگر")
    model.teach(f"{TARGET} تازه", rejected=False)
    changed = model.estimate(f"یک {TARGET} دیگر")
    model.teach(f"{TARGET} تازه", rejected=False, sign=-1)
    after = model.estimate(f"یک {TARGET} دیگر")
    assert before is not None and changed is not None
    assert changed.probability < before.probability
    assert after == before


def test_a_flag_names_the_word_with_the_evidence_first() -> None:
    model = background()
    for i in range(12):
        model.teach(f"{TARGET} {APPROVED[i % len(APPROVED)]}", rejected=True)
    guess = model.estimate(f"گزارش {TARGET} خبرنگار")
    assert guess is not None and guess.probability >= 0.9
    assert guess.words[0] == TARGET
    assert "گزارش" not in guess.words and "خبرنگار" not in guess.words
    assert 90 <= guess.percent() <= 99
