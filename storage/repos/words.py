"""The run-time word lists (issue 18): entries, and the version every instance compares with its cache."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ListedWord, WordListVersion
from storage.repos.upsert import insert_for

ROW = 1  # the one WordListVersion row
_VERSION = select(WordListVersion.version).where(WordListVersion.id == bindparam("p_row"))  # read per comment: built once


async def version(session: AsyncSession) -> int:
    """The lists' version (0: never changed)."""
    found = (await session.execute(_VERSION, {"p_row": ROW})).scalar_one_or_none()
    return int(found or 0)


async def entries(session: AsyncSession) -> list[ListedWord]:
    """Every entry, by category, kind and entry."""
    stmt = select(ListedWord).order_by(ListedWord.category, ListedWord.kind, ListedWord.entry, ListedWord.id)
    return list((await session.execute(stmt)).scalars())


async def add(session: AsyncSession, *, category: str, kind: str, entry: str, key: str, by: int | None,
              now: datetime) -> bool:
    """List one entry; False if the same key is already listed so (nothing changes)."""
    stmt = insert_for(session, ListedWord).values(
        category=category, kind=kind, entry=entry, key=key, added_by=by, created_at=now
    ).on_conflict_do_nothing(index_elements=[ListedWord.category, ListedWord.kind, ListedWord.key])
    return bool(getattr(await session.execute(stmt), "rowcount", 0) == 1)


async def remove(session: AsyncSession, *, category: str, keys: set[str]) -> list[str]:
    """Unlist the category's entries with any of ``keys`` (blocked and allowed); the kinds removed."""
    stmt = select(ListedWord).where(ListedWord.category == category, ListedWord.key.in_(keys))
    found = list((await session.execute(stmt)).scalars())
    if found:
        await session.execute(delete(ListedWord).where(ListedWord.id.in_([w.id for w in found]))
                              .execution_options(synchronize_session=False))
    return sorted({w.kind for w in found})


async def bump(session: AsyncSession, now: datetime) -> None:
    """A change: the version goes up (in the change's own transaction), so every instance reloads."""
    stmt = insert_for(session, WordListVersion).values(id=ROW, version=1, changed_at=now)
    stmt = stmt.on_conflict_do_update(index_elements=[WordListVersion.id],
                                      set_={"version": WordListVersion.version + 1, "changed_at": now})
    await session.execute(stmt)
