"""Telegram glue: read an update, call one service, reply. Registration lives here, in order."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, TypeHandler, filters

from bot.callbacks import Action
from bot.deps import KhabarApp
from handlers import (
    discussion,
    errors,
    intake,
    moderation,
    monitoring,
    patience,
    publishing,
    reports,
    seen,
    tools,
    words,
)


def _command(name: str, callback: Callable[[Update, Any], Coroutine[Any, Any, None]], only: filters.BaseFilter | None = None, *, has_args: bool | None = None,
             ) -> CommandHandler[Any, Any]:
    """A command sent as a new message. PTB's own default also takes an edited one, so a moderator who
    corrects a typo in «/ban 123 7» or «/remove» would run it a second time."""
    sent = filters.UpdateType.MESSAGE if only is None else filters.UpdateType.MESSAGE & only
    return CommandHandler(name, callback, sent, has_args=has_args)


def register(app: KhabarApp) -> None:
    """Every handler Khabar has, in the order PTB should try them."""
    # group -1000: count every update by kind (metrics), before any handler may stop the update.
    app.add_handler(TypeHandler(Update, monitoring.count_update), group=-1000)
    # group -300: note the group or channel and its sender (for `khabar chats`); a dict lookup unless
    # the chat or person is new. Never stops later groups.
    app.add_handler(TypeHandler(Update, seen.record), group=-300)
    # group -200: tell the outbox which ids arrive from groups (never the bot's own messages), so its
    # duplicate check in the discussion group never probes them. Never stops later groups.
    app.add_handler(MessageHandler(filters.ChatType.GROUPS, discussion.remember_incoming), group=-200)
    # group -100: the automatic forward of our channel post into the discussion group, before any
    # other group-message handler; it stores the discussion link and stops there (never a comment).
    app.add_handler(MessageHandler(filters.IS_AUTOMATIC_FORWARD, publishing.automatic_forward), group=-100)
    # group 0: commands and the conversation with readers.
    app.add_handler(_command("start", intake.start, filters.ChatType.PRIVATE))
    app.add_handler(_command("help", intake.start, filters.ChatType.PRIVATE))  # the welcome again
    app.add_handler(_command("my", intake.my, filters.ChatType.PRIVATE))
    app.add_handler(_command("feeds", publishing.feeds))  # moderators' chat only
    # group 0: moderators' buttons (cards, menus, queue view), their commands (moderators' chat
    # only, checked inside) and readers' /notify.
    app.add_handler(CallbackQueryHandler(moderation.on_button, pattern=moderation.owns))
    app.add_handler(CallbackQueryHandler(tools.on_button, pattern=tools.owns))  # issue 18's confirmations
    app.add_handler(CallbackQueryHandler(reports.on_moderator, pattern=reports.moderator_owns))  # issue 18
    app.add_handler(CallbackQueryHandler(reports.on_reader, pattern=reports.reader_owns))
    app.add_handler(_command("queue", reports.queue_article, has_args=True))  # /queue <article>
    app.add_handler(_command("queue", moderation.queue))
    app.add_handler(_command("stats", moderation.stats))
    app.add_handler(_command("ban", moderation.ban))
    app.add_handler(_command("unban", moderation.unban))
    app.add_handler(_command("trust", moderation.trust))
    app.add_handler(_command("untrust", moderation.untrust))
    app.add_handler(_command("notify", moderation.notify, filters.ChatType.PRIVATE))
    app.add_handler(_command("close", tools.close))  # moderators' chat only (issue 18)
    app.add_handler(_command("open", tools.reopen))
    app.add_handler(_command("remove", tools.remove))
    app.add_handler(_command("purge", tools.purge))
    app.add_handler(_command("words", words.words))
    app.add_handler(_command("ban", tools.offer_after_ban), group=1)  # after /ban has answered
    # group 0, intake (keep last in group 0: they take every private text/media/edit): captcha, paging,
    # write/reply/cancel buttons; readers' private texts (comments, typed answers), media, edits.
    app.add_handler(CallbackQueryHandler(intake.on_captcha, pattern=intake.pattern(Action.CAPTCHA)))
    app.add_handler(CallbackQueryHandler(intake.on_page, pattern=intake.pattern(Action.PAGE)))
    app.add_handler(CallbackQueryHandler(intake.on_draft, pattern=intake.pattern(Action.WRITE, Action.REPLY)))
    app.add_handler(CallbackQueryHandler(intake.on_cancel, pattern=intake.pattern(Action.CANCEL)))
    app.add_handler(CallbackQueryHandler(intake.on_forged, pattern=intake.forged))
    private_new = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL
    app.add_handler(MessageHandler(private_new & filters.TEXT & ~filters.COMMAND, intake.on_text))
    app.add_handler(MessageHandler(private_new & ~filters.TEXT, intake.on_other))
    app.add_handler(MessageHandler(private_new & filters.COMMAND, intake.on_unknown_command))  # after every command
    app.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE, intake.on_edit))
    # group 10: members' replies in the discussion group (pre-moderation: taken down, continued
    # privately). Its own group, so it neither blocks nor is blocked by other group handlers; the
    # handler itself checks the chat is the discussion group and skips forwards/channel/bots.
    app.add_handler(
        MessageHandler(filters.ChatType.SUPERGROUP & filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL,
                       discussion.on_group_message),
        group=10,
    )
    patience.make_patient(app)  # a database outage: handled again once it is back, not an error
    app.add_error_handler(errors.on_error)
