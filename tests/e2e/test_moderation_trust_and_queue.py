"""Trusted authors leave a trace with undo; /untrust; the queue view after a decision; stale presses."""

from __future__ import annotations

import asyncio

from bot.callbacks import Action, encode
from bot.texts import intake as intake_texts
from fakegram.control import FakeTelegram
from tests.e2e.harness import Khabar, World
from tests.e2e.test_moderation_cards import card_of, reload
from tests.e2e.test_moderation_notices import told
from tests.e2e.test_moderation_surge import deliver_now, queue_message
from tests.e2e.test_moderation_tools import command
from tests.moderation import factory


async def test_trusted_comment_leaves_a_card_with_undo_and_untrust_restores_the_queue(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    reader = await factory.reader(fake, khabar.db, "خبرنگار افتخاری")
    art = await factory.article(khabar.db)
    await command(fake, world, f"/trust {reader.id}", "مورد اعتماد")
    auto = await factory.pending(khabar.deps, art, reader.id, "نظر نویسندهٔ مورد اعتماد")
    await khabar.settle()
    assert (await reload(khabar, auto.id)).status == "approved"
    (trace,) = [m for m in fake.bot_messages(world.mods_chat) if "نظر نویسندهٔ مورد اعتماد" in (m.text or "")]
    assert "خودکار منتشر شد" in (trace.text or "")
    assert [b["callback_data"] for b in trace.buttons()] == [encode(Action.UNDO, auto.id)]
    assert [b["text"] for b in trace.buttons()] == ["↩️ لغو تصمیم"]
    assert "منتشر شد" in told(fake, reader)[-1]

    # A moderator takes it back from the trace: it waits for a decision like any comment.
    handle = await world.moderators[0].press(trace, encode(Action.UNDO, auto.id))
    await handle.wait_answered()
    await khabar.settle()
    row = await reload(khabar, auto.id)
    assert row.status == "pending" and row.card_message_id == trace.message_id
    assert encode(Action.APPROVE, auto.id) in [b["callback_data"] for b in trace.buttons()]
    assert "دوباره در صف بررسی" in told(fake, reader)[-1]

    await command(fake, world, f"/untrust {reader.id}", "دیگر مورد اعتماد نیست")
    later = await factory.pending(khabar.deps, art, reader.id, "نظر پس از پایان اعتماد")
    await khabar.settle()
    assert (await reload(khabar, later.id)).status == "pending"
    assert encode(Action.APPROVE, later.id) in [b["callback_data"] for b in card_of(fake, world, later.id).buttons()]
    await command(fake, world, "/untrust", "کاربرد")


async def test_the_queue_view_shows_a_decision_at_once_and_a_stale_press_says_who_decided(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    art = await factory.article(khabar.db)
    reader = await factory.reader(fake, khabar.db, "پرکار")
    made = [await factory.comment(khabar.db, art, reader.id, f"نظر فهرست شمارهٔ {i}") for i in range(12)]
    khabar.deps.events.emit("comment_pending", made[-1].id)
    await deliver_now(khabar)
    view = queue_message(fake, world)
    first = made[0]
    a, b = world.moderators
    presses = await asyncio.gather(a.press(view, encode(Action.APPROVE, first.id)),
                                   b.press(view, encode(Action.APPROVE, first.id)))
    await asyncio.gather(*(h.wait_answered() for h in presses))
    texts = sorted((h.text or "" for h in presses), key=lambda text: "قبلاً" in text)
    assert texts[0] == "✅ منتشر شد: «نظر فهرست شمارهٔ 0»"  # names the comment it acted on
    assert texts[1].startswith("این نظر قبلاً بررسی شده است: منتشر شد · مدیر")
    await deliver_now(khabar)  # only what is due now: no clock moved, no 10-second wait
    assert "نظر فهرست شمارهٔ 0" not in (view.text or "")
    assert encode(Action.APPROVE, first.id) not in [btn["callback_data"] for btn in view.buttons()]
    assert encode(Action.APPROVE, made[5].id) in [btn["callback_data"] for btn in view.buttons()]

    # A reason menu on the list shows that comment's own card, whatever the list shows meanwhile.
    second = made[1]
    await (await a.press(view, encode(Action.REJECT_MENU, second.id))).wait_answered()
    await fake.wait_for("editMessageText", lambda r: "v1:rr:" in str(r.params.get("reply_markup")))
    assert "نظر فهرست شمارهٔ 1" in (view.text or "") and "نظر فهرست شمارهٔ 2" not in (view.text or "")
    assert "🔙 بازگشت" in [btn["text"] for btn in view.buttons()]
    mark = len(fake.calls)
    await (await a.press(view, encode(Action.BACK, second.id))).wait_answered()
    await fake.wait_for("editMessageText", lambda r: any(r is c for c in fake.calls[mark:]))
    assert "صف بررسی" in (view.text or "") and "نظر فهرست شمارهٔ 2" in (view.text or "")


async def test_a_second_cancel_press_sends_nothing(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    art = await factory.article(khabar.db)
    reader = await factory.reader(fake, khabar.db, "دودل")
    await reader.start_bot(f"a-{art.token}")
    await khabar.settle()
    await fake.wait_for("sendMessage", lambda r: str(r.params.get("chat_id")) == str(reader.id))
    view = fake.bot_messages(reader.private_chat)[-1]
    await (await reader.press(view, encode(Action.WRITE, art.id))).wait_answered()
    prompt_call = await fake.wait_for("sendMessage", lambda r: str(r.params.get("chat_id")) == str(reader.id)
                                      and encode(Action.CANCEL) in str(r.params.get("reply_markup")))
    prompt = fake.bot_messages(reader.private_chat)[-1]
    assert encode(Action.CANCEL) in str(prompt_call.params["reply_markup"])
    presses = await asyncio.gather(reader.press(prompt, encode(Action.CANCEL)),
                                   reader.press(prompt, encode(Action.CANCEL)))  # a double tap
    await asyncio.gather(*(h.wait_answered() for h in presses))
    edits = [r for r in fake.calls_of("editMessageText") if str(r.params.get("message_id")) == str(prompt.message_id)]
    assert len(edits) == 1 and edits[0].ok  # no identical second edit, no "message is not modified"
    assert sorted(h.text or "" for h in presses) == sorted(["", intake_texts.NOTHING_TO_CANCEL])
