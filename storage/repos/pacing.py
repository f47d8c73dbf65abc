"""Reserving a sending slot in a shared, evenly spaced schedule (PostgreSQL; bot/pacing.py)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# One statement, atomic under the row's lock: instances queue on it, each gets the next free slot.
# Times are the database's clock (clock_timestamp()), so instances on different hosts agree.
_NOW = "CAST(extract(epoch from clock_timestamp()) AS double precision)"
_GAP = "CAST(:gap AS double precision)"
_RESERVE = text(f"""
INSERT INTO pacing_slots (key, next_at) VALUES (:key, {_NOW} + {_GAP})
ON CONFLICT (key) DO UPDATE SET next_at = greatest(pacing_slots.next_at, {_NOW}) + {_GAP}
RETURNING next_at - {_GAP} - {_NOW}
""")


async def reserve(session: AsyncSession, key: str, gap: float) -> float:
    """Take the next slot of ``key`` (slots ``gap`` seconds apart); seconds to wait before using it (≤ 0: now)."""
    return float((await session.execute(_RESERVE, {"key": key, "gap": gap})).scalar_one())
