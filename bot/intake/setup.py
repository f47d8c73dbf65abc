"""Intake's start-up: the checks' resources, the group-note hook, the expiry sweep."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.deps import Deps, KhabarApp, KhabarContext
from bot.intake import service_captcha
from bot.intake.checking import ChecksResources
from bot.intake.service_submit import NOTE_KIND
from bot.outbox import Hooks, call
from storage.models import Delivery
from storage.repos import intake as repo
from storage.repos import outbox

log = logging.getLogger(__name__)
NOTE_LIFETIME = timedelta(seconds=60)
SWEEP_SECONDS = 30


async def _note_sent(session: AsyncSession, row: Delivery, message_id: int | None, now: datetime) -> None:
    """A group note was posted: schedule its deletion (a row, so a restart still deletes it)."""
    if message_id is None:
        return
    chat_id = int(row.payload["args"]["chat_id"])
    await outbox.enqueue(session, kind="delete", dedupe_key=f"intake-note-delete:{chat_id}:{message_id}",
                         chat_key=chat_id, payload=call("delete_message", chat_id=chat_id, message_id=message_id),
                         now=now, not_before=now + NOTE_LIFETIME)


async def setup(app: KhabarApp, deps: Deps) -> None:
    """Build the checks' resources once, register the note hook, schedule the expiry sweep."""
    async with deps.db.transaction() as session:
        articles = await repo.all_article_texts(session)
    deps.parts.checks = ChecksResources.build(deps.settings, articles)
    deps.outbox.register(NOTE_KIND, Hooks(on_sent=_note_sent))

    async def sweep(context: KhabarContext) -> None:
        """Periodic: expire comments whose captcha time is up."""
        await service_captcha.sweep(context.deps)

    if app.job_queue is not None:
        app.job_queue.run_repeating(sweep, interval=SWEEP_SECONDS, first=SWEEP_SECONDS, name="intake-expiry")
    log.info("intake ready", extra={"articles": len(articles)})
