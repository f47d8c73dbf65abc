"""The end-to-end harness: fake Telegram world + the real Khabar Application over real HTTP."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import build_application, start_app, stop_app
from bot.deps import Deps, KhabarApp
from bot.settings import Settings, load_settings
from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from fakegram.world import Chat
from storage.db import Database
from storage.models import Base


class Clock:
    """Real time plus an offset that tests move forward (``advance``) to make deadlines pass."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class World:
    """A newsroom in the fake Telegram: channel, linked discussion group, moderators' group."""

    fake: FakeTelegram
    channel: Chat
    group: Chat
    mods_chat: Chat
    moderators: list[FakeUser]
    outsider: FakeUser


def build_world(fake: FakeTelegram) -> World:
    """The standard newsroom every end-to-end test starts from."""
    editor = fake.make_user("سردبیر", "editor")
    channel = fake.make_channel("خبرگزاری آزمایشی", "khabar_news", owner=editor)
    group = fake.make_supergroup("گفتگوی خبرها", linked_channel=channel, owner=editor)
    mods_chat = fake.make_supergroup("مدیران نظرها", owner=editor)
    moderators = [fake.make_user("مدیر یک", "mod_one"), fake.make_user("مدیر دو", "mod_two")]
    for mod in moderators:
        fake.add_admin(mods_chat, mod)
    outsider = fake.make_user("رهگذر", "passerby")
    fake.add_member(mods_chat, outsider)
    return World(fake, channel, group, mods_chat, moderators, outsider)


def settings_for(fake: FakeTelegram, world: World, db_url: str, **overrides: str) -> Settings:
    """Khabar settings pointing at the fake server and the world's chats."""
    env = {
        "KHABAR_BOT_TOKEN": fake.token,
        "KHABAR_BOT_API_URL": fake.base_url,
        "KHABAR_CHANNEL": str(world.channel.id),
        "KHABAR_MODERATOR_CHAT": str(world.mods_chat.id),
        "KHABAR_MODERATORS": ",".join(str(m.id) for m in world.moderators),
        "KHABAR_DATABASE_URL": db_url,
        "KHABAR_WEBHOOK_URL": "http://127.0.0.1:{port}",
        "KHABAR_WEBHOOK_SECRET": "test-secret_123",
        # The fake's flood limits are off unless a test turns them on; so is Khabar's own pacing,
        # which would otherwise space group messages 3 s apart. Flood tests set both back.
        "KHABAR_API_MESSAGES_PER_SECOND": "0",
        "KHABAR_API_GROUP_MESSAGES_PER_MINUTE": "0",
    }
    env.update({"KHABAR_" + k.upper(): v for k, v in overrides.items()})
    return load_settings(env, env_file=None)


@dataclass
class Khabar:
    """A running Khabar Application and handles on its parts."""

    app: KhabarApp
    settings: Settings
    clock: Clock
    world: World
    webhook_port: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def deps(self) -> Deps:
        return self.app.bot_data.deps

    @property
    def db(self) -> Database:
        return self.deps.db

    async def updates_handled(self, timeout: float = 30.0) -> None:
        """Until every update the fake has queued was fetched and its handler finished (bounded).

        A reader's message is only queued in the fake when ``send`` returns; on a loaded machine the
        bot may fetch and handle it a good while later. Two quiet looks in a row count as done; when
        the bounded wait runs out (the bot stopped on purpose, say) the test goes on and asserts.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        updater = self.app.updater
        quiet = 0
        while quiet < 2 and loop.time() < deadline:
            fetching = updater is not None and updater.running
            busy = ((fetching and bool(self.world.fake.updates.pending)) or not self.app.update_queue.empty()
                    or self.app.update_processor.current_concurrent_updates > 0)
            quiet = 0 if busy else quiet + 1
            await asyncio.sleep(0.01)

    async def settle(self, rounds: int = 3) -> None:
        """Let the updates sent so far be handled and background work (events, outbox) finish."""
        for _ in range(rounds):
            await self.updates_handled()
            await self.deps.events.settle()
            await self.deps.outbox.drain(budget=10)
            await asyncio.sleep(0.01)

    async def restart(self) -> None:
        """Stop this Application and start a new one on the same database (a process restart)."""
        await stop_app(self.app)
        new = await launch(self.world, self.settings, self.clock, webhook=self.webhook_port is not None)
        self.app, self.settings, self.webhook_port = new.app, new.settings, new.webhook_port


async def create_schema(db_url: str) -> None:
    """Create every table from the models (migrations have their own tests)."""
    database = Database(db_url)
    try:
        async with database.engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
    finally:
        await database.close()


async def launch(world: World, settings: Settings, clock: Clock, *, webhook: bool = False) -> Khabar:
    """Build Khabar with its own assembly code and start it against the fake."""
    port = free_port() if webhook else None
    if port is not None and settings.webhook_url and "{port}" in settings.webhook_url:
        settings = settings.model_copy(update={"webhook_url": settings.webhook_url.format(port=port)})
    app = build_application(settings, clock=clock, mode="webhook" if webhook else "polling")
    await start_app(app, webhook_port=port)
    app.bot_data.deps.outbox.backoff_base = 0.05  # transient-error retries in tests: fast, same logic
    return Khabar(app=app, settings=settings, clock=clock, world=world, webhook_port=port)


def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file URL in the test's folder."""
    return f"sqlite+aiosqlite:///{tmp_path / 'khabar.db'}"


Factory = Callable[..., Any]
