"""langdetect loaded with the three Arabic-script profiles answers as it does with all 55 on such texts."""

from __future__ import annotations

import pytest

from bot.checks.language import DETECTOR_LANGUAGES, LangdetectDetector, default_detector

TEXTS = [
    ("fa", "امروز هوا خیلی خوب بود و با دوستانم به پارک رفتیم"),
    ("fa", "کتابی که خواندم واقعا ارزش وقت گذاشتن داشت"),
    ("ar", "هيا ادخل الى البيت قبل ان يبدأ المطر"),
    ("ar", "هذا الكتاب مفيد جدا لكل الطلاب في الجامعة"),
    ("ur", "یہ بہت اچھی کتاب ہے اور میں نے اسے پسند کیا"),
    ("ur", "ہم کل صبح اسکول جائیں گے"),
]


@pytest.fixture(scope="module")
def full() -> LangdetectDetector:
    return LangdetectDetector(languages=None)


@pytest.mark.parametrize(("language", "text"), TEXTS)
def test_three_profiles_answer_as_all_of_them(full: LangdetectDetector, language: str, text: str) -> None:
    best, prob = default_detector()(text)[0]
    full_best, full_prob = full(text)[0]
    assert best == full_best == language
    assert abs(prob - full_prob) < 0.01


def test_only_the_arabic_script_profiles_are_loaded() -> None:
    assert DETECTOR_LANGUAGES == ("fa", "ar", "ur")
    assert sorted(default_detector()._loaded().get_lang_list()) == ["ar", "fa", "ur"]
