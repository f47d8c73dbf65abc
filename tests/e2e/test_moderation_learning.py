"""Moderators' decisions teach the model; an undo takes the lesson back; the card shows the estimate."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.callbacks import Action, encode
from fakegram.control import FakeTelegram
from storage.models import LearnedExample
from storage.repos import learning
from tests.e2e.harness import Khabar, World
from tests.e2e.test_moderation_cards import card_of, open_menu
from tests.moderation import factory

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def seed(khabar: Khabar) -> None:
    """Past decisions, as `khabar learn` would import them."""
    async with khabar.db.transaction() as session:
        for i in range(25):
            await learning.teach(session, f"import:a{i}", f"گزارش خوبی بود ممنون {i}", rejected=False, reason=None,
                                 source="import", now=NOW)
            await learning.teach(session, f"import:r{i}", f"عجب دلقک بی مزه ای {i}", rejected=True,
                                 reason="insult", source="import", now=NOW)


async def examples(khabar: Khabar) -> dict[str, bool]:
    async with khabar.db.transaction() as session:
        rows = (await session.execute(select(LearnedExample).where(LearnedExample.source == "decision"))).scalars()
        return {row.key: row.rejected for row in rows}


async def test_card_estimate_decisions_teach_and_undo_forgets(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    await seed(khabar)
    reader = await factory.reader(fake, khabar.db, "نگار", "negar")
    art = await factory.article(khabar.db)
    rude = await factory.pending(khabar.deps, art, reader.id, "مجری دلقک بی مزه")
    kind = await factory.pending(khabar.deps, art, reader.id, "گزارش خوبی بود")
    await khabar.settle()
    rude_card, kind_card = card_of(fake, world, rude.id), card_of(fake, world, kind.id)
    assert "🤖 احتمال رد: ۹" in (rude_card.text or "") and "«دلقک»" in (rude_card.text or "")
    assert "🤖 احتمال رد: " in (kind_card.text or "") and "به خاطر" not in (kind_card.text or "")

    mod = world.moderators[0]
    await open_menu(fake, mod, rude_card, encode(Action.REJECT_MENU, rude.id), "v1:rr:")
    await (await mod.press(rude_card, encode(Action.REJECT, rude.id, 0))).wait_answered()
    await (await mod.press(kind_card, encode(Action.APPROVE, kind.id))).wait_answered()
    await khabar.settle()
    assert await examples(khabar) == {f"comment:{rude.id}": True, f"comment:{kind.id}": False}
    async with khabar.db.transaction() as session:
        counts = await learning.all_counts(session)
    assert (counts.approved_docs, counts.rejected_docs) == (26, 26)

    await (await mod.press(rude_card, encode(Action.UNDO, rude.id))).wait_answered()
    await khabar.settle()
    assert await examples(khabar) == {f"comment:{kind.id}": False}
    async with khabar.db.transaction() as session:
        counts = await learning.all_counts(session)
        row = await learning.counts_for(session, ["w:مجری"])
    assert (counts.approved_docs, counts.rejected_docs) == (26, 25)
    assert row.features.get("w:مجری", (0, 0)) == (0, 0)  # the undone lesson left nothing behind
