"""KHABAR_WEB_TO_THREAD on: website comments reach the discussion thread too; replies cross over."""

from __future__ import annotations

import pytest

from fakegram.control import FakeTelegram
from tests.e2e.driver import approve, find_card, send_comment, solve_captcha, start_payload
from tests.e2e.harness import World
from tests.e2e.test_intake_support import answer_typed, captcha_for, comments_of
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


async def test_telegram_comments_on_the_website_and_a_thread_reply_to_a_web_comment(
    site: Site, fake: FakeTelegram, world: World
) -> None:
    (post,) = fake.bot_messages(world.channel)
    await fake.wait_for("getUpdates", timeout=5)  # the bot has seen the automatic forward
    sara = fake.make_user("سارا", "sara")
    telegram_text = "ترافیک میدان آزادی هر روز بدتر می‌شود و خط مترو باید زودتر تکمیل شود."
    receipt = await solve_captcha(fake, sara, await send_comment(fake, sara, start_payload(post), telegram_text))
    assert "ثبت شد" in receipt.params["text"]
    await _approve(site, fake, world, "هر روز بدتر")
    status, _ = await site.post(COMMENT, author="مینا")
    assert status == 202
    await _approve(site, fake, world, "کلافه‌کننده")
    _, listed, _ = await site.call("GET", f"/api/v1/articles/{site.token}/comments")
    by_text = {c["text"]: c for c in listed["comments"]}
    assert by_text[telegram_text]["via"] == "telegram" and by_text[telegram_text]["author"] == "سارا"
    web_comment = by_text[COMMENT]
    assert web_comment["via"] == "web"

    copy = next(m for m in fake.bot_messages(world.group) if COMMENT in (m.text or ""))
    reply = "با نظر مینا موافقم؛ ترافیک میدان آزادی واقعاً زیاد است و مترو دیر شده است."
    await sara.send(world.group, reply, reply_to=copy)
    await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(sara.id)
                        and "= ؟" in str(c.params.get("text")))
    [*_, mine] = await comments_of(site.khabar, sara)
    assert mine.parent_id == web_comment["id"]
    captcha = await captcha_for(site.khabar, mine.id)
    await answer_typed(fake, sara, captcha)  # the sum typed, as a reader does
    await _approve(site, fake, world, "با نظر مینا موافقم")
    _, listed, _ = await site.call("GET", f"/api/v1/articles/{site.token}/comments")
    shown = next(c for c in listed["comments"] if c["text"] == reply)
    assert shown["parent_id"] == web_comment["id"] and shown["via"] == "telegram"
