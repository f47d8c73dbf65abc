"""Articles reach the channel exactly once, formatted, with comment buttons and their discussion copy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.app import build_application, stop_app
from bot.domain.message_kinds import MessageKind
from bot.outbox import perform
from bot.publishing.article_file import ArticleDraft
from bot.publishing.articles import Target, add_article
from bot.publishing.reconcile import GRACE
from bot.publishing.service import target_of
from fakegram.control import FakeTelegram
from storage.db import Database
from storage.repos import outbox
from tests.e2e.harness import Khabar, World, launch
from tests.e2e.publishing_helpers import article, channel_posts, deliveries, eventually, queue_article

WHEN = datetime(2026, 1, 8, 11, 36, tzinfo=UTC)


async def test_post_format_buttons_and_discussion_link(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    draft = ArticleDraft(
        title="<b>AT&T</b> «ویژه»",
        kicker="روتیتر & نکته",
        lead="جلسه شورای هماهنگی روابط عمومی‌های استان برگزار شد.",
        link="https://news.example/a/1?x=1&y=2",
        published_at=WHEN,
    )
    article_id = await queue_article(khabar, draft)
    await khabar.settle()
    (post,) = channel_posts(fake, world)
    assert post.text is not None
    assert post.text.split("\n")[:2] == ["روتیتر & نکته", "<b>AT&T</b> «ویژه»"]
    assert "🕒 پنج‌شنبه ۱۸ دی ۱۴۰۴، ساعت ۱۵:۰۶" in post.text
    bold = [e for e in post.entities if e["type"] == "bold"]
    assert len(bold) == 1
    links = [e for e in post.entities if e["type"] == "text_link"]
    assert links[0]["url"] == "https://news.example/a/1?x=1&y=2"
    (comment,) = post.buttons()  # one button: no second «نظرها (۰)» opening the same link
    stored = await article(khabar, article_id)
    assert comment == {"text": "💬 ثبت نظر", "url": f"https://t.me/khabar_test_bot?start=a-{stored.token}"}
    assert stored.delivery_state == "posted" and stored.channel_message_id == post.message_id
    copy = fake.discussion_copy(post)
    assert copy is not None

    async def linked() -> int | None:
        return (await article(khabar, article_id)).discussion_message_id

    assert await eventually(linked) == copy.message_id
    assert (await article(khabar, article_id)).discussion_chat_id == world.group.id


@pytest.mark.khabar_settings(comment_mode="native", hashtags="خبر ایران")
async def test_native_mode_photo_post_without_buttons(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    draft = ArticleDraft(title="عکس خبر", lead="واژه " * 600, image="https://news.example/i.jpg", hashtags="لرستان")
    await queue_article(khabar, draft)
    await khabar.settle()
    (post,) = channel_posts(fake, world)
    assert post.caption is not None and len(post.caption) <= 1024
    assert "…" in post.caption and post.caption.endswith("#خبر #ایران #لرستان")
    assert post.reply_markup is None


async def test_same_article_twice_is_posted_once(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    draft = ArticleDraft(title="یک خبر", link="https://news.example/a/7")
    await queue_article(khabar, draft)
    await khabar.settle()
    async with khabar.db.transaction() as session:
        again = await add_article(session, target_of(khabar.deps), draft, now=khabar.clock())
    assert again is None
    await khabar.settle()
    assert len(channel_posts(fake, world)) == 1


async def test_429_then_success_posts_once(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    fake.faults.add("sendMessage", "429", retry_after=2)
    await queue_article(khabar, ArticleDraft(title="خبر با محدودیت"))
    await khabar.settle()
    khabar.clock.advance(3)  # in case the outbox (not PTB's rate limiter) took the retry
    await khabar.settle()
    assert len(channel_posts(fake, world)) == 1
    assert [c.fault for c in fake.calls_of("sendMessage")] == ["429", None]


async def test_bot_not_admin_reported_once(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    fake.set_bot_rights(world.channel, "member")
    first = await queue_article(khabar, ArticleDraft(title="خبر اول"))
    await khabar.settle()
    assert channel_posts(fake, world) == []
    assert (await article(khabar, first)).delivery_state == "failed"
    reports = fake.bot_messages(world.mods_chat)
    assert len(reports) == 1
    assert "خبر اول" in (reports[0].text or "") and "ناموفق" in (reports[0].text or "")
    await khabar.restart()
    await khabar.settle()
    assert len(fake.bot_messages(world.mods_chat)) == 1


async def test_crash_between_send_and_commit_posts_once(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    """A process sent the post, then died before recording it; the restarted bot must not post it again."""
    await stop_app(khabar.app)
    draft = ArticleDraft(title="خبر پیش از سقوط", lead="متن کوتاه")
    # The crashed process: it claimed the row and made the Bot API call with the real outbox code,
    # and never got to record the outcome.
    db = Database(khabar.settings.database_url)
    crashed = build_application(khabar.settings, clock=khabar.clock, updater=False)
    async with crashed.bot as bot:
        async with db.transaction() as session:
            created = await add_article(
                session, Target(khabar.settings, world.channel.id, bot.username), draft, now=khabar.clock()
            )
            assert created is not None
        async with db.transaction() as session:
            (row,) = await outbox.claim_due(
                session, owner="crashed", now=khabar.clock(), lease=timedelta(seconds=120), limit=10
            )
        await perform(bot, row.payload)
    await db.close()
    assert len(channel_posts(fake, world)) == 1
    khabar.clock.advance(600)  # long after the crash: the claim has expired
    restarted = await launch(world, khabar.settings, khabar.clock)
    khabar.app = restarted.app

    async def reconciled() -> int | None:
        return (await article(khabar, created.id)).channel_message_id

    await eventually(reconciled)
    khabar.clock.advance(GRACE.total_seconds() + 1)
    await khabar.settle()
    assert len(channel_posts(fake, world)) == 1
    (row,) = await deliveries(khabar, MessageKind.ARTICLE_POST)
    assert row.status == "sent" and row.message_id == channel_posts(fake, world)[0].message_id
    assert (await article(khabar, created.id)).delivery_state == "posted"
