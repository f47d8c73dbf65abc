"""Readers in the private chat: /start deep links, /my, comment texts, captcha and view buttons."""

from __future__ import annotations

from telegram import Message, Update
from telegram import User as TgUser

from bot.callbacks import Action, parse
from bot.deps import KhabarContext
from bot.intake import service_captcha, service_submit, service_view
from bot.intake.screens import Screen, Shown, what_it_shows
from bot.intake.telegram_io import Author, edit, send
from bot.texts import common
from bot.texts import intake as t

OWN_ACTIONS = frozenset({Action.CAPTCHA, Action.PAGE, Action.WRITE, Action.REPLY, Action.CANCEL})


def author_of(user: TgUser) -> Author:
    """The intake's view of a Telegram user."""
    return Author(user.id, user.full_name, user.username)


def owns(data: object) -> bool:
    """Whether a callback belongs to intake (captcha, paging, write, reply, cancel)."""
    press = parse(data) if isinstance(data, str) else None
    return press is not None and press.action in OWN_ACTIONS


def forged(data: object) -> bool:
    """Callback data nobody can parse (old versions, forgeries): answered politely, nothing done."""
    return not isinstance(data, str) or parse(data) is None


def _shown(message: Message, bot_id: int) -> tuple[Shown, int | None]:
    parent = message.reply_to_message
    if parent is None or parent.from_user is None or parent.from_user.id != bot_id:
        return Shown(), None
    markup = parent.reply_markup
    datas = [b.callback_data for row in markup.inline_keyboard for b in row
             if isinstance(b.callback_data, str)] if markup else []
    return what_it_shows(datas), parent.message_id


async def start(update: Update, context: KhabarContext) -> None:
    """/start with or without a deep-link payload."""
    if update.effective_user is None:
        return
    payload = context.args[0] if context.args else None
    await service_view.start(context.deps, context.bot, author_of(update.effective_user), payload)


async def my(update: Update, context: KhabarContext) -> None:
    """/my: the reader's recent comments."""
    if update.effective_user is None:
        return
    screen = await service_view.mine(context.deps, author_of(update.effective_user))
    await send(context.deps, context.bot, update.effective_user.id, screen)


async def on_text(update: Update, context: KhabarContext) -> None:
    """A private text: a comment (or a typed captcha answer)."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None or user.is_bot:
        return
    shown, replied_id = _shown(message, context.bot.id)
    await service_submit.submit_private(context.deps, context.bot, author_of(user), message.text, shown, replied_id)


async def on_other(update: Update, context: KhabarContext) -> None:
    """Stickers, photos, voice, documents, locations …: only text is a comment."""
    if update.effective_user is not None and not update.effective_user.is_bot:
        await send(context.deps, context.bot, update.effective_user.id, Screen(t.TEXT_ONLY))


async def on_edit(update: Update, context: KhabarContext) -> None:
    """An edited private message: comments are taken as first sent."""
    if update.effective_user is not None and not update.effective_user.is_bot:
        await send(context.deps, context.bot, update.effective_user.id, Screen(t.EDIT_IGNORED))


async def on_button(update: Update, context: KhabarContext) -> None:
    """Captcha answers, comment pages, write/reply/cancel."""
    query, deps = update.callback_query, context.deps
    press = parse(query.data) if query else None
    if query is None or press is None:
        return
    who, message = author_of(query.from_user), query.message
    toast: str | None = None
    if press.action is Action.CAPTCHA:
        shown_in = (message.chat.id, message.message_id) if message is not None else None
        captcha_id, generation, option = press.args
        answer = service_captcha.Answer(captcha_id, generation, option, shown_in=shown_in)
        toast = await service_captcha.answer(deps, context.bot, who.id, answer)
    elif press.action is Action.PAGE:
        screen = await service_view.page(deps, who, *press.args)
        if screen is None or message is None:
            toast = t.ARTICLE_GONE
        else:
            await edit(context.bot, message.chat.id, message.message_id, screen)
    elif press.action in (Action.WRITE, Action.REPLY):
        begin = service_view.begin_write if press.action is Action.WRITE else service_view.begin_reply
        prompt = await begin(deps, who, press.args[0])
        if prompt is None:
            toast = t.ARTICLE_GONE if press.action is Action.WRITE else t.PARENT_GONE
        else:
            await send(deps, context.bot, who.id, prompt)
    else:
        await service_view.cancel(deps, who)
        if message is not None:
            await edit(context.bot, message.chat.id, message.message_id, Screen(t.DRAFT_CANCELLED))
    await query.answer(toast)


async def on_forged(update: Update, context: KhabarContext) -> None:
    """Unparseable callback data: answer so the button stops spinning; change nothing."""
    if update.callback_query is not None:
        await update.callback_query.answer(common.UNKNOWN_BUTTON)
