"""Application assembly: the PTB Application from settings, services in post_init."""

from __future__ import annotations

import contextlib
import logging
import os
import random
import socket
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes, Defaults

from bot import instance, metrics, network
from bot.deps import AppState, Chats, Deps, KhabarApp, KhabarContext, utc_now
from bot.health import Liveness, MonitorServer, updates_liveness
from bot.menu import set_menus
from bot.moderators import ModeratorDirectory
from bot.ops_alerts import OpsAlerts
from bot.outbox import OutboxWorker
from bot.settings import ConfigError, Settings, cannot_listen
from bot.telegram_bot import KhabarBot
from bot.telegram_reach import QuietWhileAway, TelegramReach
from storage.availability import QuietWhileDown
from storage.db import Database, PoolOptions, is_sqlite

log = logging.getLogger(__name__)

# Each area's start-up: builds its parts (Deps.parts), subscribes to events, schedules jobs. Order matters
# only for logging; every setup must be idempotent and quick.
AreaSetup = Callable[[KhabarApp, Deps], Awaitable[None]]
# Updates handled at once. More buys nothing (SQLite writes are serial, PostgreSQL's pool is ~15
# connections) and costs memory: a burst of 1,000 updates would otherwise be processed 256 at a time.
CONCURRENT_UPDATES = 32
REPAIR_EVERY = 300.0  # seconds between sweeps for unfinished duplicate checks


class KhabarApplication(Application):
    """PTB's Application, stopping its jobs without cancelling one.

    ``JobQueue.stop`` waits for the jobs running when it is called and then shuts the scheduler
    down, which cancels any job that started in between (a repeating job every second starts
    often), and the scheduler logs that as an ERROR with a traceback. Pausing the scheduler first
    means no job starts once stopping has begun, so the wait covers every job that runs.
    """

    __slots__ = ()

    async def stop(self) -> None:
        jobs = self.job_queue
        if jobs is not None and jobs.scheduler.running:
            jobs.scheduler.pause()
        await super().stop()


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
    except (BadRequest, Forbidden) as exc:  # an answer about the chat; an outage (NetworkError) is not
        raise ConfigError(f"{key}={ref}: Telegram says {exc.message!r}; is the bot a member of that chat?") from None
    return chat.id


def rate_limiter(settings: Settings, counts: metrics.Metrics | None = None) -> AIORateLimiter:
    """Telegram's limits (overall, per group) as sliding windows; 0 in a setting lifts that limit."""
    from bot.rate_limit import KhabarRateLimiter

    return KhabarRateLimiter(settings.api_messages_per_second, settings.api_group_messages_per_minute,
                             on_flood=counts.rate_limited if counts else None)


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
    counts = metrics.Metrics()  # this Application's own registry
    reach = TelegramReach()  # every Bot API request tells it whether Telegram answered
    poll_request = network.telegram_request(settings, polling=True, reach=reach)
    bot = KhabarBot(
        settings.token,
        base_url=settings.bot_api_url,
        base_file_url=settings.file_api_url,
        defaults=Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz),
        rate_limiter=rate_limiter(settings, counts),
        request=network.telegram_request(settings, reach=reach),
        get_updates_request=poll_request,
        metrics=counts,
    )
    builder = (
        ApplicationBuilder()
        .application_class(KhabarApplication)
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
    app.bot_data.metrics = counts
    app.bot_data.poll_request = poll_request
    app.bot_data.reach = reach
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
    except (BadRequest, Forbidden) as exc:  # a NetworkError (Telegram or a proxy failing) is an outage: exit 1
        raise ConfigError(f"KHABAR_CHANNEL={channel}: Telegram says {exc.message!r}; add the bot as admin") from None
    if discussion is None:
        discussion = channel_chat.linked_chat_id
    ops = await resolve_chat(app.bot, settings.ops_chat, "KHABAR_OPS_CHAT")
    owner = instance_owner(settings)
    db = Database(settings.database_url, PoolOptions(settings.db_pool_size, settings.db_max_overflow))
    worker = OutboxWorker(
        db=db, bot=app.bot, owner=owner, clock=clock, lease=timedelta(seconds=settings.outbox_lease_seconds),
        reach=app.bot_data.reach,
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
        metrics=app.bot_data.metrics,
        telegram=app.bot_data.reach,
    )
    # A chat with two roles is named by the later one (the moderators' group may also be the ops chat).
    deps.metrics.watch_sql(db.counts)
    deps.metrics.know_chats({ops: metrics.OPS, discussion: metrics.DISCUSSION, channel: metrics.CHANNEL,
                             moderators: metrics.MODERATORS})
    from bot.outbox_kinds import follow_ups

    worker.hooks = {kind.value: hooks for kind, hooks in follow_ups(deps).items()}  # what follows each send
    app.bot_data.deps = deps
    try:
        await instance.claim(app, deps, app.bot_data.mode)
        await _start_monitor(app, deps)
    except Exception:
        app.bot_data.deps = None
        with contextlib.suppress(Exception):
            await instance.release(deps)
        await db.close()
        raise
    for setup in _areas():
        await setup(app, deps)
    checks = deps.parts.checks
    if checks is not None:
        checks.on_verdict = deps.metrics.count_verdict  # checks' verdicts, whichever path asked for them
    await set_menus(app.bot, moderators)
    deps.telegram.probe = app.bot.get_me  # while Telegram is away: is it back? (bot/telegram_reach.py)
    if ops is not None:
        alerts = OpsAlerts(app.bot, ops, instance=owner, secrets=_secrets(settings), metrics=deps.metrics)
        alerts.start()
        deps.parts.ops_alerts = alerts
    if app.job_queue is not None and worker.repair_chats:
        app.job_queue.run_repeating(_repair_job, interval=REPAIR_EVERY, first=REPAIR_EVERY, name="outbox-repair")
    from bot import retention
    from bot.rate_limit import KhabarRateLimiter

    limiter = app.bot.rate_limiter
    if app.bot_data.mode == "webhook" and not is_sqlite(settings.database_url) and isinstance(limiter, KhabarRateLimiter):
        limiter.share(db)  # several instances behind nginx: one allowance in the database (bot/pacing.py)
    retention.schedule(app)  # old outbox rows, expired captchas, lapsed drafts (bot/retention.py)
    db.patient = True  # from now on work waits out a database outage (storage/availability.py)
    skipped = QuietWhileDown(db.availability)  # jobs waiting for it: no WARNING per skipped run
    skipped.attach()
    deps.parts.quiet_while_down = skipped
    away = QuietWhileAway(deps.telegram)  # the same for jobs waiting on Telegram
    away.attach()
    deps.parts.quiet_while_away = away
    worker.start()
    log.info(
        "khabar ready",
        extra={"bot": app.bot.username, "channel": channel, "discussion": discussion, "owner": owner},
    )


def _secrets(settings: Settings) -> list[str]:
    """What must never reach the operators' chat: the token, the webhook secret, proxy passwords."""
    out = [settings.token]
    if settings.webhook_secret:
        out.append(settings.webhook_secret.get_secret_value())
    return out + network.proxy_secrets(settings)


async def _start_monitor(app: KhabarApp, deps: Deps) -> None:
    """Serve /healthz and /metrics when KHABAR_METRICS_PORT is set (ConfigError if the port is taken)."""
    settings = deps.settings
    if settings.metrics_port is None:
        return
    since = time.monotonic()
    poll = app.bot_data.poll_request

    def liveness() -> Liveness:
        updater = app.updater
        running = updater is not None and updater.running
        return updates_liveness(app.bot_data.mode, running, poll if isinstance(poll, network.WatchedRequest) else None,
                                since)

    server = MonitorServer(metrics=deps.metrics, db=deps.db, clock=deps.clock, liveness=liveness)
    try:
        await server.start(settings.metrics_listen, settings.metrics_port)
    except OSError as exc:
        raise ConfigError(cannot_listen("METRICS", settings.metrics_listen, settings.metrics_port, exc)) from None
    deps.parts.monitor = server


async def _repair_job(context: KhabarContext) -> None:
    """Finish duplicate checks that were skipped or cut short (bot/outbox_repair.py)."""
    await context.deps.outbox.repair_pending()


async def _post_shutdown(app: KhabarApp) -> None:
    try:
        deps = app.bot_data.deps
    except RuntimeError:
        # Start-up stopped before the parts existed (Telegram failed in post_init): only the watch on
        # Telegram may be running, probing; stop it before the loop closes.
        await app.bot_data.reach.close()
        return
    try:
        from handlers.web import server as website

        await website.stop(deps)  # no new web requests while the rest shuts down
        parts = deps.parts
        if parts.ops_alerts is not None:
            await parts.ops_alerts.stop()
            parts.ops_alerts = None
        for quiet in (parts.quiet_while_down, parts.quiet_while_away):
            if quiet is not None:
                quiet.detach()
        parts.quiet_while_down = parts.quiet_while_away = None
        if parts.monitor is not None:
            await parts.monitor.stop()
            parts.monitor = None
        await deps.outbox.stop()
        await deps.telegram.close()
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
            # As run_polling does: a failed poll goes to the error handlers (handlers/errors.py).
            await app.updater.start_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.0, timeout=10,
                                            error_callback=polling_error_callback(app))
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


def polling_error_callback(app: KhabarApp) -> Callable[[TelegramError], None]:
    """What ``run_polling`` gives the Updater: a failed getUpdates goes to the error handlers (update None)."""

    def forward(exc: TelegramError) -> None:
        app.create_task(app.process_error(error=exc, update=None))

    return forward


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
