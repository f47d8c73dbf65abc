"""``khabar feeds add URL | list | remove ID``: the feeds the running bot polls."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from typing import Any

from bot.settings import load_settings


def add_parser(sub: Any) -> None:
    """Register ``feeds`` and its actions."""
    parser: argparse.ArgumentParser = sub.add_parser("feeds", help="list, add or remove RSS/Atom feeds")
    actions = parser.add_subparsers(dest="feeds_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add a feed (first poll posts only the newest few items)")
    add.add_argument("url")
    add.set_defaults(handler=run)
    ls = actions.add_parser("list", help="show every feed and its state")
    ls.set_defaults(handler=run)
    rm = actions.add_parser("remove", help="stop polling a feed (its articles stay)")
    rm.add_argument("id", type=int)
    rm.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Do the action against the database named by the settings."""
    settings = load_settings(env_file=args.env_file)
    return asyncio.run(_run(settings.database_url, args))


async def _run(url: str, args: argparse.Namespace) -> int:
    from bot.publishing import feeds
    from storage.db import Database

    db = Database(url)
    try:
        async with db.transaction() as session:
            if args.feeds_action == "add":
                try:
                    feed, created = await feeds.add_feed(session, args.url, datetime.now(UTC))
                except ValueError as exc:
                    sys.stderr.write(f"khabar feeds: {exc}\n")
                    return 2
                state = "added; the running bot polls it shortly" if created else "already there"
                sys.stdout.write(f"feed {feed.id}: {feed.url} ({state})\n")
                return 0
            if args.feeds_action == "remove":
                if not await feeds.remove_feed(session, args.id):
                    sys.stderr.write(f"khabar feeds: no feed with id {args.id}\n")
                    return 2
                sys.stdout.write(f"feed {args.id} removed\n")
                return 0
            rows = await feeds.list_feeds(session)
    finally:
        await db.close()
    if not rows:
        sys.stdout.write("no feeds yet: khabar feeds add URL\n")
    for feed in rows:
        polled = feed.last_polled_at.isoformat(timespec="seconds") if feed.last_polled_at else "never"
        problem = f", {feed.failures} failures: {feed.last_error}" if feed.failures else ""
        sys.stdout.write(f"{feed.id}\t{feed.url}\tlast polled {polled}{problem}\n")
    return 0
