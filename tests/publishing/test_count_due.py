"""When an approval wakes the count button's edit (``count_changed``) and when it leaves it to the count job."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.publishing.counts import edit_may_be_due
from bot.settings import Settings
from storage.models import Article

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def _article(edited: datetime | None, message_id: int | None = 10) -> Article:
    return Article(channel_chat_id=-100, channel_message_id=message_id, count_edited_at=edited)


def test_due_once_an_interval_has_passed_since_the_last_edit() -> None:
    settings = Settings(count_edit_interval_seconds=60)
    assert edit_may_be_due(_article(None), settings, NOW)
    assert edit_may_be_due(_article(NOW - timedelta(seconds=60)), settings, NOW)
    assert not edit_may_be_due(_article(NOW - timedelta(seconds=59)), settings, NOW)


def test_never_due_without_a_channel_post_or_buttons() -> None:
    assert not edit_may_be_due(_article(None, message_id=None), Settings(), NOW)
    assert not edit_may_be_due(_article(None), Settings(comment_mode="native"), NOW)
    assert not edit_may_be_due(None, Settings(), NOW)
