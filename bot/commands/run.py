"""``khabar run``: the bot, by long polling or behind a webhook."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Coroutine
from typing import Any, TypeVar

from telegram import Update

from bot.deps import KhabarApp
from bot.logs import setup_logging
from bot.settings import ConfigError, Settings, cannot_listen, load_settings
from storage import migrate

T = TypeVar("T")
log = logging.getLogger("khabar")


def add_parser(sub: Any) -> None:
    """Register ``run``."""
    parser: argparse.ArgumentParser = sub.add_parser("run", help="start the bot (long polling by default)")
    parser.add_argument("--webhook", action="store_true", help="serve a webhook (KHABAR_WEBHOOK_*)")
    parser.add_argument("--migrate", action="store_true", help="upgrade the database schema first")
    parser.add_argument("--wait-for-telegram", type=float, default=None, metavar="SECONDS",
                        help="give up (exit 2) if Telegram does not answer within SECONDS (default: keep trying)")
    parser.set_defaults(handler=run)


def secrets_of(settings: Settings) -> list[str]:
    """Values that must never reach a log line."""
    out = [settings.token] if settings.bot_token else []
    if settings.webhook_secret:
        out.append(settings.webhook_secret.get_secret_value())
    if settings.web_secret:
        out.append(settings.web_secret.get_secret_value())
    from bot.network import proxy_secrets

    return out + proxy_secrets(settings)


def schema_gap(settings: Settings) -> tuple[str | None, str | None] | None:
    """None when the schema is current, else (current revision, the code's head revision)."""
    current = asyncio.run(migrate.current_revision(settings.database_url))
    head = migrate.head_revision()
    return None if current == head else (current, head)


async def wait_for_telegram(settings: Settings, *, give_up_after: float | None = None) -> str:
    """Ask Telegram who the bot is until it answers: the bot's username.

    A refused token is a configuration error (exit 2); an unreachable server (network down, Telegram
    or a local Bot API server not up yet) is waited for with backoff, one log line per try, so a
    supervisor does not have to restart Khabar in a loop. ``give_up_after`` (seconds) bounds the wait.
    """
    from telegram import Bot
    from telegram.error import InvalidToken, TelegramError

    from bot.network import telegram_request

    loop = asyncio.get_running_loop()
    started, delay = loop.time(), 1.0
    while True:
        try:
            async with Bot(settings.token, base_url=settings.bot_api_url, base_file_url=settings.file_api_url,
                           request=telegram_request(settings)) as bot:
                return bot.username
        except InvalidToken:
            raise ConfigError(
                f"KHABAR_BOT_TOKEN: Telegram ({settings.bot_api_url}) refused the token. Copy it again from "
                "@BotFather (/mybots → API Token); if you use a local Bot API server, check KHABAR_BOT_API_URL."
            ) from None
        except TelegramError as exc:  # timeouts, 5xx, a proxy's 403 or 429: waited for like an outage
            error = " ".join(exc.message.split(". Parsing the server response", 1)[0].split())[:300]
            left = None if give_up_after is None else give_up_after - (loop.time() - started)
            if left is not None and left <= 0:
                through = ("the proxy (KHABAR_PROXY_URL), the network, or the local Bot API server if you run one"
                           if settings.proxy_url else "the network, or the local Bot API server if you run one")
                key = "KHABAR_PROXY_URL" if settings.proxy_url else "KHABAR_BOT_API_URL"
                raise ConfigError(
                    f"{key}: Telegram ({settings.bot_api_url}) did not answer within {give_up_after:g} s "
                    f"({error}). Check {through}."
                ) from None
            wait = delay if left is None else min(delay, left)
            log.warning("Telegram is not reachable yet; retrying", extra={"retry_in_s": round(wait, 1), "error": error})
            await asyncio.sleep(wait)
            delay = min(delay * 2.0, 60.0)


async def until_stopped(work: Coroutine[Any, Any, T]) -> T | None:
    """``work``, or None if SIGTERM or SIGINT came first: an operator stopping a bot that is still waiting
    for Telegram stops it cleanly (exit 0), as they would once it runs."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(work)
    stopped = False

    def stop() -> None:
        nonlocal stopped
        stopped = True
        task.cancel()

    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # no signals here (not the main thread)
            loop.add_signal_handler(sig, stop)
    try:
        return await task
    except asyncio.CancelledError:
        if stopped:
            return None
        raise
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)


def run(args: argparse.Namespace) -> int:
    """Check configuration and schema, then run until SIGINT/SIGTERM."""
    settings = load_settings(env_file=args.env_file)
    settings.require_bot(webhook=args.webhook)
    # The schema is read before logging is set up, so Alembic's INFO lines never precede a config error.
    gap = schema_gap(settings)
    if gap is not None and not args.migrate:
        sys.stderr.write(
            f"khabar: the database schema is {'empty' if gap[0] is None else 'at ' + gap[0]}, "
            f"the code needs {gap[1]}.\nRun `khabar db upgrade` (or `khabar run --migrate`).\n"
        )
        return 2
    setup_logging(settings.log_level, settings.log_format, secrets_of(settings))
    # Telegram before any migration: a refused token is a configuration error, reported first.
    username = asyncio.run(until_stopped(wait_for_telegram(settings, give_up_after=args.wait_for_telegram)))
    if username is None:
        log.info("stopped before Telegram answered")
        return 0
    log.info("Telegram answered", extra={"bot": username})
    if gap is not None:
        log.info("upgrading database schema", extra={"from": gap[0], "to": gap[1]})
        migrate.upgrade(settings.database_url)
    from bot.app import build_application

    app = build_application(settings, mode="webhook" if args.webhook else "polling")
    from telegram.error import BadRequest, NetworkError, TelegramError

    try:
        _serve(app, settings, webhook=args.webhook)
    except BadRequest as exc:  # a NetworkError to PTB, but a refusal, not an outage: a restart changes nothing
        if args.webhook:
            raise ConfigError(f"KHABAR_WEBHOOK_URL: Telegram refused the webhook ({exc.message}); check the URL "
                              "(https, ports 443, 80, 88 or 8443) and KHABAR_WEBHOOK_SECRET") from None
        raise ConfigError(f"Telegram refused a start-up request ({exc.message})") from None
    except OSError as exc:  # PTB registers the webhook, then binds its port: taken, or an address not ours
        if not args.webhook:
            raise
        raise ConfigError(cannot_listen("WEBHOOK", settings.webhook_listen, settings.webhook_port, exc)) from None
    except (NetworkError, TelegramError) as exc:  # Telegram (or a proxy before it) failed during start-up
        error = " ".join(exc.message.split(". Parsing the server response", 1)[0].split())[:300]  # not a whole page
        log.error("Telegram stopped answering during start-up; exiting for a restart", extra={"error": error})
        return 1
    return 0


def _serve(app: KhabarApp, settings: Settings, *, webhook: bool) -> None:
    if webhook:
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
