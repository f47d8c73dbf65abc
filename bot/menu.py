"""The bot's command menus, set at start-up: one for readers' private chats, one for the moderators' group."""

from __future__ import annotations

import logging

from telegram import Bot, BotCommand, BotCommandScope, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import TelegramError

from bot.texts import menu as texts

log = logging.getLogger(__name__)


def menus(moderators_chat: int) -> list[tuple[BotCommandScope, list[BotCommand]]]:
    """Each scope with the commands Khabar answers there."""
    return [
        (BotCommandScopeAllPrivateChats(), [BotCommand(name, text) for name, text in texts.PRIVATE]),
        (BotCommandScopeChat(moderators_chat), [BotCommand(name, text) for name, text in texts.MODERATORS]),
    ]


async def set_menus(bot: Bot, moderators_chat: int) -> int:
    """Set every menu that differs from what Telegram has (idempotent); how many were set.

    A failure is logged and start-up goes on: the menu is a convenience, the commands work without it.
    """
    changed = 0
    for scope, commands in menus(moderators_chat):
        try:
            current = await bot.get_my_commands(scope=scope)
            if [(c.command, c.description) for c in current] == [(c.command, c.description) for c in commands]:
                continue
            await bot.set_my_commands(commands, scope=scope)
            changed += 1
        except TelegramError as exc:
            log.warning("could not set the command menu", extra={"scope": scope.type, "error": exc.message})
    if changed:
        log.info("command menus set", extra={"menus": changed})
    return changed
