"""Portable INSERT … ON CONFLICT for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
_BUILT: dict[tuple[str, Hashable], Any] = {}


def insert_for(session: AsyncSession, table: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT construct of the session's dialect, which knows ON CONFLICT."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"unsupported database dialect: {name}")


def once_per_dialect(session: AsyncSession, key: Hashable, build: Callable[[], T]) -> T:
    """What ``build()`` makes (statements built with `insert_for`), made once per dialect and ``key``: on
    the hot path building a statement costs more CPU than running it (docs/architecture.md)."""
    full = (session.get_bind().dialect.name, key)
    if full not in _BUILT:
        _BUILT[full] = build()
    return cast(T, _BUILT[full])
