"""Issue 14's named misses and false positives, one row each, in sentences written for Khabar."""

from __future__ import annotations

import pytest

from bot.checks.insults import find_insults
from bot.checks.language import LangdetectDetector, detect_language
from bot.checks.lexicon import Lexicon
from bot.checks.policy import Policy
from bot.checks.review import review
from bot.checks.spam import AuthorHistory

# Insults the checks missed on real comments: the issue's own examples and sentences like them.
MISSED_INSULTS = [
    "میمون دلقک",
    "وزغ",
    "پشکل",
    "عفریته",
    "پیر حقه باز",
    "هیچ گه نيستي",
    "بس که کثیفی تو",
    "نفرین برتو",
    "🖕🖕🖕",
    "تو یه وزغی",
    "ای گوساله برو کنار",
    "خاک بر سرتان با این مدیریت",
    "لعنت به روحت که این کار را کردی",
    "تف به ذاتت",
    "مرده شور این قیافه رو ببرن",
    "ک*ث*ا*ف*ت",
    "ﮐﺜﺎﻓﺖ",  # presentation forms
    "گم شید بی غیرتا",
    "خفه شو دیگه",
    "شما اراذل فقط بلدید حرف بزنید",
]

# Clean sentences in which an insult word means something else (or names a book).
CLEAN = [
    "این فیلم تا مدت‌ها در ذهنم می‌مونه",
    "یه چیزی تو دلم میمونه از این داستان",
    "گوشت گوساله‌اش نرم بود و خوشمزه",
    "کباب گوساله و جوجه هر دو عالی بودند",
    "استیک گاو خیلی خوب پخته شده بود",
    "شیر گاو تازه و پنیرش عالی بود",
    "پسرم اولش نفهمید چطور روشنش کنه",
    "هر کی این گوشی رو می خره پشیمون نمیشه",
    "مادرم هم یکی می‌خره",
    "زنی که نقش مادر را بازی کرد عالی بود",
    "کتاب ابله داستایفسکی شاهکار است",
    "رمان بیشعوری را دو بار خواندم",
    "سرزمین‌های اشغالی در خبر امروز",
    "لعنت به این ترافیک",
    "خوک‌های وحشی به مزرعه حمله کردند",
    "مثل خر کار می‌کنیم و حقوق نمی‌گیریم",
    "اون می گه هی این میگه",
    "x",
]

PERSIAN_DECORATED = [
    "خیــلے قــشــنگـ بـود",
    "مرسے از همه خیلے خوب بود",
    "ﺧﯿﻠﯽ ﺧﻮﺏ ﺑﻮﺩ ﻣﻤﻨﻮﻥ",  # Persian in presentation forms
    "خبر خوبیە، خیلی ممنون از شما",  # Kurdish-keyboard «ە» for «ه»
]

NOT_PERSIAN = [
    "هيا ادخل",
    "كوني قوية",
    "وين رايح يا حبيبي",
    "شلون صحتك",
    "اللي بدك اياه",
    "یہ اسکول بہت اچھا ہے",
    "آپ کون ہیں",
    "ﯾﮧ ﺑﮩﺖ ﺍﭼﮭﺎ ﮨﮯ",  # Urdu in presentation forms
]

# Finglish insults with Cyrillic or Greek letters in place of Latin ones.
LOOKALIKE_INSULTS = ["аhmаq", "khаk bar sarat", "bіshооr", "аvаzі", "οlagh", "kesаfаt"]


@pytest.mark.parametrize("text", MISSED_INSULTS)
def test_insult_is_caught(text: str, lexicon: Lexicon) -> None:
    assert find_insults(text, lexicon)


@pytest.mark.parametrize("text", CLEAN)
def test_other_sense_is_not_an_insult(text: str, lexicon: Lexicon) -> None:
    assert find_insults(text, lexicon) == ()


@pytest.mark.parametrize("text", PERSIAN_DECORATED)
def test_decorated_persian_is_persian(text: str, lexicon: Lexicon, detector: LangdetectDetector) -> None:
    assert detect_language(text, detector=detector, lexicon=lexicon).label == "fa"


@pytest.mark.parametrize("text", NOT_PERSIAN)
def test_arabic_and_urdu_are_not_persian_nor_insults(
    text: str, lexicon: Lexicon, detector: LangdetectDetector
) -> None:
    verdict = review(text, None, AuthorHistory(), Policy(), detector=detector, lexicon=lexicon)
    assert verdict.language.label == "not_fa"
    assert verdict.codes == ("not_persian",)
    assert not verdict.insult


@pytest.mark.parametrize("text", LOOKALIKE_INSULTS)
def test_lookalike_letters_are_read(text: str, lexicon: Lexicon) -> None:
    assert find_insults(text, lexicon)


def test_spelled_out_insult_is_an_insult_not_foreign(lexicon: Lexicon, detector: LangdetectDetector) -> None:
    verdict = review("ک*ث*ا*ف*ت", None, AuthorHistory(), Policy(), detector=detector, lexicon=lexicon)
    assert verdict.language.label == "fa"
    assert verdict.codes == ("insult",)
    assert verdict.decision == "review"


def test_single_latin_letter_is_not_an_insult(lexicon: Lexicon, detector: LangdetectDetector) -> None:
    verdict = review("x", None, AuthorHistory(), Policy(), detector=detector, lexicon=lexicon)
    assert "insult" not in verdict.codes
