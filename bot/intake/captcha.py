"""The addition captcha: two one-digit numbers, their sum, four shuffled options (pure)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bot.checks.normalize import parse_number, to_persian_digits

OPTIONS = 4
MAX_DIGIT = 9


@dataclass(frozen=True, slots=True)
class Challenge:
    """One question: ``a + b`` and four distinct answers, exactly one of them right."""

    a: int
    b: int
    options: tuple[int, ...]

    @property
    def answer(self) -> int:
        """The right sum."""
        return self.a + self.b

    def is_right(self, value: int | None) -> bool:
        """Whether ``value`` is the sum."""
        return value == self.answer

    def option(self, index: int) -> int | None:
        """The value behind button ``index``, or None for an index no button has."""
        return self.options[index] if 0 <= index < len(self.options) else None


def new_challenge(rng: random.Random) -> Challenge:
    """Fresh numbers; the wrong options sit near the sum so guessing by size does not help."""
    a = rng.randint(1, MAX_DIGIT)
    b = rng.randint(1, MAX_DIGIT)
    total = a + b
    near = [v for v in range(total - 4, total + 5) if v != total and 0 <= v <= 2 * MAX_DIGIT]
    options = [total, *rng.sample(near, OPTIONS - 1)]
    rng.shuffle(options)
    return Challenge(a, b, tuple(options))


def parse_answer(text: str) -> int | None:
    """A typed answer in Persian (۱۵), Arabic-Indic (١٥) or Latin (15) digits, or None."""
    value = parse_number(text)
    if value is None or not 0 <= value <= 999:
        return None
    return value


def render(a: int, b: int) -> str:
    """«۹ + ۶ = ؟» in Persian digits, left to right as a reader expects it."""
    return f"{to_persian_digits(str(a))} + {to_persian_digits(str(b))} = ؟"


def label(value: int) -> str:
    """A button's face: the number in Persian digits."""
    return to_persian_digits(str(value))
