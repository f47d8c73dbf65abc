"""Moderation's start-up: the comment_pending listener and the periodic sweep."""

from __future__ import annotations

import logging

from bot.deps import Deps, KhabarApp, KhabarContext
from bot.moderation.service_cards import Dispatcher

log = logging.getLogger(__name__)
SWEEP_SECONDS = 30.0


async def _sweep(context: KhabarContext) -> None:
    """Find pending comments no event brought (restarts, other instances) and dispatch them."""
    job = context.job
    if job is not None and isinstance(job.data, Dispatcher):
        await job.data.kick()


async def setup(app: KhabarApp, deps: Deps) -> None:
    """Listen for comment_pending, schedule the sweep."""
    dispatcher = Dispatcher(deps)
    deps.parts.dispatcher = dispatcher
    deps.events.subscribe("comment_pending", dispatcher.kick)
    if app.job_queue is not None:
        app.job_queue.run_repeating(_sweep, interval=SWEEP_SECONDS, first=10.0, name="moderation-sweep", data=dispatcher)
    else:  # pragma: no cover - the job-queue extra is a dependency
        log.warning("no job queue: pending comments are dispatched on events only")
