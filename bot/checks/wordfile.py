"""Reading the packaged word-list files and putting entries in the form they are compared in."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources

from bot.checks.normalize import ZWNJ, collapse_floods, fold

_DATA = "bot.checks.data"


def lines(name: str) -> Iterator[str]:
    """The entries of a packaged list: stripped, without blank and # comment lines."""
    # Read line by line: the broad lexicon's 185k lines as one list would cost ~20 MB of peak memory.
    with resources.files(_DATA).joinpath(name).open(encoding="utf-8") as file:
        yield from _entries(file)


def _entries(raw_lines: Iterable[str]) -> Iterator[str]:
    for raw in raw_lines:
        line = raw.strip()
        if line and not line.startswith("#"):
            yield line


@lru_cache(maxsize=65536)
def match_form(word: str) -> str:
    """A list entry in the form tokens are compared in: folded, ZWNJ joined, floods collapsed."""
    return collapse_floods(fold(word).replace(ZWNJ, ""))


def lite_form(word: str) -> str:
    """Only the keyboard letters unified (ي→ی, ك→ک): hamza and ى stay, as Arabic evidence."""
    return word.replace("ي", "ی").replace("ك", "ک").replace(ZWNJ, "")


def word_set(words: Iterable[str], form: str = "match") -> frozenset[str]:
    """Entries in matching form, or in lite form (`form="lite"`) for the Arabic-evidence lists."""
    convert = match_form if form == "match" else lite_form
    return frozenset(convert(w) for w in words)


def read_sections(name: str) -> dict[str, list[str]]:
    """A word list with [section] headings, as section name → entries."""
    sections: dict[str, list[str]] = {}
    current = "default"
    for line in lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1].strip()
            sections.setdefault(current, [])
            continue
        sections.setdefault(current, []).append(line)
    return sections
