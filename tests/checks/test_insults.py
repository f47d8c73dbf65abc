from __future__ import annotations

import pytest

from bot.checks.insults import check_insults, find_insults
from bot.checks.lexicon import Lexicon
from bot.checks.normalize import normalize, tokenize


@pytest.mark.parametrize(
    "text",
    [
        "تو احمقی",
        "ا ح م ق",
        "احمققققق",
        "اح.مق",
        "ا*حمق",
        "اح\u200cمق",
        "ahmagh",
        "to kheili ahmaghi",
        "olagh",
        "kesafat",
        "تو یه ahmagh هستی",
        "كثافت",  # Arabic kaf
        "تو خری",
        "خره",
        "گاو نفهم",
        "خاک بر سرت",
        "ک.ث.ا.ف.ت",
    ],
)
def test_insults_caught(text: str, lexicon: Lexicon) -> None:
    assert find_insults(text, lexicon), text


@pytest.mark.parametrize(
    "text",
    [
        "کسب و کار مردم آسیب دیده",
        "قیمت مناسب نیست",
        "هر کس مقصر است جواب بدهد",
        "کسانی که رعایت نمی‌کنند",
        "خرید خانه سخت شده",
        "خرما گران شد",
        "گوشت قرمز کمیاب است",
        "استیون سگال بازیگر است",
        "جان کیری وزیر خارجه بود",
        "قیمت گوشت گاو بالا رفت",
        "کشتی در اسکله پهلو گرفت",
        "خرم‌آباد زیباست",
        "روز حشر",
        "the class was fine",
        "kon kar khodet ro",
    ],
)
def test_clean_words_containing_insult_substrings(text: str, lexicon: Lexicon) -> None:
    assert not find_insults(text, lexicon), text


@pytest.mark.parametrize(
    ("text", "accused"),
    [
        ("این وزیر دزد است", True),
        ("مسئولین همه اختلاسگرن", True),
        ("این آقا رشوه گرفته", True),
        ("آقای محمدی فاسد است", True),
        ("محمدی دروغگو است", True),  # a name from the article
        ("دزد به خانه همسایه زد", False),
        ("وزیر نیرو امروز سخنرانی کرد", False),
    ],
)
def test_accusation(text: str, accused: bool, lexicon: Lexicon) -> None:
    result = check_insults(text, tokenize(normalize(text)), lexicon, names={"محمدی"})
    assert result.accusation is accused
