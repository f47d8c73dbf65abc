"""The API as README's «Your website» documents it, driven over plain HTTP the way a newcomer's curl does."""

from __future__ import annotations

import re

from tests.web.conftest import COMMENT, PAGE, Site

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
