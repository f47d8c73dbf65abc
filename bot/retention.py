"""Keeping the database to the size of its data: a periodic purge of what has done its job.

What goes, and when (times on Khabar's clock; the purge runs every PURGE_EVERY seconds):

* outbox rows sent or cancelled more than OUTBOX_KEEP (48 h) ago — after the 47 h in which a
  duplicate left by an uncertain send can still be found and deleted (bot/outbox.REPAIR_HORIZON);
  rows that failed for good stay FAILED_KEEP (7 days) for `khabar doctor` and the operators;
  rows of a comment still waiting for its captcha or a moderator stay until it is decided;
* captchas that expired more than CAPTCHA_KEEP (48 h) ago, solved or not (no answer is taken any more);
* drafts (the article a reader was writing on) whose hour ran out.

Comments, articles, users, moderation actions are the newsroom's data and are never purged here.
A notice about a comment decided more than 48 h before is sent as a new message (its old row, which
knew the message to edit, is gone); earlier changes still edit it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.deps import Deps, KhabarApp, KhabarContext
from storage.repos import outbox
from storage.repos import retention as repo

log = logging.getLogger(__name__)

OUTBOX_KEEP = timedelta(hours=48)
FAILED_KEEP = timedelta(days=7)
CAPTCHA_KEEP = timedelta(hours=48)
PURGE_EVERY = 3600.0  # seconds
PURGE_FIRST = 120.0  # seconds after start
BATCH = 500  # rows per transaction: a first purge of a big database never holds the write lock long
MAX_BATCHES = 200  # per run; the next run goes on


@dataclass
class Purged:
    """Rows removed by one purge."""

    deliveries: int = 0
    captchas: int = 0
    drafts: int = 0

    @property
    def total(self) -> int:
        return self.deliveries + self.captchas + self.drafts


async def purge(deps: Deps) -> Purged:
    """Delete what the retention above lets go, in short transactions; what was removed."""
    done = Purged()
    now = deps.clock()
    for _ in range(MAX_BATCHES):
        async with deps.db.transaction() as session:
            n = await outbox.purge_deliveries(session, sent_before=now - OUTBOX_KEEP, failed_before=now - FAILED_KEEP,
                                            limit=BATCH)
        done.deliveries += n
        if n < BATCH:
            break
    for _ in range(MAX_BATCHES):
        async with deps.db.transaction() as session:
            n = await repo.purge_captchas(session, expired_before=now - CAPTCHA_KEEP, limit=BATCH)
        done.captchas += n
        if n < BATCH:
            break
    async with deps.db.transaction() as session:
        done.drafts = await repo.clear_lapsed_drafts(session, now)
    if done.total:
        log.info("old rows purged", extra={"deliveries": done.deliveries, "captchas": done.captchas,
                                           "drafts": done.drafts})
    return done


async def _job(context: KhabarContext) -> None:
    await purge(context.deps)


def schedule(app: KhabarApp) -> None:
    """Run the purge every PURGE_EVERY seconds (one instance at a time per process)."""
    if app.job_queue is not None:
        app.job_queue.run_repeating(_job, interval=PURGE_EVERY, first=PURGE_FIRST, name="retention-purge")
