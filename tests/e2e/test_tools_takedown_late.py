"""A removal decided inside Telegram's 48 hours deletes the thread copy; if the delete goes out late (the
outbox held it through an outage) and Telegram answers that the message can no longer be deleted, the
copy is edited to say it was removed instead of staying as it was."""

from __future__ import annotations

from fakegram.control import FakeTelegram
from tests.e2e.harness import Khabar, World
from tests.e2e.test_moderation_cards import reload
from tests.e2e.test_moderation_publish import approve, discussed_article
from tests.e2e.test_moderation_tools import command
from tests.moderation import factory


async def test_a_delete_telegram_refuses_as_too_late_becomes_an_edit(fake: FakeTelegram, world: World,
                                                                       khabar: Khabar) -> None:
    art, _ = await discussed_article(fake, world, khabar)
    alice = await factory.reader(fake, khabar.db, "آلیس")
    bad = await factory.pending(khabar.deps, art, alice.id, "نظری که بعدها حذف می‌شود دربارهٔ نان")
    await approve(fake, world, khabar, bad)
    copy_id = (await reload(khabar, bad.id)).thread_message_id
    assert copy_id is not None
    khabar.clock.advance(khabar.settings.undo_window_seconds + 60)
    fake.faults.add("deleteMessage", "400", description="Bad Request: message can't be deleted for everyone")

    await command(fake, world, f"/remove {bad.token}", "حذف شد")
    await khabar.settle()
    copy = world.group.messages[copy_id]
    assert not copy.deleted
    assert "حذف" in (copy.text or "") and "بعدها حذف می‌شود" not in (copy.text or "")  # the text is gone
    assert [c.ok for c in fake.calls_of("deleteMessage")] == [False]
    assert len([c for c in fake.calls_of("editMessageText") if c.params.get("message_id") == copy_id]) == 1
