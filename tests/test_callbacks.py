"""Callback data: versioned, ids only, forged data parsed to None."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callbacks import ARITY, Action, Callback, encode, parse


def test_round_trip_every_action() -> None:
    for action, arity in ARITY.items():
        cb = Callback(action, tuple(range(10**12, 10**12 + arity)))
        data = cb.encode()
        assert data.startswith("v1:") and len(data.encode()) <= 64
        assert parse(data) == cb


@pytest.mark.parametrize(
    "data",
    [None, "", "v1", "v2:ap:1", "v1:zz:1", "v1:ap", "v1:ap:1:2", "v1:ap:-1", "v1:pr:-", "v1:pr:--1", "v1:pr:-0", "v1:pr:+1",
     "v1:pr:-" + "9" * 17, f"v1:pr:-{2**53}", f"v1:pr:{2**53}", "v1:pr:007", "v1:ap:۱۲", "v1:ap:1e3",
     "v1:ap:" + "9" * 17, "v1:cp:1:2", "v1:ap:" + "1" * 70, "v1:ap: 1", "v1:ap:0x10"],
)
def test_forged_data_is_refused(data: str | None) -> None:
    assert parse(data) is None


def test_encode_checks_arity() -> None:
    with pytest.raises(ValueError, match="takes"):
        encode(Action.APPROVE)


def test_negative_ids_round_trip() -> None:
    """Website authors' user ids are negative; their buttons (e.g. purge) must parse."""
    for value in (-1, -(2**53 - 1), -(10**12)):
        data = encode(Action.PURGE, value)
        assert parse(data) == Callback(Action.PURGE, (value,))


@pytest.mark.parametrize(("action", "value"), [(Action.PURGE, 2**53), (Action.PURGE, -(2**53)),
                                               (Action.PURGE, 10**20), (Action.APPROVE, -1)])
def test_encode_refuses_what_parse_refuses(action: Action, value: int) -> None:
    with pytest.raises(ValueError):
        encode(action, value)


@given(st.text(max_size=80))
def test_parse_never_raises(data: str) -> None:
    result = parse(data)
    assert result is None or result.encode() == data
