"""A card's menus (reasons, durations, back) are drawn by editing the card in place. Cards name the article
with a link and are sent without a link preview; an edit that leaves out link_preview_options gets
Telegram's default, a preview, so each menu edit says «no preview» again. A press on a card Telegram no
longer shows the bot (an InaccessibleMessage, date 0) cannot be drawn on and is answered as old."""

from __future__ import annotations

from bot.callbacks import Action, encode
from fakegram.actors import CallbackHandle, _callback_ids
from fakegram.control import FakeTelegram
from tests.e2e.harness import Khabar, World
from tests.e2e.test_moderation_cards import card_of
from tests.e2e.test_tools_reports import no_preview
from tests.moderation import factory


async def test_menus_drawn_on_a_card_keep_it_without_a_preview(fake: FakeTelegram, world: World,
                                                                khabar: Khabar) -> None:
    reader = await factory.reader(fake, khabar.db, "نویسنده")
    art = await factory.article(khabar.db)
    comment = await factory.pending(khabar.deps, art, reader.id, "نظری دربارهٔ نان و قیمت آن")
    await khabar.settle()
    card = card_of(fake, world, comment.id)
    assert any(e["type"] == "text_link" for e in card.data.get("entities", []))  # the article's link
    mod = world.moderators[0]
    for action in (Action.REJECT_MENU, Action.BACK, Action.BAN_MENU):
        data = encode(action, comment.id)
        await (await mod.press(card, data)).wait_answered(60)
        edit = await fake.wait_for("editMessageText", lambda c: c.params.get("message_id") == card.message_id,
                                   timeout=60)
        assert no_preview(edit.params), action
        assert no_preview(card.data), action  # the card as readers of the group see it now


async def test_a_menu_press_on_an_inaccessible_card_is_answered_as_old(fake: FakeTelegram, world: World,
                                                                       khabar: Khabar) -> None:
    reader = await factory.reader(fake, khabar.db, "نویسنده")
    art = await factory.article(khabar.db)
    comment = await factory.pending(khabar.deps, art, reader.id, "نظری دربارهٔ نان و قیمت آن")
    await khabar.settle()
    card = card_of(fake, world, comment.id)
    mod = world.moderators[0]
    handle = CallbackHandle(str(next(_callback_ids)), mod.user, card, encode(Action.REJECT_MENU, comment.id),
                            fake.clock.now())
    fake.callbacks[handle.id] = handle
    fake.updates.push("callback_query", {  # Bot API: an InaccessibleMessage has date 0 and no text
        "id": handle.id, "from": mod.to_dict(), "chat_instance": "1",
        "message": {"message_id": card.message_id, "chat": card.chat.to_dict(), "date": 0},
        "data": handle.data,
    })
    await handle.wait_answered(60)
    await khabar.settle()
    assert handle.text == "این دکمه دیگر معتبر نیست."
    assert [c for c in fake.calls_of("editMessageText") if c.params.get("message_id") == card.message_id] == []
