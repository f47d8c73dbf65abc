from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.checks.language import LangdetectDetector, detect_language
from bot.checks.lexicon import Lexicon


@pytest.mark.parametrize(
    ("text", "label", "reason"),
    [
        ("ممنون", "fa", "persian_words"),
        ("خیلی ممنون از گزارش خوبتون", "fa", "persian_words"),
        ("این خبر رو دیروز هم گذاشته بودید", "fa", "persian_words"),
        ("كتاب هاي خوبي است", "fa", "persian_words"),  # Persian typed with Arabic ي/ك
        ("ميخواهم بدانم چرا اينطور شد", "fa", "persian_words"),
        ("پیچ", "uncertain", "urdu"),  # one rare word, Urdu writes it too: a moderator decides
        ("عالی بود 👍👍", "fa", "persian_words"),
        ("سلام 😀 https://example.com/x مطلب خوبی بود", "fa", "persian_words"),
        ("قیمت ۱۲۰ هزار تومان شد", "fa", "persian_words"),
        ("اپلیکیشن رو از Google Play نصب کردم ولی باز نمیشه", "fa", "mixed"),
        ("salam khobi", "not_fa", "finglish"),
        ("kheili khoob bood merci", "not_fa", "finglish"),
        ("Hello, this is a great article", "not_fa", "latin"),
        ("I installed the app but it does not open at all, دیگه", "not_fa", "latin"),
        ("شكرا جزيلا على هذا التقرير", "not_fa", "arabic"),
        ("هذه المدينة جميلة جدا", "not_fa", "arabic"),
        ("شکریہ", "not_fa", "urdu"),
        ("یہ بہت اچھی خبر ہے", "not_fa", "urdu"),
        ("دا ډېر ښه راپور دی", "not_fa", "pashto"),
        ("ئەمە هەواڵێکی باشە", "not_fa", "kurdish"),
        ("😀😀👍", "not_fa", "emoji_only"),
        ("12345", "not_fa", "digits_only"),
        ("https://example.com", "not_fa", "url_only"),
        ("Привет, как дела у тебя", "not_fa", "other_script"),
    ],
)
def test_detect_language(text: str, label: str, reason: str, detector: LangdetectDetector, lexicon: Lexicon) -> None:
    result = detect_language(text, detector=detector, lexicon=lexicon)
    assert (result.label, result.reason) == (label, reason)
    assert 0.0 <= result.confidence <= 1.0


@pytest.mark.parametrize("text", ["ممنون", "مرسی", "عالی", "تشکر", "درود", "خدا قوت", "احسنت"])
def test_short_persian_is_never_rejected(text: str, detector: LangdetectDetector, lexicon: Lexicon) -> None:
    assert detect_language(text, detector=detector, lexicon=lexicon).label == "fa"


def test_detector_is_deterministic_in_process(detector: LangdetectDetector) -> None:
    text = "متن کوتاهی برای آزمایش"
    assert detector(text) == detector(text)


_SCRIPT = """
import json, sys
from bot.checks.language import LangdetectDetector, detect_language
d = LangdetectDetector()
texts = ["متن", "نص قصير", "کتاب", "قلم", "سلام علیکم", "xyz"]
print(json.dumps([[d(t), detect_language(t, detector=d).label] for t in texts]))
"""


def test_deterministic_across_processes() -> None:
    runs = [
        subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True, check=True).stdout
        for _ in range(2)
    ]
    assert json.loads(runs[0]) == json.loads(runs[1])
