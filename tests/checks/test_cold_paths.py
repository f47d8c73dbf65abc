"""The second round of shortcuts (cold caches, issue 14) gives what the long way gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.checks.lexicon import default_lexicon
from bot.checks.normalize import ZWNJ
from tests.checks.check_modules import cues, insult_words, insults, language, normalize, spam

_ALPHABET = (
    "abcz09۱٠ یيكکةۀهأآؤـاىېھہےۓەبتمنپچژگښڼټ"
    f"{ZWNJ}\u200b\u200d\u00ad\ufeff\u2028\u0890\U000110bd .*:/@!-_\t\n"
    "аеоα🖕🤮🐷😀"
)
texts = st.text(alphabet=_ALPHABET, max_size=40)
_FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "insult_bench.json").read_text(encoding="utf-8"))
_FIXTURE_TEXTS = [t for v in _FIXTURES.values() if isinstance(v, list) for t in v if isinstance(t, str)]


@given(texts)
def test_zwnj_only_gate_gives_what_the_loop_gives(text: str) -> None:
    if normalize._only_joining_zwnj(text):
        assert normalize._controls_dropped(text) == text


def test_zwnj_between_arabic_letters_skips_the_loop_and_loose_ones_do_not() -> None:
    assert normalize._only_joining_zwnj(f"می{ZWNJ}خواهم")
    assert not normalize._only_joining_zwnj(f"{ZWNJ}خواهم")
    assert not normalize._only_joining_zwnj(f"می{ZWNJ}{ZWNJ}خواهم")
    assert not normalize._only_joining_zwnj(f"می{ZWNJ}خواهم\U000110bd")  # a format control past the BMP
    assert normalize.clean_text(f"می{ZWNJ}خواهم") == f"می{ZWNJ}خواهم"


@given(texts)
def test_not_folded_search_is_the_superset_test(text: str) -> None:
    assert (normalize._NOT_FOLDED.search(text) is None) == normalize._FOLDED.issuperset(text)


@given(st.text(alphabet="aab!!..ححح\n \t", max_size=30))
def test_triple_gate_misses_no_flood(text: str) -> None:
    if not normalize.TRIPLE.search(text):
        assert normalize._FLOOD.search(text) is None
        assert spam._CHAR_FLOOD.search(text) is None


def test_floods_still_found() -> None:
    assert normalize.collapse_floods("عالییییی") == "عالی"
    assert spam.find_spam("!" * 15).flood


@given(texts)
def test_arabic_letter_gate_means_every_word_is_arabic(text: str) -> None:
    if not language._NOT_ARABIC_LETTER.search(text):
        assert all(language._word_script.__wrapped__(w) == "arabic" for w in language._WORD.findall(text))


@given(st.text(alphabet=f"ابپ a*.- {ZWNJ}", max_size=24))
def test_spelling_gate_misses_no_spelt_word(text: str) -> None:
    if not language._may_spell(language._WORD.findall(text), text):
        assert language._SPELLED.search(text) is None


def test_spelt_words_still_read() -> None:
    assert language._may_spell(language._WORD.findall("ک ث ا ف ت"), "ک ث ا ف ت")
    assert language.detect_language("ک*ث*ا*ف*ت بود").label == language.detect_language("کثافت بود").label


def test_emoji_are_all_past_the_basic_plane() -> None:
    assert all(ord(c) > 0xFFFF for c in insults._ANY_EMOJI)
    assert insults.find_insults("🖕", default_lexicon()) == ("🖕",)


def _summed(words: list[str], lex: Any) -> tuple[object, ...]:
    """The evidence of `collect` the long way: each word's row, its columns added up in order."""
    rows = [cues._word_cues(w, lex) for w in words]
    foreign: dict[str, float] = {}
    for row in rows:
        for lang, weight in (row[7] or {}).items():
            foreign[lang] = foreign.get(lang, 0.0) + weight
    columns = list(zip(*rows, strict=True))[:7] if rows else [()] * 7
    persian, strong, letters, arabic, arabic_strong, unknown, foreign_words = columns
    return (len(words), sum(persian, 0.0), sum(strong), sum(letters), sum(arabic, 0.0), sum(arabic_strong, 0.0),
            sum(unknown), foreign, sum(foreign_words))


def _of(c: Any) -> tuple[object, ...]:
    return (c.words, c.persian, c.persian_strong, c.persian_letters, c.arabic, c.arabic_strong, c.unknown, c.foreign,
            c.foreign_words)


@pytest.mark.parametrize("cold", [True, False])
def test_packed_cues_add_up_like_the_rows(cold: bool) -> None:
    lex = default_lexicon().language
    for text in [*_FIXTURE_TEXTS, "کښتە آلماني", "خیلے قشنگ بود", "کے ہے میں", "من ما كوني هيا", ""]:
        words = language._WORD.findall(text)
        if cold:
            cues.clear_word_cues()
        found = _of(cues.collect(words, lex))
        assert found == _summed(words, lex)
        assert [type(v) for v in found] == [type(v) for v in _summed(words, lex)]


def test_function_word_gate_is_the_lists() -> None:
    lex = default_lexicon().language
    for word in [*sorted(lex.urdu)[:50], *sorted(lex.pashto)[:50], *sorted(lex.kurdish)[:50], "کتاب", "من"]:
        expected = {lang for lang, listed in (("urdu", lex.urdu), ("pashto", lex.pashto), ("kurdish", lex.kurdish),
                                              ("uyghur", lex.uyghur)) if word in listed}
        assert cues._function_languages(word, lex) == expected


def test_token_first_tests_answer_what_the_look_ups_answer() -> None:
    lists = default_lexicon().insults
    tokens = {t for text in _FIXTURE_TEXTS for t in insults._TOKEN.findall(normalize.fold(text))}
    tokens |= {w + end for w in sorted(lists.words)[:200] for end in ("", "ی", "ها", "تون", "س")}
    tokens |= {"پیرکفتار", "میمونه", "گاوی", "خارکسده‌ها", "jakeshi", "fuckers"}
    for token in sorted(tokens):
        insult_words.clear_word_hits()
        key, hit, context = insult_words.token_info(token, lists)
        assert key == insult_words.insult_key(token)
        assert hit == insult_words.word_hit(key, token, lists)
        assert context == insult_words.contextual_stem(key, lists)


def test_token_infos_memo_and_long_way_agree() -> None:
    lists = default_lexicon().insults
    tokens = ["تو", "گاوی", "کثافت", "کتاب", "گاوی"]
    insult_words.clear_word_hits()
    cold = insult_words.token_infos(tokens, lists)
    assert cold == insult_words.token_infos(tokens, lists) == [insult_words.token_info(t, lists) for t in tokens]
    assert cold[2][1] == "کثافت" and cold[1][2] == "گاو" and cold[3] == ("کتاب", None, None)


def test_clear_caches_forgets_word_scripts_too() -> None:
    language._word_script("abc")
    normalize.clear_caches()
    assert language._word_script.cache_info().currsize == 0


@given(st.lists(st.text(alphabet="کتابمیند", min_size=1, max_size=5), max_size=40),
       st.text(alphabet="کتابمیند", max_size=6))
def test_hashed_words_buckets_answer_like_a_set(listed: list[str], word: str) -> None:
    from bot.checks.hashed_words import HashedWords

    assert (word in HashedWords(listed)) == (word in set(listed))


def test_hashed_words_buckets_hold_every_word_of_a_large_list() -> None:
    from bot.checks.hashed_words import HashedWords

    listed = [f"کلمه{i}" for i in range(0, 40_000, 2)]  # their hashes spread over every bucket
    words = HashedWords(listed)
    assert all(w in words for w in listed)
    assert not any(f"کلمه{i}" in words for i in range(1, 40_000, 2))
    assert list(words._starts) == sorted(words._starts) and words._starts[-1] == len(words)


def _letter_languages_long_way(word: str) -> set[str]:
    langs: set[str] = set()
    if word.startswith("ئ") and len(word) >= 3:
        langs.update(("kurdish", "uyghur"))
    if "ى" in word[:-1]:
        langs.add("uyghur")
    for char in word:
        langs.update(cues.LETTER_LANGUAGES.get(char, ()))
    return langs


@given(st.text(alphabet="ئىیکبتهەےڼښھ", max_size=6))
def test_foreign_letter_gate_gives_what_each_test_gives(word: str) -> None:
    assert cues._letter_languages(word) == _letter_languages_long_way(word)


@given(st.text(alphabet="یکپگبتاهيكةأىن", min_size=1, max_size=6))
def test_a_word_typed_on_a_persian_keyboard_has_no_arabic_evidence(word: str) -> None:
    lex = default_lexicon().language
    if not cues._PERSIAN_KEYBOARD.isdisjoint(word):
        assert cues._arabic(word, cues.lite_form(word), lex, False, False) == (0.0, 0.0)
