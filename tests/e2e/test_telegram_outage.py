"""Telegram goes away (connections refused, then 502s, then slow answers): Khabar keeps running, waits,
and afterwards delivers everything once and in order; the log reads as one outage, not a flood."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import pytest

from bot.intake import service_captcha
from bot.publishing.article_file import ArticleDraft
from bot.texts import intake as ti
from fakegram.control import FakeTelegram
from fakegram.server import CallRecord
from tests.e2e.driver import APPROVE_LABEL, find_card, send_comment, solve_captcha, start_payload
from tests.e2e.harness import Khabar, World
from tests.e2e.hostile_cases import command
from tests.e2e.publishing_helpers import TRAFFIC, article, channel_posts, queue_article
from tests.e2e.test_moderation_cards import card_of
from tests.moderation import factory

SECOND = ArticleDraft(
    title="بارش برف در جاده چالوس",
    kicker="هواشناسی",
    lead="بارش برف سنگین جاده چالوس را برای چند ساعت بست و پلیس راه از رانندگان خواست زنجیر چرخ همراه داشته باشند.",
)
FIRST_TRY = "ترافیک میدان آزادی هر روز بدتر می‌شود و خط مترو باید زودتر تکمیل شود."
SECOND_TRY = "به نظر من تکمیل خط مترو تنها راه کم شدن ترافیک میدان آزادی است."


async def until(condition: Callable[[], bool], what: str, rounds: int = 1200) -> None:
    """Until ``condition()`` holds (bounded: 1,200 looks, a minute on a loaded machine)."""
    for _ in range(rounds):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"never happened: {what}")


def to(chat_id: int) -> Callable[[CallRecord], bool]:
    return lambda c: str(c.params.get("chat_id")) == str(chat_id)


async def test_telegram_away_then_back_delivers_everything_once_in_order_and_logs_one_outage(
    fake: FakeTelegram, world: World, khabar: Khabar, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    reach = khabar.deps.telegram
    first = await queue_article(khabar, TRAFFIC)
    await khabar.settle()
    (post,) = channel_posts(fake, world)

    # Before the outage: reader A is shown a captcha (it expires while Telegram is away); reader B's
    # comment waits on a card for a moderator.
    sara = fake.make_user("سارا", "sara")
    captcha = await send_comment(fake, sara, start_payload(post), FIRST_TRY, timeout=30)
    kaveh = await factory.reader(fake, khabar.db, "کاوه")
    art = await article(khabar, first)
    pending = await factory.pending(khabar.deps, art, kaveh.id, "ترافیک امروز میدان آزادی نشان داد که برنامهٔ شهرداری شفاف نیست.")
    await khabar.settle()
    card = card_of(fake, world, pending.id)

    # Telegram goes away: connections refused.
    await fake.go_away()
    await queue_article(khabar, SECOND)  # the outbox has a post to send meanwhile
    await until(lambda: reach.down, "the outage noticed")
    khabar.clock.advance(khabar.settings.captcha_ttl_seconds + 1)
    assert await service_captcha.sweep(khabar.deps) == 1  # A's captcha expired: its note waits in the outbox
    fake.callback_timeout = 1.0  # the moderator's press is answered after Telegram let it lapse
    data = next(b["callback_data"] for b in card.buttons() if b.get("text") == APPROVE_LABEL)
    press = await world.moderators[0].press(card, data)  # queued at Telegram until it answers again
    await until(lambda: reach.failed_calls >= 4, "a few refused calls")

    # Then it listens again but answers 502 to everything, then answers slowly, then normally.
    bad = fake.faults.add("*", "502", times=None)
    await fake.come_back()
    await until(lambda: bad.hits >= 4, "a few 502 answers")
    fake.faults.clear()
    slow = fake.faults.add("*", "slow", times=4, delay=1.0)
    await until(lambda: slow.exhausted, "the slow answers")
    await until(lambda: not reach.down, "Telegram answering again")

    # Everything is delivered afterwards: each post once, in the order queued.
    await until(lambda: len(channel_posts(fake, world)) == 2, "the second post")
    posts = channel_posts(fake, world)
    assert [SECOND.title in (m.text or "") for m in posts] == [False, True]
    # The late press still decided: the author is told once and, after the undo window, it is published once.
    await until(lambda: any("منتشر شد" in (m.text or "") for m in fake.bot_messages(kaveh.private_chat)),
                "the author's notice")
    khabar.clock.advance(khabar.settings.undo_window_seconds + 1)
    await until(lambda: sum("شفاف نیست" in (m.text or "") for m in fake.bot_messages(world.group)) == 1,
                "the approved comment published")
    await khabar.settle()
    assert press.late and not press.answered  # answered, but after Telegram's window
    assert sum("شفاف نیست" in (m.text or "") for m in fake.bot_messages(world.group)) == 1
    assert sum("منتشر شد" in (m.text or "") for m in fake.bot_messages(kaveh.private_chat)) == 1
    assert len(fake.bot_messages(kaveh.private_chat)) == 1
    assert not card.buttons() or all(b.get("text") != APPROVE_LABEL for b in card.buttons())  # the card moved on

    # A's expired captcha now says so, with a button to write again; the retry goes through.
    expired = fake.resolve_message(captcha.result)
    await until(lambda: expired.text == ti.CAPTCHA_EXPIRED, "A's captcha marked expired")
    again = next(b["callback_data"] for b in expired.buttons() if b.get("text") == ti.BUTTON_WRITE_AGAIN)
    await (await sara.press(expired, again)).wait_answered(30)
    await fake.wait_for("sendMessage", to(sara.id), timeout=30)  # the writing prompt
    await sara.send(SECOND_TRY)
    retry = await fake.wait_for("sendMessage", lambda c: to(sara.id)(c) and "؟" in c.params.get("text", ""),
                                timeout=30)
    await solve_captcha(fake, sara, retry, timeout=30)
    await until(lambda: find_card(fake, world.mods_chat, SECOND_TRY) is not None, "the retried comment's card")
    captchas = [m for m in fake.bot_messages(sara.private_chat) if "؟" in (m.text or "")]
    assert captchas == []  # both captchas were turned into their outcome (expired note, receipt)

    # The log: one WARNING when Telegram stopped answering, one INFO when it was back (with how long);
    # no traceback, no ERROR, no "unhandled error in handler" for any failed poll or call.
    records = caplog.records
    bad_records = [r for r in records if r.levelno >= logging.ERROR or r.exc_info]
    assert bad_records == [], [r.getMessage() for r in bad_records]
    assert not any("unhandled error" in r.getMessage() for r in records)
    outage = [r for r in records if r.name == "khabar.telegram" and r.levelno >= logging.INFO]
    assert [(r.levelname, r.getMessage()) for r in outage] == [
        ("WARNING", "Telegram stopped answering; sends wait and are retried when it is back"),
        ("INFO", "Telegram answers again"),
    ]
    assert outage[1].down_s > 0  # type: ignore[attr-defined]
    warnings = [r for r in records if r.levelno == logging.WARNING and r.name != "khabar.telegram"]
    assert warnings == [], [(r.name, r.getMessage()) for r in warnings]
    assert any(r.getMessage().startswith("callback answer too late") and r.levelno == logging.INFO for r in records)


async def test_a_captcha_whose_send_cannot_reach_telegram_is_sent_once_when_it_answers(
    fake: FakeTelegram, world: World, khabar: Khabar, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await queue_article(khabar, TRAFFIC)
    await khabar.settle()
    (post,) = channel_posts(fake, world)
    sara = fake.make_user("سارا", "sara")
    await sara.start_bot(start_payload(post))
    await fake.wait_for("sendMessage", to(sara.id), timeout=30)
    # The captcha's send meets a gateway that answers 502 three times (Telegram away for its sends).
    gateway = fake.faults.add("sendMessage", "502", times=3, when=lambda p: "؟" in str(p.get("text", "")))
    await sara.send(FIRST_TRY)
    captcha = await fake.wait_for("sendMessage", lambda c: to(sara.id)(c) and "؟" in c.params.get("text", ""),
                                  timeout=60)
    assert gateway.exhausted
    await solve_captcha(fake, sara, captcha, timeout=30)
    await khabar.settle()
    shown = [c for c in fake.calls_of("sendMessage") if to(sara.id)(c) and c.ok and "؟" in c.params.get("text", "")]
    assert len(shown) == 1
    assert find_card(fake, world.mods_chat, FIRST_TRY) is not None
    bad_records = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert bad_records == [], [r.getMessage() for r in bad_records]


async def test_a_moderators_command_answer_that_cannot_reach_telegram_is_sent_once_when_it_answers(
    fake: FakeTelegram, world: World, khabar: Khabar, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    mods = str(world.mods_chat.id)
    # The answer to /stats meets a gateway that answers 502 three times (Telegram away for the bot's sends).
    gateway = fake.faults.add("sendMessage", "502", times=3, when=lambda p: str(p.get("chat_id")) == mods)
    await world.moderators[0].send(world.mods_chat, "/stats", entities=command("/stats"))
    answer = await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == mods and c.ok, timeout=60)
    assert gateway.exhausted
    await khabar.settle()
    answers = [c for c in fake.calls_of("sendMessage") if str(c.params.get("chat_id")) == mods and c.ok]
    assert answers == [answer]
    bad_records = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert bad_records == [], [r.getMessage() for r in bad_records]
