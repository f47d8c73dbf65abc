"""Moderators' commands: /queue after lost cards, /stats against known data, /ban /unban /trust; export."""

from __future__ import annotations

import asyncio
import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, update

from bot.callbacks import Action, encode
from bot.cli import main
from bot.jalali import fa_digits, format_date
from bot.states import CommentStatus
from fakegram.control import FakeTelegram
from storage.models import Comment, Delivery, User
from tests.e2e.harness import Khabar, World
from tests.e2e.test_moderation_cards import card_of, reload
from tests.moderation import factory

S = CommentStatus


async def command(fake: FakeTelegram, world: World, text: str, marker: str) -> str:
    await world.moderators[0].send(world.mods_chat, text)
    reply = await fake.wait_for("sendMessage", lambda r: str(r.params.get("chat_id")) == str(world.mods_chat.id)
                                and marker in r.params.get("text", ""))
    return str(reply.params["text"])


async def test_queue_resends_lost_cards(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    reader = await factory.reader(fake, khabar.db, "گمشده")
    art = await factory.article(khabar.db)
    made = [await factory.pending(khabar.deps, art, reader.id) for _ in range(3)]
    await khabar.settle()
    for c in made[:2]:  # two cards are lost: their messages deleted, their rows gone
        card_of(fake, world, c.id).deleted = True
    async with khabar.db.transaction() as session:
        await session.execute(delete(Delivery).where(Delivery.comment_id.in_([c.id for c in made[:2]])))
        await session.execute(update(Comment).where(Comment.id.in_([c.id for c in made[:2]]))
                              .values(card_chat_id=None, card_message_id=None))
    text = await command(fake, world, "/queue", "در انتظار")
    assert f"{fa_digits(3)}</b> نظر در انتظار" in text and "قدیمی‌ترین" in text
    assert f"{fa_digits(2)} کارت" in text
    await khabar.settle()
    for c in made:
        card = card_of(fake, world, c.id)
        assert not card.deleted
        assert (await reload(khabar, c.id)).card_message_id == card.message_id


async def test_stats_figures(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    # "Today" is Tehran's day and the comments are seeded half an hour back: in the first hour of that day
    # they would fall on the day before, so the clock moves past it (the test ran at 00:25 Tehran once).
    local = khabar.clock().astimezone(khabar.settings.tz)
    if local.hour < 1:
        khabar.clock.advance(3600 - local.minute * 60 - local.second + 60)
    now = khabar.clock()
    art = await factory.article(khabar.db)
    reader = await factory.reader(fake, khabar.db, "آماری")
    mod_a, mod_b = world.moderators
    await factory.user(khabar.db, mod_a.id, "مدیر یک")
    day_ago = now - timedelta(days=3)

    async def decided(status: CommentStatus, reason: str | None, mod: int, created: datetime, wait: int) -> None:
        await factory.comment(khabar.db, art, reader.id, status=status, reason=reason, moderator_id=mod,
                              created_at=created, decided_at=created + timedelta(seconds=wait))

    start = now - timedelta(minutes=30)
    await decided(S.APPROVED, None, mod_a.id, start, 60)
    await decided(S.APPROVED, None, mod_a.id, start, 180)
    await decided(S.REJECTED, "insult", mod_b.id, start, 300)
    await decided(S.APPROVED, None, mod_b.id, day_ago, 600)  # in the week only
    await factory.comment(khabar.db, art, reader.id, status=S.AUTO_REJECTED, reason="link", created_at=start)
    await factory.comment(khabar.db, art, reader.id, status=S.PENDING, created_at=start)
    await factory.comment(khabar.db, art, reader.id, status=S.AWAITING_CAPTCHA, created_at=start)
    text = await command(fake, world, "/stats", "آمار")
    today, week = text.split("۷ روز گذشته")
    day_line = next(line for line in today.splitlines() if "امروز" in line)
    assert day_line == f"<b>امروز</b> ({format_date(now, khabar.settings.tz)})"  # one day, one date
    assert f"تا {format_date(now, khabar.settings.tz)})" in week  # a range keeps both ends
    assert "دریافتی: ۵" in today and "ردِ خودکار: ۱" in today and "پیوند: ۱" in today
    assert "منتشرشده: ۲" in today and "ردشده: ۱" in today and "توهین: ۱" in today
    assert "میانهٔ زمان تا تصمیم: ۳ دقیقه" in today
    assert "مدیر یک: ✅ ۲ · ❌ ۰" in today
    assert "دریافتی: ۶" in week and "منتشرشده: ۳" in week
    assert "میانهٔ زمان تا تصمیم: ۴ دقیقه" in week  # median of 1, 3, 5, 10 minutes


async def test_ban_unban_trust_commands_and_trusted_authors_skip_the_queue(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    reader = await factory.reader(fake, khabar.db, "بهرام")
    art = await factory.article(khabar.db)
    waiting = await factory.pending(khabar.deps, art, reader.id)
    await khabar.settle()
    text = await command(fake, world, f"/ban {reader.id} ۳", "مسدود شد")
    assert str(reader.id) in text
    assert (await reload(khabar, waiting.id)).status == "rejected"
    async with khabar.db.transaction() as session:
        user = await session.get(User, reader.id)
        assert user is not None and user.banned_until is not None
        assert timedelta(days=2.9) < user.banned_until - khabar.clock() <= timedelta(days=3)
    await command(fake, world, f"/unban {reader.id}", "دیگر مسدود نیست")
    await command(fake, world, f"/trust {reader.id}", "مورد اعتماد")
    async with khabar.db.transaction() as session:
        user = await session.get(User, reader.id)
        assert user is not None and user.banned_until is None and user.trusted
    trusted = await factory.pending(khabar.deps, art, reader.id, "نظر بی‌صف")
    await khabar.settle()
    row = await reload(khabar, trusted.id)
    assert row.status == "approved" and row.moderator_id == 0
    assert not any(encode(Action.APPROVE, trusted.id) == b["callback_data"]
                   for m in fake.bot_messages(world.mods_chat) for b in m.buttons())
    # An outsider's command changes nothing.
    await world.outsider.send(world.mods_chat, f"/ban {reader.id}")
    await fake.wait_for("sendMessage", lambda r: "فقط برای مدیران" in r.params.get("text", ""))


async def test_export_csv_and_json(fake: FakeTelegram, world: World, khabar: Khabar, tmp_path: Path) -> None:
    art = await factory.article(khabar.db, title="خبر صادرات")
    other = await factory.article(khabar.db, title="خبر دیگر")
    reader = await factory.reader(fake, khabar.db, "نویسنده، «ویژه»")
    when = datetime(2025, 3, 20, 20, 45, tzinfo=UTC)  # 1404-01-01 00:15 in Tehran
    first = await factory.comment(khabar.db, art, reader.id, "متن, با \"ویرگول\"\nو خط نو", status=S.APPROVED,
                                  created_at=when, decided_at=when + timedelta(minutes=5),
                                  published_at=when + timedelta(minutes=6), moderator_id=1)
    await factory.comment(khabar.db, art, reader.id, "پاسخ رد شده", status=S.REJECTED, reason="insult",
                          parent=first, created_at=when + timedelta(hours=1))
    await factory.comment(khabar.db, other, reader.id, "در خبر دیگر", created_at=when - timedelta(days=10))
    env = tmp_path / ".env"
    env.write_text(f"KHABAR_DATABASE_URL={khabar.settings.database_url}\n")
    out = tmp_path / "out.csv"
    assert await asyncio.to_thread(main, ["--env-file", str(env), "export", "--article", art.token, "--format", "csv", "--out", str(out)]) == 0
    raw = out.read_text(encoding="utf-8")
    assert raw.startswith("\ufeff")
    rows = list(csv.DictReader(raw.lstrip("\ufeff").splitlines(keepends=True)))
    assert [r["text"] for r in rows] == ["متن, با \"ویرگول\"\nو خط نو", "پاسخ رد شده"]
    assert rows[0]["created_at"] == "2025-03-20T20:45:00Z" and rows[0]["created_at_jalali"] == "1404-01-01 00:15"
    assert rows[0]["published_at_jalali"] == "1404-01-01 00:21" and rows[0]["author_name"] == "نویسنده، «ویژه»"
    assert rows[1]["parent_id"] == str(first.id) and rows[1]["reason_fa"] == "توهین"
    assert rows[0]["article_title"] == "خبر صادرات"
    jout = tmp_path / "out.json"
    code = await asyncio.to_thread(main, ["--env-file", str(env), "export", "--from", "۱۴۰۳/۱۲/۲۹", "--to", "1404-01-01", "--format", "json",
                 "--out", str(jout)])
    assert code == 0
    data = json.loads(jout.read_text(encoding="utf-8"))
    assert [d["text"] for d in data] == ["متن, با \"ویرگول\"\nو خط نو", "پاسخ رد شده"]
    assert data[1]["status"] == "rejected" and data[0]["decided_at"] == "2025-03-20T20:50:00Z"
    assert await asyncio.to_thread(main, ["--env-file", str(env), "export", "--from", "not-a-date"]) == 2
    assert await asyncio.to_thread(main, ["--env-file", str(env), "export"]) == 2
