"""Issue 18, item 6: /words edits the newsroom's blocked words and allowed exceptions at run time;
`khabar words import|export` moves them in and out as CSV."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select

from bot.cli import main
from bot.jalali import fa_digits
from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from storage.models import Article, Comment, ModerationAction
from tests.e2e.harness import Khabar, World
from tests.e2e.test_intake_support import (
    add_article,
    answer_typed,
    comment_and_captcha,
    comments_of,
    sent_to,
    to,
)
from tests.e2e.test_moderation_cards import card_of
from tests.e2e.test_moderation_tools import command
from tests.moderation import factory

LINKED = "قیمت نان را در https://example.com/nan ببینید؛ گرانی نان برای خانواده‌ها سخت است."
LINKED_AGAIN = "گزارش کامل قیمت نان در https://example.com/report آمده است و نانوایان ناراضی‌اند."


async def reader_on(fake: FakeTelegram, khabar: Khabar, art: Article, name: str) -> FakeUser:
    """A reader who opened the article in the bot (their next text is a comment on it)."""
    reader = await factory.reader(fake, khabar.db, name)
    await reader.start_bot(f"a-{art.token}")
    await sent_to(fake, reader, "🗓")
    return reader


async def flagged(khabar: Khabar, comment: Comment) -> list[str]:
    """The reason codes the checks (with the newsroom's lists) gave a stored comment."""
    async with khabar.db.transaction() as session:
        row = await session.get(Comment, comment.id, populate_existing=True)
        assert row is not None
        return [r["code"] for r in row.checks.get("reasons", [])]


async def test_allowed_and_blocked_words_take_effect_for_the_next_comment(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    art = await add_article(khabar)
    reader = await reader_on(fake, khabar, art, "آلیس")

    await reader.send(LINKED)  # a link is refused by default
    await fake.wait_for("sendMessage", lambda c: to(reader)(c) and "پیوند" in c.params.get("text", ""))
    answer = await command(fake, world, "/words allow spam example.com", "مجاز شد")
    assert "example.com" in answer and "تبلیغ" in answer
    comment, captcha, _ = await comment_and_captcha(fake, khabar, reader, LINKED_AGAIN)
    assert "link" not in await flagged(khabar, comment)  # the newsroom's own site may be linked

    answer = await command(fake, world, "/words block توهین نان‌خورِ‌بی‌مصرف", "مسدود شد")
    assert "توهین" in answer
    again = await command(fake, world, "/words block insult نان‌خورِ‌بی‌مصرف", "از پیش")
    assert "نان‌خورِ‌بی‌مصرف" in again
    await answer_typed(fake, reader, captcha)
    await khabar.settle()
    other = await reader_on(fake, khabar, art, "باب")
    blocked, blocked_captcha, _ = await comment_and_captcha(
        fake, khabar, other, "این مدیر نان خور بی مصرف قیمت نان را بی‌دلیل بالا برده است.")
    assert "insult" in await flagged(khabar, blocked)  # spelt apart, still the listed phrase
    await answer_typed(fake, other, blocked_captcha)
    await khabar.settle()
    card = card_of(fake, world, blocked.id)
    assert "⚠️" in (card.text or "") and "توهین" in (card.text or "")

    listing = await command(fake, world, "/words", "فهرست واژه‌ها")
    assert "نان‌خورِ‌بی‌مصرف" in listing and "example.com" in listing
    assert "برداشته شد" in await command(fake, world, "/words remove insult نان‌خورِ‌بی‌مصرف", "برداشته")
    assert "نیست" in await command(fake, world, "/words remove insult نان‌خورِ‌بی‌مصرف", "نیست")
    third = await reader_on(fake, khabar, art, "سارا")
    unlisted, _, _ = await comment_and_captcha(
        fake, khabar, third, "مدیر نان‌خور بی‌مصرف؟ نه، قیمت آرد بالا رفته و نان گران شده است.")
    assert "insult" not in await flagged(khabar, unlisted)

    assert "دسته" in await command(fake, world, "/words block رنگ قرمز", "نمی‌شناسم")
    assert "کاربرد" in await command(fake, world, "/words add insult", "کاربرد")
    async with khabar.db.transaction() as session:
        actions = [a for (a,) in (await session.execute(
            select(ModerationAction.action).where(ModerationAction.action.startswith("words_"))
            .order_by(ModerationAction.id))).all()]
    assert actions == ["words_allow", "words_block", "words_remove"]
    stats = await command(fake, world, "/stats", "آمار")
    assert f"📝 فهرست واژه‌ها: {fa_digits(2)} افزوده · {fa_digits(1)} برداشته" in stats
    await world.outsider.send(world.mods_chat, "/words block insult نان")
    await fake.wait_for("sendMessage", lambda c: "فقط برای مدیران" in c.params.get("text", ""))


async def test_an_allowed_exception_lifts_the_checks_own_insult(fake: FakeTelegram, world: World,
                                                                 khabar: Khabar) -> None:
    art = await add_article(khabar)
    reader = await reader_on(fake, khabar, art, "آلیس")
    first, _, _ = await comment_and_captcha(fake, khabar, reader, "مدیر احمق اتحادیه قیمت نان را گران کرد.")
    assert "insult" in await flagged(khabar, first)
    await command(fake, world, "/words allow insult احمق", "مجاز شد")
    other = await reader_on(fake, khabar, art, "باب")
    second, _, _ = await comment_and_captcha(fake, khabar, other, "آقای احمق، مدیر اتحادیه، گفت قیمت نان گران شد.")
    assert "insult" not in await flagged(khabar, second)


async def test_import_and_export_from_the_command_line_reach_the_running_bot(
    fake: FakeTelegram, world: World, khabar: Khabar, tmp_path: Path
) -> None:
    env = tmp_path / "words.env"
    env.write_text(f"KHABAR_DATABASE_URL={khabar.settings.database_url}\n")
    lists = tmp_path / "lists.csv"
    lists.write_text("category,kind,entry\ninsult,block,نان‌خورِ‌بی‌مصرف\nspam,allow,example.com\n"
                     "colour,block,قرمز\ninsult,block,نان‌خورِ‌بی‌مصرف\n", encoding="utf-8")
    assert await asyncio.to_thread(main, ["--env-file", str(env), "words", "import", str(lists)]) == 1  # one refused

    art = await add_article(khabar)  # the running bot sees the import for the very next comment
    reader = await reader_on(fake, khabar, art, "آلیس")
    comment, _, _ = await comment_and_captcha(fake, khabar, reader, LINKED)
    assert "link" not in await flagged(khabar, comment)
    other = await reader_on(fake, khabar, art, "باب")
    insulting, _, _ = await comment_and_captcha(fake, khabar, other,
                                                "این مدیر نان‌خورِ‌بی‌مصرف قیمت نان را بالا برده است.")
    assert "insult" in await flagged(khabar, insulting)

    out = tmp_path / "out.csv"
    assert await asyncio.to_thread(main, ["--env-file", str(env), "words", "export", "--out", str(out)]) == 0
    rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert rows == ["category,kind,entry", "insult,block,نان‌خورِ‌بی‌مصرف", "spam,allow,example.com"]
    assert "نان‌خورِ‌بی‌مصرف" in await command(fake, world, "/words", "فهرست واژه‌ها")
    bad = tmp_path / "bad.csv"
    bad.write_text("word\nنان\n", encoding="utf-8")
    assert await asyncio.to_thread(main, ["--env-file", str(env), "words", "import", str(bad)]) == 2
    assert await asyncio.to_thread(main, ["--env-file", str(env), "words", "import", str(tmp_path / "none.csv")]) == 2
    assert len(await comments_of(khabar, reader)) == 1


def _long_entry(i: int) -> str:
    """A distinct phrase of about 95 characters (no doubled letter, so the key keeps it distinct)."""
    letters = "ابپتثجچحخدذرزسشصضطظعغفقکگلمنوهی"
    tag = letters[i % len(letters)] + letters[(i // len(letters)) % len(letters)] + "ا"
    return " ".join(f"{tag}{word}" for word in ("واژه‌ای", "بسیار", "بلند", "برای", "آزمودن", "فهرست")) + \
        f" {tag}تحریریه‌ای با نام دراز و شمارهٔ {fa_digits(i)}"


async def test_a_long_listing_stays_one_message_and_says_more_exist(
    fake: FakeTelegram, world: World, khabar: Khabar, tmp_path: Path
) -> None:
    env = tmp_path / "words.env"
    env.write_text(f"KHABAR_DATABASE_URL={khabar.settings.database_url}\n")
    lists = tmp_path / "lists.csv"
    rows = [f"{category},block,{_long_entry(i)}" for category in ("insult", "accusation") for i in range(150)]
    lists.write_text("category,kind,entry\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert await asyncio.to_thread(main, ["--env-file", str(env), "words", "import", str(lists)]) == 0

    await world.moderators[0].send(world.mods_chat, "/words")
    reply = await fake.wait_for("sendMessage", lambda r: str(r.params.get("chat_id")) == str(world.mods_chat.id)
                                and "فهرست واژه‌ها" in r.params.get("text", ""))
    shown = fake.resolve_message(reply.result).text or ""
    assert len(shown.encode("utf-16-le")) // 2 <= 4096
    assert f"🚫 مسدود ({fa_digits(150)})" in shown
    assert "واژهٔ دیگر" in shown and shown.rstrip().endswith("khabar words export")
