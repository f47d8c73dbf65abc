"""Persian text normalisation: a clean form to store and show, a folded form to match on."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import lru_cache

from bot.checks.lookalike import base_letters, latin_homoglyphs

ZWNJ = "\u200c"
ZWJ = "\u200d"

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_LATIN = str.maketrans(_PERSIAN_DIGITS + _ARABIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789" + _ARABIC_DIGITS, _PERSIAN_DIGITS * 2)


def replacer(table: Mapping[int, str | int | None]) -> Callable[[str], str]:
    """`str.translate` with a `str.maketrans` table, as one regex over the table's characters.

    The same result, but `translate` with a dict looks up every character of a non-ASCII text
    (~0.15 µs each); the regex skips the text in C and touches only the characters it replaces,
    and returns the text itself when there are none (most comments for most tables)."""
    mapping = {chr(k): v if isinstance(v, str) else "" if v is None else chr(v) for k, v in table.items()}
    pattern = re.compile("[" + "".join(re.escape(c) for c in sorted(mapping)) + "]")

    def replace(text: str) -> str:
        if not pattern.search(text):
            return text
        return pattern.sub(lambda m: mapping[m.group()], text)

    return replace


_latin = replacer(_TO_LATIN)

# Characters people type where a zero-width non-joiner is meant.
_ZWNJ_LOOKALIKES = "\u200b\u00ad\u2060\ufeff\u200c"
_ZWNJ_RUN = re.compile(f"[{_ZWNJ_LOOKALIKES}]{{2,}}")
_KEEP_CONTROLS = frozenset("\n\t" + ZWNJ)

# Letter folding for matching only: Arabic and regional forms to the Persian letter a reader sees.
_FOLD = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ې": "ی",
        "ۍ": "ی",
        "ك": "ک",
        "ڪ": "ک",
        "ګ": "گ",
        "ة": "ه",
        "ۀ": "ه",
        "ە": "ه",
        "ھ": "ه",
        "ہ": "ه",
        "ۃ": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ؤ": "و",
        "ٶ": "و",
        "ۆ": "و",
        "ۇ": "و",
        "ٸ": "ی",
        "ـ": None,  # tatweel
    }
)
_fold_letters = replacer(_FOLD)

_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n){3,}")
_FLOOD = re.compile(r"(\w)\1{2,}")
# Three of any character in a row: what `_FLOOD` (and the spam check's floods) need to match at all,
# found ~3x faster (no letter test at each character); most texts have none.
TRIPLE = re.compile(r"(.)\1\1", re.DOTALL)
_MULTI_ZWNJ = re.compile(ZWNJ + "{2,}")
_ZWNJ_EDGE = re.compile(rf"[ \t]*{ZWNJ}[ \t]+|[ \t]+{ZWNJ}[ \t]*|^{ZWNJ}+|{ZWNJ}+$", re.MULTILINE)
# What `_ZWNJ_EDGE` needs to match at all: a ZWNJ beside a space, a tab or a line's edge.
_ZWNJ_EDGE_PAIRS = tuple(f"{a}{b}" for c in " \t\n" for a, b in ((c, ZWNJ), (ZWNJ, c)))


def _zwnj_at_edge(text: str) -> bool:
    return text.startswith(ZWNJ) or text.endswith(ZWNJ) or any(pair in text for pair in _ZWNJ_EDGE_PAIRS)


_NUMBER = re.compile(r"[+-]?\d+")
_STRIP_AROUND_NUMBER = " \t\n\r\u00a0\u200c\u200b\u200e\u200f\ufeff\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e"


def to_latin_digits(text: str) -> str:
    """Persian (۱۲) and Arabic-Indic (١٢) digits to ASCII digits."""
    return _latin(text)


def to_persian_digits(text: str) -> str:
    """ASCII and Arabic-Indic digits to Persian digits, for showing numbers to readers."""
    return text.translate(_TO_PERSIAN)


def parse_number(text: str) -> int | None:
    """The whole number a reader typed in any digits («۱۵», «١٥», «15», with spaces), or None."""
    candidate = to_latin_digits(text).strip(_STRIP_AROUND_NUMBER)
    if not _NUMBER.fullmatch(candidate):
        return None
    return int(candidate)


def _is_arabic_letter(char: str) -> bool:
    return "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" or "\ufb50" <= char <= "\ufefc"


_MAYBE_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]"
)


# A ZWNJ without an Arabic letter (`_is_arabic_letter`) on each side: the loop below drops it.
_LOOSE_ZWNJ = re.compile(
    f"(?<![\u0600-\u06ff\u0750-\u077f\ufb50-\ufefc]){ZWNJ}|{ZWNJ}(?![\u0600-\u06ff\u0750-\u077f\ufb50-\ufefc])"
)


def _only_joining_zwnj(text: str) -> bool:
    """Whether the loop of `_drop_controls` would give the text back unchanged because its only
    controls are ZWNJs between Arabic letters (most Persian texts with any control at all): without
    them, tabs and newlines, the text is printable (so no Cc, Cf, Cs, Zl or Zp character is left)."""
    return text.replace(ZWNJ, "").replace("\n", "").replace("\t", "").isprintable() and not _LOOSE_ZWNJ.search(text)


def _drop_controls(text: str) -> str:
    if not _MAYBE_CONTROL.search(text) or _only_joining_zwnj(text):
        return text
    return _controls_dropped(text)


def _controls_dropped(text: str) -> str:
    """`_drop_controls` the long way, character by character."""
    text = _ZWNJ_RUN.sub(ZWNJ, text)
    out: list[str] = []
    last = len(text) - 1
    for i, char in enumerate(text):
        if char in _ZWNJ_LOOKALIKES:
            before = text[i - 1] if i > 0 else ""
            after = text[i + 1] if i < last else ""
            if before and after and _is_arabic_letter(before) and _is_arabic_letter(after):
                out.append(ZWNJ)
            continue
        if char == ZWJ:
            # Kept only inside emoji sequences (👨‍👩‍👧), where it is part of the picture.
            before = text[i - 1] if i > 0 else ""
            after = text[i + 1] if i < last else ""
            if before and after and not before.isalnum() and not after.isalnum() and not before.isspace():
                out.append(char)
            continue
        if char in _KEEP_CONTROLS:
            out.append(char)
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs"):
            continue
        if category in ("Zl", "Zp"):
            out.append("\n")
            continue
        out.append(char)
    return "".join(out)


@lru_cache(maxsize=4096)
def clean_text(raw: str) -> str:
    """What the author wrote, minus invisible control and bidi characters and runs of blank lines."""
    text = base_letters(unicodedata.normalize("NFC", raw.replace("\r\n", "\n")))
    text = _drop_controls(text)
    if ZWNJ in text:
        text = _MULTI_ZWNJ.sub(ZWNJ, text)
    if ZWNJ in text and _zwnj_at_edge(text):
        text = _ZWNJ_EDGE.sub(lambda m: " " if any(c.isspace() for c in m.group()) else "", text)
    text = _BLANK_LINES.sub("\n\n\n", text)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip()


# Every combining mark (diacritics: ـَ ـِ ـُ ـّ, accents) in the Basic Multilingual Plane, as one class.
_COMBINING = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c))) + "]"
)


# Characters every step of `fold` leaves as they are (NFKC-stable, not in `_FOLD`, not combining, no
# digits to convert, no upper case, no look-alikes), none composing with another: a text of these
# alone is already folded (most Persian words).
_FOLDED = frozenset("ءابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیئ" + " \n" + ZWNJ + "،؛؟«»"
                    + "abcdefghijklmnopqrstuvwxyz0123456789.,!?:;()-'\"")
_NOT_FOLDED = re.compile("[^" + "".join(re.escape(c) for c in sorted(_FOLDED)) + "]")  # searched in C


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Letters folded for matching: Arabic forms, hamza carriers, diacritics, tatweel, case, digits."""
    if not _NOT_FOLDED.search(text):  # `_FOLDED.issuperset(text)` without a str object per character
        return text
    text = _fold_letters(unicodedata.normalize("NFKC", text))
    if not text.isascii():
        text = _COMBINING.sub("", text)
    return latin_homoglyphs(to_latin_digits(text).lower())


def collapse_floods(text: str) -> str:
    """A letter held down three times or more («عالیییی») becomes one."""
    return _FLOOD.sub(r"\1", text) if TRIPLE.search(text) and _FLOOD.search(text) else text


@lru_cache(maxsize=4096)
def normalize(raw: str) -> str:
    """The matching form: cleaned, folded, ZWNJ joined, floods collapsed, one space between words."""
    text = fold(clean_text(raw)).replace(ZWNJ, "")
    text = collapse_floods(text)
    return " ".join(text.split())


_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_VERB_PREFIX_TOKENS = frozenset({"می", "نمی"})


def tokenize(normalized: str) -> list[str]:
    """Words of a normalised text; a detached «می»/«نمی» is joined to the verb after it."""
    return list(_tokens(normalized))


@lru_cache(maxsize=4096)
def _tokens(normalized: str) -> tuple[str, ...]:
    """`tokenize`, memoised: the review, the relevance check and the learned model read the same text."""
    raw = _TOKEN.findall(normalized)
    if _VERB_PREFIX_TOKENS.isdisjoint(raw):
        return tuple(raw)  # no detached «می»/«نمی»: nothing to join
    tokens: list[str] = []
    i = 0
    while i < len(raw):
        token = raw[i]
        if token in _VERB_PREFIX_TOKENS and i + 1 < len(raw) and not raw[i + 1].isdigit():
            tokens.append(token + raw[i + 1])
            i += 2
            continue
        tokens.append(token)
        i += 1
    return tuple(tokens)


_SUFFIXES_LONG = ("هایشان", "هایتان", "هایمان", "هایش", "هایم", "هایی", "های", "ها")
_SUFFIXES = ("ترین", "تر", "شان", "تان", "مان", "شون", "تون", "مون", "ات", "ان", "اش", "ام", "ای", "یی", "ی")


def _longest_first(endings: tuple[str, ...]) -> tuple[tuple[int, frozenset[str]], ...]:
    return tuple((n, frozenset(e for e in endings if len(e) == n)) for n in sorted({len(e) for e in endings}, reverse=True))


# The endings by length, longest first: no two endings of a list that a word can both end in have
# the shorter first in the list, so this finds the ending the list order finds, a set look-up a length.
_STEM_ENDINGS = ((_longest_first(_SUFFIXES_LONG), 3), (_longest_first(_SUFFIXES), 4))


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """Light Persian stemming: verb prefixes می/نمی, plural, possessive and comparative endings."""
    word = token
    if len(word) >= 5 and word.startswith("نمی"):
        word = word[3:]
    elif len(word) >= 4 and word.startswith("می"):
        word = word[2:]
    size = len(word)
    for endings, keep in _STEM_ENDINGS:
        for n, same_length in endings:
            if size - n >= keep and word[-n:] in same_length:
                return word[:-n]
    return word


def clear_caches() -> None:
    """Forget every memoised normalisation (for benchmarks that must time cold text)."""
    from bot.checks.insult_lists import insult_key
    from bot.checks.insult_words import clear_word_hits
    from bot.checks.language import clear_word_scripts
    from bot.checks.language_cues import clear_word_cues
    from bot.checks.learned import word_features
    from bot.checks.wordfile import match_form

    for cached in (clean_text, fold, normalize, _tokens, stem, match_form, insult_key, word_features):
        cached.cache_clear()
    clear_word_cues()
    clear_word_scripts()
    clear_word_hits()
