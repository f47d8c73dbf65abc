"""``khabar demo``: the real bot against a stand-in Telegram (fakegram), shown on a local page.

Needs no token and no ``.env``: every setting is built in (bot/demo/newsroom.py). Ctrl-C stops the
page, the bot and fakegram, and removes the temporary database folder.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import sys
import webbrowser
from pathlib import Path
from typing import Any

DEFAULT_PORT = 8765


def add_parser(sub: Any) -> None:
    """Register ``demo``."""
    parser: argparse.ArgumentParser = sub.add_parser(
        "demo",
        help="try Khabar without a token: the real bot and a stand-in Telegram on a local page",
        description=(
            "Start a stand-in Telegram (fakegram) with a channel, its discussion group and a moderators' "
            "group, the real bot against it, a sample article, and a page at http://127.0.0.1:PORT that "
            "shows all four chats. Ctrl-C stops everything."
        ),
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port of the page on 127.0.0.1 (default {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--db", type=Path, default=None, metavar="FILE",
                        help="keep the data in this SQLite file (default: a temporary file removed at exit)")
    parser.add_argument("--no-browser", action="store_true", help="do not try to open a browser")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the demo until Ctrl-C (SIGINT) or SIGTERM."""
    if not 0 <= args.port <= 65535:
        sys.stderr.write("khabar demo: --port must be between 0 and 65535\n")
        return 2
    from bot.logs import setup_logging

    setup_logging("WARNING", "plain")
    db = args.db.resolve() if args.db is not None else None
    return asyncio.run(_serve(args.port, db, browser=not args.no_browser))


def _free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _can_show_browser() -> bool:
    """False on a Linux machine without a display, where webbrowser would start a text browser."""
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


async def _serve(port: int, db: Path | None, *, browser: bool) -> int:
    from bot.demo.runtime import Demo
    from bot.demo.server import DemoServer

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    page_port = port or _free_port()
    web_port = _free_port()
    # The website comment box runs too (the same bot's web server), shown in its own pane; only the
    # demo page may frame it.
    demo = Demo(db, settings_extra={
        "KHABAR_WEB_PORT": str(web_port),
        "KHABAR_WEB_ORIGINS": f"http://127.0.0.1:{page_port},http://localhost:{page_port}",
    })
    server = DemoServer(demo, web_url=f"http://127.0.0.1:{web_port}")
    try:
        sys.stdout.write("khabar demo: starting the stand-in Telegram and the bot…\n")
        sys.stdout.flush()
        try:
            await demo.start()
        except Exception as exc:  # e.g. a --db file that is not a Khabar database
            sys.stderr.write(f"khabar demo: could not start: {exc}\n")
            return 1
        try:
            await server.start(port=page_port)
        except OSError as exc:
            sys.stderr.write(f"khabar demo: cannot listen on 127.0.0.1:{port} ({exc.strerror}); "
                             "try --port 0 for any free port\n")
            return 2
        where = f"a temporary file, removed when you stop ({demo.database_path})" if demo.temporary else (
            str(demo.database_path))
        sys.stdout.write(
            f"khabar demo: open {server.url}\n"
            f"  the real bot, against a stand-in for Telegram (fakegram), not Telegram itself\n"
            f"  data: {where}\n"
            "  Ctrl-C stops it.\n"
        )
        sys.stdout.flush()
        if browser and _can_show_browser():
            await asyncio.to_thread(webbrowser.open, server.url)
        await stop.wait()
        return 0
    finally:
        sys.stdout.write("khabar demo: stopping…\n")
        sys.stdout.flush()
        await server.stop()
        await demo.stop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        sys.stdout.write("khabar demo: stopped" + ("" if db is not None else "; temporary files removed") + "\n")
        sys.stdout.flush()
