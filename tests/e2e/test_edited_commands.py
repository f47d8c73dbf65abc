"""A command is run when it is sent, never again when its message is edited: a moderator who corrects
«/ban 123 7» to «/ban 123 1», or edits a note into a command, does not ban or remove a second time.
(python-telegram-bot's CommandHandler takes edited messages too unless told otherwise.)"""

from __future__ import annotations

from bot.texts.intake import EDIT_IGNORED
from fakegram.control import FakeTelegram
from storage.models import User
from tests.e2e.harness import Khabar, World
from tests.e2e.test_moderation_tools import command
from tests.moderation import factory


async def _banned(khabar: Khabar, user_id: int) -> bool:
    async with khabar.db.transaction() as session:
        row = await session.get(User, user_id, populate_existing=True)
        assert row is not None
        return row.banned_until is not None


async def test_an_edited_command_in_the_moderators_chat_is_not_run(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    troll = await factory.reader(fake, khabar.db, "مزاحم")
    moderator = world.moderators[0]
    await command(fake, world, "/stats", "آمار")
    replies = len(fake.calls_of("sendMessage"))

    note = await moderator.send(world.mods_chat, "یادداشت برای همکاران")
    await moderator.edit(note, f"/ban {troll.id} 3")
    stats = next(m for m in fake.chat_messages(world.mods_chat) if m.text == "/stats")
    await moderator.edit(stats, "/stats")
    await khabar.settle()

    assert not await _banned(khabar, troll.id)
    assert len(fake.calls_of("sendMessage")) == replies  # neither command answered again

    await command(fake, world, f"/ban {troll.id} 3", "مسدود شد؛")  # sent as a new message, it is run
    assert await _banned(khabar, troll.id)


async def test_an_edited_command_in_a_private_chat_is_an_edit_not_a_command(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    reader = await factory.reader(fake, khabar.db, "خواننده")
    sent = await reader.send("سلام")
    await khabar.settle()
    before = [c for c in fake.calls_of("sendMessage") if str(c.params.get("chat_id")) == str(reader.id)]

    await reader.edit(sent, "/my")
    await khabar.settle()

    after = [c for c in fake.calls_of("sendMessage") if str(c.params.get("chat_id")) == str(reader.id)]
    new = after[len(before):]
    assert [c.params["text"] for c in new] == [EDIT_IGNORED]  # the edit notice, not /my's list
