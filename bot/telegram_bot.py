"""Khabar's Bot: PTB's ExtBot that sends only parameters the Bot API method defines."""

from __future__ import annotations

import logging
from typing import Any

from telegram.error import BadRequest
from telegram.ext import ExtBot

from bot.metrics import Metrics

log = logging.getLogger(__name__)

# PTB's Defaults(parse_mode=…) adds parse_mode to every call that goes through its message helper,
# including methods whose Bot API definition has no such parameter. Telegram ignores it; a strict
# Bot API server answers 400. Drop what the method does not take.
_NOT_TAKEN: dict[str, frozenset[str]] = {
    "editmessagereplymarkup": frozenset({"parse_mode"}),
    "stopmessagelivelocation": frozenset({"parse_mode"}),
    "editmessagelivelocation": frozenset({"parse_mode"}),
    "stoppoll": frozenset({"parse_mode"}),
}


class KhabarBot(ExtBot[None]):
    """ExtBot with a strict request body that counts what Telegram accepted into which kind of chat."""

    def __init__(self, *args: Any, metrics: Metrics | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        with self._unfrozen():
            self.metrics = metrics

    async def _do_post(self, endpoint: str, data: dict[str, Any], **kwargs: Any) -> Any:
        for key in _NOT_TAKEN.get(endpoint.lower(), ()):
            data.pop(key, None)
        chat_id = data.get("chat_id")  # read first: PTB may rewrite ``data`` while sending
        result = await super()._do_post(endpoint, data, **kwargs)
        if self.metrics is not None and chat_id is not None and not endpoint.lower().startswith("get"):
            self.metrics.sent(endpoint, chat_id)
        return result

    async def answer_callback_query(self, callback_query_id: str, *args: Any, **kwargs: Any) -> bool:
        """Answer a button press; a late answer Telegram refuses ("query is too old") is expected, not an error.

        It happens when the press waited (a database outage, a slow Telegram) or was answered already.
        """
        try:
            return await super().answer_callback_query(callback_query_id, *args, **kwargs)
        except BadRequest as exc:
            text = exc.message.lower()
            if "query is too old" not in text and "query id is invalid" not in text:
                raise
            log.info("callback answer too late; Telegram refused it", extra={"callback_query_id": callback_query_id})
            return False
