from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.checks.normalize import (
    clean_text,
    normalize,
    parse_number,
    stem,
    to_latin_digits,
    to_persian_digits,
    tokenize,
)

BIDI_AND_ZERO_WIDTH = "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("۱۵", 15),
        ("١٥", 15),
        ("15", 15),
        ("  ۱۵  ", 15),
        ("\u200f۷\u200e", 7),
        ("۱۵ تا", None),
        ("", None),
        ("abc", None),
    ],
)
def test_parse_number(raw: str, expected: int | None) -> None:
    assert parse_number(raw) == expected


def test_digit_helpers() -> None:
    assert to_latin_digits("۱۴۰۳/٠٥") == "1403/05"
    assert to_persian_digits("12 و ١٣") == "۱۲ و ۱۳"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("كتاب هاي خوب", "کتاب های خوب"),
        ("مدرسة", "مدرسه"),
        ("أب إن آب", "اب ان اب"),
        ("عالـــــی", "عالی"),
        ("سَلامٌ", "سلام"),
        ("می‌خواهم", "میخواهم"),
        ("عالیییییی", "عالی"),
        ("ABC ۱۲", "abc 12"),
    ],
)
def test_normalize_folds(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("سلام\u200f دنیا\u202e", "سلام دنیا"),
        ("کتاب\u200bها", "کتاب\u200cها"),  # a zero-width space between letters is a ZWNJ
        ("کتاب\u200c\u200cها", "کتاب\u200cها"),
        ("a\n\n\n\n\n\nb", "a\n\n\nb"),
        ("  سلام  ", "سلام"),
        ("\ufeffسلام", "سلام"),
        ("كتاب", "كتاب"),  # what the author wrote is kept
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_tokenize_joins_detached_verb_prefix() -> None:
    assert tokenize(normalize("نمی خوام بیام")) == ["نمیخوام", "بیام"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [("کتابها", "کتاب"), ("بزرگترین", "بزرگ"), ("میخوانم", "خوانم"), ("ایران", "ایران"), ("استان", "استان")],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


@given(st.text())
def test_clean_text_idempotent_and_strips_bidi(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert not any(c in once for c in BIDI_AND_ZERO_WIDTH)


@given(st.text())
def test_normalize_idempotent(text: str) -> None:
    once = normalize(text)
    assert normalize(once) == once
    assert not any(c in once for c in BIDI_AND_ZERO_WIDTH)


@given(st.text(alphabet=st.sampled_from("سلامكيةۀ\u200c\u200f\u202e \n۱2٣ـًًabc😀")))
def test_persian_heavy_text_never_raises(text: str) -> None:
    normalize(text)
    tokenize(normalize(text))
