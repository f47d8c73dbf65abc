"""The hostile input corpus, part 1: what people write — injection, invisible and control characters,
hostile names and titles, long texts, astral emoji around entities, lone surrogates.

Each test groups many cases on one running Khabar and asserts each case's outcome; every test also
asserts that nothing was logged at ERROR (``hostile_cases.error_log``) and the fake's end-of-test check
fails it on any malformed request or unanswered callback query.
"""

from __future__ import annotations

import pytest

from bot.callbacks import parse
from bot.checks.normalize import clean_text
from bot.publishing.article_file import ArticleDraft
from bot.publishing.articles import Target
from bot.publishing.articles import add_article as publish_article
from fakegram.control import FakeTelegram
from storage.models import Article
from tests.e2e import hostile_cases as h
from tests.e2e.harness import Khabar, World
from tests.e2e.hostile_cases import error_log  # noqa: F401  (autouse: no ERROR log in any case)
from tests.e2e.test_intake_support import (
    COMMENT,
    add_article,
    comments_of,
    thread_article,
    to,
)

pytestmark = pytest.mark.khabar_settings(rate_limit_comments="1000", api_group_messages_per_minute="1200",
                                           api_messages_per_second="1000")

# ----- 1. HTML / Markdown / entity injection in comments: stored as written, shown literally ---------------

@pytest.mark.parametrize("batch", [0, 1])
async def test_injection_in_comments_is_stored_and_published_literally(
    fake: FakeTelegram, world: World, khabar: Khabar, batch: int
) -> None:
    article, copy = await thread_article(fake, world, khabar)
    half = len(h.INJECTIONS) // 2
    fragments = h.INJECTIONS[:half] if batch == 0 else h.INJECTIONS[half:]
    texts = [f"{frag} {h.SENTENCES[i % len(h.SENTENCES)]}" for i, frag in enumerate(fragments)]

    async def case(i: int, text: str) -> None:
        reader = fake.make_user(f"خواننده {i}")
        await h.opened(fake, reader, article)
        await h.trust(khabar, reader)  # trusted authors are published at once: the thread shows the text
        await reader.send(text)
        reply = await h.reply_to(fake, reader)
        assert h.is_captcha(reply), (text, reply.params["text"])
        [comment] = await comments_of(khabar, reader)
        assert comment.text == text.strip()
        await h.solve(fake, khabar, reader, comment, reply)

    await h.gather_cases([case(i, text) for i, text in enumerate(texts)])
    await khabar.settle()
    shown = [m.text or "" for m in fake.thread(world.group, copy.message_id) if m.by_bot]
    for text in texts:
        assert sum(text.strip() in s for s in shown) == 1, text


# ----- 2. bidi overrides, zero-width and control characters: removed from comments -------------------------

async def test_invisible_and_control_characters_are_removed(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)
    chars = h.INVISIBLES + h.CONTROLS
    words = COMMENT.split(" ")

    async def case(i: int, ch: str) -> None:
        reader = fake.make_user(f"خواننده {i}")
        await h.opened(fake, reader, article)
        text = f"{ch}{' '.join(words[:3])} {ch}{' '.join(words[3:])}{ch}"  # at both ends and after a space
        await reader.send(text)
        reply = await h.reply_to(fake, reader)
        assert h.is_captcha(reply), (repr(ch), reply.params["text"])
        [comment] = await comments_of(khabar, reader)
        assert comment.text == COMMENT, (repr(ch), comment.text)

    await h.gather_cases([case(i, ch) for i, ch in enumerate(chars)])


async def test_text_that_is_only_invisible_is_refused_in_persian(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    article = await add_article(khabar)
    texts = ["\u200b\u200b\u200b", "\u202e\u2066\u2069", "\ufeff", "\x00\x01\x02", "\u200c\u200c", "ـــ"]

    async def case(i: int, text: str) -> None:
        reader = fake.make_user(f"خالی {i}")
        await h.opened(fake, reader, article)
        await reader.send(text)
        reply = await h.reply_to(fake, reader)
        assert not h.is_captcha(reply) and "نظر شما ثبت نشد" in reply.params["text"], (repr(text), reply.params)
        assert [c.status for c in await comments_of(khabar, reader)] == ["auto_rejected"]

    await h.gather_cases([case(i, text) for i, text in enumerate(texts)])
    await khabar.settle()
    assert fake.bot_messages(world.mods_chat) == []


# ----- 3. hostile display names and article titles: shown literally, without direction overrides -----------

def _name_shown(name: str) -> str:
    """How a display name should appear: cleaned of invisible/bidi/control characters, clipped like the card."""
    cleaned = clean_text(name)
    return cleaned if len(cleaned) <= 64 else cleaned[:63].rstrip()


async def test_hostile_names_in_cards_publication_and_decisions(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    article, copy = await thread_article(fake, world, khabar)
    mod = world.moderators[0]
    mod.user.first_name = "<b>\u202eمدیر</b> &amp;"
    for start in range(0, len(h.NAMES), 7):  # at most 7 at a time: each gets its own card
        batch = list(enumerate(h.NAMES[start:start + 7], start=start))

        async def case(i: int, name: str) -> None:
            reader = fake.make_user(name, f"user_{i}x")
            await h.opened(fake, reader, article)
            await reader.send(h.SENTENCES[i % len(h.SENTENCES)] + f" شماره {i}")
            reply = await h.reply_to(fake, reader)
            [comment] = await comments_of(khabar, reader)
            await h.solve(fake, khabar, reader, comment, reply)

        await h.gather_cases([case(i, name) for i, name in batch])
        await khabar.settle()
        for i, name in batch:
            card = next(m for m in fake.bot_messages(world.mods_chat) if f"شماره {i}" in (m.text or ""))
            text = card.text or ""
            assert _name_shown(name) in text, (name, text)
            assert not any(ch in text for ch in "\u202e\u2066\u2067\u200b\u200f\ufeff\x00\x07\x1b"), (name, text)
            data = next(b["callback_data"] for b in card.buttons() if b.get("text") == "✅ انتشار")
            await (await mod.press(card, data)).wait_answered()
            await khabar.settle()
            assert "مدیر</b> &amp;" in (card.text or "") and "\u202e" not in (card.text or "")
        shown = [m.text or "" for m in fake.thread(world.group, copy.message_id) if m.by_bot]
        for i, name in batch:
            [published] = [s for s in shown if f"شماره {i}" in s]
            assert published.startswith("💬 " + _name_shown(name)), (name, published)
        khabar.clock.advance(61)  # a new minute: a new card budget


TITLES = [
    "<b>خبر</b> & <script>alert(1)</script> فوری",
    "</b> قیمت نان &amp; &lt; &#0; گران شد",
    "*قیمت* _نان_ [بیشتر](https://example.com) `کد`",
    "\u202eقیمت نان\u2066 در تهران\u200b",
    "قیمت نان " + "😀" * 30 + " تهران",
    "ن" * 400,
    "{title} {0} %s قیمت نان",
    "<a href=\"javascript:alert(1)\">قیمت</a> نان",
]


@pytest.mark.khabar_settings(rate_limit_comments="1000", api_messages_per_second="1000", channel_posts_per_minute="60")
async def test_hostile_article_titles_in_post_view_captcha_and_card(
    fake: FakeTelegram, world: World, khabar: Khabar
) -> None:
    target = Target(khabar.settings, world.channel.id, khabar.deps.bot_username)
    drafts = [ArticleDraft(title=TITLES[0], kicker=TITLES[1], lead=TITLES[2] + " " + TITLES[7], hashtags="#نان <b>"),
              ArticleDraft(title=TITLES[3], kicker=TITLES[6], lead=TITLES[4]),
              ArticleDraft(title=TITLES[5], kicker="<i>گزارش", lead=TITLES[5] + " & </b>")]
    async with khabar.db.transaction() as session:
        for draft in drafts:
            await publish_article(session, target, draft, now=khabar.clock())
    khabar.deps.outbox.wake()
    await khabar.settle()
    posts = fake.bot_messages(world.channel)
    assert len(posts) == len(drafts)
    for draft, post in zip(drafts, posts, strict=True):  # the post shows every part literally
        for part in (draft.title, draft.kicker, draft.lead):
            assert part is not None and part[:40] in (post.text or ""), (part, post.text)
    stored = [await add_article(khabar, title=title) for title in TITLES]

    async def case(i: int, article: Article) -> None:
        title = article.title[:40]  # titles are the newsroom's own words: shown exactly as written, escaped
        reader = fake.make_user(f"خواننده {i}")
        await reader.start_bot(f"a-{article.token}")
        view = await fake.wait_for("sendMessage", to(reader))
        assert title in (fake.resolve_message(view.result).text or ""), (title, view.params["text"])
        await reader.send(h.SENTENCES[i % len(h.SENTENCES)])
        reply = await h.reply_to(fake, reader)
        if h.is_captcha(reply):
            assert title[:30] in (fake.resolve_message(reply.result).text or "")

    await h.gather_cases([case(i, art) for i, art in enumerate(stored)])


# ----- 4. long texts and texts around the 4,096 limit; astral emoji around entity offsets -------------------

LONG = {
    "10k": ("قیمت نان " * 1200)[:10_000],
    "4096": ("نان گران " * 500)[:4096],
    "4097": ("نان گران " * 500)[:4097],
    "max+1": ("نان گران شد " * 100)[:1001],
    "emoji-4000": "😀" * 4000,
    "lt-10k": "<" * 10_000,
    "amp-5000": "&amp;" * 1000,
}


async def test_long_texts_are_refused_in_persian_without_echo(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)

    async def case(i: int, key: str) -> None:
        reader = fake.make_user(f"بلند {i}")
        await h.opened(fake, reader, article)
        await reader.send(LONG[key])
        reply = await h.reply_to(fake, reader)
        assert "نظر شما ثبت نشد" in reply.params["text"] and "حداکثر ۱٬۰۰۰ نویسه" in reply.params["text"], key
        assert len(reply.params["text"]) < 500  # the text is never echoed back
        [comment] = await comments_of(khabar, reader)
        assert (comment.status, comment.reason) == ("auto_rejected", "too_long") and len(comment.text) <= 4096

    await h.gather_cases([case(i, key) for i, key in enumerate(LONG)])
    await khabar.settle()
    assert fake.bot_messages(world.mods_chat) == []


@pytest.mark.khabar_settings(rate_limit_comments="1000", api_messages_per_second="1000",
                             api_group_messages_per_minute="1200", max_comment_length="4000")
async def test_longest_allowed_comment_fits_card_and_thread(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article, copy = await thread_article(fake, world, khabar)
    base = h.SENTENCES[0] + " <b>&amp;</b> " + "😀 "
    texts = [(base * 60)[:4000].strip(), ("& " + h.SENTENCES[1] + " ") * 40, (h.SENTENCES[2] + " ") * 47]
    texts = [clean_text(t[:4000]) for t in texts]

    async def case(i: int, text: str) -> None:
        reader = fake.make_user("ن" * 300, "long_name_" + str(i))
        await h.opened(fake, reader, article)
        await h.trust(khabar, reader)
        await reader.send(text)
        reply = await h.reply_to(fake, reader)
        assert h.is_captcha(reply), (len(text), reply.params["text"])
        [comment] = await comments_of(khabar, reader)
        assert comment.text == text
        await h.solve(fake, khabar, reader, comment, reply)

    await h.gather_cases([case(i, text) for i, text in enumerate(texts)])
    await khabar.settle()
    shown = [m.text or "" for m in fake.thread(world.group, copy.message_id) if m.by_bot]
    assert len(shown) == len(texts)
    for text in texts:
        assert any(text[:3000] in s for s in shown)


EMOJI_CASES = [
    # (text, accepted) — entities are auto-detected with UTF-16 offsets, as a client sends them
    ("😀😀 @someone_here " + h.SENTENCES[0], True),
    ("👨\u200d👩\u200d👧 #نان " + h.SENTENCES[1], True),
    (h.SENTENCES[2] + " 🇮🇷 /start 😀", True),
    ("𝕳𝖊𝖑𝖑𝖔 " + h.SENTENCES[3], True),
    ("😀" * 3 + " https://example.com/x " + h.SENTENCES[0], False),
    (h.SENTENCES[1] + " 🎉example.com🎉", False),
    ("😀 mail@example.com " + h.SENTENCES[2], False),
    ("🤦🏽\u200d♀️ /my@khabar_test_bot " + h.SENTENCES[3], True),
    ("\U0001F600\U0001F3FB\uFE0F " + h.SENTENCES[0] + " \U000E0067\U000E0062", True),
    (h.SENTENCES[1] + " t.me/joinchat/AAAA 😀", False),
]


async def test_astral_emoji_around_entities(fake: FakeTelegram, world: World, khabar: Khabar) -> None:
    article = await add_article(khabar)

    async def case(i: int, text: str, accepted: bool) -> None:
        reader = fake.make_user(f"ایموجی {i}")
        await h.opened(fake, reader, article)
        await reader.send(text)
        reply = await h.reply_to(fake, reader)
        assert h.is_captcha(reply) == accepted, (text, reply.params["text"])
        [comment] = await comments_of(khabar, reader)
        assert comment.text == clean_text(text)
        if not accepted:
            assert "پیوند" in reply.params["text"] or "ثبت نشد" in reply.params["text"]

    await h.gather_cases([case(i, text, ok) for i, (text, ok) in enumerate(EMOJI_CASES)])


# ----- 11. lone surrogates: the transport cannot carry them (UTF-8 JSON, like Telegram), so checked directly -----

@pytest.mark.parametrize(("raw", "kept"), [("\ud800" + h.SENTENCES[0], h.SENTENCES[0]), (h.SENTENCES[1] + "\udfff", h.SENTENCES[1]),
                                           ("نام\ud83d", "نام"), ("\udc00", "")])
def test_lone_surrogates_never_reach_storage(raw: str, kept: str) -> None:
    assert clean_text(raw) == kept  # comments and display names both go through clean_text
    assert parse("v1:ap:\udc80") is None and parse("v1:ap:1\ud800") is None
