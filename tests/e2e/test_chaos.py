"""Faults: 10% of Bot API calls fail (incl. answers lost after Telegram acted) and Khabar restarts mid-run.

The invariants of bench/chaos.py on a small run: every receipt ends queued or decided, nothing is
published twice or lost, cards and captchas stay usable or expire cleanly.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.intake import service_captcha
from fakegram.control import FakeTelegram
from tests.e2e.chaos_driver import Tally, audit, moderators, open_items, reader, statuses
from tests.e2e.driver import start_payload
from tests.e2e.harness import Khabar, World
from tests.e2e.publishing_helpers import TRAFFIC, queue_article

KINDS = ("429", "500", "502", "timeout", "drop", "lost")


async def _until(condition: object, limit: float = 60.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not condition() and loop.time() < deadline:  # type: ignore[operator]
        await asyncio.sleep(0.1)


async def _decided(khabar: Khabar, fake: FakeTelegram, world: World, limit: float) -> None:
    """Until nothing is pending and no card is open (bounded generously: a loaded CI machine moderates slowly)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while loop.time() < deadline and ((await statuses(khabar.db))["pending"] or open_items(fake, world)):
        await asyncio.sleep(0.2)


@pytest.mark.khabar_settings(captcha_ttl_seconds="60")
async def test_forty_comments_under_ten_percent_faults_and_a_restart(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    fake.check_at_end = False  # lost answers leave callback queries unanswered on purpose; checked below
    await queue_article(khabar, TRAFFIC)
    await khabar.settle()
    (post,) = fake.bot_messages(world.channel)
    await fake.wait_for("getUpdates", timeout=5)
    fake.faults.chaos(0.10, seed=6, kinds=KINDS, timeout_delay=0.3)

    tally, stop = Tally(), asyncio.Event()
    mods = asyncio.create_task(moderators(fake, world, stop, tally, patience=1.0))
    payload = start_payload(post)
    readers = [asyncio.create_task(reader(fake, fake.make_user(f"خواننده {n}"), payload, n, tally, patience=1.0))
               for n in range(40)]
    await _until(lambda: len(tally.receipts) >= 20)
    fake.faults.chaos(0.0)  # start-up itself needs Telegram (getMe, getChat): a failing start exits and is retried
    await khabar.restart()
    khabar.deps.outbox.backoff_base = 0.05
    fake.faults.chaos(0.10, seed=7, kinds=KINDS, timeout_delay=0.3)
    await asyncio.gather(*readers)
    await _decided(khabar, fake, world, limit=120)
    fake.faults.clear()
    await _decided(khabar, fake, world, limit=120)
    stop.set()
    await mods
    await khabar.settle(rounds=5)
    khabar.clock.advance(120)  # abandoned captchas run out
    await service_captcha.sweep(khabar.deps)
    await khabar.settle(rounds=5)

    result = await audit(khabar.db, fake, world, tally)
    assert any(kind == "lost" for _m, kind in fake.faults.injected)
    assert not fake.failures  # no malformed request, even while retrying
    for n in tally.gave_up:  # what a reader who gave up saw (debugging aid; the assertion follows)
        user = next(u for u in fake.world.users.values() if u.first_name == f"خواننده {n}")
        print(n, [(m.by_bot, m.text, m.buttons()) for m in fake.chat_messages(fake.world.private_chat(user))])
    assert len(tally.receipts) == 40 and not tally.gave_up
    assert result.receipt_not_queued == []
    # A send whose answer was lost is retried, and the copy it left is found and deleted.
    assert result.duplicates == {}, (result.duplicates, result.ambiguous)
    assert result.lost == [] and result.rejected_published == []
    assert list(result.article_posts.values()) == [1]
    assert result.pending_without_card == [] and result.decided_with_open_card == [], result.lines()
    assert result.captcha_open == 0 and result.captcha_stale_buttons == 0
    assert result.comments["approved"] + result.comments["rejected"] == 40


async def test_a_comment_whose_captcha_was_lost_gets_it_when_sent_again(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    await queue_article(khabar, TRAFFIC)
    await khabar.settle()
    (post,) = fake.bot_messages(world.channel)
    reader_ = fake.make_user("سارا")
    await reader_.start_bot(start_payload(post))
    await fake.wait_for("sendMessage", lambda c: str(c.params.get("chat_id")) == str(reader_.id))
    fake.faults.add("sendMessage", "500", when=lambda p: "؟" in str(p.get("text", "")))
    text = "ترافیک میدان آزادی واقعاً کلافه‌کننده شده و باید مترو را زودتر تکمیل کنند."
    await reader_.send(text)
    await fake.wait_for("sendMessage", lambda c: "؟" in str(c.params.get("text", "")), ok=False)
    await reader_.send(text)  # nothing came back, so the reader sends it again
    await fake.wait_for("sendMessage", lambda c: "؟" in str(c.params.get("text", "")))
    assert (await statuses(khabar.db)) == {"awaiting_captcha": 1}  # the same comment, not a "duplicate" refusal
