"""Is a comment written in Persian, in Persian letters? Script rules first, langdetect for the rest."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol

from bot.checks.language_cues import Cues, arabic_tanween, collect, keyboard_mix
from bot.checks.lexicon import LanguageLexicon, Lexicon, default_lexicon, match_form
from bot.checks.lookalike import DECORATIVE, persian_reading
from bot.checks.normalize import ZWNJ, clean_text

LanguageLabel = Literal["fa", "not_fa", "uncertain"]


@dataclass(frozen=True, slots=True)
class LanguageResult:
    """What language a comment is in, why we think so, and how sure we are (0–1)."""

    label: LanguageLabel
    reason: str
    confidence: float


class LanguageDetector(Protocol):
    """A statistical detector: language codes with probabilities, best first."""

    def __call__(self, text: str) -> Sequence[tuple[str, float]]: ...


# The detector is asked only about texts in Arabic script that the script and word rules left undecided
# (`_ask_detector`), and only its answers Persian, Arabic and Urdu change an outcome; of langdetect's 55
# profiles only these three are written in that script. Loading just them takes ~3 MB instead of ~63 MB
# and gave the same label on every text of the dev sets (7,566 texts).
DETECTOR_LANGUAGES = ("fa", "ar", "ur")


class LangdetectDetector:
    """langdetect with its profiles loaded once and a fixed seed, so answers never vary."""

    def __init__(self, seed: int = 0, trials: int = 3, languages: Sequence[str] | None = DETECTOR_LANGUAGES) -> None:
        self._seed = seed
        self._factory: Any = None  # loaded on first use: most comments never need it
        self._trials = trials  # langdetect averages 7 random walks; 3 decide our short texts as well, 2x faster
        self._languages = tuple(languages) if languages is not None else None  # None: all 55 profiles

    def _loaded(self) -> Any:
        if self._factory is None:
            from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

            factory = DetectorFactory()
            if self._languages is None:
                factory.load_profile(PROFILES_DIRECTORY)
            else:
                folder = Path(PROFILES_DIRECTORY)
                factory.load_json_profile([(folder / lang).read_text(encoding="utf-8") for lang in self._languages])
            factory.seed = self._seed
            self._factory = factory
        return self._factory

    def __call__(self, text: str) -> Sequence[tuple[str, float]]:
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._loaded().create()
        detector.n_trial = self._trials
        detector.append(text)
        try:
            return [(str(p.lang), float(p.prob)) for p in detector.get_probabilities()]
        except LangDetectException:
            return []


@cache
def default_detector() -> LangdetectDetector:
    """The process-wide langdetect detector (its profiles are read on first use)."""
    return LangdetectDetector()


_URL = re.compile(r"(?:https?://|www\.)\S+|\b(?:t|telegram)\.me/\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}(?:/\S*)?", re.I)
_URL_CUE = re.compile(r"://|www\.|\.[a-z]{2}", re.I)  # what `_URL` needs to match at all
_MENTION = re.compile(r"@\w+")
_WORD = re.compile(r"[^\W\d_]+(?:" + ZWNJ + r"[^\W\d_]+)*")
# A word spelt out letter by letter, to dodge filters: «ک*ث*ا*ف*ت», «ک ث ا ف ت».
_SPELLED = re.compile(r"(?<![^\W\d_])[^\W\d_](?:[.*_\-'`~^|+!•·,،؛:/\\\" ]+[^\W\d_](?![^\W\d_])){2,}")
_NOT_LETTER = re.compile(r"[^\w]|[\d_]")


def _script(char: str) -> str:
    if "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" or "\ufb50" <= char <= "\ufeff":
        return "arabic"
    if char.isascii() or "\u00c0" <= char <= "\u024f":
        return "latin"
    return "other"


_ARABIC_CHARS = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufeff]")
# A letter (as `_WORD` reads letters) outside the Arabic ranges of `_script`: without one, every word is
# Arabic letters and ZWNJs between them, so `_word_script` says arabic for each (most comments).
_NOT_ARABIC_LETTER = re.compile("[^\\W\\d_\u0600-\u06ff\u0750-\u077f\ufb50-\ufeff]")
_LATIN_CHARS = re.compile("[\x00-\x7f\u00c0-\u024f]")


@lru_cache(maxsize=65536)
def _word_script(word: str) -> str:
    """The script most of a word's letters are in (`_script`, counted in C); ties go arabic, latin, other."""
    arabic = len(_ARABIC_CHARS.findall(word))
    latin = len(_LATIN_CHARS.findall(word))
    other = len(word) - arabic - latin
    if arabic >= latin and arabic >= other:
        return "arabic"
    return "latin" if latin >= other else "other"


def clear_word_scripts() -> None:
    """Forget the memoised script of each word (benchmarks timing cold text)."""
    _word_script.cache_clear()


def _may_spell(words: list[str], text: str) -> bool:
    """Whether `_SPELLED` can match: it needs three one-letter runs of letters, which are one-letter
    words unless a ZWNJ joins letter runs into one word."""
    return ZWNJ in text or list(map(len, words)).count(1) >= 3


def _no_letters(text: str, had_url: bool) -> LanguageResult:
    stripped = "".join(c for c in text if not c.isspace())
    if not stripped:
        return LanguageResult("not_fa", "url_only" if had_url else "too_short", 0.9)
    if any(c.isdigit() for c in stripped) and all(
        c.isdigit() or unicodedata.category(c).startswith("P") or c in "+-*/=%" for c in stripped
    ):
        return LanguageResult("not_fa", "digits_only", 0.95)
    if any(unicodedata.category(c) in ("So", "Sk") for c in stripped):
        return LanguageResult("not_fa", "emoji_only", 0.95)
    return LanguageResult("not_fa", "url_only" if had_url else "emoji_only", 0.8)


def _arabic_script(words: list[str], text: str, lex: LanguageLexicon, detector: LanguageDetector | None,
                   mixed: bool) -> LanguageResult:
    cues = collect(words, lex)
    if (cues.foreign and not cues.foreign_words and len(words) >= 3 and cues.persian_strong
            and any(c in DECORATIVE for w in words for c in w)):
        # «خیلے قشنگ بود»: Urdu or Kurdish letters as decoration, in a text of Persian words.
        read = [persian_reading(w) for w in words]
        alt = collect(read, lex)
        if not alt.foreign and alt.persian_strong and alt.persian > alt.arabic + alt.unknown / 2:
            words, cues = read, alt
    tanween = arabic_tanween(text)
    cues.arabic += 2.0 * tanween
    cues.arabic_strong += 2.0 * tanween
    mix = keyboard_mix(text)
    if mix >= 1:
        cues.add_foreign(("pashto", "sindhi"))
    else:
        cues.doubt = mix
    persian = cues.persian
    if cues.foreign and cues.foreign_total >= 1 and cues.foreign_total * 2 >= persian:
        score = cues.foreign_total
        return LanguageResult("not_fa", cues.foreign_language(), min(0.99, 0.6 + 0.1 * score))
    reason = "mixed" if mixed else "persian_words"
    arabic = cues.arabic
    if arabic > persian and cues.arabic_strong:
        return LanguageResult("not_fa", "arabic", min(0.99, 0.6 + 0.1 * (arabic - persian)))
    against = arabic + cues.foreign_total + cues.doubt
    margin = persian - against
    if (margin >= 1 or not arabic) and persian > against and (cues.persian_strong or (not cues.unknown and cues.words > 1)) and (
        persian > cues.unknown or cues.words >= 4
    ):
        # Persian words outweigh the rest: a common word or Persian form, or every word known Persian.
        return LanguageResult("fa", reason, min(0.99, 0.6 + 0.1 * (persian - arabic)))
    return _ask_detector(words, cues, detector, mixed)


def _ask_detector(words: list[str], cues: Cues, detector: LanguageDetector | None,
                  mixed: bool) -> LanguageResult:
    """The script and word rules could not decide: a statistical detector may, if it is sure enough.

    It is slow (a few ms a text), so it runs only when its answer could change the outcome."""
    quiet = not cues.arabic and not cues.foreign and not cues.doubt
    may_be_fa = quiet and (cues.words >= 4 or cues.persian >= cues.unknown)
    may_be_arabic = cues.arabic and cues.persian < cues.arabic + 1
    may_be_urdu = cues.words >= 4 and not cues.persian_strong
    vague = "too_short" if cues.words <= 3 else "weak_evidence"
    if not (may_be_fa or may_be_arabic or may_be_urdu):
        return LanguageResult("uncertain", vague, 0.3)
    guesses = (detector or default_detector())(" ".join(words))
    best, prob = guesses[0] if guesses else ("", 0.0)
    if best == "fa" and prob >= 0.9 and may_be_fa:
        return LanguageResult("fa", "mixed" if mixed else "persian_script", round(prob * 0.9, 2))
    if best == "ar" and prob >= 0.9 and may_be_arabic:
        return LanguageResult("not_fa", "arabic", round(prob * 0.9, 2))
    if best == "ur" and prob >= 0.9 and may_be_urdu:
        return LanguageResult("not_fa", "urdu", round(prob * 0.8, 2))
    reason = {"ar": "arabic", "ur": "urdu"}.get(best, vague)
    return LanguageResult("uncertain", reason, round(prob * 0.5, 2))


def _latin(words: list[str], lex: LanguageLexicon) -> LanguageResult:
    finglish = english = 0
    for word in words:
        lowered = match_form(word)
        if lowered in lex.english:
            english += 1
        elif lowered in lex.finglish or lowered.startswith("kh") or (
            lowered.startswith(("mi", "nemi")) and lowered.endswith(("am", "ad", "im", "id", "an", "e", "i"))
            and len(lowered) >= 5
        ):
            finglish += 1
    if finglish > english or (finglish and finglish == english):
        return LanguageResult("not_fa", "finglish", min(0.99, 0.6 + 0.1 * finglish))
    return LanguageResult("not_fa", "latin", min(0.99, 0.6 + 0.1 * english))


def detect_language(text: str, detector: LanguageDetector | None = None,
                    lexicon: Lexicon | None = None) -> LanguageResult:
    """Persian (`fa`), not Persian (`not_fa`) or `uncertain`, with a reason code."""
    lex = (lexicon or default_lexicon()).language
    cleaned = clean_text(text)
    may_link = ("." in cleaned or "://" in cleaned) and _URL_CUE.search(cleaned)  # each cue has one or the other
    without_links, links = _URL.subn(" ", cleaned) if may_link else (cleaned, 0)
    if "@" in without_links:
        without_links = _MENTION.sub(" ", without_links)
    words = _WORD.findall(without_links)
    if ("*" in without_links or " " in without_links) and _may_spell(words, without_links):
        spelled = _SPELLED.sub(lambda m: _NOT_LETTER.sub("", m.group()), without_links)
        if spelled != without_links:
            without_links, words = spelled, _WORD.findall(spelled)
    if not words:
        return _no_letters(without_links, links > 0)
    if not _NOT_ARABIC_LETTER.search(without_links):  # most comments: every word in Arabic letters
        arabic, latin, other = words, [], []
    else:
        by_script: dict[str, list[str]] = {"arabic": [], "latin": [], "other": []}
        for word, script in zip(words, map(_word_script, words), strict=True):
            by_script[script].append(word)
        arabic, latin, other = by_script["arabic"], by_script["latin"], by_script["other"]
    if len(other) > len(arabic) and len(other) >= len(latin):
        return LanguageResult("not_fa", "other_script", 0.9)
    if len(latin) > len(arabic):
        return _latin(latin, lex)
    letters = sum(map(len, arabic))
    if letters < 2:
        return LanguageResult("uncertain", "too_short", 0.3)
    return _arabic_script(arabic, without_links, lex, detector, mixed=bool(latin or other))
