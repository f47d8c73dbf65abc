"""The penalties ladder (bot/penalties.py) and its settings."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.penalties import Ladder
from bot.settings import Settings


def test_steps_climb_and_the_last_repeats() -> None:
    ladder = Ladder.of(2, 7, "insult, accusation", "1,7,0")
    assert ladder.on and ladder.reasons == {"insult", "accusation"}
    assert [ladder.step(n) for n in range(4)] == [(1, 1), (2, 7), (3, None), (3, None)]
    assert ladder.next_days(1) == 7 and ladder.next_days(3) is None
    assert not ladder.due(1) and ladder.due(2)
    assert not Ladder.of(0, 7, "insult", "1").on


def test_bad_ladders_are_refused_with_the_setting_named() -> None:
    with pytest.raises(ValidationError, match="penalty_steps"):
        Settings(penalty_steps="1,week")
    with pytest.raises(ValidationError, match="penalty_reasons"):
        Settings(penalty_reasons="insult,rude")
    assert Settings(penalty_steps="1, 7, 0").penalty_steps == "1,7,0"
