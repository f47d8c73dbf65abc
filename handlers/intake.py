"""Readers in the private chat: /start deep links, /my, comment texts, captcha and view buttons."""

from __future__ import annotations

from collections.abc import Callable

from telegram import Message, Update
from telegram import User as TgUser

from bot.callbacks import Action, parse
from bot.checks.normalize import clean_text
from bot.deps import KhabarContext
from bot.domain.screen import Screen
from bot.intake import service_captcha, service_submit, service_view
from bot.intake.readers import Author
from bot.intake.screens import Shown, what_it_shows
from bot.intake.steps import Edit, Send
from bot.texts import common
from bot.texts import intake as t
from handlers.replies import edit, perform, send


def author_of(user: TgUser) -> Author:
    """The intake's view of a Telegram user (bidi overrides and invisible characters dropped from the name)."""
    return Author(user.id, clean_text(user.full_name), user.username)


def pattern(*actions: Action) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern matching presses of ``actions``."""
    wanted = frozenset(actions)

    def matches(data: object) -> bool:
        press = parse(data) if isinstance(data, str) else None
        return press is not None and press.action in wanted

    return matches


def forged(data: object) -> bool:
    """Callback data nobody can parse (old versions, forgeries): answered politely, nothing done."""
    return not isinstance(data, str) or parse(data) is None


def _shown(message: Message, bot_id: int) -> tuple[Shown, tuple[int, str] | None]:
    """What the bot message a text replies to shows (its buttons), and its id and text."""
    parent = message.reply_to_message
    if parent is None or parent.from_user is None or parent.from_user.id != bot_id:
        return Shown(), None
    markup = parent.reply_markup
    datas = [b.callback_data for row in markup.inline_keyboard for b in row
             if isinstance(b.callback_data, str)] if markup else []
    return what_it_shows(datas), (parent.message_id, parent.text or "")


async def start(update: Update, context: KhabarContext) -> None:
    """/start with or without a deep-link payload."""
    if update.effective_user is None:
        return
    payload = context.args[0] if context.args else None
    await perform(context.deps, context.bot, await service_view.start(context.deps, author_of(update.effective_user),
                                                                       payload))


async def my(update: Update, context: KhabarContext) -> None:
    """/my: the reader's recent comments."""
    if update.effective_user is None:
        return
    screen = await service_view.mine(context.deps, author_of(update.effective_user))
    await send(context.deps, context.bot, Send(update.effective_user.id, screen))


async def on_text(update: Update, context: KhabarContext) -> None:
    """A private text: a comment (or a typed captcha answer)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None or user.is_bot:
        return
    shown, replied = _shown(message, context.bot.id)
    steps = await service_submit.submit_private(context.deps, author_of(user), message.text, shown, replied,
                                                message.message_id)
    await perform(context.deps, context.bot, steps)


async def on_unknown_command(update: Update, context: KhabarContext) -> None:
    """A command the bot does not have, in private: say so and list the ones it has (a command addressed
    to another bot, «/start@other_bot», is not ours to answer)."""
    message = update.effective_message
    command = (message.text or "").split(maxsplit=1)[0] if message is not None and message.text else ""
    _, _, addressee = command.partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return
    if update.effective_user is not None and not update.effective_user.is_bot:
        text = common.UNKNOWN_COMMAND.format(commands=common.COMMANDS)
        await send(context.deps, context.bot, Send(update.effective_user.id, Screen(text)))


async def on_other(update: Update, context: KhabarContext) -> None:
    """Stickers, photos, voice, documents, locations …: only text is a comment."""
    if update.effective_user is not None and not update.effective_user.is_bot:
        await send(context.deps, context.bot, Send(update.effective_user.id, Screen(t.TEXT_ONLY)))


async def on_edit(update: Update, context: KhabarContext) -> None:
    """An edited private message: comments are taken as first sent."""
    if update.effective_user is not None and not update.effective_user.is_bot:
        await send(context.deps, context.bot, Send(update.effective_user.id, Screen(t.EDIT_IGNORED)))


async def on_captcha(update: Update, context: KhabarContext) -> None:
    """A captcha answer button: checked in the database, the message edited, the press answered."""
    query = update.callback_query
    press = parse(query.data) if query else None
    if query is None or press is None:
        return
    message = query.message
    shown_in = (message.chat.id, message.message_id) if message is not None else None
    captcha_id, generation, option = press.args
    answer = service_captcha.Answer(captcha_id, generation, option, shown_in=shown_in)
    toast, steps = await service_captcha.answer(context.deps, query.from_user.id, answer)
    await perform(context.deps, context.bot, steps)
    await query.answer(toast)


async def on_page(update: Update, context: KhabarContext) -> None:
    """Another page of an article's comments, edited in place."""
    query = update.callback_query
    press = parse(query.data) if query else None
    if query is None or press is None:
        return
    screen = await service_view.page(context.deps, author_of(query.from_user), *press.args)
    if screen is not None and query.message is not None:
        await edit(context.bot, Edit(query.message.chat.id, query.message.message_id, screen))
    await query.answer(None if screen else t.ARTICLE_GONE)


async def on_draft(update: Update, context: KhabarContext) -> None:
    """«✍️ ثبت نظر» or «↩️ پاسخ»: open a draft and prompt for the text."""
    query = update.callback_query
    press = parse(query.data) if query else None
    if query is None or press is None:
        return
    who = author_of(query.from_user)
    write = press.action is Action.WRITE
    begin = service_view.begin_write if write else service_view.begin_reply
    prompt = await begin(context.deps, who, press.args[0])
    if prompt is not None:
        await send(context.deps, context.bot, Send(who.id, prompt))
    await query.answer(None if prompt else t.ARTICLE_GONE if write else t.PARENT_GONE)


async def on_cancel(update: Update, context: KhabarContext) -> None:
    """«انصراف»: forget the draft and say so in the prompt."""
    query = update.callback_query
    if query is None:
        return
    had_draft = await service_view.cancel(context.deps, author_of(query.from_user))
    if had_draft and query.message is not None:  # a stale press would re-send identical content
        await edit(context.bot, Edit(query.message.chat.id, query.message.message_id, Screen(t.DRAFT_CANCELLED)))
    await query.answer(None if had_draft else t.NOTHING_TO_CANCEL)


async def on_forged(update: Update, context: KhabarContext) -> None:
    """Unparseable callback data: answer so the button stops spinning; change nothing."""
    if update.callback_query is not None:
        await update.callback_query.answer(common.UNKNOWN_BUTTON)
