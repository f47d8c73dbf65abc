"""``khabar db upgrade | current``: schema migrations."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from bot.settings import load_settings
from storage import migrate


def add_parser(sub: Any) -> None:
    """Register ``db`` and its actions."""
    parser: argparse.ArgumentParser = sub.add_parser("db", help="create or upgrade the database schema")
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    up = actions.add_parser("upgrade", help="apply every pending migration")
    up.set_defaults(handler=upgrade)
    cur = actions.add_parser("current", help="show the schema revision")
    cur.set_defaults(handler=current)


def upgrade(args: argparse.Namespace) -> int:
    """Apply migrations up to head."""
    settings = load_settings(env_file=args.env_file)
    before = asyncio.run(migrate.current_revision(settings.database_url))
    head = migrate.head_revision()
    sys.stdout.write(f"database: {_safe(settings.database_url)}\nfrom revision {before or '(empty)'} to {head}\n")
    migrate.upgrade(settings.database_url)
    sys.stdout.write("schema is up to date\n")
    return 0


def current(args: argparse.Namespace) -> int:
    """Print the revision and whether it is the newest; exit 1 when out of date."""
    settings = load_settings(env_file=args.env_file)
    rev = asyncio.run(migrate.current_revision(settings.database_url))
    head = migrate.head_revision()
    state = "up to date" if rev == head else f"out of date (newest is {head}): run `khabar db upgrade`"
    sys.stdout.write(f"{rev or '(empty)'}: {state}\n")
    return 0 if rev == head else 1


def _safe(url: str) -> str:
    """The URL without a password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
