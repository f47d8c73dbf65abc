"""Insults read by sense: curses and wishes of harm, «خفه», compounds, misspellings, emoji; each row has a
clean sentence beside it in which the same word means something else. All sentences written for Khabar."""

from __future__ import annotations

import pytest

from bot.checks.insults import find_insults
from bot.checks.learned import Model, estimate, features, features_of, text_words
from bot.checks.lexicon import Lexicon

INSULTING = [
    # wishes of harm after «خدا», «الهی», «ایشالا»
    "خدا ذلیلشون کنه",
    "الهی خیر نبینی",
    "ایشالا نابود بشید همتون",
    "خدا ازتون نگذره",
    "خدا لعنت کنه این آدمو",
    # a curse sent to someone by name, not to the traffic
    "لعنت بر فلانی و همه یارانش",
    "نفرین به اون مدیر",
    # «خفه» as «shut up»
    "خفه دیگه",
    "خفه بابا تو هم",
    # compounds with «بی», spaced or joined, with endings
    "بی لیاقتا",
    "آدم بی‌عرضه",
    "خیلی بی شخصیتی",
    # people and groups named as the target
    "همشون خائنن",
    "ملت گوسفند",
    "چقدر کثیفی",
    # phrases with animals, threats, vulgar words, misspellings
    "مردم رو خر فرض کردین",
    "سگ هار",
    "میزنم تو دهنت",
    "عن",
    "بیشور",
    "کصافت",
    "ننت",
    # emoji: a row of clowns or pigs mocks; 🖕 always
    "🤡🤡",
    "🐷🐷🐷",
    "🖕",
]

CLEAN = [
    "خدا ازت راضی باشه",
    "خدا حفظش کنه",
    "خدا مرگم بده، چه اتفاق بدی",
    "ایشالا موفق باشی",
    "خدا زحمت بکشید و این مشکل را حل کنید",  # «بکش» in «زحمت بکشید»
    "لعنت به این ترافیک",
    "لعنت بر شیطان",
    "دو کودک در استخر خفه شدند",
    "هوا خیلی خفه بود",
    "یک گوزن در جاده دیده شد",
    "کوفته تبریزی خوشمزه بود",
    "سطل آشغال کنار در است",
    "خانواده‌ام سگ دارند و خیلی دوستش داریم",
    "جشن تولد با لباس دلقک برای بچه‌ها 🤡",  # one clown beside words that insult no one
    "این فیلم پر از صحنه‌های چرت و پرت بود",
    "مثل خر کار می‌کنیم و حقوق نمی‌گیریم",
    "قونیه را ترک‌ها کونیا می‌نویسند",  # a [clean] entry wins over the same word listed as an insult
]


@pytest.mark.parametrize("text", INSULTING)
def test_insult_by_sense(text: str, lexicon: Lexicon) -> None:
    assert find_insults(text, lexicon), text


@pytest.mark.parametrize("text", CLEAN)
def test_same_word_other_sense(text: str, lexicon: Lexicon) -> None:
    assert find_insults(text, lexicon) == (), text


def test_estimate_is_the_same_for_a_feature_set_and_its_ordered_list() -> None:
    model = Model()
    for i in range(25):
        model.teach(f"عجب دلقک بی مزه ای {i}", rejected=True)
        model.teach(f"گزارش خوبی بود ممنون {i}", rejected=False)
    text = "عجب دلقکی بود این مجری"
    words = text_words(text)
    by_set = estimate(features(text), model.counts(), words)
    by_model = model.estimate(text)
    assert by_set is not None and by_model is not None
    assert by_set.probability == pytest.approx(by_model.probability, abs=1e-12)
    assert by_set.words == by_model.words
    assert features_of(words) == features(text)


def test_long_clean_text_is_not_pushed_to_certainty_by_its_length() -> None:
    """Evidence is divided by the square root of the features that carry any: a long review of words the
    model has seen only in approved comments stays as sure as a short one, not surer."""
    model = Model()
    for i in range(25):
        model.teach(f"عجب دلقک بی مزه ای {i}", rejected=True)
        model.teach(f"گزارش خوبی بود ممنون {i}", rejected=False)
    short = model.estimate("گزارش خوبی بود")
    long = model.estimate(" ".join(["گزارش خوبی بود ممنون"] * 10) + " دلقک")
    assert short is not None and long is not None
    assert long.probability < 0.5  # one rejected word among many approved ones does not flag it


def test_counts_below_zero_are_read_as_unseen() -> None:
    """A decision undone after the lists changed may take back a feature it was never taught with."""
    model = Model()
    for i in range(25):
        model.teach(f"عجب دلقک بی مزه ای {i}", rejected=True)
        model.teach(f"گزارش خوبی بود ممنون {i}", rejected=False)
    model.teach("گاو", rejected=True, sign=-1)  # never taught: its features go below zero
    found = model.estimate("گاو")
    assert found is not None and 0.0 < found.probability < 1.0


def test_the_model_sees_what_the_lists_know() -> None:
    assert {"x:احمق", "x:*insult", "x:*listed", "x:*you"} <= features("تو احمقی")
    assert {"x:گاو", "x:*listed"} <= features("گاو")
    assert not any(f.startswith("x:") for f in features("گزارش خوبی بود"))
