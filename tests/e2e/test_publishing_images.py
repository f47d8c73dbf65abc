"""Telegram fetches a post's image from its URL itself. When it cannot use the image (too large, not an
image, a site that refuses hot links), the article is posted as text instead of never; when the channel
itself refuses the post, it fails and the moderators are told, as before."""

from __future__ import annotations

from bot.publishing.article_file import ArticleDraft
from fakegram.control import FakeTelegram
from tests.e2e.harness import Khabar, World
from tests.e2e.publishing_helpers import article, channel_posts, queue_article

REFUSED = "Bad Request: failed to get HTTP URL content"


async def test_an_image_telegram_cannot_fetch_is_posted_as_text(fake: FakeTelegram, world: World,
                                                               khabar: Khabar) -> None:
    fake.faults.add("sendPhoto", "400", description=REFUSED)
    draft = ArticleDraft(title="خبر با تصویر بزرگ", lead="متن خبر " * 300, link="https://news.example/a/9",
                         image="https://news.example/huge.jpg")
    article_id = await queue_article(khabar, draft)
    await khabar.settle()
    (post,) = channel_posts(fake, world)
    assert post.caption is None and post.text is not None and post.text.startswith("خبر با تصویر بزرگ")
    assert len(post.text) > 1024  # the text limit, not the caption's
    stored = await article(khabar, article_id)
    assert stored.delivery_state == "posted" and stored.channel_message_id == post.message_id
    (button,) = post.buttons()
    assert button["url"].endswith(f"start=a-{stored.token}")
    assert fake.bot_messages(world.mods_chat) == []  # nothing failed: nobody is alarmed
    await khabar.restart()
    await khabar.settle()
    assert len(channel_posts(fake, world)) == 1


async def test_a_photo_post_the_channel_refuses_still_fails_and_is_reported(fake: FakeTelegram, world: World,
                                                                            khabar: Khabar) -> None:
    fake.set_bot_rights(world.channel, "member")
    article_id = await queue_article(khabar, ArticleDraft(title="خبر با عکس", image="https://news.example/i.jpg"))
    await khabar.settle()
    assert channel_posts(fake, world) == []
    assert (await article(khabar, article_id)).delivery_state == "failed"
    (report,) = fake.bot_messages(world.mods_chat)
    assert "خبر با عکس" in (report.text or "")

