"""The API as README's «Your website» documents it, driven over plain HTTP the way a newcomer's curl does."""

from __future__ import annotations

import re

import pytest

from fakegram.control import FakeTelegram
from tests.e2e.harness import World
from tests.e2e.test_moderation_tools import command
from tests.web.conftest import COMMENT, PAGE, SENTENCE_OK, Site

LATIN_DIGIT = re.compile(r"[0-9]")


async def test_a_body_that_is_not_a_json_object_is_invalid_with_errors(site: Site) -> None:
    path = f"/api/v1/articles/{site.token}/comments"
    answers = []
    for raw in (b"not json", b"", b"\xff\xfe", b"{", b"[]", b"42"):
        status, body, _ = await site.call("POST", path, data=raw, headers={"Content-Type": "application/json"})
        assert status == 400, (raw, body)
        assert body["status"] == "invalid" and set(body["errors"]) == {"body"}, (raw, body)
        assert body["message"] and body["errors"]["body"], (raw, body)
        answers.append(body)
    assert all(a == answers[0] for a in answers)  # not JSON at all answers as a JSON body that is no object


async def test_field_limits_are_told_in_persian_digits(site: Site) -> None:
    path = f"/api/v1/articles/{site.token}/comments"
    limit = site.khabar.settings.max_comment_length
    given = {"author": "م" * 61, "text": "ن" * (2 * limit + 1), "captcha_id": "unused", "captcha_answer": "۱"}
    status, body, _ = await site.call("POST", path, json=given)
    assert status == 400 and body["status"] == "invalid", body
    assert set(body["errors"]) == {"author", "text"}
    assert "۶۰" in body["errors"]["author"]
    assert str(limit).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in body["errors"]["text"]
    for message in [body["message"], *body["errors"].values()]:
        assert not LATIN_DIGIT.search(message), message


async def test_a_reply_to_an_unknown_comment_returns_the_identity(site: Site) -> None:
    status, body = await site.post(COMMENT, parent_id=987654321)
    assert status == 422 and body["status"] == "rejected" and body["reasons"] == ["parent"], body
    assert body["message"] and body["identity"].startswith("w1.")
    # what the 422 returned is the reader's identity: sent back, the next answer keeps it
    status, again = await site.post(COMMENT, identity=body["identity"])
    assert status == 202 and again["identity"] == body["identity"], again


async def test_an_unknown_address_is_not_an_unknown_article(site: Site) -> None:
    _, article, _ = await site.call("GET", "/api/v1/articles/no-such-token/comments")
    assert article["status"] == "not_found"
    for method, path in (("GET", "/nonexistent"), ("GET", "/api/v1/nonexistent"), ("POST", "/api/v2/captcha")):
        status, body, response = await site.call(method, path)
        assert status == 404 and response.content_type == "application/json", (path, body)
        assert body["message"] != article["message"] and "نشانی" in body["message"], (path, body)
        assert not LATIN_DIGIT.search(body["message"])


async def test_articles_by_link_carry_an_etag_and_answer_304(site: Site) -> None:
    status, body, response = await site.call("GET", "/api/v1/articles", params={"link": PAGE})
    assert status == 200 and body["articles"][0]["token"] == site.token
    etag = response.headers["ETag"]
    assert etag.startswith('"') and response.headers["Cache-Control"] == "public, max-age=0, s-maxage=5"
    assert response.content_type == "application/json" and response.charset == "utf-8"
    status, empty, response = await site.call("GET", "/api/v1/articles", params={"link": PAGE},
                                              headers={"If-None-Match": etag})
    assert status == 304 and not empty
    assert response.headers["ETag"] == etag and response.headers["Cache-Control"] == "public, max-age=0, s-maxage=5"
    status, body, response = await site.call("GET", "/api/v1/articles", params={"link": "https://elsewhere.example/x"},
                                             headers={"If-None-Match": etag})
    assert status == 200 and body == {"articles": []} and response.headers["ETag"] != etag


@pytest.mark.parametrize("web_settings", [{"rate_limit_comments": "1", "rate_limit_window_seconds": "600"}])
async def test_the_author_rate_limit_is_429_with_retry_after(site: Site) -> None:
    status, first = await site.post(COMMENT)
    assert status == 202, first
    path = f"/api/v1/articles/{site.token}/comments"
    captcha_id, right = await site.captcha()
    given = {"author": "مینا", "text": SENTENCE_OK, "captcha_id": captcha_id, "captcha_answer": right,
             "identity": first["identity"]}
    status, body, response = await site.call("POST", path, json=given)
    assert status == 429 and body["status"] == "rate_limited", body  # README: too many → 429 (Retry-After)
    assert response.headers["Retry-After"] == "600"
    assert "۱۰ دقیقه" in body["message"] and not LATIN_DIGIT.search(body["message"]) and "<" not in body["message"]


async def test_a_refusal_by_no_check_does_not_repeat_the_last_checks_reasons(
    site: Site, fake: FakeTelegram, world: World
) -> None:
    status, english = await site.post("This is an English comment about the traffic in Tehran today.")
    assert status == 422 and english["reasons"] and "policy" not in english["reasons"], english
    await command(fake, world, f"/close {site.token}", "بسته شد")
    status, closed = await site.post(COMMENT, identity=english["identity"])
    assert status == 422 and closed["status"] == "rejected", closed
    assert closed["reasons"] == ["closed"] and "بسته" in closed["message"], closed
    assert closed["identity"] == english["identity"]


async def test_a_closed_article_is_not_open_for_comments(site: Site, fake: FakeTelegram, world: World) -> None:
    await command(fake, world, f"/close {site.token}", "بسته شد")
    _, listed, _ = await site.call("GET", "/api/v1/articles", params={"link": PAGE})
    assert listed["articles"][0]["comments_open"] is False  # README: comments_open; /close refuses posts
    _, page, _ = await site.call("GET", f"/api/v1/articles/{site.token}/comments")
    assert page["article"]["comments_open"] is False
