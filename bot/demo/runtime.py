"""The running demo: fakegram, the real bot on a SQLite file, and the sample article.

The bot is assembled by :func:`bot.app.build_application` — the assembly ``khabar run`` uses — and
started with :func:`bot.app.start_app`; its schema comes from the same migrations ``khabar db upgrade``
applies, and new articles go through the same service as ``khabar post`` (a row plus an outbox row,
sent by the bot's outbox worker).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from bot.app import build_application, start_app, stop_app
from bot.demo.newsroom import Newsroom, build_newsroom, demo_settings, make_fake, sample_article
from bot.deps import Deps, KhabarApp
from bot.publishing.article_file import ArticleDraft
from bot.publishing.articles import add_article
from bot.publishing.service import target_of
from bot.settings import Settings
from fakegram.control import FakeTelegram
from storage import migrate
from storage.models import Article

log = logging.getLogger(__name__)


class Demo:
    """Start with :meth:`start`, stop with :meth:`stop` (which also removes the temporary folder)."""

    def __init__(self, db_path: Path | None = None, *, settings_extra: dict[str, str] | None = None) -> None:
        self.db_path = db_path
        self.temp_dir: Path | None = None
        self.settings_extra = settings_extra or {}
        self.fake: FakeTelegram = make_fake()
        self.room: Newsroom = build_newsroom(self.fake)
        self._app: KhabarApp | None = None
        self._settings: Settings | None = None

    @property
    def temporary(self) -> bool:
        """Whether the data lives in a temporary file that :meth:`stop` removes."""
        return self.temp_dir is not None

    @property
    def database_path(self) -> Path:
        if self.db_path is not None:
            return self.db_path
        if self.temp_dir is None:
            raise RuntimeError("the demo is not started")
        return self.temp_dir / "khabar.db"

    @property
    def app(self) -> KhabarApp:
        if self._app is None:
            raise RuntimeError("the demo is not started")
        return self._app

    @property
    def deps(self) -> Deps:
        return self.app.bot_data.deps

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            raise RuntimeError("the demo is not started")
        return self._settings

    async def start(self) -> None:
        """Start fakegram, migrate the database, start the bot and queue the sample article."""
        try:
            await self.fake.start()
            if self.db_path is None:
                self.temp_dir = Path(tempfile.mkdtemp(prefix="khabar-demo-"))
            else:
                self.db_path.parent.mkdir(parents=True, exist_ok=True)
            url = f"sqlite+aiosqlite:///{self.database_path}"
            self._settings = demo_settings(self.fake, self.room, url, self.settings_extra)
            await migrate.upgrade_async(url)
            app = build_application(self._settings, mode="polling")
            await start_app(app)
            self._app = app
            await self.post(sample_article(self.deps.clock()))
        except BaseException:
            await self.stop()
            raise

    async def post(self, draft: ArticleDraft) -> Article | None:
        """Queue ``draft`` for the channel as ``khabar post`` does; None if it was stored before."""
        deps = self.deps
        async with deps.db.transaction() as session:
            article = await add_article(session, target_of(deps), draft, now=deps.clock(), source="manual")
        deps.outbox.wake()
        return article

    async def stop(self) -> None:
        """Stop the bot and fakegram; remove the temporary folder (never a ``--db`` file)."""
        try:
            if self._app is not None:
                app, self._app = self._app, None
                await stop_app(app)
        finally:
            try:
                await self.fake.stop()
            finally:
                if self.temp_dir is not None:
                    shutil.rmtree(self.temp_dir, ignore_errors=True)
                    self.temp_dir = None
