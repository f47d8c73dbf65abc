"""The shortcuts of the checks give what the long way gives: each gate and table against its reference."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.checks.normalize import ZWNJ
from tests.checks.check_modules import insult_lists, insults, language, normalize, spam

# Letters, digits of three scripts, the folded Arabic forms, look-alike controls, link and phone punctuation.
_ALPHABET = (
    "abcemorstwxz0123456789۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩"
    "یيكکةۀهأإآؤـاىۍېھہۃٱٲٶۆۇٸڪګبتمن"
    f"{ZWNJ}\u200b\u200d\u00ad\ufeff .:/@+-\t\n"
    "аеорсαο"
)
texts = st.text(alphabet=_ALPHABET, max_size=60)


@given(texts)
def test_replacer_is_translate(text: str) -> None:
    for table in (normalize._FOLD, normalize._TO_LATIN, normalize._TO_PERSIAN):
        assert normalize.replacer(table)(text) == text.translate(table)


def test_replacer_returns_text_untouched_without_its_characters() -> None:
    text = "سلام دنیا"
    assert normalize.replacer(normalize._TO_LATIN)(text) is text


@given(texts)
def test_zwnj_edge_gate_misses_nothing(text: str) -> None:
    if not normalize._zwnj_at_edge(text):
        assert normalize._ZWNJ_EDGE.search(text) is None


@given(st.text(alphabet=_ALPHABET + "ڈےچژ\u00e9\u0400\u4e00", max_size=12))
def test_word_script_counts_like_the_per_letter_rule(word: str) -> None:
    counts = {"arabic": 0, "latin": 0, "other": 0}
    for char in word:
        counts[language._script(char)] += 1
    assert language._word_script.__wrapped__(word) == max(counts, key=lambda k: counts[k])


@given(texts)
def test_language_link_gate_misses_no_link(text: str) -> None:
    if not language._URL_CUE.search(text):
        assert language._URL.search(text) is None


@given(texts)
def test_spam_gates_miss_nothing(text: str) -> None:
    latin = normalize.to_latin_digits(text)
    found = spam.find_spam(text)
    assert found.invite_links == tuple(m.group() for m in spam._INVITE.finditer(latin))
    assert found.links == tuple(m.group() for m in spam._URL.finditer(latin))
    assert found.mentions == tuple(m.group() for m in spam._MENTION.finditer(latin))
    assert found.phones == tuple(m.group() for m in spam._PHONE.finditer(spam._PHONE_GLUE.sub("", latin)))


def test_spam_still_finds_links_mentions_and_phones() -> None:
    found = spam.find_spam("ببینید t . me/+abc و site.ir و @khabar_news و ۰۹۱۲۳۴۵۶۷۸۹")
    assert found.invite_links and found.links and found.mentions == ("@khabar_news",)
    assert found.phones == ("09123456789",)


def _stem_in_list_order(token: str) -> str:
    word = token
    if len(word) >= 5 and word.startswith("نمی"):
        word = word[3:]
    elif len(word) >= 4 and word.startswith("می"):
        word = word[2:]
    for suffix in normalize._SUFFIXES_LONG:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    for suffix in normalize._SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


_ENDINGS = sorted(set(normalize._SUFFIXES_LONG + normalize._SUFFIXES))


@given(st.text(alphabet="کتابمیندرهاشی", max_size=6), st.lists(st.sampled_from(_ENDINGS), max_size=2))
def test_stem_finds_the_ending_the_list_order_finds(word: str, endings: list[str]) -> None:
    token = word + "".join(endings)
    assert normalize.stem.__wrapped__(token) == _stem_in_list_order(token)


@given(st.text(alphabet="احمققققبب aaz", max_size=12))
def test_squeezing_and_flood_collapse_skip_only_texts_without_runs(text: str) -> None:
    assert insult_lists.insult_key.__wrapped__(text) == insult_lists._RUNS.sub(r"\1", text)
    assert normalize.collapse_floods(text) == normalize._FLOOD.sub(r"\1", text)


@given(st.lists(st.sampled_from(["خوب", "خوبه", "ه", "!", "a.a", "a"]), max_size=14),
       st.lists(st.sampled_from([" ", "  ", "\n", "\u00a0", "\t"]), min_size=14, max_size=14))
def test_word_flood_gate_misses_no_flood(words: list[str], spaces: list[str]) -> None:
    text = "".join(w + s for w, s in zip(words, spaces, strict=False))
    if not spam._may_repeat_words(text):
        assert spam._WORD_FLOOD.search(text) is None


def test_word_flood_still_found() -> None:
    assert spam.find_spam("عالی " * 8).flood
    assert not spam.find_spam("عالی " * 7).flood


def test_filler_characters_are_the_filler_class() -> None:
    in_class = {c for c in map(chr, range(0x3000)) if insults.re.fullmatch(insults._FILLER, c)}
    assert in_class == set(insults._FILLER_CHARS)


def _stem_hit_in_suffix_order(key: str, words: frozenset[str]) -> str | None:
    if key in words:
        return key
    if key[:2] not in {w[:2] for w in words}:
        return None
    for suffix in ("های", "ها", "ان", "ین", "ی", "ه", "ن", "ند", "ست", "ا", "ای"):
        if key.endswith(suffix) and key[: -len(suffix)] in words:
            return key[: -len(suffix)]
    return None


_SOME_WORDS = frozenset({"دزد", "دزدی", "اختلاس", "فاسد", "ن", "رشوه", "وزیر", "وزیرا", "دزدان"})


@given(st.sampled_from([*sorted(_SOME_WORDS), "", "د", "دز", "اخ"]),
       st.lists(st.sampled_from(["های", "ها", "ان", "ین", "ی", "ه", "ن", "ند", "ست", "ا", "ای", "ید", "ز"]), max_size=2))
def test_stem_forms_answer_like_the_suffix_loop(word: str, endings: list[str]) -> None:
    token = word + "".join(endings)
    if token:
        assert insults._stem_hit(token, _SOME_WORDS) == _stem_hit_in_suffix_order(token, _SOME_WORDS)


@given(st.text(alphabet="".join(sorted(normalize._FOLDED)), max_size=30))
def test_already_folded_characters_fold_to_themselves(text: str) -> None:
    normalize.fold.cache_clear()
    assert normalize._FOLDED.issuperset(text)
    unchecked = normalize._fold_letters(normalize.unicodedata.normalize("NFKC", text))
    unchecked = normalize._COMBINING.sub("", unchecked)
    assert normalize.latin_homoglyphs(normalize.to_latin_digits(unchecked).lower()) == text


def test_already_folded_set_holds_no_folded_letter() -> None:
    for char in normalize._FOLDED:
        assert normalize.unicodedata.normalize("NFKC", char) == char
        assert not normalize.unicodedata.combining(char)
        assert ord(char) not in normalize._FOLD and char.lower() == char
