"""Messages in an article's thread that cannot become comments (sent as a foreign channel): taken down."""

from __future__ import annotations

import logging

from bot.deps import Deps
from bot.domain.message_kinds import MessageKind
from bot.intake.service_submit import GroupMessage
from bot.outbox import call
from storage.repos import intake as repo
from storage.repos import outbox

log = logging.getLogger(__name__)


async def take_down(deps: Deps, msg: GroupMessage) -> bool:
    """Delete ``msg`` if it sits in an article's discussion thread (pre-moderation has no author to ask)."""
    async with deps.db.transaction() as session:
        in_thread = False
        if msg.reply_to_id is not None:
            in_thread = await repo.comment_by_thread_message(session, msg.reply_to_id) is not None
        for root in (msg.thread_id, msg.reply_to_id):
            if not in_thread and root is not None:
                in_thread = await repo.article_by_thread(session, msg.chat_id, root) is not None
        if not in_thread:
            return False
        await outbox.enqueue(session, kind=MessageKind.DELETE, dedupe_key=f"intake-delete:{msg.chat_id}:{msg.message_id}",
                             chat_key=msg.chat_id, now=deps.clock(),
                             payload=call("delete_message", chat_id=msg.chat_id, message_id=msg.message_id))
    log.info("message sent as a foreign channel taken down", extra={"chat_id": msg.chat_id})
    deps.outbox.wake()
    return True
