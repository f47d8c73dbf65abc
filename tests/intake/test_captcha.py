"""The addition captcha's domain: numbers, options, rendering, typed answers."""

from __future__ import annotations

import random

import pytest

from bot.intake.captcha import Challenge, label, new_challenge, parse_answer, render


@pytest.mark.parametrize("seed", range(200))
def test_challenge_has_four_distinct_options_one_right(seed: int) -> None:
    challenge = new_challenge(random.Random(seed))
    assert 1 <= challenge.a <= 9 and 1 <= challenge.b <= 9
    assert len(challenge.options) == 4 == len(set(challenge.options))
    assert challenge.options.count(challenge.answer) == 1
    assert all(0 <= v <= 18 for v in challenge.options)


def test_right_answer_is_not_always_in_the_same_place() -> None:
    rng = random.Random(7)
    positions = set()
    for _ in range(100):
        c = new_challenge(rng)
        positions.add(c.options.index(c.answer))
    assert positions == {0, 1, 2, 3}


def test_render_uses_persian_digits() -> None:
    assert render(9, 6) == "۹ + ۶ = ؟"
    assert label(15) == "۱۵"


@pytest.mark.parametrize(
    ("typed", "value"),
    [("۱۵", 15), ("١٥", 15), ("15", 15), (" ۱۵ ", 15), ("\u200f۱۵", 15), ("0", 0)],
)
def test_typed_answers_in_any_digits(typed: str, value: int) -> None:
    assert parse_answer(typed) == value


@pytest.mark.parametrize("typed", ["", "پانزده", "15 تا", "1.5", "-3", "12345", "۱۵۱۵۱"])
def test_not_an_answer(typed: str) -> None:
    assert parse_answer(typed) is None


def test_challenge_checks_options_and_values() -> None:
    challenge = Challenge(9, 6, (14, 15, 16, 13))
    assert challenge.is_right(challenge.option(1))
    assert not challenge.is_right(challenge.option(0))
    assert challenge.option(4) is None and challenge.option(-1) is None
    assert challenge.is_right(15) and not challenge.is_right(None)
