"""KHABAR_OPS_CHAT: errors reach the operators' chat, batched, at most one message a minute, secrets masked."""

from __future__ import annotations

import pytest

from bot.app import stop_app
from bot.publishing.article_file import ArticleDraft
from fakegram.control import FakeTelegram
from fakegram.server import CallRecord
from tests.e2e.harness import Clock, World, create_schema, launch, settings_for
from tests.e2e.publishing_helpers import queue_article


@pytest.mark.sqlite_only(reason="alerts travel through Telegram; the database plays no part")
async def test_handler_errors_reach_the_ops_chat_rate_limited_without_secrets(
    fake: FakeTelegram, world: World, db_url: str
) -> None:
    ops = fake.make_supergroup("فنی خبر", owner=world.moderators[0])
    await create_schema(db_url)
    khabar = await launch(world, settings_for(fake, world, db_url, ops_chat=str(ops.id)), Clock())

    def to_ops(c: CallRecord) -> bool:
        return str(c.params.get("chat_id")) == str(ops.id)

    async def refused_post(title: str) -> None:
        """An article post Telegram refuses for good, with an answer that quotes the token."""
        fake.faults.add("sendMessage", "400", description=f"Bad Request: chat not writable {fake.token}",
                        when=lambda p: str(p.get("chat_id")) == str(world.channel.id))
        await queue_article(khabar, ArticleDraft(title=title, lead="متن خبر برای آزمایش گزارش خطا"))
        await khabar.settle()

    try:
        await refused_post("خبر یک")
        first = await fake.wait_for("sendMessage", to_ops)
        await refused_post("خبر دو")
        await refused_post("خبر سه")
        await khabar.settle()
        assert [c for c in fake.calls_of("sendMessage") if to_ops(c)] == [first]  # the next minute is not here yet
    finally:
        await stop_app(khabar.app)  # what waited for the next minute is sent on the way out
    sent = [c for c in fake.calls_of("sendMessage") if to_ops(c)]
    assert len(sent) == 2
    text = first.params["text"]
    assert "permanent error" in text and "not writable ***" in text and "delivery_id=" in text
    assert sent[1].params["text"].count("permanent error") == 2  # both later errors, in one message
    for call in sent:
        assert fake.token not in call.params["text"] and "Traceback" not in call.params["text"]
