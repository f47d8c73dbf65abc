"""Record the chats and users the bot meets, so ``khabar chats`` can list their ids."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import Update

from bot.deps import KhabarContext
from bot.seen import sightings_of

log = logging.getLogger(__name__)


async def record(update: Update, context: KhabarContext) -> None:
    """Note the update's group or channel and its sender; never stops the update's other handlers."""
    sightings = sightings_of(update)
    if not sightings:
        return
    deps = context.deps
    try:
        await deps.parts.seen_chats.note(deps.db, sightings, deps.clock())
    except SQLAlchemyError as exc:  # a convenience for the operator: never worth failing the update for
        log.warning("could not record a seen chat", extra={"error": str(exc)[:200]})
