"""Every allowed and every forbidden comment transition."""

from __future__ import annotations

import itertools

import pytest

from bot.states import TRANSITIONS, CommentStatus, TransitionError, can_move, check_move, sources_of

S = CommentStatus
ALLOWED = {
    (S.AWAITING_CAPTCHA, S.PENDING),
    (S.AWAITING_CAPTCHA, S.EXPIRED),
    (S.PENDING, S.APPROVED),
    (S.PENDING, S.REJECTED),
    (S.APPROVED, S.PENDING),
    (S.REJECTED, S.PENDING),
    (S.APPROVED, S.REMOVED),
}


@pytest.mark.parametrize(("old", "new"), list(itertools.product(S, S)))
def test_transition_table(old: S, new: S) -> None:
    assert can_move(old, new) == ((old, new) in ALLOWED)
    if (old, new) in ALLOWED:
        check_move(old, new)
    else:
        with pytest.raises(TransitionError):
            check_move(old, new)


def test_terminal_states_have_no_way_out() -> None:
    assert TRANSITIONS[S.AUTO_REJECTED] == frozenset()
    assert TRANSITIONS[S.EXPIRED] == frozenset()
    assert TRANSITIONS[S.REMOVED] == frozenset()


def test_sources_of_pending() -> None:
    assert sources_of(S.PENDING) == {S.AWAITING_CAPTCHA, S.APPROVED, S.REJECTED}
