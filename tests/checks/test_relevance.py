from __future__ import annotations

import pytest

from bot.checks.relevance import ArticleProfile, TermStats, relevance


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("قطعی برق تهران واقعا کلافه کننده است", "related"),
        ("خاموشی‌ها وسایل برقی ما را خراب کرد", "related"),
        ("نیروگاه‌ها باید زودتر تعمیر شوند", "related"),
        ("این گوشی دوربین خوبی دارد و باتری‌اش زود تمام نمی‌شود", "off_topic"),
        ("فیلم دیشب بازیگران خوبی داشت", "off_topic"),
        ("عالی بود", "generic"),
        ("خدا قوت", "generic"),
        ("مرسی", "generic"),
        ("ممنون از گزارشتون", "generic"),
        ("👍👍", "generic"),
    ],
)
def test_relevance_labels(text: str, label: str, article: ArticleProfile, stats: TermStats) -> None:
    assert relevance(text, article, stats).label == label


def test_no_article_is_unknown(stats: TermStats) -> None:
    result = relevance("قطعی برق", None, stats)
    assert (result.score, result.label) == (0.0, "unknown")


def test_threshold_configurable(article: ArticleProfile, stats: TermStats) -> None:
    text = "قطعی برق تهران واقعا کلافه کننده است"
    assert relevance(text, article, stats, off_topic_threshold=1.01).label == "off_topic"


def test_term_stats_learn_articles(stats: TermStats) -> None:
    fresh = TermStats(stats.lexicon)
    before = fresh.idf("نیروگاه")
    fresh.add_article("نیروگاه جدید ساخته شد")
    assert fresh.idf("نیروگاه") < before
