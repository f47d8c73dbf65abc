"""Intake's start-up: the checks' resources and the expiry sweep."""

from __future__ import annotations

import logging

from bot.deps import Deps, KhabarApp, KhabarContext
from bot.intake import service_captcha
from bot.intake.checking import ChecksResources
from storage.repos import intake as repo

log = logging.getLogger(__name__)
SWEEP_SECONDS = 30


async def setup(app: KhabarApp, deps: Deps) -> None:
    """Build the checks' resources once, schedule the expiry sweep."""
    async with deps.db.transaction() as session:
        articles = await repo.all_article_texts(session)
    deps.parts.checks = ChecksResources.build(deps.settings, articles)

    async def sweep(context: KhabarContext) -> None:
        """Periodic: expire comments whose captcha time is up."""
        await service_captcha.sweep(context.deps)

    if app.job_queue is not None:
        app.job_queue.run_repeating(sweep, interval=SWEEP_SECONDS, first=SWEEP_SECONDS, name="intake-expiry")
    log.info("intake ready", extra={"articles": len(articles)})
