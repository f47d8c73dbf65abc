"""A channel post an admin deleted cannot show a new count. Its button edit fails once for each change of
the count, not again every interval for as long as the bot runs (an ERROR a minute, the channel's edit
budget spent ahead of new posts)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from bot.publishing.article_file import ArticleDraft
from fakegram.control import FakeTelegram
from storage.models import Article
from tests.e2e.harness import Khabar, World
from tests.e2e.publishing_helpers import article, channel_posts, queue_article


@pytest.mark.khabar_settings(count_edit_interval_seconds="60")
async def test_a_deleted_channel_post_is_not_edited_again_and_again(fake: FakeTelegram, world: World,
                                                                    khabar: Khabar) -> None:
    article_id = await queue_article(khabar, ArticleDraft(title="خبری که حذف شد"))
    await khabar.settle()
    (post,) = channel_posts(fake, world)
    post.deleted = True  # an admin deleted the post in the channel

    async def approved(count: int) -> None:
        async with khabar.db.transaction() as session:
            await session.execute(update(Article).where(Article.id == article_id).values(approved_count=count))
        khabar.deps.events.emit("count_changed", article_id)

    await approved(1)
    await khabar.settle()
    assert [c.ok for c in fake.calls_of("editMessageReplyMarkup")] == [False]
    for _ in range(3):  # interval after interval, the count unchanged: the job finds nothing stale
        khabar.clock.advance(61)
        khabar.deps.events.emit("count_changed", article_id)
        await khabar.settle()
    assert len(fake.calls_of("editMessageReplyMarkup")) == 1
    assert (await article(khabar, article_id)).shown_count == 1

    khabar.clock.advance(61)
    await approved(2)  # a new count is tried once more (the post may be back, e.g. restored by an admin)
    await khabar.settle()
    assert len(fake.calls_of("editMessageReplyMarkup")) == 2
