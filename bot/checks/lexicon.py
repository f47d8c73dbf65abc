"""The packaged word lists, read once by a factory and passed to the checks as one object."""

from __future__ import annotations

import dataclasses
from collections.abc import Container
from dataclasses import dataclass
from functools import cache

from bot.checks.hashed_words import HashedWords
from bot.checks.insult_lists import InsultLists, load_insult_lists
from bot.checks.wordfile import lines, lite_form, match_form, read_sections, word_set

__all__ = ["LanguageLexicon", "Lexicon", "background_frequencies", "default_lexicon", "lite_form", "match_form"]

@dataclass(frozen=True, slots=True)
class LanguageLexicon:
    """Words that tell Persian from its neighbours, each in the form it is compared in."""

    persian: frozenset[str]
    arabic: frozenset[str]
    urdu: frozenset[str]
    pashto: frozenset[str]
    kurdish: frozenset[str]
    finglish: frozenset[str]
    english: frozenset[str]
    persian_broad: Container[str] = frozenset()  # ~185k words: kept as hashes (bot/checks/hashed_words.py)
    uyghur: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Every word list the checks use; build once with `default_lexicon()` and share."""

    language: LanguageLexicon
    persian_ranked: tuple[str, ...]
    stopwords: frozenset[str]
    generic_words: frozenset[str]
    generic_phrases: tuple[str, ...]
    insults: InsultLists
    accusation_words: frozenset[str]
    office_words: frozenset[str]
    pointer_phrases: tuple[str, ...]


def _language_lexicon() -> LanguageLexicon:
    english = word_set(lines("en_words.txt"))
    return LanguageLexicon(
        persian=word_set(lines("fa_words.txt")) | word_set(lines("fa_spoken.txt")),
        arabic=word_set(lines("ar_words.txt"), "lite"),
        urdu=word_set(lines("ur_words.txt"), "lite"),
        pashto=word_set(lines("ps_words.txt"), "lite"),
        kurdish=word_set(lines("ckb_words.txt"), "lite"),
        finglish=word_set(lines("finglish.txt")) - english,
        english=english,
        persian_broad=HashedWords(lines("fa_lexicon.txt")),  # generated already in matching form
        uyghur=word_set(lines("ug_words.txt"), "lite"),
    )


@cache
def default_lexicon() -> Lexicon:
    """The packaged lists, read and prepared once per process."""
    ranked = tuple(dict.fromkeys(match_form(w) for w in lines("fa_words.txt")))
    generic = read_sections("generic.txt")
    accusation = read_sections("accusation.txt")
    language = _language_lexicon()
    stopwords = word_set(lines("stopwords.txt"))
    clean = language.persian | language.finglish | language.english | stopwords
    insults = load_insult_lists(clean)
    persian_insults = frozenset(k for k in insults.words | insults.contextual if not k.isascii())
    language = dataclasses.replace(language, persian=language.persian | persian_insults)
    return Lexicon(
        language=language,
        persian_ranked=ranked,
        stopwords=stopwords,
        generic_words=word_set(generic.get("words", [])),
        generic_phrases=tuple(match_form(p) for p in generic.get("phrases", [])),
        insults=insults,
        accusation_words=word_set(accusation.get("accusations", [])),
        office_words=word_set(accusation.get("offices", [])),
        pointer_phrases=tuple(match_form(p) for p in accusation.get("pointers", [])),
    )


@cache
def background_frequencies() -> tuple[int, dict[str, int]]:
    """The shipped Persian background: how many documents, and in how many of them each stem occurs."""
    documents = 0
    counts: dict[str, int] = {}
    for line in lines("fa_background.tsv"):
        term, _, count = line.partition("\t")
        if term == "documents":
            documents = int(count)
        else:
            counts[term] = int(count)
    return max(documents, 1), counts
