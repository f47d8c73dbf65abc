"""The word, letter and spelling rules that tell Persian from its neighbours (fixtures written for Khabar)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.checks.language import LangdetectDetector, detect_language
from bot.checks.language_cues import arabic_tanween, collect, keyboard_mix, known_stem
from bot.checks.lexicon import Lexicon


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ئێوە چۆنن", "kurdish"),  # ێ ۆ ە, and a word opening with ئ
        ("بەیانی باش", "kurdish"),  # one ە is enough for a short text
        ("ياخشىمۇسىز", "uyghur"),  # ى inside a word, ۇ
        ("ستاسو مننه", "pashto"),  # Pashto function words without Pashto letters
        ("کابل ښار", "pashto"),
        ("جنوبي کابل", "pashto"),  # Arabic ي with Persian ک: no single keyboard types that
        ("آپ کیسے ہیں", "urdu"),
        ("حکومت کے فیصلے پر عوام خوش نہیں", "urdu"),  # Urdu function words outweigh shared vocabulary
        ("أهلا وسهلا", "arabic"),  # a word opening with أ
        ("في المدينة القديمة", "arabic"),
        ("مدرسة", "arabic"),  # ة
        ("بكلٍ فخر", "arabic"),  # kasratan: Persian writes only ً
        ("وبالتالي", "arabic"),  # the article after proclitics
        ("يكتبون الرسائل", "arabic"),
    ],
)
def test_not_persian_rules(text: str, reason: str, detector: LangdetectDetector, lexicon: Lexicon) -> None:
    result = detect_language(text, detector=detector, lexicon=lexicon)
    assert (result.label, result.reason) == ("not_fa", reason)


@pytest.mark.parametrize(
    "text",
    [
        "كتابش",  # Arabic kaf, but the clitic ش is Persian only
        "دوستانتان",
        "کتابشون",
        "نوشته‌اش",  # ZWNJ
        "میخوام",  # verb prefix and ending
        "دیروز رفتم بازار",
        "اين كتاب را خيلي دوست داشتم",  # Persian typed on an Arabic keyboard
        "امروز در جلسه شورای شهر درباره بودجه ھفته آینده صحبت شد",  # one stray letter does not outweigh
        "خیلی ممنون",
        "وزیر",
    ],
)
def test_persian_rules(text: str, detector: LangdetectDetector, lexicon: Lexicon) -> None:
    assert detect_language(text, detector=detector, lexicon=lexicon).label == "fa"


class _NoDetector:
    """Fails the test if the slow statistical detector is consulted."""

    def __call__(self, text: str) -> Sequence[tuple[str, float]]:
        raise AssertionError(f"detector called for {text!r}")


@pytest.mark.parametrize("text", ["زولادینو", "کاموریتا لوبانی"])
def test_unknown_words_are_uncertain_without_the_detector(text: str, lexicon: Lexicon) -> None:
    result = detect_language(text, detector=_NoDetector(), lexicon=lexicon)
    assert (result.label, result.reason) == ("uncertain", "too_short")


@pytest.mark.parametrize("text", ["ممنون", "این خبر رو دیروز هم گذاشته بودید", "ئێوە چۆنن", "شكرا جزيلا"])
def test_clear_cases_never_ask_the_detector(text: str, lexicon: Lexicon) -> None:
    detect_language(text, detector=_NoDetector(), lexicon=lexicon)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("جنوبي کابل", 1.0), ("روستاي تاریخی", 0.5), ("اين كتاب", 0.0), ("این کتاب", 0.0), ("دفتر", 0.0)],
)
def test_keyboard_mix(text: str, expected: float) -> None:
    assert keyboard_mix(text) == expected


@pytest.mark.parametrize(("text", "count"), [("بكلٍ فخر", 1), ("واقعاً", 0), ("كتابٌ", 1)])
def test_arabic_tanween(text: str, count: int) -> None:
    assert arabic_tanween(text) == count


@pytest.mark.parametrize(
    ("word", "weight"),
    [("کتابش", 1.0), ("دوستانشون", 1.0), ("کتابها", 0.5), ("کتابی", 0.5), ("زولادینو", 0.0), ("ش", 0.0)],
)
def test_known_stem(word: str, weight: float, lexicon: Lexicon) -> None:
    assert known_stem(word, lexicon.language) == weight


def test_shared_words_are_evidence_for_neither(lexicon: Lexicon) -> None:
    cues = collect(["من"], lexicon.language)
    assert (cues.persian, cues.arabic) == (0.0, 0.0)


def test_foreign_letters_outweigh_a_word(lexicon: Lexicon) -> None:
    cues = collect(["خانە"], lexicon.language)
    assert cues.foreign_total == 2.0 and cues.persian == 0.0
