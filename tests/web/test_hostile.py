"""The website's hostile-input suite: 278 requests → no 5xx, nothing stored unescaped, nothing queued that
should not be. Cases come from tests/web/hostile_web.py, run in batches on one running Khabar each."""

from __future__ import annotations

import io
import secrets
from collections import Counter
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import select

from bot.checks.normalize import clean_text
from bot.moderation import service_decide
from fakegram.control import FakeTelegram
from storage.models import Comment
from tests.e2e import hostile_cases as h
from tests.e2e.harness import World
from tests.e2e.hostile_cases import error_log  # noqa: F401  (autouse: no ERROR log in any case)
from tests.e2e.publishing_helpers import article, queue_article
from tests.web.conftest import DRAFT, SENTENCE_OK, Site
from tests.web.hostile_web import CASES, FORGED, NONE, USED, WRONG, Case

BATCHES = 6
INVISIBLE = set(h.INVISIBLES) | {c for c in h.CONTROLS if c not in "\n\t"}


@pytest.fixture
def web_settings() -> dict[str, str]:
    return {"web_trusted_proxies": "127.0.0.1", "rate_limit_comments": "1000", "web_posts_per_minute": "1000"}


async def _approved(site: Site, token: str, text: str, address: str) -> int:
    captcha_id, right = await site.captcha(headers={"X-Forwarded-For": address})
    status, body, _ = await site.call("POST", f"/api/v1/articles/{token}/comments", headers={"X-Forwarded-For": address},
                                      json={"author": "آغازگر", "text": text, "captcha_id": captcha_id,
                                            "captcha_answer": right})
    assert status == 202, body
    async with site.khabar.db.transaction() as session:
        comment = (await session.execute(select(Comment).where(Comment.token == body["reference"]))).scalar_one()
    return comment.id


async def _send(site: Site, case: Case, address: str, parents: dict[str, int]) -> tuple[int, Any]:
    headers = {"X-Forwarded-For": address, **case.headers}
    body: dict[str, Any] = {"author": "خواننده", "text": SENTENCE_OK}
    if case.captcha != NONE:
        captcha_id, right = await site.captcha(headers={"X-Forwarded-For": address})
        if case.captcha == USED:  # used by a wrong answer first, then replayed with the right one
            await site.call("POST", f"/api/v1/articles/{site.token}/comments", headers=headers,
                            json={**body, "captcha_id": captcha_id, "captcha_answer": right + 1})
        body["captcha_id"] = captcha_id if case.captcha != FORGED else secrets.token_urlsafe(16)
        body["captcha_answer"] = right + 1 if case.captcha == WRONG else right
    body.update(case.body or {})
    if case.parent is not None:
        body["parent_id"] = parents[case.parent]
    elif case.name == "parent-approved":
        body["parent_id"] = parents["approved"]
    path = case.path.replace("{token}", site.token)
    if path == "comments":
        path = f"/api/v1/articles/{site.token}/comments"
    kwargs: dict[str, Any] = {"headers": headers}
    if case.method in {"POST", "PUT", "PATCH", "DELETE"}:
        if case.raw is not None:
            kwargs["data"] = io.BytesIO(case.raw) if len(case.raw) > 1024 * 1024 else case.raw
        else:
            kwargs["json"] = body
    status, answer, _ = await site.call(case.method, path, **kwargs)
    return status, answer


@pytest.mark.parametrize("batch", range(BATCHES))
async def test_hostile_requests(site: Site, fake: FakeTelegram, world: World, batch: int) -> None:
    cases = CASES[batch::BATCHES]
    other = await article(site.khabar, await queue_article(site.khabar, DRAFT.__class__(
        title="افزایش قیمت نان در تهران", lead="قیمت نان سنگک و بربری در نانوایی‌های تهران بالا رفت.",
        link="https://news.example/fa/news/bread")))
    parents = {
        "approved": await _approved(site, site.token, SENTENCE_OK, "203.0.113.1"),
        "other_article": await _approved(site, other.token, "قیمت نان سنگک در محلهٔ ما هم بالا رفته است.", "203.0.113.2"),
        "pending": await _approved(site, site.token, "نظر دیگری دربارهٔ ترافیک میدان آزادی تهران و مترو.", "203.0.113.3"),
        "missing": 10**9,
    }
    mod = service_decide.Moderator(world.moderators[0].id, "مدیر یک")
    await site.khabar.settle()
    for key in ("approved", "other_article"):
        assert (await service_decide.approve(site.khabar.deps, parents[key], mod)).result == "done"
    async with site.khabar.db.transaction() as session:
        before = {c.id for c in (await session.execute(select(Comment))).scalars()}

    results: dict[str, tuple[int, Any]] = {}
    for i, case in enumerate(cases):
        results[case.name] = await _send(site, case, f"198.51.{batch}.{i + 1}", parents)
    statuses = Counter(status for status, _ in results.values())
    print(f"\nhostile batch {batch}: {len(cases)} cases, statuses {dict(sorted(statuses.items()))}")
    wrong = {c.name: results[c.name][0] for c in cases if results[c.name][0] not in c.allowed}
    assert wrong == {}, wrong
    assert all(status < 500 for status in statuses)
    for case in cases:
        if case.check is not None and results[case.name][0] in {202, 422}:
            case.check(results[case.name][1])

    await site.khabar.settle()
    async with site.khabar.db.transaction() as session:
        new = [c for c in (await session.execute(select(Comment))).scalars() if c.id not in before]
    queued = {c.token for c in new if c.status == "pending"}
    refs = {body["reference"] for status, body in results.values() if status == 202}
    assert queued == refs  # exactly the 202s are in the queue, nothing else
    sent = {c.name: c for c in cases}
    for comment in new:
        assert not INVISIBLE & set(comment.text) and not INVISIBLE & set(comment.web_author or "")
        assert comment.source == "web" and comment.status in {"pending", "auto_rejected"}
    by_ref = {c.token: c for c in new}
    for name, (status, body) in results.items():
        if status == 202 and (sent[name].body or {}).get("text"):
            assert by_ref[body["reference"]].text == clean_text(sent[name].body["text"])[:4096]

    # approved, every text comes back exactly as written in JSON and in a well-formed Atom feed
    for comment in new:
        if comment.status == "pending":
            await service_decide.approve(site.khabar.deps, comment.id, mod)
    await site.khabar.settle()  # the decisions' count_changed events refresh the website's read cache
    status, listed, _ = await site.call("GET", f"/api/v1/articles/{site.token}/comments?page=1")
    shown = {c["id"]: c["text"] for c in listed["comments"]}
    for comment in new:
        if comment.status == "pending":
            assert shown.get(comment.id) == comment.text
    status, feed, _ = await site.call("GET", f"/articles/{site.token}/comments.atom")
    root = ET.fromstring(feed)
    contents = {e.text for e in root.iter("{http://www.w3.org/2005/Atom}content")}
    for comment in new:
        if comment.status == "pending":
            assert comment.text in contents
