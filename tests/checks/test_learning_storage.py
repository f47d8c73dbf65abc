"""The learned model in the database (SQLite and PostgreSQL): counted once, taken back, read back."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.checks.learned import Model, estimate, features, text_words
from storage.db import Database
from storage.repos import learning

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
TEXTS = [("نظر اول دربارهٔ برق", False), ("عجب دلقکی هستی", True), ("نظر دوم دربارهٔ آب", False)]


async def test_teach_once_forget_and_read_back(db: Database) -> None:
    memory = Model()
    async with db.transaction() as session:
        for i, (text, rejected) in enumerate(TEXTS):
            assert await learning.teach(session, f"comment:{i}", text, rejected=rejected, reason=None,
                                        source="decision", now=NOW)
            memory.teach(text, rejected)
        assert not await learning.teach(session, "comment:1", "عجب دلقکی هستی", rejected=True, reason="insult",
                                        source="decision", now=NOW)  # a second press counts nothing
    async with db.transaction() as session:
        stored = await learning.all_counts(session)
        names = features("عجب دلقکی هستی")
        some = await learning.counts_for(session, names)
    assert (stored.approved_docs, stored.rejected_docs) == (2, 1)
    assert dict(stored.features) == {k: v for k, v in memory.counts().features.items() if k != "#docs"}
    assert some.features == {k: v for k, v in stored.features.items() if k in names}
    async with db.transaction() as session:
        assert await learning.forget(session, "comment:1", "عجب دلقکی هستی")
        assert not await learning.forget(session, "comment:1", "عجب دلقکی هستی")
        after = await learning.all_counts(session)
        summary = await learning.summary(session)
    assert (after.approved_docs, after.rejected_docs) == (2, 0)
    assert all(rejected == 0 for _, rejected in after.features.values())
    assert summary["decision_approved"] == 2 and "decision_rejected" not in summary


async def test_estimate_text_reads_only_what_it_needs(db: Database) -> None:
    async with db.transaction() as session:
        assert await learning.estimate_text(session, "هر متنی") is None  # an empty model says nothing
        for i in range(25):
            await learning.teach(session, f"import:a{i}", f"گزارش خوبی بود {i}", rejected=False, reason=None,
                                 source="import", now=NOW)
            await learning.teach(session, f"import:r{i}", f"دلقک بی مزه {i}", rejected=True, reason="insult",
                                 source="import", now=NOW)
    async with db.transaction() as session:
        guess = await learning.estimate_text(session, "چه دلقک بی مزه ای")
        whole = await learning.all_counts(session)
    assert guess is not None and guess.probability > 0.9 and guess.decisions == 50
    assert guess == estimate(features("چه دلقک بی مزه ای"), whole, text_words("چه دلقک بی مزه ای"))
