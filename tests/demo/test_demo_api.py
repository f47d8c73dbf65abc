"""The demo page's HTTP side: what it serves, what it refuses, and that its actions reach the real bot."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from importlib import resources
from typing import Any

import aiohttp
import pytest

from bot.demo.runtime import Demo
from bot.demo.server import STATIC, DemoServer
from bot.texts import demo as texts


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def get_state(client: aiohttp.ClientSession, demo: DemoServer) -> dict[str, Any]:
    async with client.get(demo.url + "api/state") as response:
        assert response.status == 200
        state: dict[str, Any] = await response.json()
        return state


async def act(client: aiohttp.ClientSession, demo: DemoServer, path: str, body: dict[str, Any]) -> tuple[int, Any]:
    async with client.post(demo.url + "api/" + path, json=body) as response:
        return response.status, await response.json()


def test_page_assets_load_nothing_from_elsewhere_and_have_no_inline_script() -> None:
    folder = resources.files("bot.demo").joinpath("static")
    for name in ("index.html", *STATIC):
        text = folder.joinpath(name).read_text(encoding="utf-8")
        urls = re.findall(r"https?://[^\s\"')]+", text)
        assert urls == (["http://www.w3.org/2000/svg"] if name.endswith(".svg") else []), (name, urls)
        assert "@import" not in text and "url(" not in text, name
    page = folder.joinpath("index.html").read_text(encoding="utf-8")
    assert all(link.startswith("/static/") for link in re.findall(r'(?:src|href)="([^"]*)"', page))
    assert re.findall(r"<script(?![^>]*\bsrc=)", page) == []
    assert re.findall(r"\son[a-z]+=", page) == []
    assert 'dir="rtl"' in page and 'lang="fa"' in page
    placeholders = set(re.findall(r"\{\{([a-z_]+)\}\}", page))
    assert placeholders <= set(texts.PAGE), placeholders - set(texts.PAGE)


async def test_page_is_served_in_persian_with_a_strict_policy(demo: DemoServer, client: aiohttp.ClientSession) -> None:
    async with client.get(demo.url) as response:
        page = await response.text()
        policy = response.headers["Content-Security-Policy"]
    assert texts.PAGE["banner"] in page and "{{" not in page
    assert "default-src 'self'" in policy and "frame-src 'none'" in policy
    state = await get_state(client, demo)
    assert state["web"] is None
    assert state["data"] == {"path": str(demo.demo.database_path), "temporary": False}


async def test_other_hosts_and_form_posts_are_refused(demo: DemoServer, client: aiohttp.ClientSession) -> None:
    async with client.get(demo.url + "api/state", headers={"Host": "evil.example"}) as response:
        assert response.status == 421
    async with client.post(demo.url + "api/send", data={"person": "reader1", "chat": "private", "text": "x"}) as response:
        assert response.status == 415
    assert not demo.demo.room.people["reader1"].user.private_chat.messages


@pytest.mark.parametrize(
    "body",
    [
        {"person": "nobody", "chat": "private", "text": "سلام"},
        {"person": "reader1", "chat": "mods", "text": "سلام"},  # readers are not in the moderators' group
        {"person": "mod1", "chat": "group", "text": "سلام"},
        {"person": "reader1", "chat": "channel", "text": "سلام"},
        {"person": "reader1", "chat": "private", "text": "   "},
        {"person": "reader1", "chat": "private", "text": "x" * 5000},
        {"person": "reader1", "chat": "group", "text": "سلام", "reply_to": 999},
        {"person": "reader1", "chat": "nowhere", "text": "سلام"},
    ],
)
async def test_bad_actions_get_a_persian_error(demo: DemoServer, client: aiohttp.ClientSession, body: dict[str, Any]) -> None:
    status, answer = await act(client, demo, "send", body)
    assert (status, answer) == (400, {"ok": False, "error": texts.PAGE["error"]})


async def test_a_button_that_is_not_on_the_message_is_refused(demo: DemoServer, client: aiohttp.ClientSession) -> None:
    status, _ = await act(client, demo, "press", {"person": "reader1", "chat": "channel", "message_id": 1,
                                                  "data": "v1:ap:1"})
    assert status == 400
    assert not demo.demo.fake.callbacks


async def test_a_readers_text_is_shown_escaped(demo: DemoServer, client: aiohttp.ClientSession) -> None:
    status, _ = await act(client, demo, "send", {"person": "reader2", "chat": "private",
                                                 "text": "<script>alert(1)</script> سلام"})
    assert status == 200
    await demo.demo.fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) ==
                                  str(demo.demo.room.people["reader2"].user.id), timeout=20)
    mine = (await get_state(client, demo))["private"]["reader2"]
    assert mine[0]["html"] == "&lt;script&gt;alert(1)&lt;/script&gt; سلام"
    assert all("<script" not in m["html"] for m in mine)


async def test_a_new_article_from_the_form_is_posted_by_the_bot(demo: DemoServer, client: aiohttp.ClientSession) -> None:
    title = "بازگشایی پل تاریخی خرم‌آباد پس از مرمت"
    status, answer = await act(client, demo, "article", {"title": title, "kicker": "", "lead": 5})
    assert (status, answer) == (200, {"ok": True, "message": texts.PAGE["posted"]})
    await demo.demo.fake.wait_for("sendMessage", lambda c: title in str(c.params.get("text")), timeout=20)
    posts = (await get_state(client, demo))["channel"]["messages"]
    post = next(p for p in posts if title in p["html"])
    assert post["buttons"][0][0]["start"].startswith("a-")
    assert await act(client, demo, "article", {"title": title}) == (
        200, {"ok": True, "message": texts.PAGE["duplicate"]})
    assert await act(client, demo, "article", {"title": "  "}) == (
        400, {"ok": False, "error": texts.PAGE["title_needed"]})


async def test_events_say_when_something_changed(demo: DemoServer, client: aiohttp.ClientSession) -> None:
    async with client.get(demo.url + "api/events") as response:
        assert response.headers["Content-Type"].startswith("text/event-stream")
        first = await asyncio.wait_for(response.content.readline(), 10)
        assert first.startswith(b"data: ")
        await asyncio.wait_for(response.content.readline(), 10)  # the blank line ending the event
        status, _ = await act(client, demo, "start", {"person": "reader3", "payload": None})
        assert status == 200
        second = await asyncio.wait_for(response.content.readline(), 10)
    assert int(second.split()[1]) > int(first.split()[1])


async def test_website_pane_appears_only_when_a_website_is_configured(client: aiohttp.ClientSession, tmp_path: Any) -> None:
    demo = Demo(tmp_path / "web.db")
    await demo.start()
    server = DemoServer(demo, web_url="http://127.0.0.1:8081")
    try:
        await server.start()
        state = await get_state(client, server)
        async with client.get(server.url) as response:
            policy = response.headers["Content-Security-Policy"]
    finally:
        await server.stop()
        await demo.stop()
    assert state["web"] == {"base": "http://127.0.0.1:8081"}
    assert "frame-src http://127.0.0.1:8081" in policy
