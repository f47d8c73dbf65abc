"""The addition captcha's domain: numbers, rendering, typed answers, the cooldown after failures."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest

from bot.domain.captcha import Challenge, cooldown, label, new_challenge, parse_answer, read_question, render


@pytest.mark.parametrize("seed", range(200))
def test_challenge_is_three_digits_plus_one_without_crossing_the_hundred(seed: int) -> None:
    challenge = new_challenge(random.Random(seed))
    assert 110 <= challenge.a <= 989 and 2 <= challenge.b <= 9
    assert challenge.a // 100 == challenge.answer // 100  # the hundreds digit is copied
    assert challenge.options == ()  # answers are typed: no button gives the answer away


def test_no_sum_is_much_likelier_than_another() -> None:
    rng = random.Random(3)
    sums = Counter(new_challenge(rng).answer for _ in range(40_000))
    assert len(sums) > 600
    assert max(sums.values()) / 40_000 < 0.004  # a blind guesser's best single number


def test_render_uses_persian_digits() -> None:
    assert render(347, 8) == "۳۴۷ + ۸ = ؟"
    assert label(355) == "۳۵۵"


@pytest.mark.parametrize(
    ("typed", "value"),
    [("۳۵۵", 355), ("٣٥٥", 355), ("355", 355), (" ۳۵۵ ", 355), ("\u200f۳۵۵", 355), ("0", 0), ("۱۳", 13),
     ("11؟", 11), ("جواب ۱۱", 11), ("پاسخ: ۳۵۵", 355), ("= 355", 355), ("۳۵۵ می‌شه", 355), ("«۳۵۵»", 355)],
)
def test_typed_answers_in_any_digits_and_short_wrappers(typed: str, value: int) -> None:
    assert parse_answer(typed) == value


@pytest.mark.parametrize("typed", ["", "پانزده", "15 تا", "1.5", "-3", "12345", "۱۵۱۵۱", "۱۲ و ۱۳",
                                   "قیمت نان ۳۰ درصد گران شد", "جواب"])
def test_not_an_answer(typed: str) -> None:
    assert parse_answer(typed) is None


def test_old_button_captchas_still_check_their_options() -> None:
    challenge = Challenge(9, 6, (14, 15, 16, 13))
    assert challenge.is_right(challenge.option(1))
    assert not challenge.is_right(challenge.option(0))
    assert challenge.option(4) is None and challenge.option(-1) is None
    assert challenge.is_right(15) and not challenge.is_right(None)
    assert Challenge(347, 8).option(0) is None


def test_cooldown_grows_and_is_capped() -> None:
    assert cooldown(0) == timedelta(0)
    assert [cooldown(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert cooldown(7) == timedelta(hours=1) == cooldown(50)


def test_read_question_from_a_message() -> None:
    assert read_question("نظر شما …\n\n۳۴۷ + ۸ = ؟\n\n⏳ ۳ دقیقه") == (347, 8)
    assert read_question("❌ ۱۲۷ درست نبود. پرسش تازه:\n۴۷۳ + ۷ = ؟") == (473, 7)
    assert read_question("✅ نظر شما ثبت شد") is None
