"""The broad Persian word list kept as hashes: every listed word found, others not, in little memory."""

from __future__ import annotations

import sys

import pytest

from bot.checks.hashed_words import HashedWords
from bot.checks.lexicon import default_lexicon
from bot.checks.wordfile import lines

WORDS = ["کتاب", "کتابخانه", "می‌رود", "دانشگاه", "خیابان", "رفتند"]


@pytest.mark.parametrize("word", WORDS)
def test_a_listed_word_is_found(word: str) -> None:
    assert word in HashedWords(WORDS)


@pytest.mark.parametrize("word", ["کتابها", "کتا", "دانشگا", "", "book", "کتاب "])
def test_a_word_not_listed_is_not_found(word: str) -> None:
    assert word not in HashedWords(WORDS)


def test_only_strings_are_members() -> None:
    words = HashedWords(["1", "کتاب"])
    assert 1 not in words
    assert None not in words
    assert hash("کتاب") not in words


def test_duplicates_count_once() -> None:
    assert len(HashedWords(["کتاب", "کتاب", "قلم"])) == 2


def test_the_shipped_list_is_all_found_in_a_tenth_of_a_frozensets_memory() -> None:
    listed = list(lines("fa_lexicon.txt"))
    broad = default_lexicon().language.persian_broad
    assert isinstance(broad, HashedWords)
    assert len(broad) == len(set(listed)) > 100_000
    assert all(word in broad for word in listed)
    as_strings = sys.getsizeof(frozenset(listed)) + sum(sys.getsizeof(w) for w in listed)
    assert broad.nbytes * 10 < as_strings
