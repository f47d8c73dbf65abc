"""Which chats and users the bot has met, with ids: recorded cheaply, listed by ``khabar chats``."""

from __future__ import annotations

from datetime import datetime, timedelta

from telegram import Chat, Update, User

from storage.db import Database
from storage.repos import seen
from storage.repos.seen import Sighting

# Telegram's own senders in groups: the channel's automatic forwards and anonymous admins.
SERVICE_USERS = frozenset({777000, 1087968824, 136817688})
REFRESH = timedelta(hours=6)


def _chat(chat: Chat) -> Sighting:
    title = chat.title or " ".join(p for p in (chat.first_name, chat.last_name) if p)
    return Sighting(chat.id, chat.type, title, chat.username)


def _user(user: User, chat_id: int) -> Sighting:
    return Sighting(user.id, "user", user.full_name, user.username, seen_in=chat_id)


def sightings_of(update: Update) -> list[Sighting]:
    """The non-private chats an update shows, and the people seen writing in them (readers' private chats
    are not listed: there are many, and an operator needs the ids of groups, channels and moderators)."""
    chat = update.effective_chat
    if chat is None or chat.type == Chat.PRIVATE:
        return []
    out = [_chat(chat)]
    message = update.effective_message
    if message is not None and message.sender_chat is not None and message.sender_chat.id != chat.id:
        out.append(_chat(message.sender_chat))
    user = update.effective_user
    if user is not None and not user.is_bot and user.id not in SERVICE_USERS:
        out.append(_user(user, chat.id))
    return out


class SeenChats:
    """Records sightings, writing only what is new or changed (or not refreshed for hours): one dict
    lookup per update on the hot path, a write only when the bot meets someone or something new."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[Sighting, datetime]] = {}

    def fresh(self, sightings: list[Sighting], now: datetime) -> list[Sighting]:
        """The sightings worth a write."""
        out = []
        for s in sightings:
            known = self._known.get(s.id)
            if known is None or known[0] != s or now - known[1] > REFRESH:
                out.append(s)
        return out

    async def note(self, db: Database, sightings: list[Sighting], now: datetime) -> None:
        """Store what is fresh in one transaction; remember it only once committed."""
        todo = self.fresh(sightings, now)
        if not todo:
            return
        async with db.transaction() as session:
            await seen.record(session, todo, now)
        for s in todo:
            self._known[s.id] = (s, now)
