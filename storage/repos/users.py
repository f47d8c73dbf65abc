"""Users: created or refreshed from what Telegram tells us about them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import User
from storage.repos.upsert import insert_for


async def upsert(
    session: AsyncSession,
    user_id: int,
    *,
    display_name: str,
    username: str | None,
    now: datetime,
    started_bot: bool | None = None,
) -> User:
    """The user row, created if new; name and username refreshed; ``started_bot`` set when given.

    Writing to a private chat proves the user started the bot (and unblocked it).
    """
    name = display_name[:300]
    known = await session.get(User, user_id, populate_existing=True)
    if known is not None and known.display_name == name and known.username == username and (
        not started_bot or (known.started_bot and not known.blocked_bot)
    ):
        return known  # nothing new: a read instead of a write on every update (the hot path)
    values: dict[str, object] = {"display_name": name, "username": username, "updated_at": now}
    if started_bot:
        values["started_bot"] = True
        values["blocked_bot"] = False
    stmt = insert_for(session, User).values(id=user_id, created_at=now, **values)
    upsert_ = stmt.on_conflict_do_update(index_elements=[User.id], set_=values).returning(User)
    result = await session.execute(upsert_, execution_options={"populate_existing": True})
    return result.scalars().one()  # the row as written (RETURNING: SQLite 3.35+, PostgreSQL)


async def mark_blocked(session: AsyncSession, user_id: int) -> None:
    """The user blocked the bot (Telegram answered 403): stop writing to them until they return."""
    stmt = update(User).where(User.id == user_id).values(blocked_bot=True).execution_options(synchronize_session=False)
    await session.execute(stmt)
