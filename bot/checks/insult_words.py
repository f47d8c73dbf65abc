"""What one token is in the insult lists: a listed insult (its endings read off), an ordinary word
that insults only when aimed («گاو»), or nothing, memoised per token; and the tables derived from the
lists once (prefixes, phrase starts) that let most tokens be answered from a few set look-ups.

Shared by the insult scan (bot/checks/insults.py) and the learned model's `x:` features.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from bot.checks.insult_lists import InsultLists, insult_key

# Persian endings an insult may carry: plural, «you are», possessive, object, vocative.
_SUFFIXES = (
    "هایی", "های", "ها", "ای", "یی", "یه", "ی", "ه", "ا", "ان",
    "تون", "شون", "مون", "ت", "ش", "م", "ترین", "تر", "ید", "ین", "ست",
    # spoken: object «-و», possessive then «is» or object: «بیشرفو», «کثافتشه», «گوهتو»
    "و", "تو", "شو", "ته", "شه", "تونو", "شونو",
)
# «they are» «-ن» («گوهن», «بیشعورن»), not after «ی» or a past stem («تخمین» estimate, «کوفتن» to pound).
_THEY_ARE = "ن"
# Spoken endings after a final «ه», which drops: «حرومزادس» (is), «جندت» (your), «دیوونست».
AFTER_FINAL_HE = ("س", "ست", "ت", "تون", "شون", "ته", "شه")
_LATIN_SUFFIXES = ("i", "e", "ha", "a", "am", "et", "esh", "in")
_CONTEXT_SUFFIXES = ("ی", "ه", "ای", "یی", "یه", "ا", "ها", "های", "ید", "ین", "ت", "ش")


@dataclass(frozen=True, slots=True)
class ListTables:
    """Tables derived once from one `InsultLists` (see `tables`)."""

    words3: frozenset[str]  # the first three letters of every listed word
    contextual2: frozenset[str]  # the first two letters of every ordinary insulting word
    anywhere: re.Pattern[str]  # the stems that insult wherever they stand in a word, longest first
    word_starts: frozenset[str]  # every proper beginning of every listed word
    heads_or_word_starts: frozenset[str]  # those and the first words of the phrases
    phrase_starts: frozenset[str]  # every phrase's first words, all but the last
    phrase_gates: frozenset[str]  # each phrase as its first words and the first two letters of its last
    allowed_first_words: frozenset[str]  # the first word of each allowed phrase
    allowed_padded: tuple[tuple[str, str], ...]  # each allowed phrase with the spaces it is looked for between


_TABLES: dict[int, tuple[InsultLists, ListTables]] = {}


def tables(lists: InsultLists) -> ListTables:
    """The derived tables of ``lists``, built on first use."""
    entry = _TABLES.get(id(lists))
    if entry is None or entry[0] is not lists:
        entry = _TABLES[id(lists)] = (lists, _build(lists))
    return entry[1]


def _build(lists: InsultLists) -> ListTables:
    phrase_starts: set[str] = set()
    gates: set[str] = set()
    for phrase in lists.phrases:
        words = phrase.split(" ")
        phrase_starts.update(" ".join(words[:n]) for n in range(1, len(words)))
        head, _, last = phrase.rpartition(" ")
        gates.add(f"{head} {last[:2]}")
    word_starts = frozenset(w[:n] for w in lists.words for n in range(1, len(w)))
    return ListTables(
        words3=prefixes(lists.words, 3),
        contextual2=prefixes(lists.contextual, 2),
        anywhere=_anywhere(lists.anywhere),
        word_starts=word_starts,
        heads_or_word_starts=word_starts | lists.phrase_heads,
        phrase_starts=frozenset(phrase_starts),
        phrase_gates=frozenset(gates),
        allowed_first_words=frozenset(p.split(" ", 1)[0] for p in lists.allowed_phrases),
        allowed_padded=tuple((p, f" {p} ") for p in lists.allowed_phrases),
    )


@cache
def _anywhere(entries: frozenset[str]) -> re.Pattern[str]:
    """One pattern for the stems that insult wherever they stand in a word (longest first)."""
    ordered = sorted(entries, key=lambda e: (-len(e), e))
    return re.compile("|".join(re.escape(e) for e in ordered) or "(?!)")


@cache
def prefixes(words: frozenset[str], size: int) -> frozenset[str]:
    """The first ``size`` letters of every word (the whole word if shorter)."""
    return frozenset(w[:size] for w in words)


_HITS: dict[tuple[int, str, str], str | None] = {}
_CONTEXT_HITS: dict[tuple[int, str], str | None] = {}
_HITS_MAX = 100_000
# Per lists, each token's (squeezed key, listed insult, ordinary word that insults when aimed).
TokenInfo = tuple[str, str | None, str | None]
TOKEN_INFO: dict[int, dict[str, TokenInfo]] = {}


def clear_word_hits() -> None:
    """Forget the memoised per-token list look-ups (benchmarks timing cold text)."""
    _HITS.clear()
    _CONTEXT_HITS.clear()
    TOKEN_INFO.clear()


def listed_insult(key: str, lists: InsultLists) -> str | None:
    """The entry a squeezed token is, with its endings read off («احمقا» → «احمق»), or None."""
    info = token_info(key, lists)  # shared with the insult scan, which meets the same words
    if info[0] == key:  # a squeezed token is its own key: the memo holds exactly this answer
        return info[1]
    return None if _no_word_hit(key, key, lists) else word_hit(key, key, lists)


def listed_context_word(key: str, lists: InsultLists) -> str | None:
    """The ordinary word («گاو», «سگ») a squeezed token is, which insults only when aimed, or None."""
    info = token_info(key, lists)
    if info[0] == key:
        return info[2]
    return None if _no_context_stem(key, lists) else contextual_stem(key, lists)


def word_hit(key: str, raw: str, lists: InsultLists) -> str | None:
    """The list entry a token is or contains, memoised per token: words repeat across comments."""
    slot = (id(lists), key, raw)
    if slot in _HITS:
        return _HITS[slot]
    if len(_HITS) >= _HITS_MAX:
        _HITS.clear()
    hit = _word_hit_uncached(key, raw, lists)
    if hit is None and (inside := tables(lists).anywhere.search(key)):
        hit = inside.group()  # a stem that insults wherever it stands in a word
    _HITS[slot] = hit
    return hit


def _word_hit_uncached(key: str, raw: str, lists: InsultLists) -> str | None:
    if key in lists.words:
        return key
    if raw in lists.exact:
        return raw
    if key in lists.clean:
        return None
    if key[:3] not in tables(lists).words3:
        return None  # no listed word starts so: no stem to find (most tokens stop here)
    suffixes = _LATIN_SUFFIXES if key.isascii() else _SUFFIXES
    for suffix in suffixes:
        stem = key[: -len(suffix)] if key.endswith(suffix) else ""
        if len(stem) >= 3 and stem in lists.words:
            return stem
    if key.endswith(_THEY_ARE) and (stem := key[:-1]) in lists.words and len(stem) >= 3 and stem[-1] not in "یتد":
        return stem
    if not key.isascii():
        for suffix in AFTER_FINAL_HE:
            stem = key[: -len(suffix)] + "ه" if key.endswith(suffix) else ""
            if len(stem) >= 4 and stem in lists.words:
                return stem
    return None


def contextual_stem(key: str, lists: InsultLists) -> str | None:
    """The ordinary insulting word a squeezed token is or carries an ending on, memoised, or None."""
    slot = (id(lists), key)
    if slot in _CONTEXT_HITS:
        return _CONTEXT_HITS[slot]
    if len(_CONTEXT_HITS) >= _HITS_MAX:
        _CONTEXT_HITS.clear()
    hit = _CONTEXT_HITS[slot] = _contextual_stem_uncached(key, lists)
    return hit


def _contextual_stem_uncached(key: str, lists: InsultLists) -> str | None:
    if key in lists.contextual:
        return key
    if key in lists.clean or key.startswith(("می", "نمی")):
        return None  # «می‌مونه» (stays) is a verb, not «میمون» with an ending
    if key[:2] not in tables(lists).contextual2 and not key.startswith("پیر"):
        return None
    for suffix in _CONTEXT_SUFFIXES:
        stem = key[: -len(suffix)] if key.endswith(suffix) else ""
        if len(stem) >= 2 and stem in lists.contextual:
            return stem
    if key.startswith("پیر") and key[3:] in lists.contextual:
        return key[3:]  # «پیرکفتار»
    return None


def token_info(token: str, lists: InsultLists) -> TokenInfo:
    """(squeezed key, listed insult, ordinary word that insults when aimed) of one token, memoised."""
    known = TOKEN_INFO.get(id(lists))
    if known is None:
        known = TOKEN_INFO[id(lists)] = {}
    info = known.get(token)
    if info is None:
        if len(known) >= _HITS_MAX:
            known.clear()
        key = insult_key(token)
        derived = tables(lists)
        # The first tests of `word_hit` and `contextual_stem` that answer None, at once (a key that is a
        # listed word starts with a listed word's first letters): most tokens stop here.
        if (key[:3] not in derived.words3 and key[:2] not in derived.contextual2 and token not in lists.exact
                and not key.startswith("پیر") and not derived.anywhere.search(key)):
            info = known[token] = (key, None, None)
        else:
            info = known[token] = (key, word_hit(key, token, lists), contextual_stem(key, lists))
    return info


def token_infos(tokens: list[str], lists: InsultLists) -> list[TokenInfo]:
    """`token_info` of each token; those met before are looked up in C."""
    known = TOKEN_INFO.get(id(lists), {})
    infos = list(map(known.get, tokens))
    if None not in infos:
        return infos  # type: ignore[return-value]  # no None in it
    return [known.get(t) or token_info(t, lists) for t in tokens]


def _no_word_hit(key: str, raw: str, lists: InsultLists) -> bool:
    """The first tests of `word_hit` that answer None: no listed word starts with the key's first
    three letters or is the token, and no stem that insults anywhere is inside it."""
    derived = tables(lists)
    return (
        key[:3] not in derived.words3
        and key not in lists.words
        and raw not in lists.exact
        and not derived.anywhere.search(key)
    )


def _no_context_stem(key: str, lists: InsultLists) -> bool:
    """The first tests of `contextual_stem` that answer None: no ordinary insulting word starts so."""
    return key[:2] not in tables(lists).contextual2 and key not in lists.contextual and not key.startswith("پیر")
