"""Application assembly: the PTB Application from settings, services in post_init."""

from __future__ import annotations

import logging
import os
import random
import socket
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import HTTPXRequest

from bot import instance
from bot.deps import AppState, Chats, Deps, KhabarApp, KhabarContext, utc_now
from bot.moderators import ModeratorDirectory
from bot.outbox import OutboxWorker
from bot.settings import ConfigError, Settings
from bot.telegram_bot import KhabarBot
from storage.db import Database, PoolOptions

log = logging.getLogger(__name__)

# Each area's start-up: registers outbox hooks, builds resources, schedules jobs. Order matters
# only for logging; every setup must be idempotent and quick.
AreaSetup = Callable[[KhabarApp, Deps], Awaitable[None]]
# Updates handled at once. More buys nothing (SQLite writes are serial, PostgreSQL's pool is ~15
# connections) and costs memory: a burst of 1,000 updates would otherwise be processed 256 at a time.
CONCURRENT_UPDATES = 32
REPAIR_EVERY = 300.0  # seconds between sweeps for unfinished duplicate checks


def _areas() -> list[AreaSetup]:
    """Area start-ups, imported late so that importing bot.app stays cheap."""
    from bot.intake import setup as intake
    from bot.moderation import setup as moderation
    from bot.publishing import service as publishing
    from handlers.web import server as website

    return [publishing.setup, intake.setup, moderation.setup, website.setup]


def instance_owner(settings: Settings) -> str:
    """A name for this process in leases and outbox claims."""
    return settings.instance_name or f"{socket.gethostname()}-{os.getpid()}"


async def resolve_chat(bot: Bot, ref: str | None, key: str = "chat") -> int | None:
    """A numeric chat id for an id or @username from settings (ConfigError naming ``key`` if unknown)."""
    if ref is None:
        return None
    if ref.lstrip("-").isdigit():
        return int(ref)
    try:
        chat = await bot.get_chat(ref)
    except TelegramError as exc:
        raise ConfigError(f"{key}={ref}: Telegram says {exc.message!r}; is the bot a member of that chat?") from None
    return chat.id


def rate_limiter(settings: Settings) -> AIORateLimiter:
    """Telegram's limits (overall, per group) as sliding windows; 0 in a setting lifts that limit."""
    from bot.rate_limit import KhabarRateLimiter

    return KhabarRateLimiter(settings.api_messages_per_second, settings.api_group_messages_per_minute)


def build_application(
    settings: Settings,
    *,
    clock: Callable[[], datetime] | None = None,
    rng: random.Random | None = None,
    updater: bool = True,
    mode: str = "polling",
) -> KhabarApp:
    """The Application for ``settings``; nothing touches the network until it is initialised."""
    if settings.bot_token is None:
        raise ConfigError("KHABAR_BOT_TOKEN is not set")
    context_types = ContextTypes(context=KhabarContext, bot_data=AppState)
    bot = KhabarBot(
        settings.token,
        base_url=settings.bot_api_url,
        base_file_url=settings.file_api_url,
        defaults=Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz),
        rate_limiter=rate_limiter(settings),  # type: ignore[arg-type]  # PTB types it per-call-args
        request=HTTPXRequest(
            connection_pool_size=64, connect_timeout=10, read_timeout=15, write_timeout=15, pool_timeout=10
        ),
        get_updates_request=HTTPXRequest(connection_pool_size=2, read_timeout=60),
    )
    builder = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(context_types)
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if not updater:
        builder = builder.updater(None)
    app: KhabarApp = builder.build()  # type: ignore[assignment]
    app.bot_data.settings = settings
    app.bot_data.mode = mode
    app.bot_data.clock = clock or utc_now
    app.bot_data.rng = rng or random.SystemRandom()
    from handlers import register

    register(app)
    return app


async def _post_init(app: KhabarApp) -> None:
    settings = app.bot_data.settings
    if settings is None:
        raise RuntimeError("build_application sets the settings")
    clock = app.bot_data.clock
    channel = await resolve_chat(app.bot, settings.channel, "KHABAR_CHANNEL")
    moderators = await resolve_chat(app.bot, settings.moderator_chat, "KHABAR_MODERATOR_CHAT")
    if channel is None or moderators is None:
        raise ConfigError("KHABAR_CHANNEL and KHABAR_MODERATOR_CHAT must be set")
    discussion = await resolve_chat(app.bot, settings.discussion_chat, "KHABAR_DISCUSSION_CHAT")
    try:
        channel_chat = await app.bot.get_chat(channel)
    except TelegramError as exc:
        raise ConfigError(f"KHABAR_CHANNEL={channel}: Telegram says {exc.message!r}; add the bot as admin") from None
    if discussion is None:
        discussion = channel_chat.linked_chat_id
    owner = instance_owner(settings)
    db = Database(settings.database_url, PoolOptions(settings.db_pool_size, settings.db_max_overflow))
    worker = OutboxWorker(
        db=db, bot=app.bot, owner=owner, clock=clock, lease=timedelta(seconds=settings.outbox_lease_seconds),
        # Only where every bot message goes through the outbox (not the moderators' chat's replies).
        repair_chats=frozenset({str(discussion)}) if discussion not in (None, moderators) else frozenset(),
    )
    deps = Deps(
        settings=settings,
        db=db,
        outbox=worker,
        chats=Chats(
            channel=channel, moderators=moderators, discussion=discussion, channel_title=channel_chat.title or ""
        ),
        bot_username=app.bot.username,
        owner=owner,
        moderators=ModeratorDirectory(frozenset(settings.moderators), moderators),
        clock=clock,
        rng=app.bot_data.rng,
    )
    app.bot_data.deps = deps
    try:
        await instance.claim(app, deps, app.bot_data.mode)
    except Exception:
        app.bot_data.deps = None
        await db.close()
        raise
    for setup in _areas():
        await setup(app, deps)
    if app.job_queue is not None and worker.repair_chats:
        app.job_queue.run_repeating(_repair_job, interval=REPAIR_EVERY, first=REPAIR_EVERY, name="outbox-repair")
    worker.start()
    log.info(
        "khabar ready",
        extra={"bot": app.bot.username, "channel": channel, "discussion": discussion, "owner": owner},
    )


async def _repair_job(context: KhabarContext) -> None:
    """Finish duplicate checks that were skipped or cut short (bot/outbox_repair.py)."""
    await context.deps.outbox.repair_pending()


async def _post_shutdown(app: KhabarApp) -> None:
    try:
        deps = app.bot_data.deps
    except RuntimeError:
        return
    try:
        from handlers.web import server as website

        await website.stop(deps)  # no new web requests while the rest shuts down
        await deps.outbox.stop()
        await deps.events.settle()
        await instance.release(deps)
    finally:
        await deps.db.close()
        app.bot_data.deps = None


async def start_app(app: KhabarApp, *, webhook_port: int | None = None) -> None:
    """Start ``app`` inside a running event loop (tests, benchmarks, demo): polling or webhook.

    ``run_polling``/``run_webhook`` own the loop and the signals; this is their in-loop twin.
    """
    from telegram import Update

    await app.initialize()
    if app.post_init:
        try:
            await app.post_init(app)
        except BaseException:
            await app.shutdown()
            raise
    settings = app.bot_data.settings
    if app.updater is not None and settings is not None:
        if webhook_port is None:
            await app.updater.start_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.0, timeout=10)
        else:
            secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
            await app.updater.start_webhook(
                listen=settings.webhook_listen,
                port=webhook_port,
                url_path=settings.webhook_path,
                webhook_url=f"{settings.webhook_url}/{settings.webhook_path}",
                secret_token=secret,
                allowed_updates=Update.ALL_TYPES,
            )
    await app.start()


async def stop_app(app: KhabarApp) -> None:
    """Stop what ``start_app`` started, in reverse order."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    try:
        if app.running:
            await app.stop()
        if app.post_shutdown:
            await app.post_shutdown(app)
    finally:
        await app.shutdown()  # close the HTTP clients even if a step above failed
