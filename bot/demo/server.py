"""The demo page's HTTP side (aiohttp, 127.0.0.1 only): static page, live state, and the visitor's actions.

Every action is a real Telegram-side event in fakegram — a message, a ``/start`` from a deep link, a
button press (a callback query the bot must answer) — so the bot reacts exactly as it would on
Telegram. ``/api/events`` is a server-sent-events stream that says "something changed".
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import logging
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

from aiohttp import web

from bot.demo.runtime import Demo
from bot.demo.view import world_view
from bot.publishing.article_file import ArticleFileError, draft_from
from bot.texts import demo as texts
from fakegram.server import CallRecord
from fakegram.world import Chat, StoredMessage

log = logging.getLogger(__name__)

STATIC = {"demo.css": "text/css", "demo.js": "text/javascript", "favicon.svg": "image/svg+xml"}
MAX_TEXT = 4096
ANSWER_WAIT = 10.0  # seconds to wait for the bot's answerCallbackQuery
HEARTBEAT = 15.0
QUIET_METHODS = frozenset({"getupdates", "getme", "getchat", "deletewebhook", "getchatmember",
                           "answercallbackquery"})
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class BadInput(Exception):
    """The page sent something the demo cannot act on (answered 400 with a Persian message)."""


def _asset(name: str) -> str:
    return resources.files("bot.demo").joinpath("static", name).read_text(encoding="utf-8")


class DemoServer:
    """Serves the page for ``demo``; ``web_url`` (the website comment box, when one runs) adds its pane."""

    def __init__(self, demo: Demo, *, web_url: str | None = None) -> None:
        self.demo = demo
        self.web_url = web_url
        self.version = 0
        self._changed = asyncio.Event()
        self.port = 0
        self._runner: web.AppRunner | None = None
        self.app = web.Application(middlewares=[self._guard], client_max_size=64 * 1024)
        self.app.router.add_get("/", self.index)
        self.app.router.add_get("/static/{name}", self.static)
        self.app.router.add_get("/api/state", self.state)
        self.app.router.add_get("/api/events", self.events)
        self.app.router.add_post("/api/start", self.action(self._start))
        self.app.router.add_post("/api/send", self.action(self._send))
        self.app.router.add_post("/api/press", self.action(self._press))
        self.app.router.add_post("/api/article", self.action(self._article))
        demo.fake.listeners.append(self._on_call)

    # ----- lifecycle -----------------------------------------------------------------------------------
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=0.5, handler_cancellation=True)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = int(server.sockets[0].getsockname()[1])  # type: ignore[attr-defined]
        return self.port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    async def stop(self) -> None:
        with contextlib.suppress(ValueError):
            self.demo.fake.listeners.remove(self._on_call)
        self.bump()  # wakes the event streams so that they end
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    # ----- change notification -------------------------------------------------------------------------
    def bump(self) -> None:
        self.version += 1
        self._changed.set()
        self._changed = asyncio.Event()

    def _on_call(self, record: CallRecord) -> None:
        if record.method.lower() not in QUIET_METHODS or record.fault:
            self.bump()

    # ----- safety --------------------------------------------------------------------------------------
    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Only this machine's own page: the Host must be ours (no DNS rebinding), posts must be JSON."""
        if request.host not in (f"127.0.0.1:{self.port}", f"localhost:{self.port}"):
            return web.Response(status=421, text="misdirected request")
        if request.method == "POST" and request.content_type != "application/json":
            return web.Response(status=415, text="JSON only")
        response = await handler(request)
        frame = self.web_url or "'none'"
        response.headers["Content-Security-Policy"] = (
            f"default-src 'self'; img-src 'self' data:; frame-src {frame}; object-src 'none'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    # ----- page ----------------------------------------------------------------------------------------
    async def index(self, request: web.Request) -> web.StreamResponse:
        page = _asset("index.html")
        for key, value in texts.PAGE.items():
            page = page.replace("{{" + key + "}}", html.escape(value))
        return web.Response(text=page, content_type="text/html", charset="utf-8")

    async def static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in STATIC:
            raise web.HTTPNotFound()
        return web.Response(text=_asset(name), content_type=STATIC[name], charset="utf-8")

    def snapshot(self) -> dict[str, Any]:
        demo = self.demo
        state = world_view(demo.room, demo.settings.tz)
        state.update(
            data={"path": str(demo.database_path), "temporary": demo.temporary},
            web=self._web_pane(),
            texts=texts.PAGE,
        )
        return state

    def _web_pane(self) -> dict[str, Any] | None:
        """The website comment box pane: shown only when a website URL is configured."""
        return None if self.web_url is None else {"base": self.web_url.rstrip("/")}

    async def state(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(self.snapshot(), dumps=lambda v: json.dumps(v, ensure_ascii=False))

    async def events(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
        await response.prepare(request)
        seen = -1
        try:
            while self._runner is not None:
                if seen != self.version:
                    seen = self.version
                    await response.write(f"data: {seen}\n\n".encode())
                    continue
                try:
                    await asyncio.wait_for(self._changed.wait(), HEARTBEAT)
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
        except ConnectionResetError:  # the tab was closed
            pass
        return response

    # ----- actions -------------------------------------------------------------------------------------
    def action(self, body: Callable[[dict[str, Any]], Awaitable[dict[str, Any]]]) -> Handler:
        async def handle(request: web.Request) -> web.StreamResponse:
            try:
                payload = await request.json()
                if not isinstance(payload, dict):
                    raise BadInput(texts.PAGE["error"])
                result = await body(payload)
            except (BadInput, ValueError) as exc:
                message = str(exc) if isinstance(exc, BadInput) else texts.PAGE["error"]
                return web.json_response({"ok": False, "error": message}, status=400,
                                         dumps=lambda v: json.dumps(v, ensure_ascii=False))
            except Exception as exc:  # the page gets a Persian message; the terminal one line, no traceback
                log.warning("demo action failed", extra={"path": request.path, "error": repr(exc)})
                return web.json_response({"ok": False, "error": texts.PAGE["error"]}, status=500,
                                         dumps=lambda v: json.dumps(v, ensure_ascii=False))
            self.bump()
            return web.json_response({"ok": True, **result}, dumps=lambda v: json.dumps(v, ensure_ascii=False))

        return handle

    def _person(self, payload: dict[str, Any], *roles: str) -> Any:
        person = self.demo.room.person(str(payload.get("person", "")))
        if person is None or (roles and person.role not in roles):
            raise BadInput(texts.PAGE["error"])
        return person

    def _chat(self, key: Any, person: Any) -> Chat:
        room = self.demo.room
        chats = {"channel": room.channel, "group": room.group, "mods": room.mods_chat,
                 "private": person.user.private_chat}
        chat = chats.get(str(key))
        if chat is None:
            raise BadInput(texts.PAGE["error"])
        return chat

    def _message(self, chat: Chat, message_id: Any) -> StoredMessage:
        msg = chat.messages.get(message_id) if isinstance(message_id, int) else None
        if msg is None or msg.deleted:
            raise BadInput(texts.PAGE["error"])
        return msg

    async def _start(self, payload: dict[str, Any]) -> dict[str, Any]:
        person = self._person(payload, "reader")
        start = payload.get("payload")
        if start is not None and (not isinstance(start, str) or len(start) > 64):
            raise BadInput(texts.PAGE["error"])
        await person.user.start_bot(start or None)
        return {}

    async def _send(self, payload: dict[str, Any]) -> dict[str, Any]:
        person = self._person(payload)
        chat = self._chat(payload.get("chat"), person)
        if chat is self.demo.room.channel or (chat is self.demo.room.mods_chat) != (person.role != "reader"):
            raise BadInput(texts.PAGE["error"])
        text = payload.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
            raise BadInput(texts.PAGE["error"])
        reply_id = payload.get("reply_to")
        reply_to = self._message(chat, reply_id) if reply_id is not None else None
        await person.user.send(chat, text, reply_to=reply_to)
        return {}

    async def _press(self, payload: dict[str, Any]) -> dict[str, Any]:
        person = self._person(payload)
        chat = self._chat(payload.get("chat"), person)
        msg = self._message(chat, payload.get("message_id"))
        data = payload.get("data")
        if not isinstance(data, str) or not any(b.get("callback_data") == data for b in msg.buttons()):
            raise BadInput(texts.PAGE["error"])
        handle = await person.user.press(msg, data)
        try:
            await handle.wait_answered(ANSWER_WAIT)
        except TimeoutError:
            return {"answered": False}
        return {"answered": True, "text": handle.text or "", "alert": handle.show_alert}

    async def _article(self, payload: dict[str, Any]) -> dict[str, Any]:
        values = {k: payload[k].strip() for k in ("kicker", "title", "lead")
                  if isinstance(payload.get(k), str) and payload[k].strip()}
        try:
            draft = draft_from(values, self.demo.settings.tz)
        except ArticleFileError:
            raise BadInput(texts.PAGE["title_needed"]) from None
        article = await self.demo.post(draft)
        return {"message": texts.PAGE["posted"] if article is not None else texts.PAGE["duplicate"]}
