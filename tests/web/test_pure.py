"""The website's pure parts: client addresses behind proxies, identities, typed answers, threads, limits."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.website import identity
from bot.website.addresses import check_origin, client_address, networks
from bot.website.limits import AddressLimit
from bot.website.requests import Invalid, parse_answer, parse_comment
from bot.website.threads import WebComment, page_json, threaded

PROXIES = networks(["127.0.0.1", "10.0.0.0/8"])


@pytest.mark.parametrize(("peer", "xff", "expected"), [
    ("203.0.113.9", None, "203.0.113.9"),
    ("203.0.113.9", "1.2.3.4", "203.0.113.9"),  # not from a trusted proxy: the header is ignored
    ("127.0.0.1", "198.51.100.7", "198.51.100.7"),
    ("127.0.0.1", "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # the left part is the client's own claim
    ("127.0.0.1", "198.51.100.7, 10.1.2.3", "198.51.100.7"),  # two trusted hops
    ("127.0.0.1", "garbage", "127.0.0.1"),
    ("127.0.0.1", "198.51.100.7, <script>", "127.0.0.1"),
    ("127.0.0.1", "[2001:db8::1]:443", "2001:db8::1"),
    (None, "1.2.3.4", "unknown"),
])
def test_client_address(peer: str | None, xff: str | None, expected: str) -> None:
    assert client_address(peer, xff, PROXIES) == expected


def test_origins_are_checked() -> None:
    assert check_origin("https://News.Example/") == "https://news.example"
    for bad in ("news.example", "https://news.example/path", "ftp://x", "https://"):
        with pytest.raises(ValueError):
            check_origin(bad)


def test_identity_cannot_be_forged() -> None:
    secret, rng = b"k" * 32, random.Random(1)
    ident = identity.new_id(rng)
    token = identity.sign(secret, ident)
    assert identity.verify(secret, token) == ident
    assert identity.verify(b"other" * 8, token) is None
    assert identity.verify(secret, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    for junk in (None, 1, "", "w1..", "w1.a.b.c", "x" * 200, ["w1"]):
        assert identity.verify(secret, junk) is None
    assert identity.user_id(ident) < 0 and identity.user_id(ident) == identity.user_id(ident)
    assert identity.address_key(secret, "1.2.3.4") != identity.address_key(secret, "1.2.3.5")


@pytest.mark.parametrize(("given", "value"), [
    ("15", 15), ("۱۵", 15), ("١٥", 15), (" ۱۵ ", 15), (15, 15), ("۰", 0),
    ("abc", None), ("", None), (True, None), (1.5, None), ([], None), ("۱۵۰۰", None), (-1, None),
])
def test_typed_answers(given: object, value: int | None) -> None:
    assert parse_answer(given) == value


def test_comment_body_errors_name_the_field() -> None:
    parsed = parse_comment({"text": 5, "captcha_id": "ok", "captcha_answer": "x", "parent_id": True}, 1000)
    assert isinstance(parsed, Invalid) and set(parsed.errors) == {"text", "captcha_answer", "parent_id"}
    good = parse_comment({"author": " \u202eسارا ", "text": "متن", "captcha_id": "abc", "captcha_answer": "۷"}, 1000)
    assert not isinstance(good, Invalid) and good.author == "سارا" and good.captcha_answer == 7


def test_threads_put_replies_under_their_root() -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [WebComment(1, "a", "x", t0, None, "web"), WebComment(2, "b", "y", t0 + timedelta(minutes=1), None, "telegram"),
            WebComment(3, "c", "z", t0 + timedelta(minutes=2), 1, "web"), WebComment(4, "d", "w", t0 + timedelta(minutes=3), 3, "web"),
            WebComment(5, "e", "v", t0 + timedelta(minutes=4), 99, "web")]
    assert [[c.id for c in g] for g in threaded(rows)] == [[5], [2], [1, 3, 4]]
    body = page_json(rows, 1, lambda m: "t", per_page=2)
    assert [c["id"] for c in body["comments"]] == [5, 2] and body["pages"] == 2 and body["total"] == 5
    assert page_json(rows, 2, lambda m: "t", per_page=2)["comments"][2]["parent_id"] == 3
    assert page_json(rows, 1, lambda m: "t")["comments"][0]["parent_id"] is None  # orphan reply shown as a root


def test_sliding_window() -> None:
    window = AddressLimit(2, 60.0)
    assert window.allow("a", 0) and window.allow("a", 1) and not window.allow("a", 2)
    assert window.allow("b", 2) and window.allow("a", 61)
