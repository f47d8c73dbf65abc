"""Middlewares every answer passes through: errors as JSON without traces, CORS, security headers."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.texts import web as t

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
ORIGINS = web.AppKey("origins", frozenset[str])

# Served pages run only our own files: no inline script or style, nothing from elsewhere.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)
DATA_CSP = "default-src 'none'; frame-ancestors 'none'"
# aiohttp's own 404 is a path no route serves (unknown articles and comments are answered by the routes)
_MESSAGES = {400: t.INVALID, 404: t.UNKNOWN_PATH, 405: t.METHOD, 413: t.TOO_LARGE}


def error_json(status: int, message: str, kind: str = "error") -> web.Response:
    """A JSON error answer."""
    return web.json_response({"status": kind, "message": message}, status=status, dumps=_dumps)


def _dumps(data: object) -> str:
    import json

    return json.dumps(data, ensure_ascii=False)


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """aiohttp's own errors as short Persian JSON; anything unexpected logged and answered 500, no trace."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        kind = "too_large" if exc.status == 413 else "error"
        response = error_json(exc.status, _MESSAGES.get(exc.status, t.INVALID), kind)
        if exc.status == 405 and "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
        return response
    except Exception:
        log.exception("web request failed", extra={"path": request.path[:200], "method": request.method})
        return error_json(500, t.SERVER_ERROR)


def allowed_origin(request: web.Request) -> str | None:
    """The request's Origin when it may call the API (a configured site, or this server itself)."""
    origin = request.headers.get("Origin")
    if origin is None:
        return None
    origin = origin.lower()
    if origin in request.app[ORIGINS] or origin == f"{request.scheme}://{request.host}".lower():
        return origin
    return None


@web.middleware
async def cors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """CORS only for KHABAR_WEB_ORIGINS; a browser write from any other site is refused outright."""
    origin = request.headers.get("Origin")
    allowed = allowed_origin(request)
    if request.method == "OPTIONS" and request.path.startswith("/api/"):
        response: web.StreamResponse = web.Response(status=204 if allowed else 403)
    elif origin is not None and allowed is None and request.method not in {"GET", "HEAD"}:
        response = error_json(403, t.FORBIDDEN_ORIGIN, "forbidden")
    else:
        response = await handler(request)
    if allowed is not None and request.path.startswith("/api/"):
        response.headers["Access-Control-Allow-Origin"] = allowed
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, If-None-Match"
        response.headers["Access-Control-Expose-Headers"] = "ETag"
        response.headers["Access-Control-Max-Age"] = "600"
    if request.path.startswith("/api/"):
        response.headers["Vary"] = "Origin"
    return response


@web.middleware
async def headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """nosniff, no referrer, and a Content-Security-Policy on every answer."""
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if response.content_type == "text/html":
        origins: frozenset[str] = request.app[ORIGINS]
        ancestors = " ".join(["'self'", *sorted(origins)])
        response.headers["Content-Security-Policy"] = f"{PAGE_CSP}; frame-ancestors {ancestors}"
    else:
        response.headers.setdefault("Content-Security-Policy", DATA_CSP)
    return response
