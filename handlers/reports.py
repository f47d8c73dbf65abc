"""Readers' reports and one article's figures (issue 18): the reader's «🚩 گزارش» screens, the
moderators' review card (keep / remove), a card's «📊 آمار این خبر» and ``/queue <article>``."""

from __future__ import annotations

import logging

from telegram import LinkPreviewOptions, Message, Update
from telegram.error import TelegramError

from bot.callbacks import Action, parse
from bot.checks.normalize import clean_text, parse_number
from bot.deps import KhabarContext
from bot.intake import service_view
from bot.intake.steps import Edit
from bot.moderation import service_figures, service_penalties, service_reports
from bot.moderation.service_decide import Moderator
from bot.texts import common
from bot.texts import tools as t
from handlers.intake import author_of, pattern
from handlers.moderation import _moderator
from handlers.replies import edit, reply

log = logging.getLogger(__name__)
READER = frozenset({Action.REPORT_MENU, Action.REPORT_PICK, Action.REPORT})
MODERATOR = frozenset({Action.REPORT_KEEP, Action.REPORT_REMOVE, Action.FIGURES, Action.PENALTY_UNDO})


reader_owns = pattern(*READER)
moderator_owns = pattern(*MODERATOR)


async def on_reader(update: Update, context: KhabarContext) -> None:
    """«🚩 گزارش» → which comment → why → recorded; each step edits the article view in place."""
    query = update.callback_query
    cb = parse(query.data) if query is not None else None
    if query is None or cb is None:
        return
    message = query.message
    deps, who = context.deps, author_of(query.from_user)
    toast: str | None = None
    if cb.action is Action.REPORT_MENU:
        screen = await service_reports.which(deps, who, *cb.args)
        if screen is None:
            toast = t.REPORT_GONE
    elif cb.action is Action.REPORT_PICK:
        screen = await service_reports.why(deps, who, *cb.args)
        if screen is None:
            toast = t.REPORT_GONE
    else:
        comment_id, reason, page = cb.args
        done = await service_reports.report(deps, who, comment_id, reason)
        toast = done.toast
        screen = await service_view.page(deps, who, done.article_id, page) if done.article_id is not None else None
    if screen is not None and message is not None:
        await edit(context.bot, Edit(message.chat.id, message.message_id, screen))
    await query.answer(toast, show_alert=toast is not None and cb.action is Action.REPORT)


async def on_moderator(update: Update, context: KhabarContext) -> None:
    """A review card's «✅ بماند» / «🗑 حذف», or a card's «📊 آمار این خبر» (an alert, no message sent)."""
    query = update.callback_query
    cb = parse(query.data) if query is not None else None
    if query is None or cb is None:
        return
    message = query.message
    deps = context.deps
    if not await deps.moderators.is_moderator(context.bot, query.from_user.id):
        await query.answer(common.NOT_ALLOWED, show_alert=True)
        return
    # Too old for Telegram to show the bot, or gone: an old button. PTB parses a callback's message as a
    # Message even then (date 0), hence is_accessible.
    if not isinstance(message, Message) or not message.is_accessible:
        await query.answer(common.UNKNOWN_BUTTON)
        return
    if message.chat.id != deps.chats.moderators:
        await query.answer(common.NOT_ALLOWED, show_alert=True)
        return
    if cb.action is Action.FIGURES:
        await query.answer(await service_figures.alert_for_comment(deps, cb.args[0]), show_alert=True)
        return
    mod = Moderator(query.from_user.id, clean_text(query.from_user.full_name), query.from_user.username)
    if cb.action is Action.PENALTY_UNDO:  # an automatic penalty's card (issue 18, the ladder)
        toast, undone = await service_penalties.undo(deps, mod, cb.args[0])
        await query.answer(toast)
        if undone:
            await _edit(context, message, f"{message.text_html}\n\n{service_penalties.undone_line(mod, deps)}")
        return
    done = await service_reports.decide(deps, mod, cb.args[0], remove=cb.action is Action.REPORT_REMOVE)
    await query.answer(done.toast)
    if done.text is not None:
        await _edit(context, message, done.text)


async def _edit(context: KhabarContext, message: Message, text: str) -> None:
    """Rewrite a tools card without its buttons, still without a link preview (a refusal is only logged)."""
    try:
        await context.bot.edit_message_text(text, message.chat.id, message.message_id,
                                            link_preview_options=LinkPreviewOptions(is_disabled=True))
    except TelegramError as exc:
        log.info("could not edit a card: %s", exc, extra={"message_id": message.message_id})


async def queue_article(update: Update, context: KhabarContext) -> None:
    """/queue <article>: that article's figures and its pending comments, linked to their cards."""
    if await _moderator(update, context) is None or update.effective_message is None:
        return
    args = context.args or []
    if len(args) != 1:
        await reply(context, update.effective_message, t.QUEUE_ARTICLE_USAGE)
        return
    number = parse_number(args[0])
    ref = str(number) if number is not None else args[0]
    await reply(context, update.effective_message, await service_figures.queue_of_article(context.deps, ref))
