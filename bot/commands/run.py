"""``khabar run``: the bot, by long polling or behind a webhook."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import Any

from telegram import Update

from bot.logs import setup_logging
from bot.settings import Settings, load_settings
from storage import migrate

log = logging.getLogger("khabar")


def add_parser(sub: Any) -> None:
    """Register ``run``."""
    parser: argparse.ArgumentParser = sub.add_parser("run", help="start the bot (long polling by default)")
    parser.add_argument("--webhook", action="store_true", help="serve a webhook (KHABAR_WEBHOOK_*)")
    parser.add_argument("--migrate", action="store_true", help="upgrade the database schema first")
    parser.set_defaults(handler=run)


def secrets_of(settings: Settings) -> list[str]:
    """Values that must never reach a log line."""
    out = [settings.token] if settings.bot_token else []
    if settings.webhook_secret:
        out.append(settings.webhook_secret.get_secret_value())
    return out


def ensure_schema(settings: Settings, *, migrate_now: bool) -> bool:
    """True when the schema is current (after upgrading, if asked); prints the fix otherwise."""
    current = asyncio.run(migrate.current_revision(settings.database_url))
    head = migrate.head_revision()
    if current == head:
        return True
    if migrate_now:
        log.info("upgrading database schema", extra={"from": current, "to": head})
        migrate.upgrade(settings.database_url)
        return True
    sys.stderr.write(
        f"khabar: the database schema is {'empty' if current is None else 'at ' + current}, "
        f"the code needs {head}.\nRun `khabar db upgrade` (or `khabar run --migrate`).\n"
    )
    return False


def run(args: argparse.Namespace) -> int:
    """Check configuration and schema, then run until SIGINT/SIGTERM."""
    settings = load_settings(env_file=args.env_file)
    settings.require_bot(webhook=args.webhook)
    setup_logging(settings.log_level, settings.log_format, secrets_of(settings))
    if not ensure_schema(settings, migrate_now=args.migrate):
        return 2
    from bot.app import build_application

    app = build_application(settings, mode="webhook" if args.webhook else "polling")
    if args.webhook:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        log.info("starting webhook", extra={"listen": settings.webhook_listen, "port": settings.webhook_port})
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=settings.webhook_path,
            webhook_url=f"{settings.webhook_url}/{settings.webhook_path}",
            secret_token=secret,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        log.info("starting long polling")
        app.run_polling(allowed_updates=Update.ALL_TYPES)
    return 0
