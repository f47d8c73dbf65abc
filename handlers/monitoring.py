"""Counting what arrives: every update, by kind, before any other handler sees it."""

from __future__ import annotations

from telegram import Update

from bot.deps import KhabarContext


def update_kind(update: Update) -> str:
    """The update's field that is set: message, edited_message, callback_query, channel_post …"""
    return next((kind for kind in Update.ALL_TYPES if getattr(update, kind, None) is not None), "other")


async def count_update(update: Update, context: KhabarContext) -> None:
    """Count the update in khabar_updates_total{kind} (and the SQL its handlers run); never stops later groups."""
    context.deps.metrics.update_began(update_kind(update))
