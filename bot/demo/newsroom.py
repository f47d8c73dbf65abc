"""The demo's newsroom in fakegram: a channel, its discussion group, the moderators' group and people.

Everything here is the stand-in for Telegram; the bot that talks to it is the real one, configured
by :func:`demo_settings` exactly as an operator's ``.env`` would configure it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.publishing.article_file import ArticleDraft
from bot.settings import Settings, load_settings
from bot.texts import demo as texts
from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from fakegram.world import Chat

BOT_USERNAME = "khabar_demo_bot"


@dataclass(frozen=True)
class Person:
    """Someone the visitor can act as: ``key`` is what the page sends back."""

    key: str
    role: str  # reader, moderator, outsider
    user: FakeUser

    @property
    def name(self) -> str:
        return self.user.first_name


@dataclass
class Newsroom:
    """The chats and people of the demo."""

    fake: FakeTelegram
    channel: Chat
    group: Chat
    mods_chat: Chat
    people: dict[str, Person]

    def person(self, key: str) -> Person | None:
        return self.people.get(key)

    def of_role(self, role: str) -> list[Person]:
        return [p for p in self.people.values() if p.role == role]


def make_fake() -> FakeTelegram:
    """The stand-in Bot API server (not started), with the demo bot's name."""
    fake = FakeTelegram(bot_username=BOT_USERNAME, bot_name=texts.BOT_NAME)
    fake.check_at_end = False  # a person clicks at will: no end-of-test bookkeeping
    return fake


def build_newsroom(fake: FakeTelegram) -> Newsroom:
    """Channel + linked discussion group + moderators' group; three readers, two moderators, one outsider."""
    editor = fake.make_user(texts.EDITOR_NAME, "demo_editor")
    channel = fake.make_channel(texts.CHANNEL_TITLE, "khabar_demo_news", owner=editor)
    group = fake.make_supergroup(texts.GROUP_TITLE, linked_channel=channel, owner=editor)
    mods_chat = fake.make_supergroup(texts.MODS_TITLE, owner=editor)
    people: dict[str, Person] = {}
    for i, (name, username) in enumerate(texts.READERS, 1):
        user = fake.make_user(name, username)
        fake.add_member(group, user)
        people[f"reader{i}"] = Person(f"reader{i}", "reader", user)
    for i, (name, username) in enumerate(texts.MODERATORS, 1):
        user = fake.make_user(name, username)
        fake.add_admin(mods_chat, user)
        people[f"mod{i}"] = Person(f"mod{i}", "moderator", user)
    outsider = fake.make_user(texts.OUTSIDER[0], texts.OUTSIDER[1])
    fake.add_member(mods_chat, outsider)  # in the group, but not a configured moderator
    people["outsider"] = Person("outsider", "outsider", outsider)
    return Newsroom(fake, channel, group, mods_chat, people)


def demo_settings(fake: FakeTelegram, room: Newsroom, database_url: str, extra: dict[str, str] | None = None) -> Settings:
    """Khabar's settings for the demo, built from these values only (no ``.env``, no environment)."""
    env = {
        "KHABAR_BOT_TOKEN": fake.token,
        "KHABAR_BOT_API_URL": fake.base_url,
        "KHABAR_CHANNEL": str(room.channel.id),
        "KHABAR_MODERATOR_CHAT": str(room.mods_chat.id),
        "KHABAR_MODERATORS": ",".join(str(p.user.id) for p in room.of_role("moderator")),
        "KHABAR_DATABASE_URL": database_url,
        "KHABAR_LOG_LEVEL": "WARNING",
        "KHABAR_INSTANCE_NAME": "demo",
        # Telegram's per-group pace (20 a minute) would make a visitor wait seconds for each
        # moderators' card; fakegram enforces no flood limits here, so neither does the bot.
        "KHABAR_API_GROUP_MESSAGES_PER_MINUTE": "0",
    }
    env.update(extra or {})
    return load_settings(env, env_file=None)


def sample_article(now: datetime) -> ArticleDraft:
    """The demo's first article: a short provincial story written for the demo."""
    return ArticleDraft(
        kicker=texts.SAMPLE_KICKER,
        title=texts.SAMPLE_TITLE,
        lead=texts.SAMPLE_LEAD,
        body=texts.SAMPLE_BODY,
        hashtags=texts.SAMPLE_HASHTAGS,
        published_at=now,
    )
