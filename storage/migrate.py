"""Schema migrations (Alembic), driven from Python so the CLI and tests share one path."""

from __future__ import annotations

import ast
import asyncio
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, make_url

from storage.db import make_engine
from storage.models import Base

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic (with Mako) costs ~11 MB of a process's memory: `khabar run` only reads the revisions (below,
# without it) and imports Alembic only when it upgrades.
MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "alembic_version"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at Khabar's migrations and ``url``."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["url"] = url
    return cfg


def head_revision(versions: Path | None = None) -> str | None:
    """The newest migration the code ships: the one revision no other revises (read from the files)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (versions or MIGRATIONS / "versions").glob("*.py"):
        fields = _revision_fields(script)
        if isinstance(fields.get("revision"), str):
            revisions.add(fields["revision"])
            down = fields.get("down_revision")
            parents.update([down] if isinstance(down, str) else down if isinstance(down, tuple | list) else ())
    heads = revisions - parents
    if len(heads) > 1:
        raise RuntimeError(f"the migrations have several heads: {sorted(heads)}")
    return next(iter(heads), None)


def _revision_fields(script: Path) -> dict[str, Any]:
    """A migration's ``revision`` and ``down_revision`` values, read without running the file."""
    fields: dict[str, Any] = {}
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        target, value = None, None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if isinstance(target, ast.Name) and target.id in ("revision", "down_revision") and value is not None:
            fields[target.id] = ast.literal_eval(value)
    return fields


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` up to ``revision`` (blocking; call from a thread in async code)."""
    from alembic import command

    command.upgrade(alembic_config(url), revision)


async def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at, or None when it has no schema (a SQLite file that does
    not exist is not created by asking: a refused or read-only command leaves no empty database behind)."""
    if _missing_sqlite_file(url):
        return None

    def _read(conn: Connection) -> str | None:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
        if len(rows) > 1:
            raise RuntimeError(f"the database is at several revisions: {sorted(rows)}")
        return rows[0] if rows else None

    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_read)
    finally:
        await engine.dispose()


def _missing_sqlite_file(url: str) -> bool:
    parsed = make_url(url)
    name = parsed.database
    if parsed.get_backend_name() != "sqlite" or not name or name == ":memory:" or name.startswith("file:"):
        return False
    return not Path(name).exists()


async def is_up_to_date(url: str) -> bool:
    """Whether the database schema is at the code's head revision."""
    return await current_revision(url) == head_revision()


async def pending_model_changes(url: str) -> list[Any]:
    """Differences between the models and a migrated database (empty when they agree)."""

    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    def _diff(conn: Connection) -> list[Any]:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        # SQLAlchemy cannot read an expression index (ix_comments_article_view) back from SQLite, and Alembic
        # skips it there with a warning; PostgreSQL compares it. tests/test_storage_read_cost.py checks on
        # SQLite that the reads it serves use it.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
            warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
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
