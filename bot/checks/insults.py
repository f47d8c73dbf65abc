"""Insults and accusations, matched on normalised tokens and read through common evasions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.checks.insult_lists import InsultLists, insult_key
from bot.checks.lexicon import Lexicon
from bot.checks.normalize import ZWNJ, fold

_FILLER = r"[.*_\-'`~^|+!•·,،؛:/\\\"]"
_LETTER = r"[^\W\d_]"
_INNER_FILLER = re.compile(rf"(?<={_LETTER}){_FILLER}+(?={_LETTER})")
_TOKEN = re.compile(r"[^\W_]+")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_LATIN_WITH_LEET = re.compile(r"(?<![^\W\d_])[a-z0-9@$]*[a-z][a-z0-9@$]*")
_SINGLE_LETTER_WORDS = frozenset({"و", "a", "i", "o"})

# Persian endings an insult may carry: plural, «you are», possessive, object, vocative.
_SUFFIXES = (
    "هایی", "های", "ها", "ای", "یی", "یه", "ی", "ه", "ا", "ان",
    "تون", "شون", "مون", "ت", "ش", "م", "ترین", "تر", "ید", "ین", "ست",
)
_LATIN_SUFFIXES = ("i", "e", "ha", "a", "am", "et", "esh", "in")
_CONTEXT_SUFFIXES = ("ی", "ه", "ای", "یی", "یه", "ا")
_POINTERS = frozenset({"تو", "ای", "شما", "عجب", "چه", "مثه", "اخه", "مرتیکه", "پسره", "دختره", "یارو"})


@dataclass(frozen=True, slots=True)
class InsultResult:
    """Whether a comment insults, which list entries matched, and whether it accuses someone."""

    insult: bool
    terms: tuple[str, ...]
    accusation: bool
    accusation_terms: tuple[str, ...]


def _variants(folded: str) -> list[list[str]]:
    """Token streams to look in: as typed, with fillers inside words removed, with spaced letters joined."""
    latin_fixed = _LATIN_WITH_LEET.sub(lambda m: m.group().translate(_LEET), folded)
    plain = _TOKEN.findall(latin_fixed)
    joined = _TOKEN.findall(_INNER_FILLER.sub("", latin_fixed))
    streams = [plain]
    if joined != plain:
        streams.append(joined)
    spaced = _join_single_letters(plain)
    if spaced != plain:
        streams.append(spaced)
    return streams


def _join_single_letters(tokens: list[str]) -> list[str]:
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and not token.isdigit():
            run.append(token)
            continue
        if len(run) >= 3 or (len(run) == 2 and not _SINGLE_LETTER_WORDS.intersection(run)):
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if token:
            out.append(token)
    return out


def _word_hit(key: str, raw: str, lists: InsultLists) -> str | None:
    if key in lists.words:
        return key
    if raw in lists.exact:
        return raw
    if key in lists.clean:
        return None
    suffixes = _LATIN_SUFFIXES if key.isascii() else _SUFFIXES
    for suffix in suffixes:
        stem = key[: -len(suffix)] if key.endswith(suffix) else ""
        if len(stem) >= 3 and stem in lists.words:
            return stem
    return None


def _contextual_hit(keys: list[str], i: int, lists: InsultLists, other_insult: bool) -> str | None:
    key = keys[i]
    if key in lists.contextual:
        before = keys[i - 1] if i > 0 else ""
        if other_insult or before in _POINTERS or len(keys) == 1:
            return key
        return None
    if key in lists.clean:
        return None
    for suffix in _CONTEXT_SUFFIXES:
        stem = key[: -len(suffix)] if key.endswith(suffix) else ""
        if stem in lists.contextual:
            return stem
    return None


def _scan(tokens: list[str], lists: InsultLists) -> list[str]:
    keys = [insult_key(t) for t in tokens]
    text = " " + " ".join(keys) + " "
    allowed = [p for p in lists.allowed_phrases if f" {p} " in text]
    found: list[str] = []
    for size in (4, 3, 2):
        for i in range(len(keys) - size + 1):
            phrase = " ".join(keys[i : i + size])
            if phrase in lists.phrases:
                found.append(phrase)
            elif size == 2 and len(phrase) >= 5 and phrase.replace(" ", "") in lists.words:
                found.append(phrase.replace(" ", ""))
    for i, key in enumerate(keys):
        hit = _word_hit(key, tokens[i], lists)
        if hit is None:
            hit = next((a for a in lists.anywhere if a in key), None)
        if hit is not None:
            found.append(hit)
    for i in range(len(keys)):
        hit = _contextual_hit(keys, i, lists, bool(found))
        if hit is not None:
            found.append(hit)
    return [f for f in found if not any(f in p for p in allowed)]


def find_insults(cleaned: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The insult entries a cleaned comment contains, in any of its evasive spellings."""
    folded = fold(cleaned).replace(ZWNJ, "")
    found: dict[str, None] = {}
    for tokens in _variants(folded):
        for term in _scan(tokens, lexicon.insults):
            found[term] = None
    return tuple(found)


def _stem_hit(key: str, words: frozenset[str]) -> str | None:
    if key in words:
        return key
    for suffix in ("های", "ها", "ان", "ین", "ی", "ه", "ن", "ند", "ست", "ا", "ای"):
        if key.endswith(suffix) and key[: -len(suffix)] in words:
            return key[: -len(suffix)]
    return None


def find_accusation(tokens: list[str], lexicon: Lexicon, names: Iterable[str] = ()) -> tuple[str, ...]:
    """Accusation words aimed at an office, a title, a pointer («این آقا») or a named person."""
    accused = [hit for t in tokens if (hit := _stem_hit(t, lexicon.accusation_words))]
    if not accused:
        return ()
    name_set = frozenset(names)
    targets = [_stem_hit(t, lexicon.office_words) or t for t in tokens]
    targets = [t for t in targets if t in lexicon.office_words or t in name_set]
    text = " " + " ".join(tokens) + " "
    targets += [p for p in lexicon.pointer_phrases if f" {p} " in text]
    if not targets:
        return ()
    return tuple(dict.fromkeys([*accused, *targets]))


def check_insults(cleaned: str, tokens: list[str], lexicon: Lexicon, names: Iterable[str] = ()) -> InsultResult:
    """Insult and accusation flags for one comment."""
    terms = find_insults(cleaned, lexicon)
    accusation = find_accusation(tokens, lexicon, names)
    return InsultResult(bool(terms), terms, bool(accusation), accusation)
