"""Helpers for the intake end-to-end tests (articles in the DB, captcha answers); no tests here."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select

from bot.callbacks import Action, encode
from bot.states import CommentStatus
from fakegram.actors import FakeUser
from fakegram.control import FakeTelegram
from fakegram.server import CallRecord
from fakegram.world import StoredMessage
from storage.models import Article, Captcha, Comment, User
from tests.e2e.harness import Khabar, World

RECEIPT = "ثبت شد"  # in both receipts (reviewed and trusted)

BREAD = (
    "افزایش دوباره‌ی قیمت نان در تهران",
    "نانوایی‌های تهران از امروز نان را با قیمت تازه می‌فروشند. به گفته‌ی اتحادیه‌ی نانوایان، قیمت آرد و "
    "دستمزد کارگران بالا رفته و قیمت نان سنگک و بربری بیست درصد گران‌تر شده است.",
)
COMMENT = "گرانی نان برای خانواده‌های کم‌درآمد تهران واقعاً سخت است و اتحادیه باید فکری بکند."


async def add_article(khabar: Khabar, title: str = BREAD[0], body: str = BREAD[1], *,
                      discussion: tuple[int, int] | None = None) -> Article:
    """An article already in the channel (optionally with its discussion-group copy)."""
    async with khabar.db.transaction() as session:
        article = Article(token=secrets.token_urlsafe(9), dedupe_key=secrets.token_hex(8), title=title,
                          lead=None, body=body, delivery_state="posted", published_at=khabar.clock(),
                          created_at=khabar.clock())
        if discussion is not None:
            article.discussion_chat_id, article.discussion_message_id = discussion
        session.add(article)
        await session.flush()
        return article


async def add_approved(khabar: Khabar, article: Article, author: FakeUser, text: str) -> Comment:
    """A published comment by ``author`` (as moderation would leave it)."""
    now = khabar.clock()
    async with khabar.db.transaction() as session:
        if await session.get(User, author.id) is None:
            session.add(User(id=author.id, display_name=author.first_name, created_at=now, updated_at=now))
            await session.flush()
        comment = Comment(token=secrets.token_urlsafe(6), article_id=article.id, author_id=author.id, text=text,
                          status=CommentStatus.APPROVED.value, created_at=now, status_changed_at=now,
                          decided_at=now, published_at=now)
        session.add(comment)
        await session.flush()
        return comment


def to(user: FakeUser) -> Any:
    """A wait_for predicate: a call addressed to ``user``'s private chat."""
    return lambda c: str(c.params.get("chat_id")) == str(user.id)


async def sent_to(fake: FakeTelegram, user: FakeUser, contains: str = "") -> CallRecord:
    """The next sendMessage to ``user`` (containing ``contains``)."""
    return await fake.wait_for("sendMessage", lambda c: to(user)(c) and contains in c.params.get("text", ""))


def last_bot_message(fake: FakeTelegram, user: FakeUser) -> StoredMessage:
    """The bot's newest message in ``user``'s private chat."""
    return fake.bot_messages(user.private_chat)[-1]


async def thread_article(fake: FakeTelegram, world: World, khabar: Khabar) -> tuple[Article, StoredMessage]:
    """An article in the channel with its automatic forward in the discussion group (known to Khabar)."""
    post = await fake.channel_post(world.channel, BREAD[0])
    copy = fake.discussion_copy(post)
    assert copy is not None
    article = await add_article(khabar, discussion=(world.group.id, copy.message_id))
    return article, copy


async def comments_of(khabar: Khabar, user: FakeUser) -> list[Comment]:
    """``user``'s comments, oldest first."""
    async with khabar.db.transaction() as session:
        stmt = select(Comment).where(Comment.author_id == user.id).order_by(Comment.id)
        return list((await session.execute(stmt)).scalars())


async def captcha_for(khabar: Khabar, comment_id: int) -> Captcha:
    """The captcha row of a comment."""
    async with khabar.db.transaction() as session:
        row = (await session.execute(select(Captcha).where(Captcha.comment_id == comment_id))).scalar_one()
        return row


def option_data(captcha: Captcha, right: bool) -> str:
    """Callback data of the right (or a wrong) option — old button captchas only (made with options)."""
    answer = captcha.a + captcha.b
    index = next(i for i, v in enumerate(captcha.options) if (v == answer) == right)
    return encode(Action.CAPTCHA, captcha.id, captcha.generation, index)


async def as_button_captcha(khabar: Khabar, captcha: Captcha) -> Captcha:
    """Turn a captcha into one made before answers were typed (four answer buttons), as an upgrade leaves it."""
    right = captcha.a + captcha.b
    async with khabar.db.transaction() as session:
        row = await session.get(Captcha, captcha.id)
        assert row is not None
        row.options = [right + 1, right, right - 1, right + 2]
    async with khabar.db.transaction() as session:
        fresh = await session.get(Captcha, captcha.id)
        assert fresh is not None
        return fresh


def typed(captcha: Captcha, right: bool = True, digits: str = "۰۱۲۳۴۵۶۷۸۹") -> str:
    """The answer a reader types (or a wrong one), in the given digits."""
    value = captcha.a + captcha.b + (0 if right else 1)
    return str(value).translate(str.maketrans("0123456789", digits))


async def answer_typed(fake: FakeTelegram, reader: FakeUser, captcha: Captcha, right: bool = True,
                       reply_to: StoredMessage | None = None, digits: str = "۰۱۲۳۴۵۶۷۸۹") -> StoredMessage:
    """Type an answer; the bot's visible reply to it (the receipt, the new question, or why not) — or, for a
    right answer typed straight under its captcha, the captcha message right above, edited into the receipt."""
    mine = await reader.send(typed(captcha, right, digits), reply_to=reply_to)

    def answered(c: CallRecord) -> bool:
        if not to(reader)(c):
            return False
        if c.method.lower() == "sendmessage":
            return _replies_to(c, mine.message_id)
        return right and int(c.params.get("message_id", 0)) == mine.message_id - 1 and RECEIPT in c.params.get("text", "")

    call = await fake.wait_for(("sendMessage", "editMessageText"), answered)
    shown = call.params["message_id"] if call.method.lower() == "editmessagetext" else call.response["result"]["message_id"]
    return reader.private_chat.messages[int(shown)]


async def receipt_shown(fake: FakeTelegram, reader: FakeUser) -> CallRecord:
    """The receipt reaching the reader: the captcha edited into it, or a reply carrying it."""
    return await fake.wait_for(("sendMessage", "editMessageText"),
                               lambda c: to(reader)(c) and RECEIPT in str(c.params.get("text", "")))


def _replies_to(call: CallRecord, message_id: int) -> bool:
    params = call.params.get("reply_parameters")
    return isinstance(params, dict) and int(params.get("message_id", 0)) == message_id


async def comment_and_captcha(fake: FakeTelegram, khabar: Khabar, reader: FakeUser,
                              text: str = COMMENT) -> tuple[Comment, Captcha, StoredMessage]:
    """Send a comment privately (a draft must be open) and wait for its captcha."""
    before = len(await comments_of(khabar, reader))
    await reader.send(text)
    sent = await fake.wait_for("sendMessage", lambda c: to(reader)(c) and "= ؟" in str(c.params.get("text")))
    comment = (await comments_of(khabar, reader))[before]
    captcha = await captcha_for(khabar, comment.id)
    return comment, captcha, reader.private_chat.messages[int(sent.response["result"]["message_id"])]


async def status_of(khabar: Khabar, comment_id: int) -> str:
    """A comment's status now."""
    async with khabar.db.transaction() as session:
        comment = await session.get(Comment, comment_id)
        assert comment is not None
        return comment.status
