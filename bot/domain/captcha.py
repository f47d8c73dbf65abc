"""The addition captcha (pure): «۳۴۷ + ۸ = ؟», answered by typing, and the cooldown after failures.

Why these numbers (figures in bench/captcha.py): the answer is typed, so a blind guesser must guess
a number, not pick one of four buttons. A three-digit number plus a one-digit number whose sum never
crosses the hundred (the hundreds digit is copied, one carry at most) is the same mental step as
«۴۷ + ۸», but its sum is one of several hundred equally likely values: with three tries a blind
guesser passes about 0.4 % of comments, where four buttons and three tries let 58 % through.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import timedelta

from bot.checks.normalize import to_latin_digits, to_persian_digits

HUNDREDS = range(1, 10)  # the first number's hundreds digit
TAIL = range(10, 90)  # its last two digits: + a digit never crosses the hundred
ADDEND = range(2, 10)  # the second number
MAX_TYPED = 9999
# Words a reader may put around a typed number («جواب ۱۱», «۳۵۵ می‌شه»); anything else is not an answer.
_FILLER = frozenset({
    "جواب", "پاسخ", "حاصل", "جمع", "برابر", "است", "هست", "میشه", "می‌شه", "می‌شود", "میشود",
    "=", "answer", "javab", "pasokh",
})
_EDGE = " \t\n\r\u00a0\u200c\u200b\u200e\u200f\ufeff\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u202e?؟!.،,:=«»\"'()"
MAX_ANSWER_TEXT = 40
COOLDOWN_BASE = timedelta(minutes=1)
COOLDOWN_MAX = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Challenge:
    """One question ``a + b``; ``options`` only on captchas made before answers were typed (buttons)."""

    a: int
    b: int
    options: tuple[int, ...] = ()

    @property
    def answer(self) -> int:
        """The right sum."""
        return self.a + self.b

    def is_right(self, value: int | None) -> bool:
        """Whether ``value`` is the sum."""
        return value == self.answer

    def option(self, index: int) -> int | None:
        """The value behind button ``index`` of an old captcha, or None for an index no button has."""
        return self.options[index] if 0 <= index < len(self.options) else None


def new_challenge(rng: random.Random) -> Challenge:
    """Fresh numbers, e.g. 347 + 8: one of 5,760 questions, a sum one of 720 values."""
    a = rng.choice(HUNDREDS) * 100 + rng.choice(TAIL)
    return Challenge(a, rng.choice(ADDEND))


def parse_answer(text: str) -> int | None:
    """A typed answer in Persian (۳۵۵), Arabic-Indic (٣٥٥) or Latin (355) digits, or None.

    Short wrappers are allowed («۱۳», «11؟», «جواب ۱۱», «= ۳۵۵»); a sentence with a number is not an answer.
    """
    if len(text) > MAX_ANSWER_TEXT:
        return None
    numbers: list[str] = []
    for token in to_latin_digits(text).split():
        word = token.strip(_EDGE)
        if not word or word.lower() in _FILLER:
            continue
        numbers.append(word)
    if len(numbers) != 1 or not numbers[0].isascii() or not numbers[0].isdigit():
        return None
    value = int(numbers[0])
    return value if value <= MAX_TYPED else None


_QUESTION = re.compile(r"(\d+)\s*\+\s*(\d+)\s*=\s*؟")


def read_question(text: str) -> tuple[int, int] | None:
    """The numbers of the question a message shows («۳۴۷ + ۸ = ؟» → (347, 8)), or None."""
    match = _QUESTION.search(to_latin_digits(text))
    return (int(match.group(1)), int(match.group(2))) if match else None


def cooldown(failures: int) -> timedelta:
    """How long after the last failed captcha a reader waits: 0 for none, then 1, 2, 4 … minutes, at most an hour."""
    if failures <= 0:
        return timedelta(0)
    return min(COOLDOWN_BASE * 2 ** min(failures - 1, 12), COOLDOWN_MAX)


def render(a: int, b: int) -> str:
    """«۳۴۷ + ۸ = ؟» in Persian digits, left to right as a reader expects it."""
    return f"{to_persian_digits(str(a))} + {to_persian_digits(str(b))} = ؟"


def label(value: int) -> str:
    """A number in Persian digits."""
    return to_persian_digits(str(value))
