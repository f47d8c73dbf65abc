"""Moderation's keyboards are the domain's (bot/domain/screen.py), and the outbox payloads built from them
are byte for byte the JSON the old conversion stored (PTB's InlineKeyboardMarkup.to_dict(), callback_data
before text): rows queued by one version are sent by the next, and their stored text does not change.

The expected dicts are written out as the old markup_dict() produced them, keys in its order; comparing
json.dumps() strings (not dicts, whose == ignores order) is what makes the check byte for byte."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.screen import Button, Keyboard, keyboard_dict
from bot.moderation import queue_view
from bot.moderation.card import (
    CardAuthor,
    CardView,
    decided_keyboard,
    durations_keyboard,
    main_keyboard,
    reasons_keyboard,
)
from bot.moderation.loading import message_edit
from bot.moderation.service_reports import review_keyboard

TZ = ZoneInfo("Asia/Tehran")


def _view(i: int) -> CardView:
    return CardView(i, f"t{i}", "نظر", datetime(2025, 1, 1, tzinfo=UTC), "خبر", None, CardAuthor(100 + i, "نام"))


def _row(*buttons: tuple[str, str]) -> list[dict[str, str]]:
    """Buttons as the old conversion wrote them: callback_data first, then text."""
    return [{"callback_data": data, "text": text} for data, text in buttons]


OLD = [  # (keyboard, the old markup_dict's output)
    (main_keyboard(7), {"inline_keyboard": [
        _row(("v1:ap:7", "✅ انتشار")),
        _row(("v1:rj:7", "❌ رد"), ("v1:bn:7", "🚫 مسدود")),
        _row(("v1:af:7", "📊 آمار این خبر")),
    ]}),
    (reasons_keyboard(7, "۲: "), {"inline_keyboard": [
        _row(("v1:rr:7:0", "۲: ❌ توهین"), ("v1:rr:7:1", "۲: ❌ اتهام"), ("v1:rr:7:2", "۲: ❌ نامرتبط")),
        _row(("v1:rr:7:3", "۲: ❌ غیرفارسی"), ("v1:rr:7:4", "۲: ❌ تبلیغ"), ("v1:rr:7:5", "۲: ❌ سایر")),
        _row(("v1:bk:7", "🔙 بازگشت")),
    ]}),
    (durations_keyboard(7), {"inline_keyboard": [
        _row(("v1:bd:7:0", "🚫 ۱ روز"), ("v1:bd:7:1", "🚫 ۷ روز")),
        _row(("v1:bd:7:2", "🚫 ۳۰ روز"), ("v1:bd:7:3", "🚫 دائم")),
        _row(("v1:bk:7", "🔙 بازگشت")),
    ]}),
    (decided_keyboard(7, undo=True), {"inline_keyboard": [_row(("v1:un:7", "↩️ لغو تصمیم"))]}),
    (review_keyboard(3, 7), {"inline_keyboard": [
        _row(("v1:rk:3", "✅ بماند"), ("v1:rx:3", "🗑 حذف")),
        _row(("v1:af:7", "📊 آمار این خبر")),
    ]}),
    (queue_view.render_page([_view(1), _view(2)], 0, 7, TZ)[1], {"inline_keyboard": [
        _row(("v1:ap:1", "✅ ۱"), ("v1:rj:1", "❌ ۱"), ("v1:bn:1", "🚫 ۱")),
        _row(("v1:ap:2", "✅ ۲"), ("v1:rj:2", "❌ ۲"), ("v1:bn:2", "🚫 ۲")),
        _row(("v1:qp:1", "بعدی »")),
    ]}),
    (queue_view.render_page([_view(3)], 1, 11, TZ)[1], {"inline_keyboard": [
        _row(("v1:ap:3", "✅ ۱"), ("v1:rj:3", "❌ ۱"), ("v1:bn:3", "🚫 ۱")),
        _row(("v1:qp:0", "« قبلی"), ("v1:qp:2", "بعدی »")),
    ]}),
]


@pytest.mark.parametrize(("keyboard", "old"), OLD)
def test_keyboard_json_is_byte_for_byte_the_old_one(keyboard: Keyboard, old: dict[str, Any]) -> None:
    # The stored text: both the default serializer's (ASCII escapes) and with the Persian kept as it is.
    assert json.dumps(keyboard_dict(keyboard)) == json.dumps(old)
    assert json.dumps(keyboard_dict(keyboard), ensure_ascii=False) == json.dumps(old, ensure_ascii=False)


def test_no_buttons_is_no_markup_as_before() -> None:
    assert keyboard_dict(decided_keyboard(7, undo=False)) is None
    assert keyboard_dict(queue_view.render_page([], 0, 0, TZ)[1]) is None
    # An edit without buttons leaves reply_markup out, which removes the keyboard.
    assert json.dumps(message_edit(-100, 5, "x", ())) == (
        '{"method": "edit_message_text", "args": {"chat_id": -100, "message_id": 5, "text": "x", "no_preview": true}}')
    edit = message_edit(-100, 5, "x", decided_keyboard(9, undo=True))
    assert json.dumps(edit["args"]["reply_markup"]) == json.dumps({"inline_keyboard": [_row(("v1:un:9", "↩️ لغو تصمیم"))]})


def test_link_and_mixed_buttons_serialize_as_ptb_does() -> None:
    """What PTB's to_dict() writes, keys in its order, for link buttons too (intake's and the posts')."""
    keyboard = ((Button("a", callback_data="v1:x"), Button("b", url="https://t.me/bot?start=a-1")),
                (Button("c", url="https://example.test/"),))
    ptb = InlineKeyboardMarkup([[InlineKeyboardButton(b.text, callback_data=b.callback_data, url=b.url) for b in row]
                                for row in keyboard])
    assert json.dumps(keyboard_dict(keyboard)) == json.dumps(ptb.to_dict())
    assert json.dumps(keyboard_dict(keyboard)) == json.dumps({"inline_keyboard": [
        [{"callback_data": "v1:x", "text": "a"}, {"text": "b", "url": "https://t.me/bot?start=a-1"}],
        [{"text": "c", "url": "https://example.test/"}]]})
