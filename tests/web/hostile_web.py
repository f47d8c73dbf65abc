"""The website's hostile-input corpus: requests nobody's widget sends, each with the answer it must get."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.e2e import hostile_cases as h

SENTENCE = "ترافیک میدان آزادی تهران امروز صبح سنگین بود و مترو باید زودتر تکمیل شود."
# What the request's captcha is: a fresh one answered right, one answered wrong, one used already, one
# that never existed, or none at all (the body says everything).
RIGHT, WRONG, USED, FORGED, NONE = "right", "wrong", "used", "forged", "none"


@dataclass(frozen=True)
class Case:
    """One hostile request and the statuses it may get."""

    name: str
    allowed: frozenset[int]
    body: dict[str, Any] | None = None  # merged over a well-formed comment
    raw: bytes | None = None  # sent as is instead of a JSON body
    captcha: str = RIGHT
    method: str = "POST"
    path: str = "comments"  # "comments", or a path with {token}
    headers: dict[str, str] = field(default_factory=dict)
    parent: str | None = None  # "approved" | "pending" | "other_article" | "missing"
    check: Callable[[Any], None] | None = None


def accepted_or_refused(name: str, body: dict[str, Any]) -> Case:
    """A well-typed comment: queued (202) or refused by the checks (422), never anything else."""
    return Case(name, frozenset({202, 422}), body)


def build() -> list[Case]:
    cases: list[Case] = []
    # 1. markup, scripts, entities and format strings in the text and in the name
    for i, frag in enumerate(h.INJECTIONS):
        cases.append(accepted_or_refused(f"text-injection-{i}", {"text": f"{frag} {SENTENCE}"}))
    for i, name in enumerate([*h.NAMES, "<img src=x onerror=alert(1)>", "\"'><svg onload=alert(1)>", "javascript:"]):
        allowed = frozenset({202, 422, 400})  # 400: a name longer than the limit
        cases.append(Case(f"name-injection-{i}", allowed, {"author": name, "text": SENTENCE}))
    # 2. bidi and control characters, around and inside the text and the name
    for i, ch in enumerate(h.INVISIBLES + h.CONTROLS):
        cases.append(accepted_or_refused(f"invisible-{i}", {"text": f"{ch}{SENTENCE[:20]}{ch}{SENTENCE[20:]}{ch}",
                                                            "author": f"{ch}نام{ch}"}))
    for i, text in enumerate(["\u202e" * 500, "\x00" * 100, "\u200b" * 50, " \n\t " * 30, "\ufeff"]):
        cases.append(Case(f"only-invisible-{i}", frozenset({400}), {"text": text}))
    # 3. wrong types
    for field_name, values in {
        "text": [None, 1, 1.5, True, [], {}, ["متن"], {"a": "b"}],
        "author": [1, True, [], {}, ["نام"], "ن" * 300],
        "parent_id": ["1", 1.5, True, False, -1, 0, 2**64, [], {}, "۱"],
        "captcha_id": [None, 1, True, [], {}, "", "x" * 65, "../../etc", "<script>", "id with space", "؟"],
        "captcha_answer": [None, [], {}, 1.5, True, "abc", "1e1", "", "۱۵۰۰۰", -1, 10**20, "1" * 30, "15 و 16"],
    }.items():
        for j, value in enumerate(values):
            captcha = RIGHT if field_name != "captcha_id" else NONE
            cases.append(Case(f"type-{field_name}-{j}", frozenset({400}), {field_name: value}, captcha=captcha))
    for j, raw in enumerate([b"[]", b'"x"', b"1", b"null", b"true", b"", b"{", b"{'a': 1}", b"\xff\xfe\x00",
                             b"{\"text\": \"\xff\"}", b"[" * 5000 + b"]" * 5000, b"{\"a\":" * 2000 + b"1" + b"}" * 2000]):
        cases.append(Case(f"not-an-object-{j}", frozenset({400}), raw=raw, captcha=NONE))
    # 4. huge bodies and texts
    for j, size in enumerate([17 * 1024, 64 * 1024, 1024 * 1024, 5 * 1024 * 1024]):
        cases.append(Case(f"huge-body-{j}", frozenset({413}), raw=json.dumps({"text": "ن" * size}).encode(),
                          captcha=NONE))
    for j, size in enumerate([2001, 3000, 5000]):
        cases.append(Case(f"long-text-{j}", frozenset({400, 413}), {"text": "نظر " * (size // 4 + 1)}))
    cases.append(accepted_or_refused("long-but-allowed", {"text": (SENTENCE + " ") * 12}))
    # 5. forged ids and tokens
    for j, token in enumerate(["unknown-token", "a" * 65, "..", "%2e%2e", "<script>", "'%20OR%201=1--", "%00",
                               "۱۲۳", "a.b", "-", "_" * 64]):
        for k, kind in enumerate(["post", "get", "atom", "embed"]):
            path = {"post": "/api/v1/articles/{t}/comments", "get": "/api/v1/articles/{t}/comments",
                    "atom": "/articles/{t}/comments.atom", "embed": "/embed/{t}"}[kind].replace("{t}", token)
            method = "POST" if kind == "post" else "GET"
            cases.append(Case(f"forged-article-{j}-{k}", frozenset({404}), {}, method=method, path=path,
                              captcha=NONE if method == "GET" else RIGHT))
    for kind in ["pending", "other_article", "missing"]:
        cases.append(Case(f"forged-parent-{kind}", frozenset({422}), {"text": SENTENCE}, parent=kind))
    cases.append(accepted_or_refused("parent-approved", {"text": "پاسخ من: " + SENTENCE}))
    for j, ident in enumerate(["w1.abc.def", "w1..", "w2.x.y", "x" * 500, "w1." + "A" * 22 + "." + "B" * 22, ""]):
        cases.append(Case(f"forged-identity-{j}", frozenset({202, 422}), {"text": SENTENCE, "identity": ident},
                          check=_fresh_identity(ident)))
    # 6. captchas: wrong, replayed, never issued
    for j in range(5):
        cases.append(Case(f"captcha-wrong-{j}", frozenset({400}), {"text": SENTENCE}, captcha=WRONG))
        cases.append(Case(f"captcha-replayed-{j}", frozenset({400}), {"text": SENTENCE}, captcha=USED))
        cases.append(Case(f"captcha-forged-{j}", frozenset({400}), {"text": SENTENCE}, captcha=FORGED))
    # 7. odd methods, queries and headers
    for j, (method, path) in enumerate([("PUT", "comments"), ("DELETE", "comments"), ("PATCH", "/api/v1/captcha"),
                                        ("GET", "/api/v1/captcha"), ("POST", "/api/v1/articles"),
                                        ("DELETE", "/widget.js"), ("POST", "/embed/{token}")]):
        cases.append(Case(f"method-{j}", frozenset({405}), {}, method=method, path=path, captcha=NONE))
    for j, query in enumerate(["page=-1", "page=abc", "page=" + "9" * 40, "page=۲", "page=1&page=2", "page=%00"]):
        cases.append(Case(f"query-{j}", frozenset({200}), {}, method="GET", path="/api/v1/articles/{token}/comments?" + query,
                          captcha=NONE))
    for j, link in enumerate(["", "javascript:alert(1)", "x" * 5000, "https://news.example/%00", "<script>"]):
        cases.append(Case(f"link-{j}", frozenset({200}), {}, method="GET", path="/api/v1/articles?link=" + link,
                          captcha=NONE, check=_no_articles))
    for j, headers in enumerate([{"Content-Type": "text/plain"}, {"Content-Type": "application/x-www-form-urlencoded"},
                                 {"X-Forwarded-For": "1.2.3.4, <script>"}, {"Origin": "null"},
                                 {"Origin": "https://news.example.evil.example"}]):
        allowed = frozenset({403}) if "Origin" in headers else frozenset({202, 422})
        cases.append(Case(f"header-{j}", allowed, {"text": f"{SENTENCE} ({j})"}, headers=headers))
    return cases


def _fresh_identity(sent: str) -> Callable[[Any], None]:
    def check(body: Any) -> None:
        assert body.get("identity", "").startswith("w1.") and body.get("identity") != sent

    return check


def _no_articles(body: Any) -> None:
    assert body == {"articles": []}


CASES = build()
