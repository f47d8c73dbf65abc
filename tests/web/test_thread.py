"""KHABAR_WEB_TO_THREAD on: website comments reach the discussion thread too; replies cross over."""

from __future__ import annotations

import pytest

from fakegram.control import FakeTelegram
from tests.e2e.driver import approve, find_card
from tests.e2e.harness import World
from tests.web.conftest import COMMENT, Site
from tests.web.test_api import _approve


@pytest.fixture
def web_settings() -> dict[str, str]:
    return {"web_to_thread": "true"}


async def test_to_thread_and_replies_cross_over(site: Site, fake: FakeTelegram, world: World) -> None:
    status, body = await site.post(COMMENT, author="مینا")
    assert status == 202
    await _approve(site, fake, world, "کلافه‌کننده")
    thread = [m for m in fake.bot_messages(world.group) if COMMENT in (m.text or "")]
    assert len(thread) == 1 and "مینا" in (thread[0].text or "") and "از وبگاه" in (thread[0].text or "")
    _, listed, _ = await site.call("GET", f"/api/v1/articles/{site.token}/comments")
    parent_id = listed["comments"][0]["id"]
    reply = "من هم با این نظر دربارهٔ ترافیک میدان آزادی و تکمیل مترو موافقم."
    status, body = await site.post(reply, author="رضا", parent_id=parent_id)
    assert status == 202, body
    await site.khabar.settle()
    card = find_card(fake, world.mods_chat, "موافقم")
    assert card is not None and "مینا" in (card.text or "")  # the card quotes the web parent's author
    await approve(fake, world.moderators[0], card)
    await site.khabar.settle()
    _, listed, _ = await site.call("GET", f"/api/v1/articles/{site.token}/comments")
    assert [c["parent_id"] for c in listed["comments"]] == [None, parent_id]
    status, feed, response = await site.call("GET", f"/articles/{site.token}/comments.atom")
    assert status == 200 and response.content_type == "application/atom+xml"
    assert b"<feed" in feed and reply.encode() in feed
