"""Is a comment written in Persian, in Persian letters? Script rules first, langdetect for the rest."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal, Protocol

from bot.checks.lexicon import LanguageLexicon, Lexicon, default_lexicon, lite_form, match_form
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


class LangdetectDetector:
    """langdetect with its profiles loaded once and a fixed seed, so answers never vary."""

    def __init__(self, seed: int = 0) -> None:
        from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

        factory = DetectorFactory()
        factory.load_profile(PROFILES_DIRECTORY)
        factory.seed = seed
        self._factory = factory

    def __call__(self, text: str) -> Sequence[tuple[str, float]]:
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._factory.create()
        detector.append(text)
        try:
            return [(str(p.lang), float(p.prob)) for p in detector.get_probabilities()]
        except LangDetectException:
            return []


@cache
def default_detector() -> LangdetectDetector:
    """The process-wide langdetect detector (loading its profiles takes about a second)."""
    return LangdetectDetector()


# Letters Persian never writes, by the languages that do.
_FOREIGN_LETTERS: dict[str, str] = {
    "urdu": "ٹڈڑںےۓہۃھ",
    "pashto": "ټډړښګېځڅۍږڼٶڂڒ",
    "kurdish": "ەێۆڵڕڤھ",
    "sindhi": "ڀٻڄڃڇڊڌڍڏڙڦڪڱڳڻ۾ٺٽٿھ",
    "uyghur": "ۇۈۋېۆەھ",
}
_LETTER_LANGUAGES: dict[str, tuple[str, ...]] = {}
for _lang, _letters in _FOREIGN_LETTERS.items():
    for _letter in _letters:
        _LETTER_LANGUAGES[_letter] = (*_LETTER_LANGUAGES.get(_letter, ()), _lang)
_PRIORITY = ("urdu", "pashto", "kurdish", "sindhi", "uyghur")
_PERSIAN_ONLY_LETTERS = frozenset("پچژگ")
_FARSI_KEYBOARD = frozenset("یک")
_ARABIC_MARKS = frozenset("ةإ")
_ARABIC_PREFIXES = ("وال", "بال", "فال", "لل", "كال", "کال")

_URL = re.compile(r"(?:https?://|www\.)\S+|\b(?:t|telegram)\.me/\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}(?:/\S*)?", re.I)
_MENTION = re.compile(r"@\w+")
_WORD = re.compile(r"[^\W\d_]+(?:" + ZWNJ + r"[^\W\d_]+)*")


def _script(char: str) -> str:
    if "\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" or "\ufb50" <= char <= "\ufeff":
        return "arabic"
    if char.isascii() or "\u00c0" <= char <= "\u024f":
        return "latin"
    return "other"


def _word_script(word: str) -> str:
    counts = {"arabic": 0, "latin": 0, "other": 0}
    for char in word:
        counts[_script(char)] += 1
    return max(counts, key=lambda k: counts[k])


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


@dataclass(slots=True)
class _Evidence:
    persian_words: int = 0
    persian_letters: int = 0
    arabic: int = 0
    arabic_strong: int = 0
    keyboard_farsi: int = 0
    words: int = 0


def _foreign_scores(words: list[str], lex: LanguageLexicon) -> dict[str, float]:
    scores: dict[str, float] = {}
    for word in words:
        langs: set[str] = set()
        if word.startswith("ئ") and len(word) >= 3:
            langs.update(("kurdish", "uyghur"))  # Persian never opens a word with ئ
        for char in word:
            langs.update(_LETTER_LANGUAGES.get(char, ()))
        lite = lite_form(word)
        if match_form(word) not in lex.persian:
            for lang, listed in (("urdu", lex.urdu), ("pashto", lex.pashto), ("kurdish", lex.kurdish)):
                if lite in listed:
                    langs.add(lang)
        for lang in langs:
            scores[lang] = scores.get(lang, 0.0) + 1.0 / len(langs) + 0.01
    return scores


def _persian_morphology(folded: str) -> bool:
    if folded.startswith(("نمی", "می")) and len(folded) >= 5:
        return folded.endswith(("م", "ی", "د", "یم", "ید", "ند", "ن", "ه", "ین"))
    if folded.startswith(("ب", "ن")) and folded.endswith(("ید", "ند", "یم")) and len(folded) >= 5:
        return True  # subjunctive and imperative: «بخوانید», «نروند»
    return folded.endswith(("ترین", "هایی", "هایم", "هایش", "هایی", "های", "ها")) and len(folded) >= 6


def _arabic_evidence(original: str, lex: LanguageLexicon, persian: bool) -> tuple[int, int]:
    lite = lite_form(original)
    strong = 0
    if any(c in _ARABIC_MARKS for c in lite) or lite.endswith("ى"):
        strong += 1
    if lite in lex.arabic and not persian:
        strong += 1
    if not persian and len(lite) >= 5 and (lite.startswith("ال") or lite.startswith(_ARABIC_PREFIXES)):
        return (1, strong)
    return (strong, strong)


def _collect(words: list[str], lex: LanguageLexicon) -> _Evidence:
    evidence = _Evidence(words=len(words))
    for word in words:
        if word.startswith("ئ") or any(c in _LETTER_LANGUAGES for c in word):
            continue  # «بە», «کہ» fold to Persian words, but no Persian writes them so
        folded = match_form(word)
        persian = folded in lex.persian
        if ZWNJ in word or persian or _persian_morphology(folded):
            evidence.persian_words += 1
        if any(c in _PERSIAN_ONLY_LETTERS for c in word):
            evidence.persian_letters += 1
        if any(c in _FARSI_KEYBOARD for c in word):
            evidence.keyboard_farsi += 1
        weak, strong = _arabic_evidence(word, lex, persian)
        evidence.arabic += weak
        evidence.arabic_strong += strong
    return evidence


def _arabic_script(words: list[str], text: str, lex: LanguageLexicon, detector: LanguageDetector | None,
                   mixed: bool) -> LanguageResult:
    foreign = _foreign_scores(words, lex)
    evidence = _collect(words, lex)
    persian = evidence.persian_words
    if foreign:
        lang = max(_PRIORITY, key=lambda k: (foreign.get(k, 0.0), -_PRIORITY.index(k)))
        score = foreign[lang]
        if score >= 1 and score * 2 >= persian:
            return LanguageResult("not_fa", lang, min(0.99, 0.6 + 0.1 * score))
    reason = "mixed" if mixed else "persian_words"
    arabic = evidence.arabic
    if persian > arabic:
        return LanguageResult("fa", reason, min(0.99, 0.6 + 0.1 * (persian - arabic)))
    if arabic > persian + evidence.persian_letters and evidence.arabic_strong:
        return LanguageResult("not_fa", "arabic", min(0.99, 0.6 + 0.1 * (arabic - persian)))
    if evidence.persian_letters and evidence.persian_letters + persian >= arabic:
        return LanguageResult("fa", "mixed" if mixed else "persian_letters", 0.7)
    return _ask_detector(words, text, evidence, detector, mixed)


def _ask_detector(words: list[str], text: str, evidence: _Evidence, detector: LanguageDetector | None,
                  mixed: bool) -> LanguageResult:
    """Only here do the script rules give up: a statistical detector breaks the tie."""
    guesses = (detector or default_detector())(" ".join(words))
    best, prob = guesses[0] if guesses else ("", 0.0)
    if best == "fa" and prob >= 0.6:
        return LanguageResult("fa", "mixed" if mixed else "persian_script", round(prob * 0.9, 2))
    if best == "ar" and evidence.arabic_strong and evidence.words >= 2:
        return LanguageResult("not_fa", "arabic", round(prob * 0.9, 2))
    if best == "ur" and prob >= 0.9 and evidence.words >= 4:
        return LanguageResult("not_fa", "urdu", round(prob * 0.8, 2))
    if evidence.keyboard_farsi and not evidence.arabic_strong and best not in ("ar", "ur"):
        # Persian keyboards type ی and ک; Arabic text never does.
        return LanguageResult("fa", "persian_script", 0.6)
    return LanguageResult("uncertain", "arabic" if best == "ar" else "too_short", round(prob * 0.5, 2))


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
    without_links, links = _URL.subn(" ", cleaned)
    without_links = _MENTION.sub(" ", without_links)
    words = _WORD.findall(without_links)
    if not words:
        return _no_letters(without_links, links > 0)
    by_script: dict[str, list[str]] = {"arabic": [], "latin": [], "other": []}
    for word in words:
        by_script[_word_script(word)].append(word)
    arabic, latin, other = by_script["arabic"], by_script["latin"], by_script["other"]
    if len(other) > len(arabic) and len(other) >= len(latin):
        return LanguageResult("not_fa", "other_script", 0.9)
    if len(latin) > len(arabic):
        return _latin(latin, lex)
    letters = sum(len(w) for w in arabic)
    if letters < 2:
        return LanguageResult("uncertain", "too_short", 0.3)
    return _arabic_script(arabic, without_links, lex, detector, mixed=bool(latin or other))
