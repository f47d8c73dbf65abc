"""Schema migrations (Alembic), driven from Python so the CLI and tests share one path."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from storage.db import make_engine
from storage.models import Base

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at Khabar's migrations and ``url``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["url"] = url
    return cfg


def head_revision() -> str | None:
    """The newest migration the code ships."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` up to ``revision`` (blocking; call from a thread in async code)."""
    command.upgrade(alembic_config(url), revision)


async def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at, or None when it has no schema."""

    def _read(conn: Connection) -> str | None:
        return MigrationContext.configure(conn).get_current_revision()

    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_read)
    finally:
        await engine.dispose()


async def is_up_to_date(url: str) -> bool:
    """Whether the database schema is at the code's head revision."""
    return await current_revision(url) == head_revision()


async def pending_model_changes(url: str) -> list[Any]:
    """Differences between the models and a migrated database (empty when they agree)."""

    def _diff(conn: Connection) -> list[Any]:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, Base.metadata))

    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_diff)
    finally:
        await engine.dispose()


async def upgrade_async(url: str, revision: str = "head") -> None:
    """``upgrade`` off the event loop (Alembic's env runs its own loop)."""
    await asyncio.to_thread(upgrade, url, revision)
