"""The website's server: built from settings, started with Khabar (post_init) when KHABAR_WEB_PORT is set."""

from __future__ import annotations

import logging

from aiohttp import web

from bot.deps import Deps, KhabarApp
from bot.website.addresses import networks
from bot.website.limits import AddressLimit
from bot.website.service import Website
from handlers.web import routes, security

log = logging.getLogger(__name__)
MAX_BODY = 16 * 1024  # a comment is at most a few KB of UTF-8; anything bigger is refused with 413
CAPTCHAS_PER_MINUTE = 30


def build(website: Website) -> web.Application:
    """The aiohttp application for ``website`` (tests and the benchmark serve it too)."""
    settings = website.deps.settings
    app = web.Application(client_max_size=MAX_BODY, middlewares=[security.headers, security.cors, security.errors])
    app[routes.WEBSITE] = website
    app[security.ORIGINS] = frozenset(settings.web_origins)
    app[routes.PROXIES] = networks(settings.web_trusted_proxies)
    app[routes.MAX_TEXT] = settings.max_comment_length
    app[routes.LIMITS] = {
        "captcha": AddressLimit(CAPTCHAS_PER_MINUTE, 60.0),
        "comment": AddressLimit(settings.web_posts_per_minute, 60.0),
    }
    app[routes.STATIC] = routes.load_static()
    routes.add_routes(app)
    return app


async def setup(app: KhabarApp, deps: Deps) -> None:
    """Start the website's server if KHABAR_WEB_PORT is set; decisions refresh its comments at once."""
    settings = deps.settings
    if settings.web_port is None:
        return
    website = Website(deps)
    await website.start()
    deps.parts.website = website

    async def changed(article_id: int) -> None:
        website.forget(article_id)

    deps.events.subscribe("count_changed", changed)
    deps.events.subscribe("count_changed_no_edit", changed)  # an approval whose button edit comes later
    runner = web.AppRunner(build(website), access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, settings.web_listen, settings.web_port, reuse_address=True)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        from bot.settings import ConfigError, cannot_listen

        raise ConfigError(cannot_listen("WEB", settings.web_listen, settings.web_port, exc)) from None
    deps.parts.web_runner = runner
    log.info("website serving", extra={"listen": settings.web_listen, "port": settings.web_port})


async def stop(deps: Deps) -> None:
    """Stop the website's server (post_shutdown)."""
    parts = deps.parts
    runner, website = parts.web_runner, parts.website
    parts.web_runner = parts.website = None
    if runner is not None:
        await runner.cleanup()
    if website is not None:
        await website.close()
