"""A large word list kept small: the sorted hashes of its words, not the words."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable

_SHIFT = 48  # a hash is a signed 64-bit number: its top 16 bits, shifted down, are -32768..32767
_BUCKETS = 1 << 16


class HashedWords:
    """Membership in a list of ~200k words for ~8 bytes a word (a frozenset of str costs ~150).

    Only ``word in words`` is offered: the words themselves are not kept. Python's string hash is 64 bits
    and fixed for the life of a process, so a word that is not listed is found only if its hash equals a
    listed word's — for this list, about one chance in 10^14 per look-up.
    """

    __slots__ = ("_hashes", "_starts")

    def __init__(self, words: Iterable[str]) -> None:
        # Hashes straight into an array, sorted once, duplicates dropped in one pass: no set or list of
        # the words is ever held (for the 185k-word lexicon that transient was ~30 MB of peak RSS).
        ordered = sorted(array("q", (hash(w) for w in words)))
        hashes = array("q")
        previous = None
        for key in ordered:
            if key != previous:
                hashes.append(key)
                previous = key
        self._hashes = hashes
        # Where each of the 65,536 ranges of hashes that share their top 16 bits starts (and the end):
        # a look-up bisects only its own range, a few hashes, not the whole list (~18 steps).
        self._starts = array("i", [bisect_left(hashes, (b - _BUCKETS // 2) << _SHIFT) for b in range(_BUCKETS)])
        self._starts.append(len(hashes))

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        key = hash(word)
        bucket = (key >> _SHIFT) + _BUCKETS // 2
        end = self._starts[bucket + 1]
        hashes = self._hashes
        i = bisect_left(hashes, key, self._starts[bucket], end)
        return i < end and hashes[i] == key

    def __len__(self) -> int:
        return len(self._hashes)

    @property
    def nbytes(self) -> int:
        """The memory the hashes take."""
        return self._hashes.itemsize * len(self._hashes) + self._starts.itemsize * len(self._starts)
