"""The website's API end to end: the real Application, its aiohttp server, fakegram for Telegram."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

from bot.callbacks import Action, encode
from bot.cli import main
from fakegram.control import FakeTelegram
from tests.e2e.driver import approve, find_card
from tests.e2e.harness import World
from tests.e2e.test_moderation_cards import open_menu
from tests.e2e.test_moderation_tools import command
from tests.web.conftest import COMMENT, ORIGIN, PAGE, Site


async def _approve(site: Site, fake: FakeTelegram, world: World, needle: str) -> None:
    await site.khabar.settle()
    card = find_card(fake, world.mods_chat, needle)
    assert card is not None, [m.text for m in fake.bot_messages(world.mods_chat)]
    await approve(fake, world.moderators[0], card)
    await site.khabar.settle()


async def test_article_found_by_its_page_url(site: Site) -> None:
    status, body, _ = await site.call("GET", "/api/v1/articles", params={"link": PAGE + "#comments"})
    assert status == 200
    (found,) = body["articles"]
    assert found["token"] == site.token and found["link"] == PAGE
    assert found["comments_open"] is True and found["comment_count"] == 0
    assert set(found) == {"token", "title", "link", "published_at", "comments_open", "comment_count"}
    status, body, _ = await site.call("GET", "/api/v1/articles", params={"link": "https://elsewhere.example/x"})
    assert status == 200 and body == {"articles": []}


async def test_web_comment_one_queue_to_published(site: Site, fake: FakeTelegram, world: World) -> None:
    status, body = await site.post(COMMENT, author="مینا <b>")
    assert status == 202, body
    assert body["status"] == "pending" and body["reference"] in body["message"]
    assert body["identity"].startswith("w1.")
    await site.khabar.settle()
    card = find_card(fake, world.mods_chat, "کلافه‌کننده")
    assert card is not None
    assert "🌐 از وبگاه" in (card.text or "") and "مینا <b>" in (card.text or "")
    assert body["reference"] in (card.text or "")
    status, listed, _ = await site.call("GET", f"/api/v1/articles/{site.token}/comments")
    assert status == 200 and listed["comments"] == []  # pending is not shown
    await approve(fake, world.moderators[0], card)
    await site.khabar.settle()
    status, listed, response = await site.call("GET", f"/api/v1/articles/{site.token}/comments")
    (shown,) = listed["comments"]
    assert shown["text"] == COMMENT and shown["author"] == "مینا <b>" and shown["via"] == "web"
    assert shown["parent_id"] is None and shown["created_at"].endswith("Z")
    assert response.headers["ETag"] and "s-maxage" in response.headers["Cache-Control"]
    status, _, _ = await site.call("GET", f"/api/v1/articles/{site.token}/comments",
                                   headers={"If-None-Match": response.headers["ETag"]})
    assert status == 304
    # KHABAR_WEB_TO_THREAD is off: nothing from the website in the discussion thread
    assert not any(COMMENT in (m.text or "") for m in fake.bot_messages(world.group))


async def test_captcha_used_once_wrong_and_forged(site: Site) -> None:
    captcha_id, right = await site.captcha()
    path = f"/api/v1/articles/{site.token}/comments"
    wrong = {"author": "", "text": COMMENT, "captcha_id": captcha_id, "captcha_answer": right + 1}
    status, body, _ = await site.call("POST", path, json=wrong)
    assert status == 400 and body["status"] == "captcha"
    status, body, _ = await site.call("POST", path, json={**wrong, "captcha_answer": right})
    assert status == 400  # the question was used by the wrong answer
    captcha_id, right = await site.captcha()
    persian = str(right).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    status, body, _ = await site.call("POST", path, json={**wrong, "captcha_id": captcha_id, "captcha_answer": persian})
    assert status == 202, body
    status, body, _ = await site.call("POST", path, json={**wrong, "captcha_id": captcha_id, "captcha_answer": persian})
    assert status == 400  # replayed
    status, body, _ = await site.call("POST", path, json={**wrong, "captcha_id": "forged-id", "captcha_answer": right})
    assert status == 400


async def test_refused_by_the_checks_is_told_in_persian(site: Site, fake: FakeTelegram, world: World) -> None:
    status, body = await site.post("This is an English comment about the traffic in Tehran today.")
    assert status == 422 and body["status"] == "rejected"
    assert body["reasons"] and "فارسی" in body["message"] and "<" not in body["message"]
    await site.khabar.settle()
    assert find_card(fake, world.mods_chat, "English") is None


async def test_cors_only_for_configured_origins(site: Site) -> None:
    path = f"/api/v1/articles/{site.token}/comments"
    _, _, response = await site.call("OPTIONS", path, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
    assert response.status == 204 and response.headers["Access-Control-Allow-Origin"] == ORIGIN
    _, _, response = await site.call("GET", path, headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
    status, body, _ = await site.call("POST", "/api/v1/captcha", headers={"Origin": "https://evil.example"})
    assert status == 403 and body["status"] == "forbidden"
    captcha_id, right = await site.captcha()
    given = {"author": "", "text": COMMENT, "captcha_id": captcha_id, "captcha_answer": right}
    status, body, _ = await site.call("POST", path, json=given, headers={"Origin": "https://evil.example"})
    assert status == 403
    status, body, _ = await site.call("POST", path, json=given, headers={"Origin": ORIGIN})
    assert status == 202 and body["status"] == "pending"


async def test_embed_page_and_widget_have_a_strict_policy(site: Site) -> None:
    status, page, response = await site.call("GET", f"/embed/{site.token}")
    assert status == 200 and site.token.encode() in page
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and b"<script>" not in page
    status, script, response = await site.call("GET", "/widget.js")
    assert status == 200 and "javascript" in response.content_type
    assert "textContent" in script.decode() and "innerHTML" not in script.decode()
    status, _, _ = await site.call("GET", "/embed/<script>")
    assert status == 404


async def test_ban_by_identity_and_address(site: Site, fake: FakeTelegram, world: World) -> None:
    status, body = await site.post(COMMENT, author="مزاحم")
    assert status == 202
    await site.khabar.settle()
    card = find_card(fake, world.mods_chat, "کلافه‌کننده")
    assert card is not None
    comment_id = int(next(b["callback_data"] for b in card.buttons() if b.get("text") == "✅ انتشار").split(":")[2])
    mod = world.moderators[0]
    await open_menu(fake, mod, card, encode(Action.BAN_MENU, comment_id), "v1:bd:")
    await (await mod.press(card, encode(Action.BAN, comment_id, 1))).wait_answered()
    await site.khabar.settle()
    other = "نظر دیگری دربارهٔ ترافیک میدان آزادی و کندی کار مترو در تهران."
    status, again = await site.post(other, identity=body["identity"])
    assert status == 403 and again["status"] == "banned"
    status, again = await site.post(other + " دوباره")  # no identity: the same address is still banned
    assert status == 403


async def test_stats_and_export_mark_the_source(site: Site, fake: FakeTelegram, world: World, tmp_path: Path) -> None:
    status, _ = await site.post(COMMENT, author="مینا")
    assert status == 202
    await _approve(site, fake, world, "کلافه‌کننده")
    text = await command(fake, world, "/stats", "آمار")
    assert "از وبگاه: ۱" in text
    env = tmp_path / ".env"
    env.write_text(f"KHABAR_DATABASE_URL={site.khabar.settings.database_url}\n")
    out = tmp_path / "out.csv"
    args = ["--env-file", str(env), "export", "--article", site.token, "--format", "csv", "--out", str(out)]
    assert await asyncio.to_thread(main, args) == 0
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").lstrip("\ufeff").splitlines(keepends=True)))
    assert [(r["source"], r["author_name"], r["text"]) for r in rows] == [("web", "مینا", COMMENT)]


async def test_undo_in_telegram_takes_it_off_the_website(site: Site, fake: FakeTelegram, world: World) -> None:
    status, body = await site.post(COMMENT, author="مینا")
    assert status == 202
    await _approve(site, fake, world, "کلافه‌کننده")
    _, listed, _ = await site.call("GET", f"/api/v1/articles/{site.token}/comments")
    (shown,) = listed["comments"]
    card = next(m for m in fake.bot_messages(world.mods_chat) if body["reference"] in (m.text or ""))
    await (await world.moderators[0].press(card, encode(Action.UNDO, shown["id"]))).wait_answered()
    await site.khabar.settle()
    _, listed, _ = await site.call("GET", f"/api/v1/articles/{site.token}/comments")
    assert listed["comments"] == [] and listed["total"] == 0
