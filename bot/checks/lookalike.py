"""Letters that look like other letters: presentation forms, homoglyphs from other scripts, decoration.

People (and spammers) write Persian with Arabic presentation forms (U+FBxx/FExx, pasted from old
PDFs and "fancy text" sites), with a decorative Urdu «ے» for a final «ی» («خیلے»), with the Kurdish
«ە» for «ه», and Latin insults with Cyrillic or Greek letters that look the same («аhmаq»).
"""

from __future__ import annotations

import re
import unicodedata

# Arabic presentation forms A and B: display shapes of ordinary letters.
_PRESENTATION = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]")

# Cyrillic and Greek letters drawn like Latin ones (after lower-casing).
_TO_LATIN = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "з": "3", "и": "u", "й": "u", "к": "k", "м": "m", "н": "h", "о": "o",
    "п": "n", "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ь": "b", "ѕ": "s", "і": "i", "ї": "i", "ј": "j",
    "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ɡ": "g", "ӏ": "l", "ү": "y",
    "α": "a", "β": "b", "γ": "y", "δ": "d", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v", "ο": "o",
    "ρ": "p", "σ": "o", "ς": "c", "τ": "t", "υ": "u", "χ": "x", "ω": "w",
})
_LOOKALIKE_LETTERS = frozenset(k for k in "авеёзийкмнопрстухьѕіїјһԁԛԝɡӏүαβγδεηικμνορσςτυχω")
_ANY_LOOKALIKE = re.compile("[" + "".join(sorted(_LOOKALIKE_LETTERS)) + "]")
_LATIN_WORD = re.compile(r"[^\W\d_]+")

# Letters of Urdu, Kurdish and Pashto that Persian writers also use as decoration or from their
# keyboard: read as the Persian letter only when the rest of the text is Persian.
PERSIAN_READING = str.maketrans({"ے": "ی", "ۓ": "ی", "ې": "ی", "ہ": "ه", "ە": "ه", "ھ": "ه", "ۀ": "ه", "ڪ": "ک",
                                 "ګ": "گ"})
DECORATIVE = frozenset("ےۓېہەھڪګ")


def base_letters(text: str) -> str:
    """Presentation forms replaced by the letters they draw (ﻛﺜﺎﻓﺖ → کثافت)."""
    if not _PRESENTATION.search(text):
        return text
    return _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _latinize(match: re.Match[str]) -> str:
    word = match.group()
    if not any(c in _LOOKALIKE_LETTERS for c in word):
        return word
    # A word of Latin letters and look-alikes, or only look-alikes: Latin in disguise.
    if all(c.isascii() or c in _LOOKALIKE_LETTERS for c in word):
        return word.translate(_TO_LATIN)
    return word


def latin_homoglyphs(lowered: str) -> str:
    """Words spelt in Latin letters with Cyrillic or Greek look-alikes, in Latin letters (lower case)."""
    if lowered.isascii() or not _ANY_LOOKALIKE.search(lowered):
        return lowered
    return _LATIN_WORD.sub(_latinize, lowered)


def persian_reading(word: str) -> str:
    """A word with decorative Urdu/Kurdish letters read as the Persian ones («خیلے» → «خیلی»)."""
    return word.translate(PERSIAN_READING)
