"""Insult word lists: persian-text-guard's bundled entries plus Khabar's own, in matching form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.checks.wordfile import match_form, read_sections

_RUNS = re.compile(r"(.)\1+")
_NON_WORD = re.compile(r"[^\w ]+")


@lru_cache(maxsize=65536)
def insult_key(token: str) -> str:
    """A token with every doubled letter squeezed, so «احمققق» and «احمق» meet."""
    return _RUNS.sub(r"\1", token) if _RUNS.search(token) else token


def entry_key(entry: str) -> str:
    """A list entry as the matcher compares it: words in matching form, squeezed, one space apart."""
    form = _NON_WORD.sub(" ", match_form(entry))
    return " ".join(insult_key(word) for word in form.split())


@dataclass(frozen=True, slots=True)
class InsultLists:
    """Insults as single-token keys, multi-token phrases, substring stems and clean exceptions."""

    words: frozenset[str]
    contextual: frozenset[str]
    phrases: frozenset[str]
    anywhere: frozenset[str]
    allowed_phrases: frozenset[str]
    exact: frozenset[str]
    clean: frozenset[str]
    phrase_heads: frozenset[str] = frozenset()  # first words of the phrases: most tokens start none


def _bundled(dropped: frozenset[str]) -> tuple[list[str], list[str], list[str]]:
    """persian-text-guard's default list (everything but its `mild` category), as text."""
    from persian_text_guard import WordList, WordMatchMode

    whole: list[str] = []
    anywhere: list[str] = []
    spellings: list[str] = []
    for word in WordList.persian_default():
        key = entry_key(word.text)
        if not key or key in dropped:
            continue
        (anywhere if word.mode == WordMatchMode.ANYWHERE else whole).append(key)
        spellings.append(match_form(word.text))
    return whole, anywhere, spellings


def load_insult_lists(clean_words: frozenset[str]) -> InsultLists:
    """Read the packaged list and the bundled one; called once by the lexicon factory.

    An entry whose squeezed form is an ordinary word («koon» → «kon», "do") matches only as spelt.
    """
    sections = read_sections("insults.txt")
    dropped = frozenset(entry_key(e) for e in sections.get("drop", []))
    whole, anywhere, spellings = _bundled(dropped)
    whole += [entry_key(e) for e in sections.get("words", [])]
    spellings += [match_form(e) for e in sections.get("words", [])]
    contextual = frozenset(entry_key(e) for e in sections.get("contextual", []))
    listed_clean = frozenset(entry_key(e) for e in sections.get("clean", []))
    clean = frozenset(insult_key(w) for w in clean_words) | listed_clean  # [clean] wins over [words]
    squeezed_short = frozenset(insult_key(s) for s in spellings if len(insult_key(s)) <= 3 and insult_key(s) != s)
    single = frozenset(
        k for k in whole
        if k and " " not in k and k not in clean and k not in squeezed_short and not (k.isascii() and len(k) <= 2)
    )
    exact = frozenset(
        s
        for s in spellings
        if " " not in s and (insult_key(s) in clean or insult_key(s) in squeezed_short) and s not in clean_words
    )
    phrases = frozenset(k for k in [*whole, *contextual] if " " in k)
    return InsultLists(
        words=single,
        contextual=frozenset(k for k in contextual if k and " " not in k),
        phrases=phrases,
        anywhere=frozenset(k for k in anywhere if " " not in k and len(k) >= 4),
        allowed_phrases=frozenset(entry_key(e) for e in sections.get("allowed", [])),
        exact=exact,
        clean=clean,
        phrase_heads=frozenset(p.split(" ", 1)[0] for p in phrases),
    )
