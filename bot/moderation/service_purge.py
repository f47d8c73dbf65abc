"""An author's published comments removed all at once (issue 18, item 4): offered after a ban, or by /purge,
always with the count shown before a moderator confirms."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from bot.callbacks import Action, encode
from bot.deps import Deps
from bot.domain.screen import Button, Keyboard
from bot.jalali import fa_digits
from bot.moderation.card import clip
from bot.moderation.service_decide import Moderator, remember
from bot.moderation.service_takedown import remove_in
from bot.states import CommentStatus
from bot.texts import moderation as mod_text
from bot.texts import tools as t
from storage.models import User
from storage.repos import moderation as repo

log = logging.getLogger(__name__)
S = CommentStatus
MAX_AT_ONCE = 500  # one confirmation removes at most this many (a second press takes the rest)


@dataclass(frozen=True, slots=True)
class Offer:
    """The confirmation message: its text and, when there is something to remove, its button."""

    text: str
    keyboard: Keyboard
    count: int


def _name(user: User) -> str:
    return html.escape(clip(user.display_name or str(user.id), 64))


async def offer(deps: Deps, user_id: int) -> Offer:
    """How many published comments the user has, and the button that removes them all."""
    async with deps.db.transaction() as session:
        user = await session.get(User, user_id)
        if user is None:
            return Offer(mod_text.USER_UNKNOWN.format(user_id=user_id), (), 0)
        count = await repo.published_count(session, user_id)
        if count == 0:
            return Offer(t.PURGE_NOTHING.format(name=_name(user), user_id=user_id), (), 0)
        text = t.PURGE_OFFER.format(name=_name(user), user_id=user_id, count=fa_digits(count))
        button = t.BUTTON_PURGE.format(count=fa_digits(count))
        return Offer(text, ((Button(button, callback_data=encode(Action.PURGE, user_id)),),), count)


async def purge(deps: Deps, mod: Moderator, user_id: int) -> tuple[int, str]:
    """Remove every published comment of the user (each audited and its author notice synced, one
    transaction); how many, and the text the confirmation message becomes."""
    now = deps.clock()
    articles: set[int] = set()
    removed = 0
    async with deps.db.transaction() as session:
        user = await session.get(User, user_id)
        if user is None:
            return 0, mod_text.USER_UNKNOWN.format(user_id=user_id)
        await remember(session, mod, now)
        for comment in await repo.published_of_author(session, user_id, MAX_AT_ONCE):
            if await remove_in(session, comment, mod, now, {"purge": True}) is not None:
                removed += 1
                articles.add(comment.article_id)
        name = _name(user)
    deps.outbox.wake()
    for article_id in articles:
        deps.events.emit("count_changed", article_id)
    log.info("author's published comments taken down", extra={"user_id": user_id, "count": removed})
    who = html.escape(clip(mod.name, 64))
    return removed, t.PURGE_DONE.format(count=fa_digits(removed), name=name, user_id=user_id, who=who)
