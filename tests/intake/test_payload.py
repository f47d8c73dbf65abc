"""Deep-link payloads, reference tokens, paging and quoting."""

from __future__ import annotations

import random

import pytest

from bot.domain.paging import page_of, trim
from bot.domain.payload import DeepLink, LinkKind, make_payload, new_token, parse_payload


@pytest.mark.parametrize(
    ("payload", "link"),
    [
        ("a-Abc123_x", DeepLink(LinkKind.ARTICLE, "Abc123_x")),
        ("a-Ab-c123", DeepLink(LinkKind.ARTICLE, "Ab-c123")),
        ("c-K7pQx2Mz", DeepLink(LinkKind.CONTINUE, "K7pQx2Mz")),
    ],
)
def test_known_payloads(payload: str, link: DeepLink) -> None:
    assert parse_payload(payload) == link
    assert make_payload(link.kind, link.token) == payload


@pytest.mark.parametrize("payload", [None, "", "x-abcdef", "a-", "a-ab", "a-abc$def", "a-" + "x" * 70, "hello",
                                     "a-abcd ef", "A-abcdef",
                                     "r-K7pQx2Mz"])  # reply links were never produced and are gone (issue 13)
def test_malformed_payloads(payload: str | None) -> None:
    assert parse_payload(payload) is None


def test_tokens_are_short_random_and_link_safe() -> None:
    rng = random.Random(1)
    tokens = {new_token(rng) for _ in range(500)}
    assert len(tokens) == 500
    assert all(len(tok) == 8 and parse_payload(f"c-{tok}") for tok in tokens)


@pytest.mark.parametrize(
    ("total", "requested", "number", "count", "prev", "next_"),
    [(0, 0, 0, 1, False, False), (5, 0, 0, 1, False, False), (6, 1, 1, 2, True, False),
     (11, 1, 1, 3, True, True), (11, 9, 2, 3, True, False), (11, -4, 0, 3, False, True)],
)
def test_pages(total: int, requested: int, number: int, count: int, prev: bool, next_: bool) -> None:
    page = page_of(total, requested)
    assert (page.number, page.count, page.has_prev, page.has_next) == (number, count, prev, next_)
    assert page.offset == number * 5


def test_trim_keeps_short_text_and_cuts_long_at_a_word() -> None:
    assert trim("سلام\nدنیا") == "سلام دنیا"
    cut = trim("واژه " * 100, 50)
    assert len(cut) <= 51 and cut.endswith("…") and not cut.endswith(" …")
