"""The API's routes: read the request, call one website service, answer JSON (or the feed, the widget)."""

from __future__ import annotations

import html
import json
import time
from collections.abc import Awaitable, Callable
from importlib import resources

from aiohttp import web

from bot.texts import web as t
from bot.website.addresses import Network, client_address
from bot.website.limits import AddressLimit
from bot.website.requests import Invalid, is_token, parse_comment, parse_page
from bot.website.service import Reply, Website
from handlers.web.security import error_json

WEBSITE = web.AppKey("website", Website)
PROXIES = web.AppKey("proxies", tuple[Network, ...])
LIMITS = web.AppKey("limits", dict[str, AddressLimit])
STATIC = web.AppKey("static", dict[str, tuple[bytes, str]])
MAX_TEXT = web.AppKey("max_text", int)
# Browsers revalidate every time (a cheap 304 by ETag); nginx or a CDN may serve a copy for 5 s.
READ_CACHE = "public, max-age=0, s-maxage=5"
FILE_CACHE = "public, max-age=300"


def _address(request: web.Request) -> str:
    proxies: tuple[Network, ...] = request.app[PROXIES]
    return client_address(request.remote, request.headers.get("X-Forwarded-For"), proxies)


def _limited(request: web.Request, bucket: str) -> web.Response | None:
    if request.app[LIMITS][bucket].allow(_address(request), time.monotonic()):
        return None
    response = error_json(429, t.RATE_LIMITED, "rate_limited")
    response.headers["Retry-After"] = "60"
    return response


def _invalid(errors: dict[str, str]) -> web.Response:
    """400 for a malformed comment: README's ``{"status": "invalid", "errors"}`` (plus a short message)."""
    return web.json_response({"status": "invalid", "message": t.INVALID, "errors": errors}, status=400,
                             dumps=lambda d: json.dumps(d, ensure_ascii=False))


def _answer(request: web.Request, reply: Reply, cache: str | None = None) -> web.Response:
    if reply.raw is None:
        response = web.json_response(reply.body, status=reply.status, dumps=lambda d: json.dumps(d, ensure_ascii=False))
        if reply.retry_after is not None:
            response.headers["Retry-After"] = str(reply.retry_after)
        return response
    headers = {}
    if cache is not None:
        headers["Cache-Control"] = cache
    if reply.etag is not None:
        headers["ETag"] = reply.etag
        if reply.etag in request.headers.get("If-None-Match", ""):
            return web.Response(status=304, headers=headers)
    charset = "utf-8"
    return web.Response(body=reply.raw, status=reply.status, content_type=reply.content_type, charset=charset,
                        headers=headers)


async def articles(request: web.Request) -> web.Response:
    """GET /api/v1/articles?link=URL."""
    link = request.query.get("link", "")
    return _answer(request, await request.app[WEBSITE].articles(link), READ_CACHE)


async def comments(request: web.Request) -> web.Response:
    """GET /api/v1/articles/{token}/comments?page=N."""
    token = request.match_info["token"]
    if not is_token(token):
        return error_json(404, t.NOT_FOUND, "not_found")
    reply = await request.app[WEBSITE].comments(token, parse_page(request.query.get("page")))
    return _answer(request, reply, READ_CACHE)


async def feed(request: web.Request) -> web.Response:
    """GET /articles/{token}/comments.atom."""
    token = request.match_info["token"]
    if not is_token(token):
        return error_json(404, t.NOT_FOUND, "not_found")
    url = str(request.url.with_query(None))
    return _answer(request, await request.app[WEBSITE].feed(token, url), READ_CACHE)


async def captcha(request: web.Request) -> web.Response:
    """POST /api/v1/captcha."""
    refused = _limited(request, "captcha")
    if refused is not None:
        return refused
    return _answer(request, await request.app[WEBSITE].captcha(_address(request)))


async def post_comment(request: web.Request) -> web.Response:
    """POST /api/v1/articles/{token}/comments."""
    token = request.match_info["token"]
    if not is_token(token):
        return error_json(404, t.NOT_FOUND, "not_found")
    raw = await request.read()  # bounded by the application's client_max_size (413 beyond it)
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _invalid({"body": t.FIELD_BODY})  # not JSON, not UTF-8, or empty: as a JSON body that is no object
    given = parse_comment(body, request.app[MAX_TEXT])
    if isinstance(given, Invalid):
        return _invalid(given.errors)
    refused = _limited(request, "comment")
    if refused is not None:
        return refused
    return _answer(request, await request.app[WEBSITE].submit(token, given, _address(request)))


def load_static() -> dict[str, tuple[bytes, str]]:
    """The widget's files, read once."""
    files = resources.files("handlers.web") / "static"
    texts = json.dumps(t.WIDGET, ensure_ascii=False).replace("<", "\\u003c")
    script = (files / "widget.js").read_text("utf-8").replace("/*TEXTS*/{}", texts, 1)
    return {
        "widget.js": (script.encode(), "text/javascript"),
        "widget.css": ((files / "widget.css").read_bytes(), "text/css"),
        "embed.html": ((files / "embed.html").read_bytes(), "text/html"),
    }


def static(name: str) -> Callable[[web.Request], Awaitable[web.Response]]:
    """A handler serving one of the widget's files."""

    async def serve(request: web.Request) -> web.Response:
        body, kind = request.app[STATIC][name]
        return web.Response(body=body, content_type=kind, charset="utf-8", headers={"Cache-Control": FILE_CACHE})

    return serve


async def embed(request: web.Request) -> web.Response:
    """GET /embed/{token}: the comment box alone on a page, for sites that can only use an iframe."""
    token = request.match_info["token"]
    if not is_token(token) or not await request.app[WEBSITE].exists(token):
        return error_json(404, t.NOT_FOUND, "not_found")
    page = request.app[STATIC]["embed.html"][0].decode().replace("{token}", html.escape(token, quote=True))
    return web.Response(text=page, content_type="text/html", headers={"Cache-Control": FILE_CACHE})


async def favicon(request: web.Request) -> web.Response:
    """GET /favicon.ico: nothing (browsers ask the embed page for one)."""
    return web.Response(status=204, headers={"Cache-Control": FILE_CACHE})


async def health(request: web.Request) -> web.Response:
    """GET /api/v1/health: the server answers (for load balancers)."""
    return web.json_response({"status": "ok"})


def add_routes(app: web.Application) -> None:
    """Every path the website serves."""
    app.router.add_get("/api/v1/health", health)
    app.router.add_get("/api/v1/articles", articles)
    app.router.add_get("/api/v1/articles/{token}/comments", comments)
    app.router.add_post("/api/v1/articles/{token}/comments", post_comment)
    app.router.add_post("/api/v1/captcha", captcha)
    app.router.add_get("/articles/{token}/comments.atom", feed)
    app.router.add_get("/embed/{token}", embed)
    app.router.add_get("/widget.js", static("widget.js"))
    app.router.add_get("/widget.css", static("widget.css"))
    app.router.add_get("/favicon.ico", favicon)
