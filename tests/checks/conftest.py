"""Shared, once-built check resources (the bot builds the same ones at startup)."""

from __future__ import annotations

import pytest

from bot.checks.language import LangdetectDetector, default_detector
from bot.checks.lexicon import Lexicon, default_lexicon
from bot.checks.relevance import ArticleProfile, TermStats

ARTICLE_TITLE = "قطعی برق در تهران ادامه دارد"
ARTICLE_BODY = (
    "وزیر نیرو آقای محمدی گفت قطعی برق در تهران و کرج تا پایان هفته ادامه دارد. "
    "به گفته او مصرف برق در گرمای تابستان افزایش یافته و نیروگاه‌ها توان تولید کافی ندارند. "
    "مردم از خاموشی‌های طولانی و خرابی وسایل برقی گله دارند."
)


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    return default_lexicon()


@pytest.fixture(scope="session")
def detector() -> LangdetectDetector:
    return default_detector()


@pytest.fixture(scope="session")
def stats(lexicon: Lexicon) -> TermStats:
    return TermStats(lexicon, [ARTICLE_BODY, "تیم ملی فوتبال در جام جهانی بازی کرد و برد."])


@pytest.fixture(scope="session")
def article(stats: TermStats) -> ArticleProfile:
    return ArticleProfile.build(ARTICLE_BODY, stats, title=ARTICLE_TITLE)
