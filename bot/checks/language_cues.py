"""Word-level evidence for telling Persian from the other languages written in Arabic letters."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import cast

from bot.checks.lexicon import LanguageLexicon
from bot.checks.wordfile import lite_form, match_form

ZWNJ = "\u200c"

# Letters Persian never writes, by the languages that do.
FOREIGN_LETTERS: dict[str, str] = {
    "urdu": "ٹڈڑںےۓہۃھ",
    "pashto": "ټډړښګېځڅۍږڼٶڂڒ",
    "kurdish": "ەێۆڵڕڤھ",
    "sindhi": "ڀٻڄڃڇڊڌڍڏڙڦڪڱڳڻ۾ٺٽٿھ",
    "uyghur": "ۇۈۋېۆەھ",
}
LETTER_LANGUAGES: dict[str, tuple[str, ...]] = {}
for _lang, _letters in FOREIGN_LETTERS.items():
    for _letter in _letters:
        LETTER_LANGUAGES[_letter] = (*LETTER_LANGUAGES.get(_letter, ()), _lang)
_FOREIGN_LETTER_SET = frozenset(LETTER_LANGUAGES)
PRIORITY = ("urdu", "pashto", "kurdish", "sindhi", "uyghur")
_PERSIAN_ONLY_LETTERS = frozenset("پچژگ")
_ALEF_MAKSURA = "ى"
_ARABIC_TANWEEN = frozenset("\u064c\u064d")  # ٌ ٍ: Persian writes only ً
_PERSIAN_KEYBOARD = frozenset("یکپچژگ")
_AR_YEH = "ي"
_AR_KAF = "ك"
_FA_KAF = "ک"
_FA_YEH = "ی"


@dataclass(slots=True)
class Cues:
    """Evidence gathered over the words of one text."""

    words: int = 0
    persian: float = 0.0  # weighted: common words, ZWNJ and Persian verb forms 1, the broad lexicon 0.5
    persian_strong: int = 0
    persian_letters: int = 0
    arabic: float = 0.0
    arabic_strong: float = 0.0
    unknown: int = 0
    doubt: float = 0.0  # spelling no Persian keyboard makes, too weak to say which language it is
    foreign: dict[str, float] = field(default_factory=dict)
    foreign_words: int = 0  # function words of another language (not just its letters)

    def add_foreign(self, langs: tuple[str, ...] | set[str], weight: float = 1.0) -> None:
        """One word's worth of evidence for the languages that could have written it."""
        for lang in langs:
            self.foreign[lang] = self.foreign.get(lang, 0.0) + weight / len(langs)

    @property
    def foreign_total(self) -> float:
        """All the non-Persian, non-Arabic evidence together (``fsum``: the same whatever the order in
        which the languages were met, which follows set order and so the process's hash seed)."""
        return math.fsum(self.foreign.values())

    def foreign_language(self) -> str:
        """The likeliest of the foreign languages, ties broken by a fixed order."""
        return max(PRIORITY, key=lambda k: (self.foreign.get(k, 0.0), -PRIORITY.index(k)))


def persian_morphology(folded: str) -> bool:
    """Verb prefixes می/نمی/ب/ن with personal endings, and the superlative ending."""
    if folded.startswith(("نمی", "می")) and len(folded) >= 5:
        return folded.endswith(("م", "ی", "د", "یم", "ید", "ند", "ن", "ه", "ین"))
    if folded.startswith(("ب", "ن")) and folded.endswith(("ید", "ند", "یم")) and len(folded) >= 5:
        return True  # subjunctive and imperative: «بخوانید», «نروند»
    return folded.endswith("ترین") and len(folded) >= 6


# Endings on a known stem. Only Persian writes ش/مان/تان/شان (and spoken مون/تون/شون) as clitics;
# the rest are shared with Arabic spelling (ها، ی، ه) or too short to be sure of alone.
_STRONG_ENDINGS = ("هایشان", "هایتان", "هایمان", "هاشون", "هاتون", "هامون", "هایش", "هاش", "شان", "تان", "مان",
                   "شون", "تون", "مون", "ش")
_WEAK_ENDINGS = ("هایی", "های", "ها", "ترین", "تر", "ای", "ام", "ات", "اش", "یم", "ید", "ند", "ست", "ان", "ی",
                 "م", "ت", "ه")
# Spoken Persian endings: object «رو/و» after a possessive («قیافشو», «دهنتو»), «ارو» («کامنتارو»),
# «س» for «است» («مسخرس»): Persian only, and only on a known word.
_SPOKEN_ENDINGS = ("اشونو", "اشون", "شونو", "تونو", "مونو", "ارو", "شو", "تو", "مو", "رو", "س")


def _by_length(*groups: tuple[str, ...]) -> tuple[tuple[int, frozenset[str]], ...]:
    endings = [e for group in groups for e in group]
    return tuple((n, frozenset(e for e in endings if len(e) == n)) for n in sorted({len(e) for e in endings}))


# Within a weight every ending counts the same, so the endings are looked up by length, not in turn.
_ENDINGS_BY_WEIGHT = ((_by_length(_STRONG_ENDINGS, _SPOKEN_ENDINGS), 1.0), (_by_length(_WEAK_ENDINGS), 0.5))


def known_stem(folded: str, lex: LanguageLexicon) -> float:
    """1 for a known Persian word with a Persian-only clitic, 0.5 with another ending, else 0."""
    size = len(folded)
    for by_length, weight in _ENDINGS_BY_WEIGHT:
        for n, endings in by_length:
            if size - n < 3:
                break
            if folded[-n:] in endings:
                base = folded[:-n]
                if base in lex.persian or base in lex.persian_broad:
                    return weight
    return 0.0


# What any test of `_letter_languages` needs: «ئ» opening three letters or more, «ى» before another
# letter, or a letter Persian never writes. Most words have none: one search, no str per letter.
_MAY_BE_FOREIGN = re.compile("^ئ..|" + _ALEF_MAKSURA + ".|[" + "".join(sorted(_FOREIGN_LETTER_SET)) + "]", re.DOTALL)


def _letter_languages(word: str) -> set[str]:
    langs: set[str] = set()
    if not _MAY_BE_FOREIGN.search(word):
        return langs
    if word.startswith("ئ") and len(word) >= 3:
        langs.update(("kurdish", "uyghur"))  # Persian never opens a word with ئ
    if _ALEF_MAKSURA in word[:-1]:
        langs.add("uyghur")  # ى inside a word is Uyghur's i; Arabic writes it only at the end
    if not _FOREIGN_LETTER_SET.isdisjoint(word):
        for char in word:
            langs.update(LETTER_LANGUAGES.get(char, ()))
    return langs


_FUNCTION_WORDS: dict[int, tuple[LanguageLexicon, frozenset[str]]] = {}


def _function_words(lex: LanguageLexicon) -> frozenset[str]:
    """Every function word of the other languages, for the one look-up most words stop at."""
    entry = _FUNCTION_WORDS.get(id(lex))
    if entry is None or entry[0] is not lex:
        entry = _FUNCTION_WORDS[id(lex)] = (lex, lex.urdu | lex.pashto | lex.kurdish | lex.uyghur)
    return entry[1]


def _function_languages(lite: str, lex: LanguageLexicon) -> set[str]:
    langs: set[str] = set()
    if lite not in _function_words(lex):
        return langs
    for lang, listed in (("urdu", lex.urdu), ("pashto", lex.pashto), ("kurdish", lex.kurdish),
                         ("uyghur", lex.uyghur)):
        if lite in listed:
            langs.add(lang)
    return langs


def _arabic(word: str, lite: str, lex: LanguageLexicon, core: bool, broad: bool) -> tuple[float, float]:
    """(all, strong) Arabic evidence of one word; letters only Arabic spelling uses count double."""
    if not _PERSIAN_KEYBOARD.isdisjoint(word):
        return (0.0, 0.0)  # ی، ک، پ، چ، ژ، گ: no Arabic writer types these
    strong = 0.0
    if "ة" in lite or lite.endswith(_ALEF_MAKSURA) or lite.startswith(("أ", "إ")):
        strong += 2.0
    if lite in lex.arabic and not core:
        strong += 1.0
    weak = strong
    if not core and len(lite) >= 5 and _definite(lite):
        weak = max(weak, 1.0)  # the article «ال»
    elif not broad and (_AR_YEH in word or _AR_KAF in word):
        weak = max(weak, 1.0)  # an unknown word typed on an Arabic keyboard
    return (weak, strong)


def _definite(lite: str) -> bool:
    """The Arabic article «ال» after up to two one-letter proclitics (و، ف، ب، ل، ک): «وبالرغم»."""
    for skip in range(3):
        if lite[skip:].startswith("ال"):
            return skip == 0 or all(c in "وفبلک" for c in lite[:skip])
    return False


# Per lexicon, each word's evidence as a row: persian, persian_strong, persian_letters, arabic,
# arabic_strong, unknown, foreign_words, then its foreign languages (or None).
_Row = tuple[float, int, int, float, float, int, int, "dict[str, float] | None"]
# ...kept packed: the seven numbers as 32-bit fields of one int (the weights, all multiples of 0.5,
# doubled), so that a text's column sums are one `sum` in C; the top field counts the words with
# foreign languages, whose dicts are kept beside.
_FIELD = 32
_MASK = (1 << _FIELD) - 1
_HAS_FOREIGN = 1 << (_FIELD * 7)
_PACKED: dict[int, dict[str, int]] = {}
_FOREIGN: dict[int, dict[str, dict[str, float]]] = {}
_WORD_CUES_MAX = 100_000


def _pack(row: _Row) -> int:
    persian, strong, letters, arabic, arabic_strong, unknown, foreign_words, foreign = row
    return (int(persian * 2) | strong << _FIELD | letters << _FIELD * 2 | int(arabic * 2) << _FIELD * 3
            | int(arabic_strong * 2) << _FIELD * 4 | unknown << _FIELD * 5 | foreign_words << _FIELD * 6
            | (_HAS_FOREIGN if foreign else 0))


def _unpack(total: int, words: int, foreign: dict[str, float]) -> Cues:
    return Cues(words=words, persian=(total & _MASK) / 2, persian_strong=total >> _FIELD & _MASK,
                persian_letters=total >> _FIELD * 2 & _MASK, arabic=(total >> _FIELD * 3 & _MASK) / 2,
                arabic_strong=(total >> _FIELD * 4 & _MASK) / 2, unknown=total >> _FIELD * 5 & _MASK,
                foreign=foreign, foreign_words=total >> _FIELD * 6 & _MASK)


def _packed_row(word: str, lex: LanguageLexicon, known: dict[str, int]) -> int:
    if len(known) >= _WORD_CUES_MAX:
        known.clear()
        _FOREIGN[id(lex)].clear()
    row = _word_cues(word, lex)
    if row[7]:
        _FOREIGN[id(lex)][word] = row[7]
    packed = known[word] = _pack(row)
    return packed


def collect(words: list[str], lex: LanguageLexicon) -> Cues:
    """Weigh every Arabic-script word for Persian, Arabic and the other languages."""
    known = _PACKED.get(id(lex))
    if known is None:
        known = _PACKED[id(lex)] = {}
        _FOREIGN[id(lex)] = {}
    looked_up = list(map(known.get, words))  # in C: most words of a text were met before
    rows = cast("list[int]", looked_up) if None not in looked_up else [
        known[w] if w in known else _packed_row(w, lex, known) for w in words
    ]
    total = sum(rows)
    foreign: dict[str, float] = {}
    if total >= _HAS_FOREIGN:
        foreign_of = _FOREIGN[id(lex)]
        for word, row in zip(words, rows, strict=True):
            if row >= _HAS_FOREIGN:
                langs = foreign_of.get(word) or _word_cues(word, lex)[7] or {}  # (forgotten if the memo filled up)
                for lang, weight in langs.items():
                    foreign[lang] = foreign.get(lang, 0.0) + weight
    return _unpack(total, len(words), foreign)


def clear_word_cues() -> None:
    """Forget the memoised per-word evidence (benchmarks timing cold text)."""
    _PACKED.clear()
    _FOREIGN.clear()


def _foreign_row(langs: tuple[str, ...] | set[str], weight: float, foreign_words: int) -> _Row:
    cues = Cues(words=1)
    cues.add_foreign(langs, weight)
    return (0.0, 0, 0, 0.0, 0.0, 0, foreign_words, cues.foreign)


def _word_cues(word: str, lex: LanguageLexicon) -> _Row:
    """The evidence of one word as a row (memoised by `collect`: words repeat, comments do not)."""
    langs = _letter_languages(word)
    if langs:
        # «بە», «کہ» fold to Persian words, but no Persian writes them so; a function word («کے»,
        # «ہے») of a language that writes that letter settles it.
        listed = _function_languages(lite_form(word), lex) & langs
        return _foreign_row(listed or langs, 3.0 if listed else 2.0, int(bool(listed)))
    folded = match_form(word)
    lite = lite_form(word)
    core = folded in lex.persian
    broad = core or folded in lex.persian_broad
    functions = _function_languages(lite, lex)
    if functions and not core:
        return _foreign_row(functions, 0.5 if broad else 1.0, int(not broad))  # «سره», «کله»: Persian words too
    persian_typed = not _PERSIAN_KEYBOARD.isdisjoint(word)
    if not persian_typed and (_AR_YEH in word or _AR_KAF in word) and lite in lex.arabic:
        # «كوني», «هيا» on an Arabic keyboard: an Arabic word, even if Persian spells it too
        return (0.0, 0, 0, 1.0, 1.0, 0, 0, None)
    shared = core and lite in lex.arabic and not persian_typed  # «من», «ما»: evidence for neither
    letters = int(not _PERSIAN_ONLY_LETTERS.isdisjoint(word))
    if shared:
        return (0.0, 0, letters, 0.0, 0.0, 0, 0, None)
    persian, strong, unknown = 0.0, 0, 0
    if core or ZWNJ in word or persian_morphology(folded):
        persian, strong = 1.0, 1
    elif broad:
        persian = 0.5
    else:
        weight = known_stem(folded, lex)
        persian, strong, unknown = weight, int(weight >= 1.0), int(not weight)
        broad = weight >= 1.0  # «كتابش»: a known word with a Persian-only clitic is not Arabic
    # `_arabic` finds nothing in a word typed on a Persian keyboard (most words): not asked then.
    weak, arabic_strong = (0.0, 0.0) if persian_typed else _arabic(word, lite, lex, core, broad)
    return (persian, strong, letters, weak, arabic_strong, unknown, 0, None)


def arabic_tanween(text: str) -> int:
    """How many ٌ and ٍ a text has: Persian writes only the ً of «واقعاً»."""
    return sum(text.count(mark) for mark in _ARABIC_TANWEEN)


def keyboard_mix(text: str) -> float:
    """Arabic ي beside Persian ک and no Arabic ك (1: Pashto and Sindhi spelling, no single keyboard's),
    or beside Persian ی (0.5: Pashto too, but also Persian pasted from two sources)."""
    if _AR_YEH not in text or _AR_KAF in text:
        return 0.0
    return 1.0 if _FA_KAF in text else 0.5 if _FA_YEH in text else 0.0
