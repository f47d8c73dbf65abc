"""The learned model in the database: count a decision once, take it back, read the counts a text needs."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.checks.learned import DOCS, Counts, Estimate, estimate, features, text_words
from storage.models import LearnedExample, LearnedFeature
from storage.repos.upsert import insert_for, once_per_dialect

_CHUNK = 300  # rows per statement: well under SQLite's and asyncpg's parameter limits


def comment_key(comment_id: int) -> str:
    """The key of a moderator's decision on a comment."""
    return f"comment:{comment_id}"


def import_key(text: str, rejected: bool) -> str:
    """The key of an imported decision: the same line imported twice is counted once."""
    digest = hashlib.sha256(f"{int(rejected)}\n{text}".encode()).hexdigest()[:40]
    return f"import:{digest}"


def _upsert_counts(session: AsyncSession) -> Any:
    """INSERT … ON CONFLICT DO UPDATE (add the counts) … RETURNING, of the session's dialect."""

    def build() -> Any:
        insert = insert_for(session, LearnedFeature.__table__)
        return insert.on_conflict_do_update(
            index_elements=[LearnedFeature.__table__.c.feature],
            set_={
                "approved": LearnedFeature.__table__.c.approved + insert.excluded.approved,
                "rejected": LearnedFeature.__table__.c.rejected + insert.excluded.rejected,
            },
        ).returning(LearnedFeature.__table__.c.feature, LearnedFeature.__table__.c.approved,
                    LearnedFeature.__table__.c.rejected)

    return once_per_dialect(session, "learning.counts", build)


async def _add(session: AsyncSession, text: str, rejected: bool, sign: int) -> Counts:
    """Add ``sign`` to the text's features and to all decisions; their counts as written (RETURNING)."""
    # Sorted, so two transactions lock the rows they share in the same order (no deadlock).
    names = sorted({DOCS, *features(text)})
    approved, rejections = (0, sign) if rejected else (sign, 0)
    found: dict[str, tuple[int, int]] = {}
    rows = [{"feature": n, "approved": approved, "rejected": rejections} for n in names]
    # One statement built once per dialect, its rows as executemany parameters: SQLAlchemy sends them as
    # multi-row INSERTs of its own batch size ("insertmanyvalues"), compiled once. Built as one VALUES list
    # per decision, each decision's INSERT had its own shape and was compiled anew (~7 ms a decision).
    for name, approved_count, rejected_count in (await session.execute(_upsert_counts(session), rows)).all():
        found[name] = (approved_count, rejected_count)
    approved_docs, rejected_docs = found.pop(DOCS, (0, 0))
    return Counts(approved_docs, rejected_docs, found)


async def teach(
    session: AsyncSession, key: str, text: str, *, rejected: bool, reason: str | None, source: str, now: datetime
) -> bool:
    """Count one decision unless ``key`` was counted already; whether it was counted now."""
    return await _teach(session, key, text, rejected=rejected, reason=reason, source=source, now=now) is not None


async def _teach(
    session: AsyncSession, key: str, text: str, *, rejected: bool, reason: str | None, source: str, now: datetime
) -> Counts | None:
    """`teach`; the text's counts as written, None if ``key`` was counted already."""
    stmt = insert_for(session, LearnedExample).values(
        key=key, rejected=rejected, reason=(reason or None) and reason[:40], source=source, created_at=now
    )
    result = await session.execute(stmt.on_conflict_do_nothing(index_elements=[LearnedExample.key]))
    if not getattr(result, "rowcount", 0):
        return None
    return await _add(session, text, rejected, 1)


async def forget(session: AsyncSession, key: str, text: str) -> bool:
    """Take back a counted decision (a moderator's undo); whether there was one."""
    example = await session.get(LearnedExample, key)
    if example is None:
        return False
    rejected = example.rejected
    await session.execute(delete(LearnedExample).where(LearnedExample.key == key))
    await _add(session, text, rejected, -1)
    return True


_COUNTS_OF = select(LearnedFeature.feature, LearnedFeature.approved, LearnedFeature.rejected).where(
    LearnedFeature.feature.in_(bindparam("p_names", expanding=True)))  # read per comment: built once
_DOCS = select(LearnedFeature.approved, LearnedFeature.rejected).where(LearnedFeature.feature == bindparam("p_name"))


async def counts_for(session: AsyncSession, names: Iterable[str]) -> Counts:
    """The counts of ``names`` (the features of one text) and of all decisions."""
    wanted = sorted({DOCS, *names})
    found: dict[str, tuple[int, int]] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = {"p_names": wanted[start : start + _CHUNK]}
        for name, approved, rejected in (await session.execute(_COUNTS_OF, chunk)).all():
            found[name] = (approved, rejected)
    approved_docs, rejected_docs = found.pop(DOCS, (0, 0))
    return Counts(approved_docs, rejected_docs, found)


async def all_counts(session: AsyncSession) -> Counts:
    """Every feature's counts (for `khabar check`, which scores many texts)."""
    rows = (await session.execute(select(LearnedFeature.feature, LearnedFeature.approved, LearnedFeature.rejected))).all()
    found = {name: (approved, rejected) for name, approved, rejected in rows}
    approved_docs, rejected_docs = found.pop(DOCS, (0, 0))
    return Counts(approved_docs, rejected_docs, found)


async def summary(session: AsyncSession) -> dict[str, int]:
    """How many decisions are counted, by kind and source, and how many features the model knows."""
    stmt = select(LearnedExample.source, LearnedExample.rejected, func.count()).group_by(
        LearnedExample.source, LearnedExample.rejected
    )
    out: dict[str, int] = {}
    for source, rejected, count in (await session.execute(stmt)).all():
        out[f"{source}_{'rejected' if rejected else 'approved'}"] = int(count)
    features_known = await session.scalar(select(func.count()).select_from(LearnedFeature))
    out["features"] = max(int(features_known or 0) - 1, 0)
    return out


async def learn_decision(
    session: AsyncSession, comment_id: int, text: str, *, rejected: bool, reason: str | None, now: datetime
) -> Counts | None:
    """A moderator approved or rejected a comment: teach the model (once per comment). The text's counts
    as written (what `estimate_text` would read now), None if this comment was counted already."""
    return await _teach(session, comment_key(comment_id), text, rejected=rejected, reason=reason, source="decision",
                        now=now)


def estimate_from(counts: Counts, text: str) -> Estimate | None:
    """`estimate_text` from counts in hand (the text's features and all decisions)."""
    if not counts.ready:
        return None
    return estimate(features(text), counts, text_words(text))


async def estimate_text(session: AsyncSession, text: str) -> Estimate | None:
    """The model's estimate for one text, reading only the counts it needs (None: too few decisions)."""
    docs = (await session.execute(_DOCS, {"p_name": DOCS})).first()
    if docs is None or not Counts(docs.approved, docs.rejected, {}).ready:
        return None  # one row read: most newsrooms start with no model
    names = features(text)
    return estimate(names, await counts_for(session, names), text_words(text))


async def estimate_texts(session: AsyncSession, texts: Sequence[str]) -> list[Estimate | None]:
    """`estimate_text` for each of ``texts``, in the reads of one: the decisions' row once, then the
    counts of every feature the texts have (a card list's estimates without a read per comment)."""
    if not texts:
        return []
    docs = (await session.execute(_DOCS, {"p_name": DOCS})).first()
    if docs is None or not Counts(docs.approved, docs.rejected, {}).ready:
        return [None] * len(texts)
    names = [features(text) for text in texts]
    counts = await counts_for(session, set().union(*names))
    return [estimate(n, counts, text_words(text)) for n, text in zip(names, texts, strict=True)]
