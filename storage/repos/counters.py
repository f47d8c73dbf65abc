"""Counter columns kept beside the rows they count (users' and articles' approved/rejected counts):
caches of what the comments table says, bumped in SQL by the transaction that changes a comment."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Article, User

_BUMPS: dict[tuple[str, str], Any] = {}  # each counter's UPDATE, built once (bench/pipeline.py)


async def bump(session: AsyncSession, model: type[User] | type[Article], ident: int, column: str, delta: int) -> None:
    """Add ``delta`` to a counter column in SQL (no lost update between concurrent decisions)."""
    key = (model.__name__, column)
    stmt = _BUMPS.get(key)
    if stmt is None:
        col = getattr(model, column)
        stmt = _BUMPS[key] = (update(model).where(model.id == bindparam("p_id"))
                              .values({column: col + bindparam("p_delta", type_=col.type)})
                              .execution_options(synchronize_session=False))
    await session.execute(stmt, {"p_id": ident, "p_delta": delta})
