"""Insults and accusations, matched on normalised tokens and read through common evasions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from bot.checks.insult_lists import InsultLists
from bot.checks.insult_patterns import YOU_BEFORE, aimed_by_address, patterned, you_are_listed
from bot.checks.insult_words import (
    AFTER_FINAL_HE,
    contextual_stem,
    listed_context_word,
    listed_insult,
    prefixes,
    tables,
    token_infos,
    word_hit,
)
from bot.checks.lexicon import Lexicon
from bot.checks.normalize import ZWNJ, fold

__all__ = ["InsultResult", "check_insults", "find_accusation", "find_insults", "listed_context_word", "listed_insult"]

_FILLER = r"[.*_\-'`~^|+!•·,،؛:/\\\"]"
_LETTER = r"[^\W\d_]"
_FILLER_CHARS = frozenset(".*_-'`~^|+!•·,،؛:/\\\"")  # the characters of `_FILLER`
_INNER_FILLER = re.compile(rf"(?<={_LETTER}){_FILLER}+(?={_LETTER})")
_TOKEN = re.compile(r"[^\W_]+")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_LATIN_WITH_LEET = re.compile(r"(?<![^\W\d_])[a-z0-9@$]*[a-z][a-z0-9@$]*")
_SINGLE_LETTER_WORDS = frozenset({"و", "a", "i", "o"})

# Words that aim what follows (or precedes) at someone: «تو خری», «ای گاو», «این کثافت», «مردک عنتر».
_POINTERS = frozenset({
    "تو", "ای", "شما", "توی", "خودت", "خودتی", "عجب", "چه", "اخه", "مرتیکه", "مردک", "پسره", "دختره", "یارو",
    "زنیکه", "زنک", "پیر", "شماها", "همتون", "کدوم", "کدام",
    # a group or a person named by what they are: «همشون دزدن», «اینا خائنن», «آدم کثیف», «ملت گوسفند»
    "همه", "همشون", "همشان", "همگی", "همهتون", "همهشون", "اینا", "اینها", "اونا", "انها", "ادم", "ادما", "ادمای",
    "ادمهای", "ملت", "مردم", "جماعت", "بچه", "پیرمرده", "پیرزنه", "پیره", "مشت",
    # a face or a mouth that is «نحس», «کثیف»: «قیافه نحست», «دهنت کثیفه»
    "قیافه", "قیافت", "قیافش", "قیافشون", "ریختت", "ریختش", "هیکلت", "دهنت", "دهنش", "دهنتون",
})
# Intensifiers before a "you are" form: «چقدر کثیفی», «خیلی بی‌شرمید» (not «چقدر کثیف بود»).
_INTENSIFIERS = frozenset({"خیلی", "چقدر", "چقد", "واقعا", "عجب", "چه", "بس", "انقدر", "اینقدر", "اونقدر"})
_YOU_ARE = ("ی", "ید", "ین", "یی", "اید")
# ...and words after an insult that say "you are": «کثیفی تو», «گاو هستی», «عنتر خانم».
_AIMED_AFTER = frozenset({"تو", "تویی", "هستی", "هستید", "هستین", "هستن", "هستند", "ای", "خانم", "خان", "صفت",
                          "صفتان", "شما", "شماها", "بیشعور", "گنده", "پدر", "اقا", "شو", "شید", "شه", "باش"})
_ARTICLES = frozenset({"یه", "یک", "خیلی", "چه", "عجب", "واقعا"})
# A title, not an insult: «کتاب ابله», «رمان بیشعوری».
_TITLE_NOUNS = frozenset({"کتاب", "رمان", "فیلم", "سریال", "داستان", "نمایش", "نمایشنامه", "ترجمه", "شعر", "اثر",
                          "کتابهای", "کتابه"})
# Little words an insult is never spelt together with («زنی که» is not «زنیکه»).
_FUNCTION = frozenset({"که", "را", "رو", "و", "هم", "از", "به", "با", "در", "تا", "یا", "اگه", "اگر", "ها", "ای",
                       "ی", "می", "نمی"})
# Prepositions run into the pronoun: «برتو», «بتو».
_SPLIT = {"برتو": ("بر", "تو"), "بتو": ("به", "تو"), "بهتو": ("به", "تو"), "برشما": ("بر", "شما"),
          "بشما": ("به", "شما"), "ب": ("به",), "توروحت": ("تو", "روحت"), "توروحش": ("تو", "روحش")}
_REWRITTEN = frozenset({"می", "نمی", *_SPLIT})  # the tokens `_words` changes
_EMOJI_INSULTS = frozenset("🖕💩")
# Faces of disgust and animals (a row of them, or beside words that insult, mocks someone).
_EMOJI_CONTEXT = frozenset("🤮🤬🐷🐖🐽🐒🐵🐕🐶🐀🐁🐍🐑🐐🐄🐮🐂🐃🫏🤡🦊🐗🦍🦧🤢🪳🦟🪰🦨")
_ANY_EMOJI = _EMOJI_INSULTS | _EMOJI_CONTEXT
# The sets above as character classes: a search in C makes no str object per character of the text.
_ANY_EMOJI_CHAR = re.compile("[" + "".join(sorted(_ANY_EMOJI)) + "]")
# Every emoji above is outside the Basic Multilingual Plane: a range test per character, ~10x faster
# than the class above, rules out most comments.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_ANY_FILLER = re.compile(_FILLER)


@dataclass(frozen=True, slots=True)
class InsultResult:
    """Whether a comment insults, which list entries matched, and whether it accuses someone."""

    insult: bool
    terms: tuple[str, ...]
    accusation: bool
    accusation_terms: tuple[str, ...]


_ANY_LATIN = re.compile("[a-z]")


def _unleet(match: re.Match[str]) -> str:
    return match.group().translate(_LEET)


def _variants(folded: str) -> list[list[str]]:
    """Token streams to look in: as typed, with fillers inside words removed, with spaced letters joined."""
    latin_fixed = _LATIN_WITH_LEET.sub(_unleet, folded) if _ANY_LATIN.search(folded) else folded
    plain = _words(_TOKEN.findall(latin_fixed))
    streams = [plain]
    unfilled = _INNER_FILLER.sub("", latin_fixed) if _ANY_FILLER.search(latin_fixed) else latin_fixed
    if unfilled != latin_fixed:
        joined = _words(_TOKEN.findall(unfilled))
        if joined != plain:
            streams.append(joined)
    spaced = _join_single_letters(plain)
    if spaced != plain:
        streams.append(spaced)
    return streams


def _words(raw: list[str]) -> list[str]:
    """Tokens with a detached «می»/«نمی» joined to its verb and «برتو» split in two."""
    if _REWRITTEN.isdisjoint(raw):
        return raw  # nothing to join or split (most comments)
    out: list[str] = []
    i = 0
    while i < len(raw):
        token = raw[i]
        if token in ("می", "نمی") and i + 1 < len(raw):
            out.append(token + raw[i + 1])
            i += 2
            continue
        out.extend(_SPLIT.get(token, (token,)))
        i += 1
    return out


def _join_single_letters(tokens: list[str]) -> list[str]:
    if 1 not in map(len, tokens) or "\x01\x01" not in "".join(map(chr, map(len, tokens))):
        return tokens  # no two one-letter tokens side by side (their lengths as characters, in C): nothing to join
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


# «خفه!» is "shut up" unless a verb of choking follows it or the air is «خفه» (stuffy).
_CHOKING = ("شد", "شده", "شدن", "شدند", "شدم", "شدیم", "میشد", "میشن", "میشوند", "میشود", "میشه", "کرد", "کرده",
            "کردن", "کردند", "میکنه", "میکند", "میکرد", "میکنن", "است", "بود", "هست")
_STUFFY = frozenset({"هوا", "هوای", "فضا", "فضای", "اتاق", "جو", "محیط", "گرما", "گرمای", "دود"})


def _aimed(keys: list[str], i: int, stems: list[str | None], other_insult: bool) -> bool:
    """Is the ordinary word at ``i`` aimed at a person (or the whole comment an insult)?"""
    before = keys[i - 1] if i > 0 else ""
    after = keys[i + 1] if i + 1 < len(keys) else ""
    if keys[i] == "خفه":
        return not after.startswith(_CHOKING) and before not in _STUFFY and after not in _STUFFY
    if other_insult or before in _POINTERS or after in _AIMED_AFTER:
        return True
    if before in _ARTICLES and i > 1 and keys[i - 2] in _POINTERS:
        return True  # «تو یه وزغی», «شما خیلی بی‌شرمید»
    if before in _INTENSIFIERS and keys[i] != stems[i] and keys[i].endswith(_YOU_ARE):
        return True  # «چقدر کثیفی», «بس که بی‌شعورید»
    if aimed_by_address(keys, i):
        return True  # «زندگی می‌کنی دلقک», «بخواب بابا مزدور», «آشغالایی مثل تو», «تو هم یه سگی»
    if len(keys) <= 3 and all(s is not None or k in _POINTERS or k in _INTENSIFIERS or k in _ARTICLES
                              for s, k in zip(stems, keys, strict=True)):
        return True  # «وزغ», «میمون دلقک»: nothing but the insult
    # Two bare insults side by side: «میمون دلقک» (not «خوک‌های وحشی», a news item about pigs).
    bare = keys[i] == stems[i]
    return bare and ((i > 0 and stems[i - 1] == before) or (after != "" and stems[i + 1] == after))


def _contextual_hits(keys: list[str], stems: list[str | None], lists: InsultLists, other_insult: bool) -> list[str]:
    # «تو آشغالی» needs «تو» or «شما» (`you_are_listed`); without one `_you_are` changes nothing.
    if ("تو" in keys or "شما" in keys) and not YOU_BEFORE.isdisjoint(keys[:-1]):
        _you_are(keys, stems, lists)
    if stems.count(None) == len(stems):
        return []  # no ordinary word that insults when aimed
    return [stem for i, stem in enumerate(stems) if stem is not None and _aimed(keys, i, stems, other_insult)]


def _you_are(keys: list[str], stems: list[str | None], lists: InsultLists) -> None:
    """«تو آشغالی»: after «تو», «شما», «یه», … a [clean] word may be the ordinary insult again."""
    for i, before in enumerate(keys[:-1], start=1):
        if before in YOU_BEFORE and stems[i] is None:
            stems[i] = you_are_listed(keys, i, lists.clean, lists.contextual)


_CURSE_HEADS = frozenset({"لعنت", "نفرین", "تف", "توف"})
# What a curse is sent to: «تف به ذات …», «لعنت به روح …».
_CURSE_TARGETS = frozenset({"ذات", "شرف", "روح", "قبر", "غیرت", "دین", "ریش", "صورت", "ریخت", "قیافه", "گور",
                            "پدر", "جد", "هیکل"})
_CURSE_LINKS = frozenset({"به", "بر", "تو", "بهت", "بهتون", "بهش", "بهشون"})
_ADDRESSED = frozenset({"تو", "شما", "شماها", "او", "اون", "ایشون", "اونا"})
_POSSESSED = ("ت", "تون", "ش", "شون", "تو", "تونو")


_PHRASE_SUFFIXES = ("تان", "شان", "تون", "شون", "ها", "های", "ا", "ید", "ین", "ی", "ه", "ت", "ش", "س",
                    "یتون", "یت", "و", "تو", "شو", "تونو", "شونو")
_PHRASE_ENDINGS = tuple(dict.fromkeys(_PHRASE_SUFFIXES + AFTER_FINAL_HE))


def _phrase_stem(phrase: str, phrases: frozenset[str], gates: frozenset[str]) -> str | None:
    head, _, last = phrase.rpartition(" ")
    if f"{head} {last[:2]}" not in gates:
        return None  # no phrase ends in a word starting so: nothing to strip (most candidates stop here)
    for suffix in _PHRASE_ENDINGS:
        if not phrase.endswith(suffix) or len(last) - len(suffix) < 2:
            continue
        base = phrase[: -len(suffix)]
        if base in phrases:
            return base
        if suffix in AFTER_FINAL_HE and base + "ه" in phrases:
            return base + "ه"  # «حروم زادس»: the final «ه» dropped before a spoken ending
    return None


# «خدا …», «الهی …», «ایشالا …» followed by a wish of harm: «خدا ذلیلشون کنه», «الهی نابود شی».
_WISH_HEADS = frozenset({"خدا", "خداوند", "الهی", "ایشالا", "ایشالله", "انشالله", "انشالا", "انشاالله", "یاخدا"})
_HARM_STEMS = ("لعنت", "ذلیل", "نابود", "بکشت", "مرگت", "مرگش", "مرگشون", "مرگتون", "نگذر", "بمیر", "خیرنبین", "کورت", "کورش", "کورشون",
               "بترک", "سرطان", "داغت", "داغش", "داغشون", "داغتون", "گوربهگور", "جوونمرگ", "جوانمرگ",
               "لعن", "زلیل", "نفرین")
# Demonstratives after «لعنت به»: a curse on the traffic or on luck, not on a person.
_NOT_A_PERSON = frozenset({"این", "اون", "ان", "همچین", "چنین", "هرچی", "شانس", "زندگی", "دنیا", "روزگار", "شیطان"})


def _wishes(keys: list[str]) -> list[str]:
    """A wish of harm on someone: «خدا لعنتشون کنه», «الهی خیر نبینی», «ایشالا نابود بشید»."""
    found: list[str] = []
    for i, head in enumerate(keys):
        if head not in _WISH_HEADS:
            continue
        window = keys[i + 1 : i + 4]
        joined = "".join(window)
        if any(w.startswith(_HARM_STEMS) for w in window) or "خیرنبین" in joined or "گوربهگور" in joined:
            found.append(f"{head} …")
            break
    return found


def _curses(keys: list[str]) -> list[str]:
    """«لعنت به روحت», «نفرین بر تو», «تف به شرفت»: a curse sent to someone, not to the traffic."""
    found: list[str] = [] if _WISH_HEADS.isdisjoint(keys) else _wishes(keys)
    if _CURSE_HEADS.isdisjoint(keys):
        return found  # «لعنت», «نفرین», «تف» are the heads of every curse below
    for i in range(len(keys) - 1):
        head, link = keys[i], keys[i + 1]
        if (head in ("لعنت", "نفرین") and link in ("بر", "به") and i + 2 < len(keys)
                and keys[i + 2] not in _NOT_A_PERSON and keys[i + 2] not in _FUNCTION):
            found.append(f"{head} {link} …")  # «لعنت بر …»: sent to someone by name
            continue
        if head not in _CURSE_HEADS or link not in _CURSE_LINKS:
            continue
        if link.startswith("به") and link != "به":
            found.append(f"{head} {link}")  # «تف بهت»
            continue
        for target in keys[i + 2 : i + 4]:
            if target in _ADDRESSED or target in _CURSE_TARGETS or (len(target) >= 4 and target.endswith(_POSSESSED)):
                found.append(f"{head} {link} {target}")
                break
    return found


def _titles(keys: list[str]) -> list[str]:
    """The words after «کتاب», «فیلم», …: a hit they start with is a title («کتاب ابله را خواندم»)."""
    return [key for i, key in enumerate(keys) if i and keys[i - 1] in _TITLE_NOUNS]


def _scan(tokens: list[str], lists: InsultLists) -> list[str]:
    derived = tables(lists)
    infos = token_infos(tokens, lists)
    keys = [info[0] for info in infos]
    text = " " + " ".join(keys) + " "
    allowed = [] if derived.allowed_first_words.isdisjoint(keys) else [
        p for p, padded in derived.allowed_padded if padded in text
    ]
    found: list[str] = []
    heads = lists.phrase_heads
    # Only a phrase's first word, or the beginning of a listed word, can start anything below.
    either = derived.heads_or_word_starts
    for i in [] if either.isdisjoint(keys[:-1]) else [i for i, key in enumerate(keys[:-1]) if key in either]:
        if keys[i] not in heads:
            if len(keys[i]) + len(keys[i + 1]) >= 4 and (
                keys[i] + keys[i + 1] in lists.words and not _FUNCTION.intersection(keys[i : i + 2])
            ):
                found.append(keys[i] + keys[i + 1])  # «کله پوک» spelt apart
            continue
        starts = derived.phrase_starts
        for size in (4, 3, 2):
            if i + size > len(keys) or (size > 2 and " ".join(keys[i : i + size - 1]) not in starts):
                continue  # no phrase of this length starts with these words
            phrase = " ".join(keys[i : i + size])
            if phrase in lists.phrases:
                found.append(phrase)
            elif (base := _phrase_stem(phrase, lists.phrases, derived.phrase_gates)) is not None:
                found.append(base)  # «خاک بر سرتان», «بی غیرتید»
            elif size == 2 and phrase.replace(" ", "") in lists.words and not _FUNCTION.intersection(keys[i : i + 2]):
                found.append(phrase.replace(" ", ""))
    found += [info[1] for info in infos if info[1] is not None]
    found += _curses(keys)
    found += patterned(keys, lambda k: contextual_stem(k, lists) or word_hit(k, k, lists))
    found += _contextual_hits(keys, [info[2] for info in infos], lists, bool(found))
    if not found:
        return found
    titles = () if _TITLE_NOUNS.isdisjoint(keys[:-1]) else _titles(keys)
    return [f for f in found if not any(f in p for p in allowed) and not any(t.startswith(f) for t in titles)]


def find_insults(cleaned: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The insult entries a cleaned comment contains, in any of its evasive spellings."""
    folded = fold(cleaned).replace(ZWNJ, "")
    found: dict[str, None] = {}
    for tokens in _variants(folded):
        for term in _scan(tokens, lexicon.insults):
            found[term] = None
    found.update(dict.fromkeys(_emoji(folded, bool(found))))
    return tuple(found)


def _emoji(folded: str, other_insult: bool) -> list[str]:
    """🖕 and 💩 always; 🤮, 🤡 and animals in a row, alone, or when the comment insults anyway."""
    if not _ASTRAL.search(folded) or not _ANY_EMOJI_CHAR.search(folded):
        return []
    chars = set(folded)
    hits = sorted(chars & _EMOJI_INSULTS)
    context = sorted(chars & _EMOJI_CONTEXT)
    row = any(folded.count(c) >= 2 for c in context)
    if context and (hits or other_insult or row or not _TOKEN.search(folded)):
        hits += context
    return hits


_STEM_SUFFIXES = ("های", "ها", "ان", "ین", "ی", "ه", "ن", "ند", "ست", "ا", "ای")


def _stem_hit(key: str, words: frozenset[str]) -> str | None:
    """The word a token is, or is with one of `_STEM_SUFFIXES` (tried in order), or None."""
    return _stem_forms(words).get(key)


@cache
def _stem_forms(words: frozenset[str]) -> dict[str, str]:
    """Every token `_stem_hit` answers, with its answer: each word, and each word with a suffix
    (the first suffix in order wins) whose first two letters begin some word."""
    starts = prefixes(words, 2)
    forms: dict[str, str] = {}
    for suffix in _STEM_SUFFIXES:
        for word in sorted(words):
            form = word + suffix
            if form[:2] in starts:
                forms.setdefault(form, word)
    forms.update((word, word) for word in words)  # a word is itself before it is another word plus a suffix
    return forms


def find_accusation(tokens: list[str], lexicon: Lexicon, names: Iterable[str] = ()) -> tuple[str, ...]:
    """Accusation words aimed at an office, a title, a pointer («این آقا») or a named person."""
    forms = _stem_forms(lexicon.accusation_words)
    accused = [hit for t in tokens if (hit := forms.get(t))]
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
