"""A small forwarding proxy on 127.0.0.1 for the proxy tests: HTTP (CONNECT and absolute-form) and SOCKS5.

It records the target of every connection it carries, so a test can assert that traffic went through it.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import struct
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Proxy:
    """A running proxy: its URL and the ``host:port`` targets it connected to, in order."""

    url: str
    targets: list[str] = field(default_factory=list)
    streams: set[asyncio.StreamWriter] = field(default_factory=set)  # open connections, both sides

    async def connect(self, host: str, port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        """Open the upstream connection for a client (recorded, closed with the proxy)."""
        self.targets.append(f"{host}:{port}")
        reader, writer = await asyncio.open_connection(host, port)
        self.streams.add(writer)
        return reader, writer


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def _relay(client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
                 upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter], first: bytes = b"") -> None:
    if first:
        upstream[1].write(first)
        await upstream[1].drain()
    await asyncio.gather(_pipe(client[0], upstream[1]), _pipe(upstream[0], client[1]))


async def _http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, proxy: Proxy) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    method, target, _version = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
    if method == "CONNECT":
        host, _, port = target.rpartition(":")
        first = b""
    else:  # absolute-form: forward the request as it is (HTTP/1.1 servers accept absolute-form targets)
        parts = urlsplit(target)
        host, port = parts.hostname or "", str(parts.port or 80)
        first = head
    upstream = await proxy.connect(host, int(port))
    if method == "CONNECT":
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
    await _relay((reader, writer), upstream, first)


async def _socks5(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, proxy: Proxy) -> None:
    version, methods = await reader.readexactly(2)
    await reader.readexactly(methods)
    if version != 5:
        writer.close()
        return
    writer.write(b"\x05\x00")  # no authentication
    version, command, _reserved, kind = await reader.readexactly(4)
    if kind == 1:
        host = str(ipaddress.IPv4Address(await reader.readexactly(4)))
    elif kind == 3:
        host = (await reader.readexactly((await reader.readexactly(1))[0])).decode()
    else:
        host = str(ipaddress.IPv6Address(await reader.readexactly(16)))
    (port,) = struct.unpack("!H", await reader.readexactly(2))
    if command != 1:  # CONNECT only
        writer.write(b"\x05\x07\x00\x01" + bytes(6))
        writer.close()
        return
    upstream = await proxy.connect(host, port)
    writer.write(b"\x05\x00\x00\x01" + bytes(6))
    await writer.drain()
    await _relay((reader, writer), upstream)


@asynccontextmanager
async def serve_proxy(scheme: str, port: int = 0) -> AsyncIterator[Proxy]:
    """Run an ``http`` or ``socks5`` proxy on 127.0.0.1 (a free port unless given) until the block ends,
    then drop every connection it carries."""
    handler = _http if scheme == "http" else _socks5
    proxy = Proxy(url="")
    tasks: set[asyncio.Task[None]] = set()

    async def on_client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        tasks.add(task)
        proxy.streams.add(writer)
        try:
            await handler(reader, writer, proxy)
        except (ConnectionError, asyncio.IncompleteReadError, OSError):
            writer.close()
        finally:
            tasks.discard(task)

    server = await asyncio.start_server(on_client, "127.0.0.1", port)
    port = server.sockets[0].getsockname()[1]
    proxy.url = f"{scheme}://127.0.0.1:{port}"
    try:
        yield proxy
    finally:
        server.close()
        for stream in list(proxy.streams):  # every connection drops, as when a proxy process dies
            stream.close()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()
