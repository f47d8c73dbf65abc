"""The hostile input corpus, part 2: what people do — forged, oversized, foreign and stale buttons,
deep-link payloads, media, edits and forwards, foreign senders and unknown chats, misplaced commands.

Each test groups many cases on one running Khabar and asserts each case's outcome; every test also
asserts that nothing was logged at ERROR (``hostile_cases.error_log``) and the fake's end-of-test check
fails it on any malformed request or unanswered callback query.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import select

from bot.callbacks import Action, encode
from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from fakegram.world import StoredMessage
from storage.models import Article, Comment, Feed
from tests.e2e import hostile_cases as h
from tests.e2e.harness import Khabar, World
from tests.e2e.hostile_cases import error_log  # noqa: F401  (autouse: no ERROR log in any case)
from tests.e2e.test_intake_support import (
    add_approved,
    add_article,
    captcha_for,
    comments_of,
    option_data,
    thread_article,
    to,
)

pytestmark = pytest.mark.khabar_settings(rate_limit_comments="1000", api_group_messages_per_minute="1200",
                                           api_messages_per_second="1000")

# ----- 5. forged, oversized and foreign callback data ------------------------------------------------------

async def _pending_comment(fake: FakeTelegram, world: World, khabar: Khabar) -> tuple[FakeUser, Comment, StoredMessage,
                                                                                    StoredMessage]:
    """A reader with a pending comment (its card in the moderators' chat) and an open captcha on a second one."""
    article = await add_article(khabar)
    reader = fake.make_user("نویسنده", "writer")
    await h.opened(fake, reader, article)
    await reader.send(h.SENTENCES[0])
    reply = await h.reply_to(fake, reader)
    [comment] = await comments_of(khabar, reader)
    await h.solve(fake, khabar, reader, comment, reply)
    await reader.send(h.SENTENCES[1])
    captcha = fake.resolve_message((await h.reply_to(fake, reader)).result)
    await khabar.settle()
    card = next(m for m in fake.bot_messages(world.mods_chat) if m.buttons())
    return reader, comment, card, captcha


async def test_forged_callback_data_is_answered_and_changes_nothing(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    reader, _, card, captcha = await _pending_comment(fake, world, khabar)
    before = await h.snapshot(khabar)
    handles = [h.forge_press(fake, reader, captcha, data) for data in h.FORGED_DATA]
    handles += [h.forge_press(fake, world.outsider, card, data) for data in h.FORGED_DATA]
    handles += [h.forge_press(fake, world.moderators[0], card, data) for data in h.FORGED_DATA]
    for handle in handles:
        await handle.wait_answered()
        assert handle.text == h.UNKNOWN_BUTTON, (handle.data, handle.text)
    await h.quiesce(fake, khabar)
    assert await h.snapshot(khabar) == before


async def test_moderator_actions_by_readers_and_outsiders_are_refused(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    reader, comment, card, captcha = await _pending_comment(fake, world, khabar)
    cid = comment.id
    actions = [encode(Action.APPROVE, cid), encode(Action.REJECT, cid, 0), encode(Action.BAN, cid, 3),
               encode(Action.UNDO, cid), encode(Action.REJECT_MENU, cid), encode(Action.BAN_MENU, cid),
               encode(Action.BACK, cid), encode(Action.QUEUE_PAGE, 0)]
    stranger = fake.make_user("غریبه")
    await stranger.start_bot()
    await fake.wait_for("sendMessage", to(stranger))
    before = await h.snapshot(khabar)
    handles = [h.forge_press(fake, reader, captcha, data) for data in actions]  # the author, privately
    handles += [h.forge_press(fake, world.outsider, card, data) for data in actions]  # member of mods' chat
    handles += [h.forge_press(fake, stranger, card, data) for data in actions]  # not even a member
    for handle in handles:
        await handle.wait_answered()
        assert handle.text == h.NOT_ALLOWED and handle.show_alert, (handle.data, handle.text)
    await h.quiesce(fake, khabar)
    assert await h.snapshot(khabar) == before
    assert card.buttons() and all("callback_data" in b for b in card.buttons())  # the card is untouched


async def test_moderators_pressing_impossible_ids_change_nothing(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    reader, comment, card, _ = await _pending_comment(fake, world, khabar)
    [_, waiting] = await comments_of(khabar, reader)  # still awaiting its captcha
    async with khabar.db.transaction() as session:
        rejected = Comment(token="autorej1", article_id=comment.article_id, author_id=reader.id, text="ـ",
                           status="auto_rejected", created_at=khabar.clock(), status_changed_at=khabar.clock())
        session.add(rejected)
    mod = world.moderators[1]
    cases = [
        encode(Action.APPROVE, 987654321), encode(Action.REJECT, 987654321, 0), encode(Action.BAN, 987654321, 0),
        encode(Action.UNDO, 987654321), encode(Action.REJECT_MENU, 987654321), encode(Action.BAN_MENU, 987654321),
        encode(Action.BACK, 987654321), encode(Action.QUEUE_PAGE, 999999), encode(Action.REJECT, comment.id, 99),
        encode(Action.BAN, comment.id, 99), encode(Action.REJECT, comment.id, 2**52),
        encode(Action.APPROVE, waiting.id), encode(Action.REJECT, waiting.id, 0), encode(Action.BAN, waiting.id, 0),
        encode(Action.APPROVE, rejected.id), encode(Action.REJECT, rejected.id, 0), encode(Action.UNDO, rejected.id),
        encode(Action.UNDO, comment.id), encode(Action.UNDO, waiting.id),
    ]
    before = await h.snapshot(khabar)
    for data in cases:
        handle = await h.forge_press(fake, mod, card, data).wait_answered()
        assert handle.text, data
    await h.quiesce(fake, khabar)
    after = await h.snapshot(khabar)
    assert after == before, cases


# ----- 6. captcha forgeries and stale buttons ----------------------------------------------------------------

async def test_forged_and_stale_captcha_and_reader_buttons(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    alice, bob = fake.make_user("آلیس"), fake.make_user("باب")
    for reader in (alice, bob):
        await h.opened(fake, reader, article)
        await reader.send(h.SENTENCES[0] if reader is alice else h.SENTENCES[1])
    a_msg = fake.resolve_message((await h.reply_to(fake, alice)).result)
    b_msg = fake.resolve_message((await h.reply_to(fake, bob)).result)
    [a_comment], [b_comment] = await comments_of(khabar, alice), await comments_of(khabar, bob)
    a_cap, b_cap = await captcha_for(khabar, a_comment.id), await captcha_for(khabar, b_comment.id)
    right_b = option_data(b_cap, right=True)
    a_view = fake.bot_messages(alice.private_chat)[0]  # the article view (paging and writing happen there)
    cases = [  # (who, on which message, data, expected answer)
        (alice, a_msg, right_b, "این پرسش برای شما نیست."),  # another user's captcha id
        (alice, b_msg, right_b, "این پرسش برای شما نیست."),  # even on the other user's message
        (alice, a_msg, encode(Action.CAPTCHA, a_cap.id, a_cap.generation + 5, 0), "این پرسش عوض شده است"),
        (alice, a_msg, encode(Action.CAPTCHA, a_cap.id, a_cap.generation, 99), "این دکمه دیگر معتبر نیست."),
        (alice, a_msg, encode(Action.CAPTCHA, 987654321, 1, 0), "این دکمه دیگر معتبر نیست."),
        (alice, a_view, encode(Action.PAGE, article.id, 999999), ""),
        (alice, a_view, encode(Action.PAGE, 987654321, 0), "این خبر دیگر در دسترس نیست."),
        (alice, a_view, encode(Action.WRITE, 987654321), "این خبر دیگر در دسترس نیست."),
        (alice, a_view, encode(Action.REPLY, 987654321), "نظری که می‌خواهید"),
        (alice, a_view, encode(Action.REPLY, b_comment.id), "نظری که می‌خواهید"),  # not published: no reply
        (world.outsider, a_msg, option_data(a_cap, right=True), "این پرسش برای شما نیست."),
    ]
    before = await h.snapshot(khabar)
    for who, msg, data, expected in cases:
        handle = await h.forge_press(fake, who, msg, data).wait_answered()
        assert (handle.text or "").startswith(expected), (data, handle.text)
    await h.quiesce(fake, khabar)
    assert await h.snapshot(khabar) == before
    # stale: solved, then pressed again; expired; after a restart
    await (await alice.press(a_msg, option_data(a_cap, right=True))).wait_answered()
    await fake.wait_for("editMessageText", to(alice))
    handle = await h.forge_press(fake, alice, a_msg, option_data(a_cap, right=True)).wait_answered()
    assert handle.text == "این نظر قبلاً ثبت شده است."
    khabar.clock.advance(khabar.settings.captcha_ttl_seconds + 1)
    handle = await (await bob.press(b_msg, right_b)).wait_answered()
    assert handle.text == "زمان این پرسش تمام شده است."
    await khabar.restart()
    for who, msg, data in ((bob, b_msg, right_b), (alice, a_msg, option_data(a_cap, right=False))):
        handle = await h.forge_press(fake, who, msg, data).wait_answered()
        assert handle.text in ("زمان این پرسش تمام شده است.", "این نظر قبلاً ثبت شده است."), handle.text
    await h.quiesce(fake, khabar)
    statuses = (await h.snapshot(khabar))["statuses"]
    assert (statuses[a_comment.id], statuses[b_comment.id]) == ("pending", "expired")


async def test_stale_moderator_buttons(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    _, comment, card, _ = await _pending_comment(fake, world, khabar)
    mod = world.moderators[0]
    menu, approve = encode(Action.REJECT_MENU, comment.id), encode(Action.APPROVE, comment.id)
    first = await (await mod.press(card, approve)).wait_answered()
    assert (first.text or "").startswith("✅ منتشر شد: «")
    await khabar.settle()
    outcomes = []
    for data in (approve, encode(Action.REJECT, comment.id, 0), encode(Action.BAN, comment.id, 0), menu):
        outcomes.append((await h.forge_press(fake, world.moderators[1], card, data).wait_answered()).text)
    assert all(o and "قبلاً بررسی شده" in o for o in outcomes), outcomes
    khabar.clock.advance(khabar.settings.undo_window_seconds + 5)
    undo = await h.forge_press(fake, mod, card, encode(Action.UNDO, comment.id)).wait_answered()
    assert undo.text == "مهلت لغو این تصمیم گذشته است."
    await khabar.restart()
    again = await h.forge_press(fake, world.moderators[1], card, approve).wait_answered()
    assert again.text and "قبلاً بررسی شده" in again.text
    await h.quiesce(fake, khabar)
    snap = await h.snapshot(khabar)
    assert snap["statuses"][comment.id] == "approved" and snap["actions"] == 1 and snap["banned"] == 0


# ----- 7. malformed and unknown deep-link payloads ---------------------------------------------------------

async def test_deep_link_payloads(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    other = fake.make_user("دیگری")
    approved = await add_approved(khabar, article, other, h.SENTENCES[3])
    await h.opened(fake, other, article)
    await other.send(h.SENTENCES[2])
    await h.reply_to(fake, other)
    waiting = (await comments_of(khabar, other))[-1]  # awaiting its captcha: other's comment
    async with khabar.db.transaction() as session:
        expired = Comment(token="expTok99", article_id=article.id, author_id=other.id, text=h.SENTENCES[0],
                          status="expired", created_at=khabar.clock(), status_changed_at=khabar.clock())
        session.add(expired)
    bad = "این پیوند معتبر نیست"
    cases = [  # (text after /start, what the reply says; None = no reply at all)
        ("junk", bad), ("a" * 65, bad), ("a-" + "x" * 63, bad), ("a-", bad), ("a-unknownTok", bad), ("a-abc", bad),
        ("A-" + article.token, bad), ("x-" + article.token, bad), ("r-", bad), ("c-", bad), ("-", bad), ("a--", bad),
        ("خبر", bad), ("a-خبر", bad), ("%3Cb%3E", bad), ("<b>x</b>", bad), ("a-../../etc", bad), ("&amp;", bad),
        ("a-" + article.token + "\u200b", bad), ("\u202ea-" + article.token, bad), ("😀", bad),
        ("r-" + waiting.token, bad), ("r-unknownTok", bad), ("c-" + waiting.token, bad), ("c-unknownTok", bad),
        ("r-" + approved.token, "پاسخ"), ("a-" + article.token + " extra words", "افزایش دوباره"),
        ("a-" + article.token, "افزایش دوباره"), ("", "سلام"),
    ]

    async def case(i: int, payload: str, expected: str) -> None:
        reader = fake.make_user(f"پیوند {i}")
        await reader.send(f"/start {payload}".strip(), entities=h.command("/start"))
        reply = await fake.wait_for("sendMessage", to(reader))
        assert expected in reply.params["text"], (payload, reply.params["text"])
        if expected == bad:
            assert "تازه‌ترین خبرها" in reply.params["text"]

    await h.gather_cases([case(i, p, e) for i, (p, e) in enumerate(cases)])
    # the author's own expired comment, and a command addressed to another bot
    await other.send(f"/start c-{expired.token}", entities=h.command("/start"))
    assert "پیش‌تر ثبت شده" in (await fake.wait_for("sendMessage", to(other))).params["text"]
    silent = fake.make_user("بی‌پاسخ")
    await silent.send("/start@other_bot a-" + article.token, entities=h.command("/start@other_bot"))
    await h.quiesce(fake, khabar)
    assert h.sends_to(fake, silent.id) == []
    assert (await h.snapshot(khabar))["statuses"][waiting.id] == "awaiting_captcha"


# ----- 8. stickers, media, edits and forwards --------------------------------------------------------------

async def test_media_in_private_is_answered_text_only(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    kinds: dict[str, Callable[[FakeUser], Awaitable[Any]]] = {
        "sticker": lambda u: u.send_sticker(),
        "photo": lambda u: u.send_photo(),
        "photo+caption": lambda u: u.send_photo(caption=h.SENTENCES[0] + " <b>"),
        "voice": lambda u: u.send_voice(),
        "document": lambda u: u.send_document(file_name="<b>.pdf", caption="&amp;"),
        "location": lambda u: u._post(None, {"location": {"latitude": 35.7, "longitude": 51.4}}),
        "contact": lambda u: u._post(None, {"contact": {"phone_number": "+98912", "first_name": "<b>"}}),
        "dice": lambda u: u._post(None, {"dice": {"emoji": "🎲", "value": 3}}),
        "venue": lambda u: u._post(None, {"venue": {"location": {"latitude": 35.7, "longitude": 51.4},
                                                    "title": "<b>میدان", "address": "&amp;"}}),
        "animation": lambda u: u._post(None, {"animation": {"file_id": "AAA", "file_unique_id": "a", "width": 1,
                                                            "height": 1, "duration": 1}}),
    }

    async def case(i: int, kind: str) -> None:
        reader = fake.make_user(f"رسانه {i}")
        await h.opened(fake, reader, article)
        await kinds[kind](reader)
        try:
            reply = await fake.wait_for("sendMessage", to(reader))
        except TimeoutError as exc:
            raise AssertionError(f"no answer to {kind}") from exc
        assert h.TEXT_ONLY in reply.params["text"], kind
        assert await comments_of(khabar, reader) == []

    await h.gather_cases([case(i, kind) for i, kind in enumerate(kinds)])


async def test_media_edits_and_forwards_in_the_discussion_group(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    article, copy = await thread_article(fake, world, khabar)
    started, stranger = fake.make_user("شروع‌کرده"), fake.make_user("<b>ناشناس\u202e</b>")
    await started.start_bot()
    await fake.wait_for("sendMessage", to(started))
    sent = [
        await started.send_sticker(world.group, reply_to=copy),
        await started.send_photo(world.group, caption="<b>عکس</b>", reply_to=copy),
        await stranger.send_voice(world.group, reply_to=copy),
        await stranger.send_document(world.group, reply_to=copy),
    ]
    for _ in range(2):  # the started reader is told privately, once per message
        assert "فقط نظر متنی" in (await fake.wait_for("sendMessage", to(started))).params["text"]
    forwarded = h.raw_message(fake, world.group, stranger.to_dict(), {
        "text": h.SENTENCES[0], "forward_origin": {"type": "hidden_user", "sender_user_name": "<b>x", "date": 1},
    }, reply_to=copy)
    await h.quiesce(fake, khabar)
    for msg in [*sent, forwarded]:
        assert msg.deleted, msg  # pre-moderation: nothing stays up unreviewed
    notes = [m.text or "" for m in fake.bot_messages(world.group)]
    assert any(n.startswith("<b>ناشناس</b>، در این گفتگو فقط نظر متنی") for n in notes), notes  # name literal
    [fwd] = await comments_of(khabar, stranger)
    assert fwd.text == h.SENTENCES[0] and fwd.source == "group"
    # an edit of a group comment and a reader editing their private comment
    mine = await started.send(world.group, h.SENTENCES[1], reply_to=copy)
    got = await fake.wait_for("sendMessage", to(started))
    assert "v1:cp:" in str(got.params.get("reply_markup")), got.params["text"]
    before = await h.snapshot(khabar)
    await h.quiesce(fake, khabar)
    mine.deleted = False
    await started.edit(mine, "<b>ویرایش</b> " + h.SENTENCES[2])
    await h.opened(fake, started, article)
    private = await started.send(h.SENTENCES[3])
    await fake.wait_for("sendMessage", lambda c: to(started)(c) and "v1:cp:" in str(c.params.get("reply_markup")))
    await started.edit(private, "</b>ویرایش " + h.SENTENCES[0])
    assert "ویرایش" in (await fake.wait_for("sendMessage", to(started))).params["text"]
    await h.quiesce(fake, khabar)
    after = await h.snapshot(khabar)
    assert len(after["statuses"]) == len(before["statuses"]) + 1  # the private comment; edits add nothing
    texts = [c.text for c in await comments_of(khabar, started)]
    assert not any("ویرایش" in t for t in texts)


# ----- 9. channels, anonymous admins, other bots, service messages, chats Khabar doesn't know ----------------

async def test_foreign_senders_service_messages_and_unknown_chats(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    _, copy = await thread_article(fake, world, khabar)
    await h.quiesce(fake, khabar)
    before = await h.snapshot(khabar)
    reader = fake.make_user("خواننده")
    other_bot = {"id": 5_555_555_555, "is_bot": True, "first_name": "<b>Bot", "username": "other_bot"}
    random_group = fake.make_supergroup("<b>گروه ناشناس</b>", bot="member")
    random_channel = fake.make_channel("کانال دیگر", "other_channel")
    left = [  # messages Khabar must leave alone where they are
        await fake.send_as_chat(world.group, world.channel, "<b>پیام کانال</b> " + h.SENTENCES[0], reply_to=copy),
        await fake.anonymous_admin_send(world.group, "پیام مدیر ناشناس " + h.SENTENCES[1], reply_to=copy),
        h.raw_message(fake, world.group, other_bot, {"text": h.SENTENCES[2]}, reply_to=copy),
        h.raw_message(fake, world.group, other_bot, {"text": "/start a-x"}, reply_to=copy),
        h.raw_message(fake, world.group, reader.to_dict(), {"new_chat_members": [reader.to_dict()]}),
        h.raw_message(fake, world.group, reader.to_dict(), {"left_chat_member": reader.to_dict()}),
        h.raw_message(fake, world.group, reader.to_dict(), {"new_chat_title": "<b>"}),
        h.raw_message(fake, world.group, reader.to_dict(), {"pinned_message": copy.snapshot()}),
        h.raw_message(fake, world.mods_chat, reader.to_dict(), {"new_chat_members": [reader.to_dict()]}),
        h.raw_message(fake, world.mods_chat, other_bot, {"text": "/ban 1", "entities": h.command("/ban")}),
        await reader.send(random_group, "<b>سلام</b> " + h.SENTENCES[0]),
        await reader.send(random_group, h.SENTENCES[1], reply_to=None),
        await reader.send(world.group, "پیامی بیرون از رشته‌ی خبرها " + h.SENTENCES[3]),  # not in an article thread
        await fake.channel_post(random_channel, "<b>خبر کانال دیگر</b>"),
        h.raw_message(fake, reader.private_chat, reader.to_dict(), {"pinned_message": copy.snapshot()}),
        h.raw_message(fake, reader.private_chat, other_bot, {"text": h.SENTENCES[0]}),
    ]
    fake.updates.push("my_chat_member", {
        "chat": random_group.to_dict(), "from": reader.to_dict(), "date": 1,
        "old_chat_member": {"status": "left", "user": fake.bot}, "new_chat_member": {"status": "member", "user": fake.bot}})
    fake.updates.push("inline_query", {"id": "1", "from": reader.to_dict(), "query": "<b>", "offset": ""})
    fake.updates.push("message_reaction", {"chat": world.group.to_dict(), "message_id": copy.message_id, "date": 1,
                                           "user": reader.to_dict(), "old_reaction": [],
                                           "new_reaction": [{"type": "emoji", "emoji": "👍"}]})
    inline = h.forge_press(fake, reader, copy, encode(Action.APPROVE, 1))  # a press on a message it can't see
    await inline.wait_answered()
    await h.quiesce(fake, khabar)
    for msg in left:
        assert not msg.deleted, msg
    assert await h.snapshot(khabar) == before
    assert h.sends_to(fake, reader.id) == [] and fake.bot_messages(random_group) == []
    assert [m for m in fake.bot_messages(world.group)] == [] and inline.text == h.NOT_ALLOWED
    async with khabar.db.transaction() as session:
        assert len(list((await session.execute(select(Article))).scalars())) == 1  # the other channel's post is not ours
    # a foreign channel posting into an article's thread is not the newsroom: it is taken down like any comment
    foreign = await fake.send_as_chat(world.group, random_channel, "<b>تبلیغ</b> " + h.SENTENCES[0], reply_to=copy)
    await h.quiesce(fake, khabar)
    assert foreign.deleted


# ----- 10. commands in the wrong chat, by the wrong people -------------------------------------------------

async def test_commands_in_the_wrong_chat(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = fake.make_user("خواننده")
    await reader.start_bot()
    await fake.wait_for("sendMessage", to(reader))
    before = await h.snapshot(khabar)
    refused = ["/stats", "/queue", f"/ban {reader.id}", f"/unban {reader.id}", f"/trust {reader.id}", "/ban",
               f"/ban {world.moderators[0].id} 9999999999999", "/trust <b>"]
    for text in refused:  # a reader, privately
        await reader.send(text, entities=h.command(text))
        assert h.ONLY_MODERATORS in (await fake.wait_for("sendMessage", to(reader))).params["text"], text
    in_group = lambda c: str(c.params.get("chat_id")) == str(world.group.id)  # noqa: E731
    in_mods = lambda c: str(c.params.get("chat_id")) == str(world.mods_chat.id)  # noqa: E731
    for text in refused:  # a member, in the discussion group: nothing is said in public
        await reader.send(world.group, text, entities=h.command(text))
    for text in refused:  # an outsider in the moderators' chat
        await world.outsider.send(world.mods_chat, text, entities=h.command(text))
        assert h.ONLY_MODERATORS in (await fake.wait_for("sendMessage", in_mods)).params["text"], text
    await world.outsider.send(world.mods_chat, "/feeds add https://example.com/rss", entities=h.command("/feeds"))
    assert (await fake.wait_for("sendMessage", in_mods)).params["text"] == h.NOT_ALLOWED
    silent = ["/feeds", "/feeds add https://example.com/rss", "/my", "/notify", "/start a-x", "/stats@other_bot",
              "/unknown", "/start@other_bot"]
    for text in silent:  # commands that do not exist where they are typed
        await reader.send(world.group, text, entities=h.command(text))
    await world.moderators[0].send(world.mods_chat, "/stats@other_bot", entities=h.command("/stats@other_bot"))
    await reader.send("/feeds", entities=h.command("/feeds"))
    await h.quiesce(fake, khabar)
    async with khabar.db.transaction() as session:
        assert list((await session.execute(select(Feed))).scalars()) == []
    assert await h.snapshot(khabar) == before
    assert not [c for c in fake.calls_of("sendMessage") if in_group(c)]
    assert len(h.sends_to(fake, reader.id)) == 1 + len(refused)
    assert len(fake.bot_messages(world.mods_chat)) == len(refused) + 1
