"""Reactions that fit any story are `generic`, never `off_topic` (fixtures written for Khabar)."""

from __future__ import annotations

import pytest

from bot.checks.lexicon import Lexicon, background_frequencies
from bot.checks.relevance import ArticleProfile, TermStats, is_generic, relevance


@pytest.mark.parametrize(
    "text",
    [
        "متاسفم",
        "تسلیت میگم",
        "خدا رحمتش کنه",
        "روحش شاد",
        "ایول دمتون گرم",
        "باورم نمیشه",
        "انشالله",
        "درود بر شما",
        "دست مریزاد 👏",
        "خیلی عالی!!",
        "عجب!",  # one word, exclaimed
        "کی؟",  # one word, asked
        "جدی؟",
        "خرت و پرت",  # an echo pair
        "🙏🌹",
    ],
)
def test_generic(text: str, lexicon: Lexicon, article: ArticleProfile, stats: TermStats) -> None:
    assert is_generic(text, lexicon)
    assert relevance(text, article, stats).label == "generic"


@pytest.mark.parametrize(
    "text",
    [
        "فوتبال و والیبال",  # two topics, not an echo pair
        "قیمت دلار امروز بالا رفت",
        "سریال جدید شبکه سه را دیدید",
        "گوشی",
    ],
)
def test_topic_words_are_not_generic(text: str, lexicon: Lexicon, article: ArticleProfile,
                                     stats: TermStats) -> None:
    assert not is_generic(text, lexicon)
    assert relevance(text, article, stats).label == "off_topic"


def test_background_list_is_shipped() -> None:
    documents, counts = background_frequencies()
    assert documents > 1000
    assert counts["و"] > counts.get("نیروگاه", 0)


def test_background_weights_common_words_down(stats: TermStats) -> None:
    assert stats.idf("و") < stats.idf("کاربر") < stats.idf("زولادینو")


def test_build_data_counts_documents() -> None:
    from bot.checks.build_data import document_frequencies

    total, counts = document_frequencies(["کتاب‌ها را خواندم", "کتاب خوبی بود", "123", ""])
    assert total == 2
    assert counts["کتاب"] == 2
