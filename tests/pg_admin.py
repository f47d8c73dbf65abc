"""One SQL statement on the PostgreSQL server of ``KHABAR_TEST_POSTGRES_URL`` (its own database), for the
tests and benches that create, drop or cut off databases."""

from __future__ import annotations

import os

import asyncpg
from sqlalchemy.engine import make_url


async def pg_admin(sql: str, url: str | None = None) -> None:
    """Run ``sql`` on the server of ``url`` (default: ``KHABAR_TEST_POSTGRES_URL``), connected to that URL's database."""
    base = make_url(url or os.environ["KHABAR_TEST_POSTGRES_URL"])
    conn = await asyncpg.connect(host=base.host, port=base.port or 5432, user=base.username,
                                 password=base.password, database=base.database)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()
