"""Shared fixtures: databases on SQLite files and, when configured, PostgreSQL."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import Database
from storage.models import Base

# The fake Telegram's fixtures (``fake``, ``fake_bot``) and its end-of-test checks; the headless
# Chromium ``browser`` fixture for web pages.
pytest_plugins = ["fakegram.pytest_plugin", "tests.browser"]

PG_BASE_URL = os.environ.get("KHABAR_TEST_POSTGRES_URL", "")
# Each pytest run gets its own database (created in pytest_configure), so parallel runs never collide.
PG_URL = ""
needs_pg = pytest.mark.skipif(not PG_BASE_URL, reason="KHABAR_TEST_POSTGRES_URL is not set")
ENGINES = [pytest.param("sqlite", id="sqlite"), pytest.param("postgres", id="postgres", marks=needs_pg)]


async def reset_postgres(url: str) -> None:
    """Drop every table (and Alembic's version table) in the test database."""
    db = Database(url)
    try:
        async with db.engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await db.close()


@pytest.fixture
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """An empty database URL: a fresh SQLite file, or the PostgreSQL test database wiped."""
    engine = getattr(request, "param", "sqlite")
    if engine == "postgres":
        await reset_postgres(PG_URL)
        yield PG_URL
    else:
        yield f"sqlite+aiosqlite:///{tmp_path / 'khabar.db'}"


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    """A Database with the schema created from the models."""
    database = Database(db_url)
    async with database.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield database
    await database.close()


def _pg_admin(sql: str) -> None:
    import asyncio

    from tests.pg_admin import pg_admin

    asyncio.run(pg_admin(sql, PG_BASE_URL))


def pytest_configure(config: pytest.Config) -> None:
    """Create this run's PostgreSQL database (when a server is configured)."""
    global PG_URL
    if PG_BASE_URL and not PG_URL:
        from sqlalchemy.engine import make_url

        name = f"khabar_test_{os.getpid()}"
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}"')
        _pg_admin(f'CREATE DATABASE "{name}"')
        PG_URL = make_url(PG_BASE_URL).set(database=name).render_as_string(hide_password=False)
        os.environ["KHABAR_TEST_POSTGRES_DB_URL"] = PG_URL


def pytest_unconfigure(config: pytest.Config) -> None:
    """Drop this run's PostgreSQL database."""
    if PG_BASE_URL and PG_URL:
        from sqlalchemy.engine import make_url

        _pg_admin(f'DROP DATABASE IF EXISTS "{make_url(PG_URL).database}" WITH (FORCE)')


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that uses a database (``db_url``, ``db``, ``khabar``) runs on SQLite and on PostgreSQL.

    PostgreSQL runs only when KHABAR_TEST_POSTGRES_URL is set. A test opts out with
    ``@pytest.mark.sqlite_only(reason=...)`` when it checks SQLite-specific behaviour.
    """
    if "db_url" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("sqlite_only")
    if marker is not None:
        if not (marker.kwargs.get("reason") or marker.args):
            raise pytest.UsageError(f"{metafunc.definition.nodeid}: sqlite_only needs a reason")
        metafunc.parametrize("db_url", ["sqlite"], indirect=True)
    else:
        metafunc.parametrize("db_url", ENGINES if PG_BASE_URL else ["sqlite"], indirect=True)


def pytest_report_header(config: pytest.Config) -> str:
    """Say which database engines this run covers."""
    if PG_BASE_URL:
        return f"databases: SQLite and PostgreSQL ({PG_URL.rsplit('/', 1)[-1]})"
    return "databases: SQLite only (set KHABAR_TEST_POSTGRES_URL to also run on PostgreSQL)"
