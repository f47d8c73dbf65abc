"""Counter columns kept beside the rows they count (users' and articles' approved/rejected counts):
caches of what the comments table says, bumped in SQL by the transaction that changes a comment."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Article, User


async def bump(session: AsyncSession, model: type[User] | type[Article], ident: int, column: str, delta: int) -> None:
    """Add ``delta`` to a counter column in SQL (no lost update between concurrent decisions)."""
    col = getattr(model, column)
    stmt = update(model).where(model.id == ident).values({column: col + delta})
    await session.execute(stmt.execution_options(synchronize_session=False))
