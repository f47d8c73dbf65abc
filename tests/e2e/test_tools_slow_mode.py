"""Issue 18, item 2: slow mode — an article in a surge takes one comment per author per N minutes."""

from __future__ import annotations

import pytest

from bot.jalali import fa_digits
from bot.states import CommentStatus
from fakegram.control import FakeTelegram
from tests.e2e.harness import Khabar, World
from tests.e2e.test_intake_support import COMMENT, add_article, comment_and_captcha, comments_of, sent_to, to
from tests.e2e.test_moderation_tools import command
from tests.e2e.test_tools_words import reader_on
from tests.moderation import factory

S = CommentStatus
AGAIN = "و به نظرم دولت هم باید برای قیمت نان و آرد نانوایی‌ها فکری اساسی بکند."
pytestmark = pytest.mark.khabar_settings(surge_comments_per_minute="2", surge_slow_minutes="3")


async def test_one_comment_per_author_while_an_article_surges(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    art = await add_article(khabar)
    quiet = await add_article(khabar, "بارش باران در شمال", "باران در استان‌های شمالی می‌بارد و هوا سرد شده است.")
    alice = await reader_on(fake, khabar, art, "آلیس")
    await comment_and_captcha(fake, khabar, alice, COMMENT)
    # Not a surge yet (one comment this minute): a second comment is taken like any other.
    await comment_and_captcha(fake, khabar, alice, "نان سنگک این هفته دوباره گران شده و صف نانوایی‌ها طولانی است.")
    others = [await factory.reader(fake, khabar.db, name) for name in ("باب", "سارا")]
    for person in others:  # two more readers: four comments in a minute, more than two — a surge
        await factory.comment(khabar.db, art, person.id, status=S.PENDING, created_at=khabar.clock())

    await alice.send(AGAIN)
    refusal = await fake.wait_for("sendMessage", lambda c: to(alice)(c) and "⏳" in c.params.get("text", ""))
    text = refusal.params["text"]
    assert "نظرهای بسیاری" in text and "۳ دقیقه" in text and "ثبت نشد" in text and "قیمت نان" in text
    assert len(await comments_of(khabar, alice)) == 2  # nothing stored

    newcomer = await reader_on(fake, khabar, art, "داریوش")  # a first comment during the surge is welcome
    await comment_and_captcha(fake, khabar, newcomer, "قیمت نان برای کارگران روزمزد واقعاً سنگین شده است.")
    await alice.start_bot(f"a-{quiet.token}")  # other articles are not slowed
    await sent_to(fake, alice, "باران")
    await comment_and_captcha(fake, khabar, alice, "باران امسال برای کشاورزان شمال خبر خوبی است.")

    queue = await command(fake, world, "/queue", "در انتظار")
    assert "🌊 هجوم نظر" in queue and "قیمت نان" in queue and f"{fa_digits(5)} نظر در دقیقهٔ گذشته" in queue
    assert "باران" not in queue.split("🌊", 1)[1]
    stats = await command(fake, world, "/stats", "آمار")
    assert f"⏳ نظرهای پس‌زده در هجوم (هر نویسنده هر ۳ دقیقه یک نظر): {fa_digits(1)}" in stats

    khabar.clock.advance(3 * 60 + 1)  # the surge has passed and the wait is over
    await alice.start_bot(f"a-{art.token}")
    await sent_to(fake, alice, "🗓")
    await comment_and_captcha(fake, khabar, alice, AGAIN)
    queue = await command(fake, world, "/queue", "در انتظار")
    assert "🌊" not in queue
