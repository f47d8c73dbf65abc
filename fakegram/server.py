"""The HTTP side: aiohttp routes for ``/bot<token>/<method>`` and ``/file/bot<token>/<path>``."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .errors import ApiError, invalid
from .faults import DEFAULT_DESCRIPTIONS, Fault
from .methods_bot import HANDLERS as BOT_HANDLERS
from .methods_messages import HANDLERS as MESSAGE_HANDLERS
from .validate import Upload, run_validation

if TYPE_CHECKING:
    from .control import FakeTelegram

Handler = Callable[["FakeTelegram", dict[str, Any]], Awaitable[Any]]
HANDLERS: dict[str, Handler] = {**BOT_HANDLERS, **MESSAGE_HANDLERS}


@dataclass
class CallRecord:
    """One API request as the fake saw it."""

    method: str
    params: dict[str, Any]
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)
    timestamp: float = 0.0  # fake clock
    real_time: float = 0.0  # time.monotonic()
    fault: str | None = None

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def result(self) -> Any:
        return self.response.get("result")

    @property
    def description(self) -> str | None:
        return self.response.get("description")


class _Gateway(Exception):
    """Answer as a reverse proxy does when the Bot API behind it is away: its own HTML page, status 502."""


GATEWAY_PAGE = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway"
                "</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")


class _Drop(Exception):
    """Close the connection without answering."""


async def read_params(request: web.Request) -> tuple[dict[str, Any], bool]:
    params: dict[str, Any] = dict(request.query)
    if request.method != "POST" or not request.can_read_body:
        return params, False
    ctype = request.content_type
    if ctype == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise invalid("can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise invalid("JSON request body must be an object")
        params.update(body)
        return params, True
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            params[key] = Upload(value.filename, value.file.read(), value.content_type)
        else:
            params[key] = value
    return params, False


class Server:
    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.app = web.Application(client_max_size=60 * 1024 * 1024)
        self.app.router.add_route("*", "/bot{token}/{method}", self.handle_api)
        self.app.router.add_get("/file/bot{token}/{path:.+}", self.handle_file)
        self.runner: web.AppRunner | None = None
        self.port = 0

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        self.runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=0.5, handler_cancellation=True)
        await self.runner.setup()
        site = web.TCPSite(self.runner, host, port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self.port

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None

    async def handle_file(self, request: web.Request) -> web.StreamResponse:
        stored = self.fake.world.files_by_path.get(request.match_info["path"])
        if request.match_info["token"] != self.fake.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        if stored is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        return web.Response(body=stored.content, content_type="application/octet-stream")

    async def handle_api(self, request: web.Request) -> web.StreamResponse:
        fake = self.fake
        name = request.match_info["method"]
        if request.match_info["token"] != fake.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        mdef = fake.spec.method(name)
        record = CallRecord(mdef.name if mdef else name, {}, timestamp=fake.clock.now(), real_time=time.monotonic())
        try:
            raw, from_json = await read_params(request)
            record.params = raw
            if mdef is None:
                raise ApiError(404, "Not Found: method not found", validation=True)
            params = run_validation(fake.validator, mdef, raw, from_json)
            record.params = params
            fault = fake.faults.pick(mdef.name, params)
            if fault is not None:
                record.fault = fault.kind
                if fault.kind != "lost":
                    await self._fault(fault)
            handler = HANDLERS.get(mdef.name.lower())
            if handler is None:
                raise invalid(f"fakegram does not implement {mdef.name}")
            result = await handler(fake, params)
            record.response = {"ok": True, "result": result}
            if fault is not None and fault.kind == "lost":
                record.response["lost"] = True
                raise _Drop
        except ApiError as e:
            record.status = e.code
            record.response = e.body()
            if e.validation:
                fake.record_failure(record.method, record.params, e.description)
        except _Gateway:
            record.status = 502
            record.response = {"ok": False, "gateway": True}
            fake.record_call(record)
            return web.Response(text=GATEWAY_PAGE, status=502, content_type="text/html")
        except _Drop:
            record.status = 0
            if not record.response.get("lost"):  # "lost": performed, so the record keeps the result
                record.response = {"ok": False, "dropped": True}
            fake.record_call(record)
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError from None
        fake.record_call(record)
        return web.Response(text=json.dumps(record.response, ensure_ascii=False), status=record.status,
                            content_type="application/json")

    async def _fault(self, fault: Fault) -> None:
        if fault.kind == "429":
            raise ApiError(429, f"Too Many Requests: retry after {fault.retry_after}",
                           {"retry_after": fault.retry_after})
        if fault.kind in DEFAULT_DESCRIPTIONS:
            raise ApiError(int(fault.kind), fault.description or DEFAULT_DESCRIPTIONS[fault.kind])
        if fault.kind == "gateway":
            raise _Gateway
        if fault.kind == "slow":
            await asyncio.sleep(fault.delay)
            return
        if fault.kind == "timeout":
            await asyncio.sleep(fault.delay)
        raise _Drop
