"""Users: created or refreshed from what Telegram tells us about them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import User
from storage.repos.upsert import insert_for, once_per_dialect

# Built once (building a statement costs more CPU than running it; bench/pipeline.py).
_BY_ID = select(User).where(User.id == bindparam("user_id")).execution_options(populate_existing=True)
def _upsert_statement(session: AsyncSession, started_bot: bool) -> Any:
    """INSERT … ON CONFLICT DO UPDATE … RETURNING of the session's dialect, with bound values."""

    def build() -> Any:
        values: dict[str, Any] = {"display_name": bindparam("p_name", type_=User.display_name.type),
                                  "username": bindparam("p_username", type_=User.username.type),
                                  "updated_at": bindparam("p_now", type_=User.updated_at.type)}
        if started_bot:
            values["started_bot"] = True
            values["blocked_bot"] = False
        insert = insert_for(session, User).values(id=bindparam("p_id", type_=User.id.type),
                                                  created_at=bindparam("p_now", type_=User.created_at.type), **values)
        return insert.on_conflict_do_update(index_elements=[User.id], set_=values).returning(User)

    return once_per_dialect(session, ("users.upsert", started_bot), build)


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
    known = (await session.execute(_BY_ID, {"user_id": user_id})).scalar_one_or_none()
    if known is not None and known.display_name == name and known.username == username and (
        not started_bot or (known.started_bot and not known.blocked_bot)
    ):
        return known  # nothing new: a read instead of a write on every update (the hot path)
    params = {"p_id": user_id, "p_name": name, "p_username": username, "p_now": now}
    result = await session.execute(_upsert_statement(session, bool(started_bot)), params,
                                   execution_options={"populate_existing": True})
    return result.scalars().one()  # the row as written (RETURNING: SQLite 3.35+, PostgreSQL)


async def mark_blocked(session: AsyncSession, user_id: int) -> None:
    """The user blocked the bot (Telegram answered 403): stop writing to them until they return."""
    stmt = update(User).where(User.id == user_id).values(blocked_bot=True).execution_options(synchronize_session=False)
    await session.execute(stmt)
