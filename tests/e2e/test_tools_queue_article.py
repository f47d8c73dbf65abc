"""Issue 18, item 7: /queue for one article, and a card's button with its article's figures."""

from __future__ import annotations

from sqlalchemy import delete, update

from bot.callbacks import Action, encode
from bot.jalali import fa_digits
from bot.states import CommentStatus
from fakegram.control import FakeTelegram
from storage.models import Comment, Delivery
from tests.e2e.harness import Khabar, World
from tests.e2e.test_moderation_cards import card_of, reload
from tests.e2e.test_moderation_tools import command
from tests.moderation import factory

S = CommentStatus


async def test_a_cards_button_shows_its_articles_figures(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    bread = await factory.article(khabar.db, title="افزایش قیمت نان در تهران")
    rain = await factory.article(khabar.db, title="بارش باران در شمال")
    reader = await factory.reader(fake, khabar.db, "آلیس", "alice")
    waiting = [await factory.pending(khabar.deps, bread, reader.id) for _ in range(2)]
    await factory.pending(khabar.deps, rain, reader.id)
    await factory.comment(khabar.db, bread, reader.id, status=S.APPROVED)
    await factory.comment(khabar.db, bread, reader.id, status=S.REJECTED, reason="insult")
    await factory.comment(khabar.db, bread, reader.id, status=S.AUTO_REJECTED, reason="link")
    await khabar.settle()

    card = card_of(fake, world, waiting[0].id)
    data = encode(Action.FIGURES, waiting[0].id)
    assert any(b.get("callback_data") == data for b in card.buttons())
    handle = await (await world.moderators[1].press(card, data)).wait_answered(60)
    text = handle.text or ""
    assert handle.show_alert and "افزایش قیمت نان" in text
    assert f"در صف: {fa_digits(2)}" in text and f"منتشرشده: {fa_digits(1)}" in text
    assert f"ردشده: {fa_digits(2)}" in text and f"حذف‌شده: {fa_digits(0)}" in text and "🔓 باز" in text
    assert f"/queue {bread.id}" in text
    assert (await reload(khabar, waiting[0].id)).status == S.PENDING.value  # looking decides nothing

    refused = await (await world.outsider.press(card, data)).wait_answered(60)
    assert "فقط" in (refused.text or "") and "نان" not in (refused.text or "")


async def test_queue_for_one_article_lists_its_comments_linked_to_their_cards(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    bread = await factory.article(khabar.db, title="افزایش قیمت نان در تهران")
    rain = await factory.article(khabar.db, title="بارش باران در شمال")
    reader = await factory.reader(fake, khabar.db, "آلیس", "alice")
    mine = [await factory.pending(khabar.deps, bread, reader.id, f"نظر شمارهٔ {n} دربارهٔ نان") for n in (1, 2)]
    other = await factory.pending(khabar.deps, rain, reader.id, "نظری دربارهٔ باران")
    await khabar.settle()

    answer = await command(fake, world, f"/queue {bread.id}", "صف خبر")
    assert "افزایش قیمت نان" in answer and f"در صف: {fa_digits(2)}" in answer and "🔓 باز" in answer
    assert other.token not in answer and "باران" not in answer
    internal = str(world.mods_chat.id).removeprefix("-100")
    for comment in mine:
        card = card_of(fake, world, comment.id)
        assert f'<a href="https://t.me/c/{internal}/{card.message_id}">{comment.token}</a>' in answer

    same = await command(fake, world, f"/queue {fa_digits(bread.id)}", "صف خبر")  # Persian digits too
    assert mine[0].token in same
    by_card = await command(fake, world, f"/queue {other.token}", "صف خبر")  # a comment's reference names its article
    assert other.token in by_card and mine[0].token not in by_card
    assert "پیدا نشد" in await command(fake, world, "/queue <b>x</b>", "پیدا نشد")
    whole = await command(fake, world, "/queue", "در انتظار")  # without an article: the whole queue, as before
    assert f"{fa_digits(3)}</b> نظر در انتظار" in whole

    # A card of this article is lost: /queue for the article sends it again, and only it.
    lost = mine[1]
    card_of(fake, world, lost.id).deleted = True
    async with khabar.db.transaction() as session:
        await session.execute(delete(Delivery).where(Delivery.comment_id == lost.id))
        await session.execute(update(Comment).where(Comment.id == lost.id).values(card_chat_id=None, card_message_id=None))
    again = await command(fake, world, f"/queue {bread.id}", "صف خبر")
    assert f"{fa_digits(1)} کارت گم‌شدهٔ این خبر" in again
    await khabar.settle()
    resent = card_of(fake, world, lost.id)
    assert not resent.deleted and (await reload(khabar, lost.id)).card_message_id == resent.message_id

    await factory.comment(khabar.db, rain, reader.id, status=S.APPROVED)
    async with khabar.db.transaction() as session:
        await session.execute(update(Comment).where(Comment.id == other.id).values(status=S.REJECTED.value))
    empty = await command(fake, world, f"/queue {rain.id}", "صف خبر")
    assert "نظری از این خبر در صف نیست" in empty and f"منتشرشده: {fa_digits(1)}" in empty
    assert f"ردشده: {fa_digits(1)}" in empty
    await world.outsider.send(world.mods_chat, f"/queue {bread.id}")
    await fake.wait_for("sendMessage", lambda c: "فقط برای مدیران" in c.params.get("text", ""))
