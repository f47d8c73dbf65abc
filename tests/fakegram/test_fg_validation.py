"""Every request is checked against the spec; malformed ones are rejected and recorded."""

from __future__ import annotations

import json

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, InvalidToken

from fakegram import FakeTelegram


async def post(fake: FakeTelegram, method: str, **kwargs: object) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(f"{fake.api_url}/{method}", **kwargs)  # type: ignore[arg-type]


async def test_get_me_any_case_and_get(fake: FakeTelegram) -> None:
    async with httpx.AsyncClient() as client:
        r1 = await client.get(f"{fake.api_url}/GETME")
        r2 = await client.post(f"{fake.api_url}/getme")
    assert r1.json()["result"]["username"] == "khabar_test_bot"
    assert r2.json()["result"]["is_bot"] is True


async def test_wrong_token_is_unauthorized(fake: FakeTelegram) -> None:
    async with httpx.AsyncClient() as client:
        r = await client.post(f"{fake.base_url}123:nope/getMe")
    assert r.status_code == 401
    assert r.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    with pytest.raises(InvalidToken):
        async with Bot("123:nope", base_url=fake.base_url):
            pass


async def test_unknown_method_404(fake: FakeTelegram) -> None:
    fake.expect_failure("method not found")
    r = await post(fake, "sendMesage", data={"chat_id": "1", "text": "x"})
    assert r.status_code == 404
    assert r.json()["description"] == "Not Found: method not found"


async def test_missing_chat_id(fake: FakeTelegram) -> None:
    fake.expect_failure("chat_id is empty")
    r = await post(fake, "sendMessage", data={"text": "hi"})
    assert r.status_code == 400
    assert r.json()["description"] == "Bad Request: chat_id is empty"
    assert fake.failures[0].method == "sendMessage"


async def test_edit_needs_chat_and_message_or_inline_id(fake: FakeTelegram) -> None:
    fake.expect_failure("message_id is empty")
    r = await post(fake, "editMessageText", data={"chat_id": "5", "text": "x"})
    assert r.json()["description"] == "Bad Request: message_id is empty"


async def test_unknown_parameter_rejected(fake: FakeTelegram) -> None:
    fake.expect_failure('unknown parameter "colour"')
    user = fake.make_user("Sara")
    await user.start_bot()
    r = await post(fake, "sendMessage", data={"chat_id": str(user.id), "text": "x", "colour": "red"})
    assert r.status_code == 400
    assert "colour" in r.json()["description"]


async def test_wrong_scalar_type(fake: FakeTelegram) -> None:
    fake.expect_failure("can't parse message_id")
    r = await post(fake, "deleteMessage", json={"chat_id": 1, "message_id": "abc"})
    assert r.status_code == 400


async def test_wrong_type_inside_reply_markup(fake: FakeTelegram) -> None:
    fake.expect_failure('"inline_keyboard[0][0].callback_data" must be of type String')
    user = fake.make_user("Sara")
    await user.start_bot()
    markup = {"inline_keyboard": [[{"text": "ok", "callback_data": 5}]]}
    r = await post(fake, "sendMessage", data={"chat_id": user.id, "text": "x", "reply_markup": json.dumps(markup)})
    assert r.status_code == 400
    assert r.json()["description"].startswith("Bad Request: can't parse reply_markup")


async def test_unknown_field_inside_object(fake: FakeTelegram) -> None:
    fake.expect_failure('"message_idd" is not a field of ReplyParameters')
    user = fake.make_user("Sara")
    await user.start_bot()
    r = await post(fake, "sendMessage", json={"chat_id": user.id, "text": "x",
                                              "reply_parameters": {"message_idd": 1}})
    assert r.status_code == 400


async def test_callback_data_65_bytes(fake: FakeTelegram, fake_bot: Bot) -> None:
    fake.expect_failure("BUTTON_DATA_INVALID")
    user = fake.make_user("Sara")
    await user.start_bot()
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="ب" * 32)]])  # 64 bytes
    await fake_bot.send_message(user.id, "fine", reply_markup=ok)
    bad = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="ب" * 32 + "x")]])  # 65 bytes
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await fake_bot.send_message(user.id, "too much", reply_markup=bad)


async def test_text_button_without_action(fake: FakeTelegram) -> None:
    fake.expect_failure("Text buttons are unallowed")
    user = fake.make_user("Sara")
    await user.start_bot()
    r = await post(fake, "sendMessage", json={"chat_id": user.id, "text": "x",
                                              "reply_markup": {"inline_keyboard": [[{"text": "t"}]]}})
    assert r.status_code == 400


async def test_deep_link_payload_checked(fake: FakeTelegram, fake_bot: Bot) -> None:
    fake.expect_failure("deep-link start payload")
    user = fake.make_user("Sara")
    await user.start_bot()
    good = InlineKeyboardButton("go", url="https://t.me/khabar_test_bot?start=post_12-a")
    await fake_bot.send_message(user.id, "x", reply_markup=InlineKeyboardMarkup([[good]]))
    bad = InlineKeyboardButton("go", url="https://t.me/khabar_test_bot?start=post 12")
    with pytest.raises(BadRequest):
        await fake_bot.send_message(user.id, "x", reply_markup=InlineKeyboardMarkup([[bad]]))


async def test_text_length_limits(fake: FakeTelegram, fake_bot: Bot) -> None:
    fake.expect_failure("message is too long")
    fake.expect_failure("message text is empty")
    user = fake.make_user("Sara")
    await user.start_bot()
    msg = await fake_bot.send_message(user.id, "<b>" + "ی" * 4096 + "</b>", parse_mode="HTML")
    assert len(msg.text) == 4096  # counted after the tags are removed
    with pytest.raises(BadRequest, match="Message is too long"):
        await fake_bot.send_message(user.id, "a" * 4097)
    with pytest.raises(BadRequest, match="Message text is empty"):
        await fake_bot.send_message(user.id, "  \n ")


async def test_caption_limit(fake: FakeTelegram, fake_bot: Bot) -> None:
    fake.expect_failure("caption is too long")
    user = fake.make_user("Sara")
    await user.start_bot()
    with pytest.raises(BadRequest):
        await fake_bot.send_photo(user.id, b"\xff\xd8jpeg", caption="c" * 1025)


async def test_unimplemented_method_fails_loudly(fake: FakeTelegram, fake_bot: Bot) -> None:
    fake.expect_failure("fakegram does not implement sendDice")
    user = fake.make_user("Sara")
    await user.start_bot()
    with pytest.raises(BadRequest, match="does not implement senddice"):
        await fake_bot.send_dice(user.id)


async def test_unexpected_failure_is_reported() -> None:
    async with FakeTelegram() as fake:
        await post(fake, "sendMessage", data={"text": "x"})
    assert any("chat_id is empty" in p for p in fake.problems())
    with pytest.raises(AssertionError):
        fake.assert_clean()


async def test_bot_commands_roundtrip(fake: FakeTelegram, fake_bot: Bot) -> None:
    fake.expect_failure("BOT_COMMAND_INVALID")
    await fake_bot.set_my_commands([("start", "شروع"), ("help", "راهنما")])
    assert [c.command for c in await fake_bot.get_my_commands()] == ["start", "help"]
    assert await fake_bot.get_my_commands(language_code="en") == ()
    with pytest.raises(BadRequest):
        await fake_bot.set_my_commands([("Bad-Command", "x")])
    await fake_bot.delete_my_commands()
    assert await fake_bot.get_my_commands() == ()
